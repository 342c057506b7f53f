package config

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/version"
)

// addrListActions are the actions every firewall table has that put the
// packet's source or destination into an address list.
var addrListActions = []string{"add-src-to-address-list", "add-dst-to-address-list"}

// Actions per table as RouterOS v7 lists them. The renderer models most of
// them and approximates a few (approximatedActions: tarpit as drop,
// set-priority and the like as counting rules), each reported; the rest
// (route, same) are accepted here, as RouterOS accepts them, and refused
// when the configuration is applied, with the reason.
var (
	filterActions = append([]string{"accept", "drop", "reject", "jump", "return", "passthrough", "log", "fasttrack-connection", "tarpit"}, addrListActions...)
	natActions    = append([]string{"accept", "dst-nat", "src-nat", "masquerade", "redirect", "netmap", "same", "jump", "return", "passthrough", "log", "endpoint-independent-nat"}, addrListActions...)
	mangleActions = append([]string{"accept", "passthrough", "jump", "return", "log",
		"mark-connection", "mark-packet", "mark-routing", "change-mss", "change-ttl", "change-dscp",
		"clear-df", "fasttrack-connection", "route", "set-priority", "sniff-pc", "sniff-tzsp", "strip-ipv4-options"}, addrListActions...)
	rawActions = append([]string{"accept", "drop", "jump", "return", "passthrough", "log", "notrack"}, addrListActions...)
)

var (
	mangleMenu = firewallMenu("ip firewall mangle", mangleActions...)
	rawMenu    = firewallMenu("ip firewall raw", rawActions...)
)

// rawConntrackMatchers are the matchers /ip firewall raw (and /ipv6
// firewall raw) does not have: raw runs before connection tracking. RAW
// page of the manual (https://help.mikrotik.com/docs/display/ROS/RAW):
// "The RAW table does not have matchers that depend on connection tracking
// (like connection-state, layer7, etc.)". Without them in the menu a raw
// rule naming one is refused at the argument as any unknown parameter; the
// kernel's renderer keeps its own check (kernel.mangleMatches) for states
// built otherwise.
var rawConntrackMatchers = []string{"connection-state", "connection-nat-state", "connection-mark", "connection-bytes",
	"connection-limit", "connection-rate", "connection-type", "layer7-protocol"}

// withoutConntrack takes the rawConntrackMatchers out of a raw menu.
func withoutConntrack(m *menu) *menu {
	m.props = slices.DeleteFunc(slices.Clone(m.props), func(p *prop) bool { return slices.Contains(rawConntrackMatchers, p.name) })
	return m
}

func init() {
	withoutConntrack(rawMenu)
	// Set here, not in firewallMenu: the commands refer back to menus.
	for _, p := range []string{"ip firewall filter", "ip firewall nat", "ip firewall mangle", "ip firewall raw"} {
		menuByPath(p).commands = counterCommands()
	}
	// endpoint-independent-nat's port choice, before comment and disabled.
	nat := menuByPath("ip firewall nat")
	// A netmap of a prefix with to-ports is rendered as a map of its host
	// bits (kernel.netmapPortMap, forum53 D1); nft's prefix mapping takes
	// no port, so a range that is no prefix, or a prefix larger than a
	// /20, still maps the addresses only (forum29 D3): stored, reported.
	for _, p := range nat.props {
		// endpoint-independent-nat is a RouterOS 7 action (the v6
		// wiki's Manual:IP/Firewall/NAT lists none such).
		if p.name == "action" {
			p.parse = pV7Values(p.parse, "endpoint-independent-nat")
		}
		if p.name == "to-ports" {
			p.notEnforced = "rosemu maps a netmap range that is no prefix, or a prefix larger than a /20, without to-ports: the destination port is kept"
			p.inert = func(props map[string]string) bool { return !kernel.NetmapPortsIgnored(props) }
		}
	}
	nat.check = func(t *tx, it *item) error {
		if err := checkFirewall(t, it); err != nil {
			return err
		}
		return checkNATRule(t, it)
	}
	k := len(nat.props) - 2
	nat.props = append(append(append([]*prop{}, nat.props[:k]...),
		&prop{name: "randomise-ports", parse: pBool, def: "no", isBool: true}), nat.props[k:]...)
	// Mangle's own action parameters, before comment and disabled.
	extra := []*prop{
		{name: "new-connection-mark", parse: pMarkName},
		{name: "new-packet-mark", parse: pMarkName},
		{name: "new-routing-mark", parse: pRoutingTable},
		{name: "new-mss", parse: pNewMSS},
		{name: "new-ttl", parse: pNewTTL},
		{name: "new-dscp", parse: pInt(0, 63)},
		{name: "new-priority", parse: pString},
		// route-dst is action=route's gateway (reported with the action);
		// on another action the Manual lists no use for it, and rosemu
		// matches nothing by it [verify whether RouterOS 6 does].
		{name: "route-dst", parse: pIP, notEnforced: routeDstReason,
			inert: func(p map[string]string) bool { return p["action"] == "route" }},
		{name: "sniff-target", parse: pIP},
		{name: "sniff-target-port", parse: pInt(0, 65535)},
		{name: "sniff-id", parse: pInt(0, 255)},
		{name: "passthrough", parse: pBool, def: "yes", isBool: true, show: true},
	}
	n := len(mangleMenu.props) - 2 // comment, disabled stay last
	mangleMenu.props = append(append(append([]*prop{}, mangleMenu.props[:n]...), extra...), mangleMenu.props[n:]...)
}

// unmatchableReason says why a rule with a matcher nftables cannot express
// is stored but never matches (kernel.NeverMatches): without the matcher
// it would match far more than RouterOS's rule.
// connectionTypes are the values of connection-type, the connection
// helpers of the Filter page ("connection-type (ftp | h323 | irc | pptp |
// quake3 | sip | tftp)", https://help.mikrotik.com/docs/display/ROS/Filter);
// anything else is refused as RouterOS refuses a bad value.
var connectionTypes = []string{"ftp", "h323", "irc", "pptp", "quake3", "sip", "tftp"}

// connectionTypeReason is why connection-type=quake3 is stored only.
// RouterOS's matcher is Linux's xt_helper: it matches the related
// connections whose master has that helper (an FTP data connection, not
// the control connection). rosemu models it (kernel's connTypeMatch): the
// rule that gives a connection its service port's helper records the
// service port in the ct mark, which the related connection inherits.
// quake3 has no service port in RouterOS and no helper in Linux, so no
// connection is ever related through it: the rule never matches, as
// rosemu renders it, and its negation always holds.
var connectionTypeReason = unmatchableReason("a quake3 connection-type: RouterOS has no quake3 service port and Linux no quake3 connection-tracking helper, so no connection is related through one")

// connectionTypeModelled says which connection-type values rosemu
// enforces: every helper with a service port, and !quake3 (always true).
func connectionTypeModelled(p map[string]string) bool {
	return p["connection-type"] != "quake3"
}

func unmatchableReason(what string) string {
	return "rosemu cannot match " + what + ": the rule is stored and never matches"
}

// approximatedActions say how rosemu renders the actions it approximates
// (kernel's approximatedActions); NotEnforced and validate report them.
var approximatedActions = map[string]string{
	"endpoint-independent-nat": einReason,
	"tarpit":                   "rosemu drops the packet: tarpit's SYN-ACK that holds the connection open is not sent",
	"set-priority":             "the packet priority feeds queues and WMM, which rosemu does not model: the rule only counts",
	"clear-df":                 "rosemu does not clear the DF flag: the rule only counts",
	"strip-ipv4-options":       "rosemu does not strip IPv4 options: the rule only counts",
	"sniff-tzsp":               "rosemu sends no copies to a TZSP receiver: the rule only counts",
	"sniff-pc":                 "rosemu sends no copies to a sniffer: the rule only counts",
	"route":                    "rosemu does not force the gateway (route-dst): the rule only counts and the packet is routed by its table",
}

// routeDstReason says why route-dst on a rule whose action is not route
// is stored: rosemu renders the rule without it.
const routeDstReason = "route-dst is action=route's gateway: on this action rosemu ignores it, and the rule matches as it would without it"

// einReason says what of an endpoint-independent-nat rule rosemu does not
// enforce: in srcnat the source is mapped as masquerade maps it, but no
// rule lets other remote endpoints reach the mapping.
const einReason = "rosemu maps the source as masquerade does; endpoint-independent filtering is not modelled: only the contacted endpoint's replies come back, and the dstnat rule only counts"

// actionUse counts, per firewall table and action, the rules whose action
// rosemu approximates, for NotEnforced.
func actionUse(m *model) []NotEnforcedItem {
	var out []NotEnforcedItem
	for _, tbl := range []string{"ip firewall filter", "ip firewall nat", "ip firewall mangle", "ip firewall raw"} {
		counts := map[string]int{}
		for _, it := range m.tables[tbl] {
			if _, ok := approximatedActions[it.props["action"]]; ok && !it.dynamic {
				counts[it.props["action"]]++
			}
		}
		acts := make([]string, 0, len(counts))
		for a := range counts {
			acts = append(acts, a)
		}
		sort.Strings(acts)
		for _, a := range acts {
			out = append(out, NotEnforcedItem{Path: "/" + tbl, Property: "action", Reason: "action=" + a + ": " + approximatedActions[a], Count: counts[a]})
		}
	}
	return out
}

// layer7RuleReason says why a rule with a layer7-protocol matcher is
// stored but never matches: nftables has no payload regular expressions,
// and a rule without the matcher would match far more than RouterOS's does
// (a drop of one site's traffic would drop everything).
const layer7RuleReason = "rosemu cannot match a layer-7 pattern: the rule is stored and never matches"

// extraMatcherProps are the matchers and parameters the firewall tables
// share beyond the basic ones: marks, the classifier, header fields, rates.
// Values are checked for shape here, the combinations (tcp-flags needs
// protocol=tcp) by checkRule; the renderer refuses what rosemu does not
// model.
func extraMatcherProps() []*prop {
	return []*prop{
		{name: "connection-mark", parse: pNeg(pMarkName)},
		{name: "packet-mark", parse: pNeg(pMarkName)},
		{name: "routing-mark", parse: pNeg(pRoutingTable)},
		{name: "per-connection-classifier", parse: pNeg(pPCC)},
		{name: "tcp-flags", parse: pTCPFlags},
		{name: "tcp-mss", parse: pNeg(pRange(0, 65535))},
		{name: "packet-size", parse: pNeg(pRange(0, 65535))},
		{name: "icmp-options", parse: pICMPOptions},
		{name: "ttl", parse: pTTL},
		{name: "dscp", parse: pNeg(pRange(0, 63))},
		// The manual gives 0..63, but a 7.16 export writes
		// "add action=masquerade chain=srcnat ... priority=100": the
		// router took it. [verify] the real bound.
		{name: "priority", parse: pNeg(pRange(0, 1<<32-1)), notEnforced: unmatchableReason("the packet priority")},
		// The priority a packet came in with (VLAN, WMM, DSCP or MPLS EXP;
		// Filter page of the manual); 7.19 verbose exports write
		// "!ingress-priority".
		{name: "ingress-priority", parse: pNeg(pRange(0, 63)), notEnforced: unmatchableReason("the ingress priority")},
		{name: "fragment", parse: pBool, isBool: true},
		{name: "random", parse: pInt(1, 99)},
		{name: "nth", parse: pNth},
		{name: "limit", parse: pLimit},
		{name: "dst-limit", parse: pDstLimit},
		{name: "connection-bytes", parse: pConnBytes},
		{name: "connection-limit", parse: pConnLimit},
		// Measured once a second by rosemu's sampler, as RouterOS
		// recalculates it (kernel connrate.go).
		{name: "connection-rate", parse: pConnRate},
		{name: "connection-type", parse: pNeg(pEnum(connectionTypes...)), notEnforced: connectionTypeReason, inert: connectionTypeModelled},
		{name: "src-mac-address", parse: pNeg(pMAC)},
		// Enforced with use-ip-firewall=yes (kernel/bridgeport.go); without
		// it no bridged packet reaches the IP firewall and they match
		// nothing, as the Filter page of the manual says.
		{name: "in-bridge-port", parse: pNeg(pString)},
		{name: "out-bridge-port", parse: pNeg(pString)},
		{name: "in-bridge-port-list", parse: pNeg(pString)},
		{name: "out-bridge-port-list", parse: pNeg(pString)},
		{name: "content", parse: pString, notEnforced: unmatchableReason("a payload string")},
		{name: "layer7-protocol", parse: pNeg(pString), notEnforced: layer7RuleReason},
		{name: "hotspot", parse: pNeg(pString), notEnforced: unmatchableReason("a hotspot client's state") + " (rosemu renders from-client, to-client, auth and local-dst while one hotspot server runs)", inertIn: hotspotMatcherRendered},
		{name: "psd", parse: pString, notEnforced: unmatchableReason("port-scan detection")},
		// nft cannot read the timestamp option: timestamp never
		// matches, no-timestamp matches packets without options
		// (kernel's ipv4Options).
		{name: "ipv4-options", parse: pEnum("any", "loose-source-routing", "no-record-route", "no-router-alert", "no-source-routing", "no-timestamp", "none", "record-route", "router-alert", "strict-source-routing", "timestamp"),
			notEnforced: "rosemu cannot read the IPv4 timestamp option: a timestamp rule is stored and never matches, and no-timestamp matches only packets without IP options",
			inert: func(p map[string]string) bool {
				return p["ipv4-options"] != "timestamp" && p["ipv4-options"] != "no-timestamp"
			}},
		{name: "tls-host", parse: pString, notEnforced: unmatchableReason("a TLS server name")},
		// The IPv4 ToS byte, which a 7.24.4 verbose export unsets on
		// every rule ("... !tls-host !tos !ttl"); it was refused as
		// "expected end of command". rosemu does not match it: a rule
		// with it is stored and never matches, as with tls-host.
		// [verify] the first 7.x and the value syntax against the
		// Firewall Filter page of the manual.
		onlyV7(&prop{name: "tos", parse: pString, notEnforced: unmatchableReason("the IPv4 ToS byte")}),
		// RouterOS 6's peer-to-peer classifier (Filter page of the v6
		// manual: p2p=all-p2p|bit-torrent|...); 7.1 removed it.
		onlyV6(&prop{name: "p2p", parse: pNeg(pEnum("all-p2p", "bit-torrent", "blubster", "direct-connect", "edonkey", "fasttrack", "gnutella", "soulseek", "warez", "winmx")), notEnforced: unmatchableReason("a peer-to-peer protocol")}),
		// RouterOS 6's matcher of the routing table a packet's
		// destination is looked up in: a 6.49.7 hAP lite verbose export
		// unsets it on every rule ("... !routing-mark !routing-table
		// src-address=..."); it was "expected end of command". rosemu
		// does not match it: a rule that sets it is stored and never
		// matches. [verify] its meaning against the v6 Filter page.
		onlyV6(&prop{name: "routing-table", parse: pNeg(pRoutingTable), notEnforced: unmatchableReason("the routing table a packet's destination is looked up in")}),
		{name: "time", parse: pTimeWindow},
		{name: "address-list", parse: pListName},
		// none-static makes RouterOS add a static entry, kept in the
		// configuration (exported, and over a reboot); rosemu's kernel
		// adds it to the list's dynamic set like none-dynamic, so it
		// lives until the next restart and is never exported.
		{name: "address-list-timeout", parse: pListTimeout,
			notEnforced: "rosemu adds the entry as a dynamic one without timeout (as none-dynamic): it is not exported and does not outlive a restart, as RouterOS's static entry would",
			inert:       func(props map[string]string) bool { return props["address-list-timeout"] != "none-static" }},
	}
}

// pListName is an address list's name: RouterOS takes spaces and quotes
// ("Port Scanner Block List", "Trysted IP's" in a 7.16 export), not
// commas.
func pListName(_ *tx, name, v string) (string, error) {
	if v == "" || strings.ContainsAny(v, ",\t\n") {
		return "", errInvalid(name)
	}
	return v, nil
}

// pMatchListName is the list a rule's src-address-list or dst-address-list
// matches. Unlike an entry's list=, it takes commas: RouterOS 7.14.3
// exported "src-address-list=connection2,!secured", a rule of the
// Bruteforce prevention page
// (https://help.mikrotik.com/docs/display/ROS/Bruteforce+prevention) that
// its later version writes as "src-address-list=connection2". rosemu
// reads the value as one list's name, commas and all, as a property of a
// single name would be: no entry can be in such a list (list= takes no
// comma), so the rule never matches. It was refused as an invalid value.
// [verify] on a CHR that the rule never matches.
func pMatchListName(_ *tx, name, v string) (string, error) {
	if v == "" || strings.ContainsAny(v, "\t\n") {
		return "", errInvalid(name)
	}
	return v, nil
}

// pMarkName is a mark name; no-mark stands for "no mark".
func pMarkName(_ *tx, name, v string) (string, error) {
	if v == "" || strings.ContainsAny(v, ",\t") {
		return "", errInvalid(name)
	}
	return v, nil
}

// pRoutingTable names a routing table: main, or (v7) one of /routing
// table. RouterOS 6 has no /routing table: a new routing mark makes a table.
func pRoutingTable(t *tx, name, v string) (string, error) {
	// RouterOS 6 takes a mark with blanks: a 6.49.6 RB1100's export has
	// routing-mark="KE ISP 1" on its routes and table="KE ISP 1" in its
	// route rules. [verify] whether 7's table names take blanks.
	blank := " "
	if t.v6() {
		blank = ""
	}
	if v == "" || strings.ContainsAny(v, ",\t"+blank) {
		return "", errInvalid(name)
	}
	// A VRF (RouterOS 7) is a routing table of its name too: routes and
	// mangle rules name it (routing-table=vrf-mgmt, gateway=X@vrf-mgmt).
	if v == "main" || t.v6() || t.findByName("routing table", v) != nil || t.findByName("ip vrf", v) != nil {
		return v, nil
	}
	return "", errNoMatch(name)
}

// v6 reports whether the router emulates RouterOS 6.
func (t *tx) v6() bool { return t.r.v6() }

// v6 reports whether the router emulates RouterOS 6.
func (r *Router) v6() bool { return version.Is6(r.opts.Version) }

var pccKinds = map[string]bool{
	"both-addresses": true, "both-addresses-and-ports": true, "both-ports": true,
	"src-address": true, "dst-address": true, "src-port": true, "dst-port": true,
	"src-address-and-port": true, "dst-address-and-port": true,
}

// pPCC is per-connection-classifier=<fields>:N/M, the denominator N
// 1..4294967295 and the remainder M 0..4294967295, each on its own: the
// Mangle page (https://help.mikrotik.com/docs/display/ROS/Mangle) gives the
// two ranges and no rule between them, and a 7.1.1 export carries
// "both-addresses-and-ports:2/2", which its router held. A remainder of N
// or more is no class of N: the rule never matches (negated, always).
func pPCC(_ *tx, name, v string) (string, error) {
	kind, frac, ok := strings.Cut(v, ":")
	a, b, ok2 := strings.Cut(frac, "/")
	n, err1 := strconv.ParseUint(a, 10, 32)
	m, err2 := strconv.ParseUint(b, 10, 32)
	if !ok || !ok2 || !pccKinds[kind] || err1 != nil || err2 != nil || n < 1 {
		return "", errInvalid(name)
	}
	return kind + ":" + strconv.FormatUint(n, 10) + "/" + strconv.FormatUint(m, 10), nil
}

var tcpFlags = map[string]bool{"fin": true, "syn": true, "rst": true, "psh": true, "ack": true, "urg": true, "ece": true, "cwr": true}

// pTCPFlags is a comma list of flags, each optionally negated.
func pTCPFlags(_ *tx, name, v string) (string, error) {
	for _, f := range strings.Split(v, ",") {
		if !tcpFlags[strings.TrimPrefix(f, "!")] {
			return "", errInvalid(name)
		}
	}
	return v, nil
}

// pRange is a number or an ascending range min..max.
func pRange(min, max int) parser {
	return func(_ *tx, name, v string) (string, error) {
		a, b, isRange := strings.Cut(v, "-")
		x, err1 := strconv.Atoi(a)
		y := x
		var err2 error
		if isRange {
			y, err2 = strconv.Atoi(b)
		}
		if err1 != nil || err2 != nil || x < min || y > max || y < x {
			return "", errInvalid(name)
		}
		return v, nil
	}
}

// pNewMSS is a number or clamp-to-pmtu.
func pNewMSS(t *tx, name, v string) (string, error) {
	if v == "clamp-to-pmtu" {
		return v, nil
	}
	return pInt(0, 65535)(t, name, v)
}

// pNewTTL is set:N, increment:N or decrement:N.
func pNewTTL(_ *tx, name, v string) (string, error) {
	kind, n, ok := strings.Cut(v, ":")
	x, err := strconv.Atoi(n)
	if !ok || err != nil || x < 0 || x > 255 || (kind != "set" && kind != "increment" && kind != "decrement") {
		return "", errInvalid(name)
	}
	return v, nil
}

// pListTimeout is none-dynamic, none-static or a duration (v6 wrote
// 00:00:00 for "no timeout").
func pListTimeout(t *tx, name, v string) (string, error) {
	switch v {
	case "none-dynamic", "none-static":
		return v, nil
	}
	return pTimeout(t, name, v)
}

// checkMangle adds mangle's own rules to checkRule's.
func checkFirewall(t *tx, it *item) error {
	if err := checkRule(t, it); err != nil {
		return err
	}
	act := it.props["action"]
	need := map[string]string{
		"mark-connection": "new-connection-mark", "mark-packet": "new-packet-mark",
		"mark-routing": "new-routing-mark", "change-mss": "new-mss", "change-ttl": "new-ttl",
		"change-dscp": "new-dscp", "add-src-to-address-list": "address-list", "add-dst-to-address-list": "address-list",
	}
	if p, ok := need[act]; ok && it.props[p] == "" {
		return errFailure(p, p+" must be specified for action="+act)
	}
	// change-mss rewrites the MSS option of TCP packets: without
	// protocol=tcp the renderer had no header to rewrite and the apply
	// failed at column 1 in rosemu's words. Worded as tcp-flags' refusal
	// (checkRuleOf); whether RouterOS refuses it at all is [verify].
	if act == "change-mss" && it.props["protocol"] != "tcp" {
		return errFailure("action", "action=change-mss can be used only with protocol tcp")
	}
	return nil
}

// hookNeverWhy says why a firewall rule of table (filter, nat, mangle,
// raw; v6 for /ipv6 firewall) the renderer leaves out by
// kernel.HookNeverMatches is stored: its matcher or target is one no
// packet on its built-in chain's hook has. Without the report the rule
// showed as valid with counters that never move (review43 finding 7).
// A rule of a user chain is reported when a jump brings to it packets of
// such a hook, and a jump that closes a loop (kernel.JumpNotes): both were
// refused by the kernel with the whole table.
func hookNeverWhy(m *model, table string, v6 bool) func(*item) string {
	var notes map[string]string
	var targets map[string]bool
	return func(it *item) string {
		if it.disabled() {
			return ""
		}
		hook := kernel.ChainHook(table, it.props["chain"], v6)
		if what := kernel.HookNeverMatches(hook, it.props); what != "" {
			return what + ": never matches on this chain's hook (" + hook + "): no packet there has it, and the kernel refuses it there: the rule is stored and never matches"
		}
		// JumpNotes reads the whole table; a rule of a built-in chain that
		// no jump enters, and that jumps nowhere, gets none of its notes.
		// Skipping it keeps loading an export linear in its rules (2,000
		// rules took 3 s of CPU, each line reading every rule).
		if hook != "" && it.props["action"] != "jump" {
			if targets == nil {
				targets = jumpTargets(m, table, v6)
			}
			if !targets[it.props["chain"]] {
				return ""
			}
		}
		if notes == nil {
			notes = kernel.JumpNotes(table, firewallRules(m, table, v6), v6)
		}
		return notes[it.ID()]
	}
}

// firewallPath is the menu of a firewall table: /ip firewall, or for v6
// /ipv6 firewall.
func firewallPath(table string, v6 bool) string {
	if v6 {
		return "ipv6 firewall " + table
	}
	return "ip firewall " + table
}

// jumpTargets are the chains the jumps of a firewall table name.
func jumpTargets(m *model, table string, v6 bool) map[string]bool {
	path := firewallPath(table, v6)
	out := map[string]bool{}
	for _, it := range m.tables[path] {
		if it.props["action"] == "jump" {
			out[it.props["jump-target"]] = true
		}
	}
	return out
}

// firewallRules are the rules of an /ip (or, v6, /ipv6) firewall table as
// the renderer sees them: an /ipv6 rule rosemu cannot render is left out.
func firewallRules(m *model, table string, v6 bool) []kernel.Rule {
	path := firewallPath(table, v6)
	var out []kernel.Rule
	for _, it := range m.tables[path] {
		props := map[string]string{}
		for k, v := range it.props {
			if k == "disabled" && v != "yes" {
				continue
			}
			props[k] = v
		}
		if v6 && kernel.Unsupported6(table, props) != "" {
			continue
		}
		out = append(out, kernel.Rule{ID: it.ID(), Props: props})
	}
	return out
}

// madeHookNeverStored says why the IPv4 firewall rule a command made (ids
// from, to) is stored by hookNeverWhy, "" when it is not.
func madeHookNeverStored(m *model, path string, from, to uint64) string {
	switch path {
	case "ip firewall filter", "ip firewall nat", "ip firewall mangle", "ip firewall raw":
		return madeStored(m, path, from, to, hookNeverWhy(m, strings.TrimPrefix(path, "ip firewall "), false))
	}
	return ""
}

// hookNeverUse counts, for NotEnforced, the IPv4 firewall rules
// hookNeverWhy says are stored.
func hookNeverUse(m *model) []NotEnforcedItem {
	var out []NotEnforcedItem
	for _, tbl := range []string{"filter", "nat", "mangle", "raw"} {
		out = append(out, storedUse(m, "ip firewall "+tbl, "", hookNeverWhy(m, tbl, false))...)
	}
	return out
}
