package config

import (
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/script"
)

func (t *tx) ifaceExists(name string) bool {
	if it, _ := t.iface(name); it != nil {
		return true
	}
	if name == loopbackIface {
		return !t.v6()
	}
	// A virtual router rosemu runs is not stored, but is an interface.
	return isStoredInterface(t.m, name) || t.findByName(vrrpTable, name) != nil
}

func (t *tx) findByName(table, name string) *item {
	for _, it := range t.m.tables[table] {
		if it.props["name"] == name {
			return it
		}
	}
	return nil
}

// listUser names what refers to an interface list, "" when nothing does.
func (t *tx) listUser(name string) string {
	if user := t.listRefUser(name); user != "" {
		return user
	}
	for _, it := range t.m.tables["interface list member"] {
		if it.props["list"] == name {
			return "interface list member " + it.ID()
		}
	}
	for _, it := range t.m.tables["interface bridge port"] {
		if it.props["interface"] == name && !t.ifaceExists(name) {
			return "interface bridge port " + it.ID()
		}
	}
	for _, tbl := range []string{"ip firewall filter", "ip firewall nat", "ip firewall mangle", "ip firewall raw"} {
		for _, it := range t.m.tables[tbl] {
			for _, p := range []string{"in-interface-list", "out-interface-list"} {
				if strings.TrimPrefix(it.props[p], "!") == name {
					return tbl + " rule " + it.ID()
				}
			}
		}
	}
	return ""
}

func checkListName(t *tx, it *item) error {
	for _, x := range t.m.tables["interface list"] {
		if x.id != it.id && x.props["name"] == it.props["name"] {
			return &Error{Msg: "failure: list with such name already exists", Category: 4, arg: "name"}
		}
	}
	return nil
}

// pMemberList requires a user interface list; the built-in lists are
// computed and take no members.
func pMemberList(t *tx, name, v string) (string, error) {
	l := t.findByName("interface list", v)
	if l == nil || l.builtin {
		return "", errNoMatch(name)
	}
	return v, nil
}

func checkMember(t *tx, it *item) error {
	for _, x := range t.m.tables["interface list member"] {
		if x.id != it.id && x.props["list"] == it.props["list"] && x.props["interface"] == it.props["interface"] {
			return errFailure("interface", "already have such entry")
		}
	}
	return nil
}

func checkAddress(t *tx, it *item) error {
	if it.props["network"] == "" {
		p, err := netip.ParsePrefix(it.props["address"])
		if err != nil {
			return errInvalid("address")
		}
		it.props["network"] = p.Masked().Addr().String()
	}
	return nil
}

// checkNATRule refuses, at the property's column and in RouterOS's style,
// the NAT rules the dataplane cannot apply; before, they were refused when
// the rule was turned into nft, with rosemu's internal wording at column 1
// (forum29 D3), or, in a user chain, not at all, so that nft refused the
// lab router's whole table (D5). A rule in a user chain acts on the hook of
// every built-in chain that jumps to it (kernel.NATReach), so a jump is
// checked against the translations of the chains it reaches. Kept apart
// from checkRule, whose matcher checks are the filter's.
func checkNATRule(t *tx, it *item) error {
	if it.props["disabled"] == "yes" {
		return nil // the dataplane leaves disabled rules out
	}
	act := it.props["action"]
	translates := kernel.NATActionChains(act) != nil
	if translates && it.props["to-ports"] != "" && !portProtocols[it.props["protocol"]] {
		return errFailure("to-ports", "to-ports can be used only with protocol tcp, udp, udp-lite, sctp or dccp")
	}
	if a := it.props["to-addresses"]; act == "same" && (a == "" || a == "0.0.0.0") {
		// same keeps a client on one address of to-addresses; without
		// them it has no range to keep it on. It was refused when the
		// rule was turned into nft, at column 1 with the renderer's
		// wording (forum38 D4). [verify] RouterOS's wording.
		return errFailure("action", "action=same needs to-addresses")
	}
	if a := it.props["to-addresses"]; act == "netmap" && (a == "" || a == "0.0.0.0") {
		// netmap maps the matched addresses 1:1 onto to-addresses; without
		// them there is nothing to map onto, and the apply failed in the
		// renderer's words at column 1. Worded as action=same's refusal;
		// [verify] RouterOS's wording.
		return errFailure("action", "action=netmap needs to-addresses")
	}
	var rules []kernel.Rule
	found := false
	for _, x := range t.m.tables["ip firewall nat"] {
		if x.id == it.id {
			x, found = it, true
		}
		rules = append(rules, kernel.Rule{ID: x.ID(), Props: x.props})
	}
	if !found {
		rules = append(rules, kernel.Rule{ID: it.ID(), Props: it.props})
	}
	reach := kernel.NATReach(rules)
	if translates {
		if err := natChainError(it.props, reach, "action"); err != nil {
			return err // not the typed nil of a *Error
		}
		return nil
	}
	if act == "jump" {
		// The jump may bring a translation to a hook it is invalid on.
		for _, r := range rules {
			if r.Props["disabled"] == "yes" || kernel.NATActionChains(r.Props["action"]) == nil {
				continue
			}
			if err := natChainError(r.Props, reach, ""); err != nil {
				return errFailure("jump-target", "chain "+r.Props["chain"]+" would be reached from "+
					strings.Join(reach[r.Props["chain"]], " and ")+": its rule "+r.ID+": "+strings.TrimPrefix(err.Msg, "failure: "))
			}
		}
	}
	return nil
}

// natChainError checks a translation's chain: a built-in chain must be one
// the action is valid in (the NAT manual: src-nat and masquerade in srcnat,
// dst-nat and redirect in dstnat), a user chain must be reached only from
// such chains; netmap and same take their direction from the chain, so a
// user chain of theirs must be reached from one direction only.
func natChainError(props map[string]string, reach map[string][]string, arg string) *Error {
	act, chain := props["action"], props["chain"]
	allowed := kernel.NATActionChains(act)
	from, user := []string{chain}, false
	if !slices.Contains([]string{"srcnat", "dstnat", "input", "output"}, chain) {
		from, user = reach[chain], true
	}
	var names []string
	for _, c := range allowed {
		names = append(names, "chain="+c)
	}
	for _, c := range from {
		if !slices.Contains(allowed, c) {
			msg := "action=" + act + " can be used only in " + strings.Join(names, " or ")
			if user {
				msg += ", and chain " + chain + " is reached from chain=" + c
			}
			return errFailure(arg, msg)
		}
	}
	if (act == "netmap" || act == "same") && user && slices.Contains(from, "srcnat") && slices.Contains(from, "dstnat") {
		return errFailure(arg, "action="+act+" in chain "+chain+", reached from both chain=srcnat and chain=dstnat: rosemu maps one direction per chain")
	}
	return nil
}

// addressNetmask is the netmask of an address written address/bits, as
// get gives it: the manual lists netmask beside network among /ip
// address's properties (Manual:IP/Address, https://wiki.mikrotik.com/wiki/Manual:IP/Address),
// and a public hairpin-NAT generator compares "($a->"netmask") <
// 255.255.255.252" and writes network/netmask into its rules.
// [verify] that RouterOS 7 still gives it.
func addressNetmask(address string) string {
	p, err := netip.ParsePrefix(address)
	if err != nil || !p.Addr().Is4() {
		return ""
	}
	m := uint32(0xffffffff) << (32 - p.Bits()) // 0 for /0: Go shifts all bits out
	return netip.AddrFrom4([4]byte{byte(m >> 24), byte(m >> 16), byte(m >> 8), byte(m)}).String()
}

func checkAddressList(t *tx, it *item) error {
	if t.addrDuplicate(it) != nil {
		return errFailure("address", "already have such entry")
	}
	return checkDynamicEntry(t, it)
}

// checkDynamicEntry makes an address-list entry with a timeout or
// dynamic=yes (7.x) dynamic: kept in RAM and never exported (Address-lists
// page: "If a timeout is specified, the address will be stored on the RAM
// and will be removed after a system's reboot"). A timeout sets when it
// expires.
func checkDynamicEntry(t *tx, it *item) error {
	it.dynamic = it.props["timeout"] != "" || it.props["dynamic"] == "yes"
	if to := it.props["timeout"]; to != "" {
		d, _ := script.ParseTime(to)
		it.expires = t.now.Add(d)
	} else {
		it.expires = time.Time{}
	}
	return nil
}

var portProtocols = map[string]bool{"tcp": true, "udp": true, "udp-lite": true, "sctp": true, "dccp": true}

func checkRule(t *tx, it *item) error { return checkRuleOf(t, it, "icmp") }

// checkRuleOf refuses a rule whose matchers need a protocol the rule does
// not name (icmp is the family's ICMP: icmp, or icmpv6 for /ipv6). RouterOS
// judges each rule alone: a jump from a rule with protocol=icmp does not
// give the rules of the target chain the protocol, and the manual's ICMP
// chains write protocol=icmp on every rule (Building Advanced Firewall,
// https://help.mikrotik.com/docs/display/ROS/Building+Advanced+Firewall).
// tcp-flags, tcp-mss, icmp-options, reject-with=tcp-reset and a dst-limit
// mode keyed on a port are worded as RouterOS words dst-port's refusal;
// whether RouterOS refuses them at all is [verify], but rosemu cannot
// render them, and they were refused when the rules were rendered, with
// rosemu's words at column 1 (forum27 D2).
func checkRuleOf(t *tx, it *item, icmp string) error {
	proto := it.props["protocol"]
	for _, p := range []string{"src-port", "dst-port", "port"} {
		if it.props[p] != "" && !portProtocols[proto] {
			return errFailure(p, p+" can be used only with protocol tcp, udp, udp-lite, sctp or dccp")
		}
	}
	for _, p := range []string{"tcp-flags", "tcp-mss"} {
		if it.props[p] != "" && proto != "tcp" {
			return errFailure(p, p+" can be used only with protocol tcp")
		}
	}
	if it.props["icmp-options"] != "" && proto != icmp {
		return errFailure("icmp-options", "icmp-options can be used only with protocol "+icmp)
	}
	// IPv6 rules with dst-limit are stored, not rendered (kernel.Unsupported6).
	if v := it.props["dst-limit"]; v != "" && icmp == "icmp" {
		if mode, ports := kernel.DstLimitNeedsPorts(v); ports && !portProtocols[proto] {
			return errFailure("dst-limit", "dst-limit mode "+mode+" can be used only with protocol tcp, udp, udp-lite, sctp or dccp")
		}
	}
	if it.props["action"] == "jump" && it.props["jump-target"] == "" {
		return errFailure("jump-target", "jump-target must be specified for action=jump")
	}
	if it.props["jump-target"] != "" && it.props["action"] != "jump" {
		return errFailure("jump-target", "jump-target can be used only with action=jump")
	}
	if it.props["reject-with"] != "" && it.props["action"] != "reject" {
		return errFailure("reject-with", "reject-with can be used only with action=reject")
	}
	if it.props["reject-with"] == "tcp-reset" && proto != "tcp" {
		return errFailure("reject-with", "reject-with=tcp-reset can be used only with protocol tcp")
	}
	return nil
}
