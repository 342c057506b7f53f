package kernel

import (
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"
)

// BridgeTableName is the nftables table (family bridge) of the bridges'
// split horizon, /interface bridge filter and nat, and the port numbers
// of the IP firewall's in-bridge-port (bridgeport.go): frames bridged
// between ports pass the bridge family's hooks, never the ip table's
// (that needs br_netfilter, use-ip-firewall).
const BridgeTableName = "rosemu_br"

// horizonGroup is the ports of one bridge that share a horizon value.
type horizonGroup struct {
	bridge, horizon string
	ports           []string
}

// horizonGroups are the horizon groups of st, in bridge order and then by
// value; groups of one port are left out (a port never forwards to
// itself).
func horizonGroups(st *State) []horizonGroup {
	var out []horizonGroup
	for _, b := range st.Bridges {
		groups := map[string][]string{}
		for _, p := range b.Ports {
			if p.Horizon != "" {
				groups[p.Horizon] = append(groups[p.Horizon], p.Interface)
			}
		}
		var hs []string
		for h, ps := range groups {
			if len(ps) > 1 {
				hs = append(hs, h)
			}
		}
		sort.Slice(hs, func(i, j int) bool {
			a, _ := strconv.Atoi(hs[i])
			c, _ := strconv.Atoi(hs[j])
			return a < c
		})
		for _, h := range hs {
			out = append(out, horizonGroup{b.Name, h, groups[h]})
		}
	}
	return out
}

// snoopGroup is a bridge that does DHCP snooping and its ports that are
// not trusted.
type snoopGroup struct {
	bridge    string
	untrusted []string
}

// dhcpSnoopGroups are the bridges with dhcp-snooping=yes that have an
// untrusted port, in bridge order. A bridge whose ports are all trusted
// filters nothing.
func dhcpSnoopGroups(st *State) []snoopGroup {
	var out []snoopGroup
	for _, b := range st.Bridges {
		if !b.DHCPSnooping {
			continue
		}
		g := snoopGroup{bridge: b.Name}
		for _, p := range b.Ports {
			if !p.Trusted {
				g.untrusted = append(g.untrusted, p.Interface)
			}
		}
		if len(g.untrusted) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// untaggedOnlyPorts are the ports of vlan-filtering bridges set
// frame-types=admit-only-untagged-and-priority-tagged, in bridge order.
// Linux has no per-port frame-types: its VLAN table admits at a port the
// tagged frames of every VLAN the port is a member of, its pvid included,
// and the same membership is what sends that VLAN tagged out of the port.
// RouterOS's frame-types acts on ingress only ("Specifies allowed ingress
// frame types on a bridge port", Bridging and Switching page), so the
// membership stays (tagged egress as on RouterOS) and RenderBridge drops
// the tagged frames where they enter (forum31 D1).
func untaggedOnlyPorts(st *State) []string {
	var out []string
	for _, b := range st.Bridges {
		if !b.VLANFiltering {
			continue // frame-types has effect only with vlan-filtering=yes
		}
		for _, p := range b.Ports {
			if p.FrameTypes == "admit-only-untagged-and-priority-tagged" {
				out = append(out, p.Interface)
			}
		}
	}
	return out
}

// bridgeBuiltins are the built-in chains of /interface bridge filter and
// nat, with the bridge family's hooks and priorities behind them (Bridge
// Firewall of the Bridging and Switching page): filter input for frames
// to the bridge itself, forward for frames bridged between ports, output
// for frames the router sends out of a port; nat dstnat for frames as
// they enter the bridge (before its forwarding decision), srcnat for
// frames as they leave a port.
var bridgeBuiltins = map[string][]struct{ name, hook, prio string }{
	"filter": {{"input", "input", "-200"}, {"forward", "forward", "-200"}, {"output", "output", "-200"}},
	"nat":    {{"dstnat", "prerouting", "-300"}, {"srcnat", "postrouting", "300"}},
}

// bridgeBuiltin returns the hook and priority of a built-in chain of the
// bridge table tbl; ok is false for a user chain.
func bridgeBuiltin(tbl, chain string) (hook, prio string, ok bool) {
	for _, c := range bridgeBuiltins[tbl] {
		if c.name == chain {
			return c.hook, c.prio, true
		}
	}
	return "", "", false
}

// BridgeRuleUnmodelled names the first property of a /interface bridge
// filter (tbl "filter") or nat ("nat") rule that rosemu does not enforce,
// "" when the whole rule is enforced. Such a rule is left out of the
// kernel: without the matcher it would match more than RouterOS's, and an
// action rosemu cannot take would do something else. A value rosemu
// cannot read is named too.
func BridgeRuleUnmodelled(tbl string, props map[string]string) string {
	_, bad, _ := renderBridgeRule(tbl, "*0", props, nil)
	return bad
}

// errNeverMatches marks a rule that can match no frame: in-bridge or
// out-bridge names a bridge without ports.
var errNeverMatches = fmt.Errorf("matches no frame")

// bridgeModelled are the properties of a bridge filter rule that rosemu
// renders; the others leave the rule stored (BridgeRuleUnmodelled).
// passthrough and log-prefix are inert for the actions rosemu renders.
var bridgeModelled = map[string]bool{
	"chain": true, "action": true, "jump-target": true, "disabled": true, "comment": true,
	"in-interface": true, "out-interface": true, "in-bridge": true, "out-bridge": true,
	"mac-protocol": true, "src-mac-address": true, "dst-mac-address": true,
	"src-address": true, "dst-address": true, "ip-protocol": true, "src-port": true, "dst-port": true,
	"packet-type": true, "passthrough": true, "log": true, "log-prefix": true,
	"in-interface-list": true, "out-interface-list": true,
	"arp-opcode": true, "arp-src-address": true, "arp-dst-address": true,
	"arp-src-mac-address": true, "arp-dst-mac-address": true,
}

// arpOpcodes are arp-opcode's values and their ARP operation codes (RFC
// 826, 903 reverse ARP, 1931 DRARP, 2390 InARP; ARP-NAK is 10 of the
// IANA registry).
var arpOpcodes = map[string]int{
	"request": 1, "reply": 2, "request-reverse": 3, "reply-reverse": 4,
	"drarp-request": 5, "drarp-reply": 6, "drarp-error": 7,
	"inarp-request": 8, "inarp-reply": 9, "arp-nak": 10,
}

// macProtocols are mac-protocol's names and their EtherTypes (Bridging
// and Switching page of the manual, bridge filter mac-protocol). 802.2
// and length (frames with a length field) are not modelled.
var macProtocols = map[string]uint16{
	"arp": 0x0806, "ip": 0x0800, "ipv6": 0x86dd, "ipx": 0x8137, "lldp": 0x88cc,
	"mpls-multicast": 0x8848, "mpls-unicast": 0x8847, "pppoe": 0x8864, "pppoe-discovery": 0x8863,
	"rarp": 0x8035, "service-vlan": 0x88a8, "vlan": 0x8100, "homeplug-av": 0x88e1,
	"loop-protect": 0x9003, "packing-compr": 0x9001, "packing-simple": 0x9000,
}

// packetTypes are packet-type's values and nft's meta pkttype words.
var packetTypes = map[string]string{"broadcast": "broadcast", "host": "host", "multicast": "multicast", "other-host": "other"}

// renderBridgeRule returns the nft line of one bridge filter rule, or the
// property that keeps it out of the kernel (bad) with why.
//
// in-bridge and out-bridge are rendered as the bridge's ports: a port is
// in one bridge, so the frame's port names its bridge (nft's meta ibrname
// needs nft_meta_bridge, which not every kernel has). ports maps each
// bridge to its ports; nil checks only what the rule sets.
func renderBridgeRule(tbl, id string, props map[string]string, ports map[string][]string) (line, bad string, err error) {
	switch a := props["action"]; a {
	case "", "accept", "drop", "return", "passthrough", "log", "jump":
	case "dst-nat", "src-nat":
		if tbl != "nat" {
			return "", "action", fmt.Errorf("action=%s is not modelled", a)
		}
	default:
		return "", "action", fmt.Errorf("action=%s is not modelled", a)
	}
	var keys []string
	for k, v := range props {
		// The parameters of the actions are inert for the other
		// actions, as in RouterOS.
		if v != "" && !bridgeModelled[k] && !bridgeActionParams[k] {
			keys = append(keys, k)
		}
	}
	if len(keys) > 0 {
		sort.Strings(keys)
		return "", keys[0], fmt.Errorf("%s is not modelled", keys[0])
	}
	var exprs []string
	fail := func(prop string, err error) (string, string, error) {
		return "", prop, fmt.Errorf("%s=%s: %w", prop, props[prop], err)
	}
	for _, f := range []struct{ prop, field string }{{"in-interface", "iifname"}, {"out-interface", "oifname"}} {
		if v := props[f.prop]; v != "" {
			s, err := ifaceMatch(f.field, v)
			if err != nil {
				return fail(f.prop, err)
			}
			exprs = append(exprs, s)
		}
	}
	// in-interface-list and out-interface-list match the port the frame
	// came in by or goes out of against the list's members, as
	// in-interface and out-interface do (Bridging and Switching page,
	// Bridge Firewall): the same ifname set as the IP firewall's, rendered
	// into the bridge table too (bridgeIfLists), since nft sets are per
	// table.
	for _, f := range []struct{ prop, field string }{{"in-interface-list", "iifname"}, {"out-interface-list", "oifname"}} {
		if v := props[f.prop]; v != "" {
			s, _, err := ifaceListMatch(f.field, v)
			if err != nil {
				return fail(f.prop, err)
			}
			exprs = append(exprs, s)
		}
	}
	never := false
	for _, f := range []struct{ prop, field string }{{"in-bridge", "iifname"}, {"out-bridge", "oifname"}} {
		v := props[f.prop]
		if v == "" || ports == nil {
			continue
		}
		neg, br := negated(v)
		var names []string
		for _, p := range ports[br] {
			q, err := quoteIfname(p)
			if err != nil {
				return fail(f.prop, err)
			}
			names = append(names, q)
		}
		switch {
		case len(names) == 0 && neg: // every frame is in no port of it
		case len(names) == 0:
			never = true
		default:
			exprs = append(exprs, f.field+" "+op(neg)+"{ "+strings.Join(names, ", ")+" }")
		}
	}
	if v := props["mac-protocol"]; v != "" {
		neg, p := negated(v)
		et, ok := macProtocols[p]
		if !ok {
			n, err := strconv.ParseUint(p, 0, 16)
			if err != nil {
				return fail("mac-protocol", fmt.Errorf("not a protocol rosemu knows"))
			}
			et = uint16(n)
		}
		exprs = append(exprs, fmt.Sprintf("ether type %s0x%04x", op(neg), et))
	}
	// The ARP matchers are "only valid if mac-protocol is arp or rarp"
	// (v3 manual, Bridge Firewall); nft's arp expressions read an ARP
	// frame (ether type 0x0806), so a rule sets them with mac-protocol=arp
	// and is stored otherwise [verify] what RouterOS does with them
	// without it, and with rarp.
	for _, k := range []string{"arp-opcode", "arp-src-address", "arp-dst-address", "arp-src-mac-address", "arp-dst-mac-address"} {
		if props[k] != "" && props["mac-protocol"] != "arp" {
			return fail(k, fmt.Errorf("needs mac-protocol=arp on the same rule"))
		}
	}
	for _, f := range []struct{ prop, sel string }{
		{"src-mac-address", "ether saddr"}, {"dst-mac-address", "ether daddr"},
		{"arp-src-mac-address", "arp saddr ether"}, {"arp-dst-mac-address", "arp daddr ether"},
	} {
		if v := props[f.prop]; v != "" {
			s, err := macMatch(f.sel, v)
			if err != nil {
				return fail(f.prop, err)
			}
			exprs = append(exprs, s)
		}
	}
	// The IP matchers need an IPv4 frame (the manual: "only if MAC
	// protocol is set to IPv4"), the ARP ones (the sender and target
	// protocol addresses) an ARP frame; nft's ip and arp expressions add
	// that dependency themselves, also when negated.
	for _, f := range []struct{ prop, sel string }{
		{"src-address", "ip saddr"}, {"dst-address", "ip daddr"},
		{"arp-src-address", "arp saddr ip"}, {"arp-dst-address", "arp daddr ip"},
	} {
		if v := props[f.prop]; v != "" {
			neg, a := negated(v)
			text, err := addrValue(a)
			if err != nil {
				return fail(f.prop, err)
			}
			exprs = append(exprs, f.sel+" "+op(neg)+text)
		}
	}
	if v := props["arp-opcode"]; v != "" {
		neg, o := negated(v)
		code, ok := arpOpcodes[o]
		if !ok {
			return fail("arp-opcode", fmt.Errorf("not an ARP operation rosemu knows"))
		}
		exprs = append(exprs, fmt.Sprintf("arp operation %s%d", op(neg), code))
	}
	proto := 0
	protoNeg := false
	if v := props["ip-protocol"]; v != "" {
		neg, p := negated(v)
		n, err := parseProtocol(p)
		if err != nil {
			return fail("ip-protocol", err)
		}
		proto, protoNeg = n, neg
		exprs = append(exprs, "ip protocol "+op(neg)+protoText(n))
	}
	for _, f := range []struct{ prop, field string }{{"src-port", "sport"}, {"dst-port", "dport"}} {
		if v := props[f.prop]; v != "" {
			if !portProtocols[proto] || protoNeg {
				return fail(f.prop, fmt.Errorf("needs ip-protocol=tcp or udp on the same rule"))
			}
			neg, pv := negated(v)
			set, err := portSet(pv)
			if err != nil {
				return fail(f.prop, err)
			}
			exprs = append(exprs, "th "+f.field+" "+op(neg)+set)
		}
	}
	if v := props["packet-type"]; v != "" {
		neg, p := negated(v)
		w, ok := packetTypes[p]
		if !ok {
			return fail("packet-type", fmt.Errorf("not a packet type rosemu knows"))
		}
		exprs = append(exprs, "meta pkttype "+op(neg)+w)
	}
	var stmt string
	switch a := props["action"]; a {
	case "", "accept":
		stmt = "accept"
	case "drop":
		stmt = "drop"
	case "return":
		stmt = "return"
	case "passthrough", "log":
		// Counted, and the next rule decides (log: see log below).
	case "jump":
		t := props["jump-target"]
		if t == "" {
			return fail("jump-target", fmt.Errorf("jump needs a jump-target"))
		}
		c, err := bridgeChainIdent(tbl, t)
		if err != nil {
			return fail("jump-target", err)
		}
		stmt = "jump " + c
	case "dst-nat", "src-nat":
		// The new MAC, then the chain ends as with accept [verify]
		// whether passthrough applies to them.
		field, param := "daddr", "to-dst-mac-address"
		if a == "src-nat" {
			field, param = "saddr", "to-src-mac-address"
		}
		if h, _, ok := bridgeBuiltin(tbl, props["chain"]); ok && (a == "dst-nat") != (h == "prerouting") {
			return fail("action", fmt.Errorf("%s is valid only in chain %s", a, map[bool]string{true: "dstnat", false: "srcnat"}[a == "dst-nat"]))
		}
		m, err := net.ParseMAC(props[param])
		if err != nil || len(m) != 6 {
			return fail(param, fmt.Errorf("not a MAC address"))
		}
		stmt = "ether " + field + " set " + m.String() + " accept"
	default:
		return "", "action", fmt.Errorf("action=%s is not modelled", a)
	}
	// log=yes and action=log write no log line: the configuration layer
	// reports them; the rule still counts and acts.
	tail := []string{"counter"}
	if stmt != "" {
		tail = append(tail, stmt)
	}
	comment := id
	if c := props["comment"]; c != "" {
		comment += " " + c
	}
	tail = append(tail, "comment "+quoteText(comment, maxComment))
	if never {
		return "", "", errNeverMatches
	}
	return strings.Join(append(exprs, tail...), " "), "", nil
}

// macMatch renders a MAC matcher of selector sel (ether saddr for
// src-mac-address, arp daddr ether for arp-dst-mac-address, ...): a MAC,
// optionally with a mask (RouterOS writes 01:00:5E:00:00:00/FF:FF:FF:80:00:00).
func macMatch(sel, v string) (string, error) {
	neg, v := negated(v)
	addr, mask, masked := strings.Cut(v, "/")
	a, err := net.ParseMAC(addr)
	if err != nil || len(a) != 6 {
		return "", fmt.Errorf("not a MAC address")
	}
	if !masked {
		return sel + " " + op(neg) + a.String(), nil
	}
	m, err := net.ParseMAC(mask)
	if err != nil || len(m) != 6 {
		return "", fmt.Errorf("not a MAC address mask")
	}
	for i := range a {
		a[i] &= m[i]
	}
	return sel + " & " + m.String() + " " + op(neg) + "== " + a.String(), nil
}

// bridgeActionParams are the parameters of the bridge rules' actions.
var bridgeActionParams = map[string]bool{"new-packet-mark": true, "new-priority": true,
	"to-dst-mac-address": true, "to-src-mac-address": true, "to-arp-reply-mac-address": true}

// bridgeChainIdent names the nft chain of a chain of bridge table tbl
// (filter or nat): "filter_forward", "nat_user_guests".
func bridgeChainIdent(tbl, chain string) (string, error) {
	if _, _, ok := bridgeBuiltin(tbl, chain); ok {
		return tbl + "_" + chain, nil
	}
	return ident(tbl+"_user_", chain)
}

// bridgeTableNeeded reports whether the configuration needs the bridge
// table: a horizon group, a port that admits only untagged frames, a
// bridge port the IP firewall names, or an enabled bridge filter rule it
// renders.
func bridgeTableNeeded(st *State) bool {
	if len(horizonGroups(st)) > 0 || len(untaggedOnlyPorts(st)) > 0 || len(dhcpSnoopGroups(st)) > 0 {
		return true
	}
	if idx, err := bridgePortIndex(st); err == nil && len(idx) > 0 {
		return true
	}
	if len(portTreeRules(st)) > 0 {
		return true
	}
	for _, tbl := range []struct {
		name  string
		rules []Rule
	}{{"filter", st.BridgeFilter}, {"nat", st.BridgeNAT}} {
		for _, r := range tbl.rules {
			if r.Props["disabled"] != "yes" && BridgeRuleUnmodelled(tbl.name, r.Props) == "" {
				return true
			}
		}
	}
	return false
}

// RenderBridge writes the bridge family table: the split horizon of each
// bridge and the rules of /interface bridge filter. Without either the
// table is removed (the text only deletes it), so a kernel without the
// bridge family of nftables is asked for nothing.
func RenderBridge(st *State) (string, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "table bridge %s {}\ndelete table bridge %s\n", BridgeTableName, BridgeTableName)
	if !bridgeTableNeeded(st) {
		return b.String(), nil
	}
	fmt.Fprintf(&b, "table bridge %s {\n", BridgeTableName)
	// Split horizon (Bridging and Switching page of the manual: "Set the
	// same value for group of ports, to prevent them from sending data to
	// ports with the same horizon value"): a frame that came in by a port
	// is not forwarded, nor flooded, to another port of the same bridge
	// with the same horizon. The bridge family's forward hook sees each
	// flooded copy per port, so broadcasts obey it too; frames to and
	// from the bridge itself (the router) pass the input and output
	// hooks and are not affected. It runs before the bridge filter: the
	// bridge never decides to forward such a frame, so no forward rule
	// sees it.
	if groups := horizonGroups(st); len(groups) > 0 {
		b.WriteString("\tchain horizon {\n\t\ttype filter hook forward priority -300; policy accept;\n")
		for _, g := range groups {
			set, err := ifnameSet(g.ports)
			if err != nil {
				return "", err
			}
			fmt.Fprintf(&b, "\t\tiifname %s oifname %s drop comment %s\n", set, set,
				quoteText(fmt.Sprintf("bridge %s horizon=%s", g.bridge, g.horizon), maxComment))
		}
		b.WriteString("\t}\n")
	}
	// DHCP snooping (Bridging and Switching page, DHCP Snooping and
	// DHCP Option 82): a bridge with dhcp-snooping=yes drops the DHCP
	// server messages (UDP 67 to 68: offer, ack, nak) that come in by a
	// port that is not trusted, so a rogue server on such a port leases
	// to no one, and sends the client messages (UDP 68 to 67: discover,
	// request) out of trusted ports only, so such a server does not hear
	// them either. Frames the bridge bridges pass the forward hook; the
	// router's own DHCP server on the bridge sends and receives through
	// the output and input hooks and is not affected [verify] whether
	// RouterOS also keeps an untrusted port's server messages from the
	// router's own DHCP client on the bridge. meta l4proto, not ip
	// protocol: on a vlan-filtering bridge a frame carries its VLAN tag
	// beside the payload, and ip protocol's ether type dependency would
	// read the tag's type.
	if groups := dhcpSnoopGroups(st); len(groups) > 0 {
		b.WriteString("\tchain dhcpsnoop {\n\t\ttype filter hook forward priority -300; policy accept;\n")
		for _, g := range groups {
			set, err := ifnameSet(g.untrusted)
			if err != nil {
				return "", err
			}
			fmt.Fprintf(&b, "\t\tiifname %s meta l4proto udp th sport 67 th dport 68 counter drop comment %s\n", set,
				quoteText(fmt.Sprintf("bridge %s dhcp-snooping: server message from an untrusted port", g.bridge), maxComment))
			fmt.Fprintf(&b, "\t\toifname %s meta l4proto udp th sport 68 th dport 67 counter drop comment %s\n", set,
				quoteText(fmt.Sprintf("bridge %s dhcp-snooping: client message to an untrusted port", g.bridge), maxComment))
		}
		b.WriteString("\t}\n")
	}
	// frame-types=admit-only-untagged-and-priority-tagged: a frame that
	// enters such a port with a VLAN tag other than 0 (priority-tagged
	// frames, VID 0, are admitted and take the pvid) is dropped before
	// the bridge looks at it, ahead of bridge nat's dstnat (-300).
	if ports := untaggedOnlyPorts(st); len(ports) > 0 {
		var names []string
		for _, p := range ports {
			q, err := quoteIfname(p)
			if err != nil {
				return "", err
			}
			names = append(names, q)
		}
		b.WriteString("\tchain frametypes {\n\t\ttype filter hook prerouting priority -350; policy accept;\n")
		fmt.Fprintf(&b, "\t\tiifname { %s } vlan id != 0 drop comment %s\n", strings.Join(names, ", "),
			quoteText("frame-types=admit-only-untagged-and-priority-tagged", maxComment))
		b.WriteString("\t}\n")
	}
	idx, err := bridgePortIndex(st)
	if err != nil {
		return "", err
	}
	if err := renderPortMarks(&b, idx); err != nil {
		return "", err
	}
	if err := renderIfLists(&b, bridgeIfLists(st)); err != nil {
		return "", err
	}
	ports := map[string][]string{}
	for _, br := range st.Bridges {
		ports[br.Name] = []string{}
		for _, p := range br.Ports {
			ports[br.Name] = append(ports[br.Name], p.Interface)
		}
	}
	for _, tbl := range []struct {
		name  string
		rules []Rule
	}{{"filter", st.BridgeFilter}, {"nat", st.BridgeNAT}} {
		if err := renderBridgeRules(&b, tbl.name, tbl.rules, ports); err != nil {
			return "", err
		}
	}
	renderPortTree(&b, st)
	b.WriteString("}\n")
	return b.String(), nil
}

// ifnameSet writes ports as an anonymous nft set of interface names.
func ifnameSet(ports []string) (string, error) {
	names := make([]string, 0, len(ports))
	for _, p := range ports {
		q, err := quoteIfname(p)
		if err != nil {
			return "", err
		}
		names = append(names, q)
	}
	return "{ " + strings.Join(names, ", ") + " }", nil
}

// bridgeIfLists are the interface lists the enabled bridge filter and nat
// rules name in in-interface-list or out-interface-list, with their
// members (a list the state lacks is empty).
func bridgeIfLists(st *State) map[string][]string {
	out := map[string][]string{}
	for _, rules := range [][]Rule{st.BridgeFilter, st.BridgeNAT} {
		for _, r := range rules {
			if r.Props["disabled"] == "yes" {
				continue
			}
			for _, k := range []string{"in-interface-list", "out-interface-list"} {
				if _, l := negated(r.Props[k]); l != "" {
					out[l] = st.InterfaceLists[l]
				}
			}
		}
	}
	return out
}

// renderBridgeRules writes the chains of bridge table tbl (filter or nat).
func renderBridgeRules(b *strings.Builder, tbl string, rules []Rule, ports map[string][]string) error {
	lines := map[string][]string{}
	var user []string
	jumped := map[string]bool{}
	builtin := func(c string) bool { _, _, ok := bridgeBuiltin(tbl, c); return ok }
	for _, r := range rules {
		if r.Props["disabled"] == "yes" {
			continue
		}
		line, bad, err := renderBridgeRule(tbl, r.ID, r.Props, ports)
		if bad != "" || err == errNeverMatches {
			continue // stored (the configuration layer reports it), or matches nothing
		}
		if err != nil {
			return fmt.Errorf("render bridge %s rule %s: %w", tbl, r.ID, err)
		}
		c := r.Props["chain"]
		if _, ok := lines[c]; !ok && !builtin(c) {
			user = append(user, c)
		}
		lines[c] = append(lines[c], line)
		if r.Props["action"] == "jump" {
			jumped[r.Props["jump-target"]] = true
		}
	}
	// A jump to a chain without (enabled) rules returns at once.
	var extra []string
	for c := range jumped {
		if _, ok := lines[c]; !ok && !builtin(c) {
			extra = append(extra, c)
		}
	}
	sort.Strings(extra)
	user = append(user, extra...)
	var chains []string
	for _, c := range bridgeBuiltins[tbl] {
		chains = append(chains, c.name)
	}
	for _, c := range append(chains, user...) {
		hook, prio, isBuiltin := bridgeBuiltin(tbl, c)
		if isBuiltin && len(lines[c]) == 0 {
			continue
		}
		id, err := bridgeChainIdent(tbl, c)
		if err != nil {
			return err
		}
		fmt.Fprintf(b, "\n\t# RouterOS /interface bridge %s chain=%s\n\tchain %s {\n", tbl, c, id)
		if isBuiltin {
			fmt.Fprintf(b, "\t\ttype filter hook %s priority %s; policy accept;\n", hook, prio)
		}
		for _, l := range lines[c] {
			b.WriteString("\t\t" + l + "\n")
		}
		b.WriteString("\t}\n")
	}
	return nil
}
