package kernel

import (
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"
)

// IPv6 is what rosemu enforces of the router's /ipv6 configuration: the
// addresses and static routes of the main table, and the filter, nat and
// raw rules of /ipv6 firewall with their address lists. The router's ports
// carry IPv6 only while a configuration has some (State.IPv6 non-nil), so
// that an IPv4 lab sends no neighbour discovery or MLD of its own.
type IPv6 struct {
	// LogGroup is State.LogGroup for the IPv6 firewall.
	LogGroup uint16
	// Forward is /ipv6 settings forward: the router routes IPv6 between
	// its interfaces.
	Forward bool
	// Addresses are the enabled /ipv6 address entries with an address.
	Addresses []Address
	// Routes are the enabled static routes of the main table; Gateway is
	// an address, address%interface, or an interface.
	Routes []Route
	// AddressLists maps a list name to its enabled entries.
	AddressLists map[string][]AddrEntry
	// LiveDynLists names the lists whose rule-added entries are live in
	// the loaded ip6 table (the IPv6 State.LiveDynLists); set by Apply.
	LiveDynLists map[string]bool
	// Filter, NAT and Raw are the rules of /ipv6 firewall filter, nat and
	// raw in list order, disabled rules included, without the rules the
	// configuration layer found unenforceable (Unsupported6): those never
	// match.
	Filter, NAT, Raw []Rule
}

// v6Matchers are the properties of an /ipv6 firewall rule that Render6
// turns into nftables: every other property that changes what a rule
// matches makes it unenforceable (Unsupported6).
var v6Matchers = map[string]bool{
	"chain": true, "action": true, "disabled": true, "comment": true,
	"src-address": true, "dst-address": true, "src-address-list": true, "dst-address-list": true,
	"protocol": true, "src-port": true, "dst-port": true, "port": true,
	"in-interface": true, "out-interface": true, "in-interface-list": true, "out-interface-list": true,
	"connection-state": true, "connection-nat-state": true, "ipsec-policy": true,
	"hop-limit": true, "icmp-options": true, "log": true, "log-prefix": true, "limit": true,
	"tcp-flags": true, "tcp-mss": true, "connection-bytes": true, "src-mac-address": true, "time": true,
	"dscp": true, "random": true, "packet-size": true, "connection-limit": true, "dst-limit": true,
	"jump-target": true, "reject-with": true, "to-address": true, "to-ports": true,
	"address-list": true, "address-list-timeout": true,
}

// v6Actions are the actions Render6 renders, per table.
var v6Actions = map[string][]string{
	"filter": {"accept", "drop", "reject", "jump", "return", "passthrough", "log", "fasttrack-connection", "add-src-to-address-list", "add-dst-to-address-list"},
	"nat":    {"accept", "jump", "return", "passthrough", "log", "masquerade", "src-nat", "dst-nat", "redirect", "netmap", "add-src-to-address-list", "add-dst-to-address-list"},
	"raw":    {"accept", "drop", "notrack", "jump", "return", "passthrough", "log", "add-src-to-address-list", "add-dst-to-address-list"},
}

// rejectWith6 maps RouterOS's IPv6 reject-with values to nft.
var rejectWith6 = map[string]string{
	"icmp-no-route":            "reject with icmpv6 type no-route",
	"icmp-admin-prohibited":    "reject with icmpv6 type admin-prohibited",
	"icmp-not-neighbour":       "reject with icmpv6 type 2",
	"icmp-address-unreachable": "reject with icmpv6 type addr-unreachable",
	"icmp-port-unreachable":    "reject with icmpv6 type port-unreachable",
	"tcp-reset":                "reject with tcp reset",
}

// defaultRejectWith6 is the reject-with of an IPv6 rule that sets none:
// destination unreachable, no route, as ip6tables' REJECT sends.
const defaultRejectWith6 = "icmp-no-route"

// Unsupported6 names what of an /ipv6 firewall rule of table (filter, nat,
// raw) rosemu does not render, "" when the whole rule is enforced: a
// property ("limit"), "action=X", or a value ("to-address=<prefix>"). The
// configuration layer leaves such rules out of State.IPv6, so they never
// match, and reports them.
func Unsupported6(table string, props map[string]string) string {
	keys := make([]string, 0, len(props))
	for k := range props {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !v6Matchers[k] {
			return k
		}
	}
	// As on IPv4, where raw refuses it: raw runs before connection
	// tracking, so there is no connection to count.
	if _, ok := props["connection-limit"]; ok && table == "raw" {
		return "connection-limit"
	}
	act := props["action"]
	if act == "" {
		act = "accept"
	}
	if !contains(v6Actions[table], act) {
		return "action=" + act
	}
	if v, ok := props["to-address"]; ok && v != "" {
		// netmap maps a prefix (NPTv6's shape), and to-ports only with
		// one address; src-nat and dst-nat take one address.
		p, err := netip.ParsePrefix(v)
		if err != nil || !p.IsSingleIP() && (act != "netmap" || props["to-ports"] != "") {
			return "to-address=" + v
		}
	}
	if act == "netmap" && props["to-address"] == "" {
		return "action=netmap without to-address"
	}
	if v := props["icmp-options"]; strings.HasPrefix(v, "!") && strings.Contains(v, ":") {
		return "icmp-options=" + v
	}
	if v := props["reject-with"]; v != "" && rejectWith6[v] == "" {
		return "reject-with=" + v
	}
	// A NAT rule in a chain of its own may be reached from either hook,
	// and nft refuses dnat in postrouting and snat in prerouting.
	if table == "nat" && !isBuiltin6(table, props["chain"]) {
		switch act {
		case "masquerade", "src-nat", "dst-nat", "redirect", "netmap":
			return "action=" + act + " in chain=" + props["chain"]
		}
	}
	return ""
}

// builtins6 are the built-in chains of the IPv6 tables: those of IPv4
// without nat's input and output.
var builtins6 = map[string][]baseChain{
	"filter": builtins["filter"],
	"nat":    builtins["nat"][:2],
	"raw":    builtins["raw"],
}

func isBuiltin6(table, chain string) bool {
	for _, b := range builtins6[table] {
		if b.name == chain {
			return true
		}
	}
	return false
}

// Render6 returns the nftables text of the IPv6 firewall: one table
// "ip6 rosemu", replaced as a whole like Render's, with the interface
// lists as sets of its own. With v6 nil it only removes the table.
func Render6(v6 *IPv6, ifLists map[string][]string) (string, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "# Generated by rosemu from the RouterOS /ipv6 configuration; do not edit.\n")
	fmt.Fprintf(&b, "table ip6 %s {}\ndelete table ip6 %s\n", TableName, TableName)
	if v6 == nil {
		return b.String(), nil
	}
	fmt.Fprintf(&b, "table ip6 %s {\n", TableName)
	chains := map[string]*chainText{}
	var order []string
	usedLists := map[string]bool{}
	jumped := map[string]bool{}
	dyn := dynamicLists6(v6)
	var ruleSets []string // the rules' limit objects (limitObject)
	for _, tbl := range []struct {
		name  string
		rules []Rule
	}{{"filter", v6.Filter}, {"nat", v6.NAT}, {"raw", v6.Raw}} {
		if len(tbl.rules) == 0 && tbl.name != "filter" {
			continue
		}
		for _, bc := range builtins6[tbl.name] {
			key := tbl.name + "/" + bc.name
			chains[key] = &chainText{table: tbl.name, name: bc.name, base: &bc, fam: "ipv6"}
			order = append(order, key)
		}
		plan := planChains(tbl.name, builtins6[tbl.name], tbl.rules)
		for i, rule := range tbl.rules {
			if rule.Props["disabled"] == "yes" {
				continue
			}
			if what := Unsupported6(tbl.name, rule.Props); what != "" {
				return "", fmt.Errorf("render ipv6 %s rule %s: %s is not supported by rosemu", tbl.name, rule.ID, what)
			}
			chain := rule.Props["chain"]
			var hook string
			for _, bc := range builtins6[tbl.name] {
				if bc.name == chain {
					hook = bc.hook
				}
			}
			// As Render's: left out where it never matches, and a jump
			// that closes a loop everywhere (planChains).
			for _, pl := range plan.placements(i, chain) {
				ct := chains[pl.key]
				if ct == nil {
					ct = &chainText{table: tbl.name, name: chain, fam: "ipv6", at: pl.at}
					chains[pl.key] = ct
					order = append(order, pl.key)
				}
				r := &ruleCtx{table: tbl.name, chain: chain, hook: hook, at: pl.at, props: rule.Props, v6: true,
					used: map[string]bool{"chain": true, "disabled": true}, logGroup: v6.LogGroup, dynLists: dyn}
				line, err := r.render6(rule.ID)
				if err != nil {
					return "", fmt.Errorf("render ipv6 %s rule %s (chain=%s): %w", tbl.name, rule.ID, chain, err)
				}
				ct.lines = append(ct.lines, line...)
				ruleSets = append(ruleSets, r.sets...)
				for _, l := range r.addrLists {
					usedLists[l] = true
				}
				for _, l := range r.ifLists {
					if _, ok := ifLists[l]; !ok {
						return "", fmt.Errorf("render ipv6 %s rule %s (chain=%s): interface list %q does not exist", tbl.name, rule.ID, chain, l)
					}
				}
				for _, j := range r.jumps {
					jumped[tbl.name+"/"+j+jumpKeyAt(pl.at)] = true
				}
			}
		}
	}
	order = addJumpedChains(chains, order, jumped, "ipv6")
	if err := renderListSets(&b, v6.AddressLists, usedLists, "ipv6 ", "ipv6_addr", intervalElements6); err != nil {
		return "", err
	}
	if err := renderDynLists(&b, dyn, "ipv6_addr"); err != nil {
		return "", err
	}
	if err := renderIfLists(&b, ifLists); err != nil {
		return "", err
	}
	seen := map[string]bool{}
	for _, s := range ruleSets {
		if !seen[s] {
			b.WriteString(s)
		}
		seen[s] = true
	}
	for _, key := range order {
		if err := chains[key].write(&b); err != nil {
			return "", err
		}
	}
	b.WriteString("}\n")
	return b.String(), nil
}

// render6 returns the nft lines of one IPv6 rule.
func (r *ruleCtx) render6(id string) ([]string, error) {
	r.id = id
	var exprs []string
	add := func(s string, err error) error {
		if err != nil {
			return err
		}
		if s != "" {
			exprs = append(exprs, s)
		}
		return nil
	}
	for _, f := range []struct{ prop, field string }{{"src-address", "saddr"}, {"dst-address", "daddr"}} {
		if r.has(f.prop) {
			neg, v := negated(r.take(f.prop))
			text, err := addrValue6(v)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", f.prop, err)
			}
			exprs = append(exprs, "ip6 "+f.field+" "+op(neg)+text)
		}
	}
	// A list some rule adds to is its static set and its dynamic one, as
	// on IPv4 (dynListVariants).
	var listVariants [][]string
	for _, f := range []struct{ prop, field string }{{"src-address-list", "saddr"}, {"dst-address-list", "daddr"}} {
		if r.has(f.prop) {
			v := r.take(f.prop)
			neg, name := negated(v)
			set, err := ident("al_", name)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", f.prop, err)
			}
			r.addrLists = append(r.addrLists, name)
			if !r.dynLists[name] {
				exprs = append(exprs, "ip6 "+f.field+" "+op(neg)+"@"+set)
				continue
			}
			lv, err := dynListVariants("ip6", f.field, v)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", f.prop, err)
			}
			listVariants = crossVariants(listVariants, lv)
		}
	}
	variants, err := r.sharedMatches(add)
	if err != nil {
		return nil, err
	}
	variants = crossVariants(listVariants, variants)
	if r.has("hop-limit") {
		if err := add(hopLimitMatch(r.take("hop-limit"))); err != nil {
			return nil, fmt.Errorf("hop-limit: %w", err)
		}
	}
	if r.has("icmp-options") {
		if err := add(r.icmp6OptionsMatch(r.take("icmp-options"))); err != nil {
			return nil, fmt.Errorf("icmp-options: %w", err)
		}
	}
	// The matchers IPv4's renderer has that read no IPv4 header; the
	// stateful ones (random, limit) come after every other matcher, so
	// that only the packets the rule takes spend them.
	for _, x := range []struct {
		prop string
		fn   func(string) (string, error)
		late bool
	}{
		{"tcp-flags", r.tcpFlagsMatch, false},
		{"tcp-mss", nil, false}, // tcpMSSMatch, which may give variants
		{"dscp", func(v string) (string, error) { return rangeMatch("ip6 dscp", v, 0, 63) }, false},
		// The whole packet, the 40-byte header included, as IPv4's
		// packet-size counts the IP header: Linux's length match, which
		// RouterOS's matcher is, adds the header to the payload length
		// for IPv6 [verify on a CHR]. meta length is that at the IP hooks.
		{"packet-size", func(v string) (string, error) { return rangeMatch("meta length", v, 0, 65535) }, false},
		{"connection-bytes", connBytesMatch, false},
		{"src-mac-address", r.srcMACMatch, false},
		{"time", timeMatch, false},
		{"random", randomMatch, true},
		{"limit", r.limitObject, true},
	} {
		if !r.has(x.prop) {
			continue
		}
		if x.prop == "tcp-mss" {
			s, mv, err := r.tcpMSSMatch(r.take(x.prop))
			if err := add(s, err); err != nil {
				return nil, fmt.Errorf("tcp-mss: %w", err)
			}
			variants = crossVariants(variants, mv)
			continue
		}
		s, err := x.fn(r.take(x.prop))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", x.prop, err)
		}
		if x.late {
			r.late = append(r.late, s)
		} else if s != "" {
			exprs = append(exprs, s)
		}
	}
	// Per-address state (connection-limit, dst-limit), last as on IPv4.
	if err := r.meterMatches(id); err != nil {
		return nil, err
	}
	stmt, err := r.action6()
	if err != nil {
		return nil, err
	}
	return r.finish(id, stmt, "", exprs, variants)
}

// action6 renders an IPv6 rule's action.
func (r *ruleCtx) action6() (string, error) {
	act := r.take("action")
	if act == "" {
		act = "accept"
	}
	switch act {
	case "accept", "drop", "return":
		return act, nil
	case "fasttrack-connection":
		// As on IPv4 without flow offload: the packet is accepted here.
		return "accept", nil
	case "passthrough", "log":
		return "", nil
	case "notrack":
		return "notrack", nil
	case "add-src-to-address-list", "add-dst-to-address-list":
		return r.addToList(act == "add-src-to-address-list")
	case "jump":
		target := r.take("jump-target")
		if target == "" {
			return "", fmt.Errorf("render action=jump: jump-target is missing")
		}
		if isBuiltin6(r.table, target) {
			return "", fmt.Errorf("render action=jump: jump-target=%s is a built-in chain, which nft cannot jump to", target)
		}
		name, err := chainIdent(r.table, target)
		if err != nil {
			return "", err
		}
		// The target's rendering for the same built-in chain's packets
		// (chainPlan.split).
		r.jumps = append(r.jumps, target)
		return "jump " + name + atSuffix(r.at), nil
	case "reject":
		with := r.take("reject-with")
		if with == "" {
			with = defaultRejectWith6
		}
		if with == "tcp-reset" && (r.proto != 6 || r.protoNeg) {
			return "", fmt.Errorf("render reject-with=tcp-reset: needs protocol=tcp on the same rule")
		}
		return rejectWith6[with], nil
	case "masquerade":
		if err := r.needHook("masquerade", "postrouting"); err != nil {
			return "", err
		}
		ports, err := r.natPorts()
		if err != nil || ports == "" {
			return "masquerade", err
		}
		return "masquerade to :" + ports, nil
	case "redirect":
		if err := r.needHook("redirect", "prerouting", "output"); err != nil {
			return "", err
		}
		ports, err := r.natPorts()
		if err != nil || ports == "" {
			return "redirect", err
		}
		return "redirect to :" + ports, nil
	case "netmap":
		// netmap to-address=P: the prefix mapped, host bits kept, in
		// the direction of the chain (srcnat: sources, dstnat:
		// destinations); one address with to-ports is a plain
		// translation, as on IPv4.
		verb := map[string]string{"postrouting": "snat", "prerouting": "dnat"}[r.hook]
		if verb == "" {
			return "", fmt.Errorf("render action=netmap in chain %s: only in srcnat or dstnat", r.chain)
		}
		p, err := netip.ParsePrefix(r.take("to-address"))
		if err != nil {
			return "", fmt.Errorf("render action=netmap: %w", err)
		}
		ports, err := r.natPorts()
		if err != nil {
			return "", err
		}
		if p.IsSingleIP() && ports != "" {
			return verb + " to [" + p.Addr().String() + "]:" + ports, nil
		}
		return verb + " ip6 prefix to " + p.Masked().String(), nil
	case "dst-nat", "src-nat":
		verb, hook := "dnat", "prerouting"
		if act == "src-nat" {
			verb, hook = "snat", "postrouting"
		}
		if err := r.needHook(act, hook); err != nil {
			return "", err
		}
		to := r.take("to-address")
		ports, err := r.natPorts()
		if err != nil {
			return "", err
		}
		if to == "" {
			if ports == "" {
				return "", fmt.Errorf("render action=%s: to-address and to-ports are missing", act)
			}
			return verb + " to :" + ports, nil
		}
		p, err := netip.ParsePrefix(to)
		if err != nil || !p.IsSingleIP() {
			return "", fmt.Errorf("render action=%s: to-address=%s must be one address", act, to)
		}
		if ports == "" {
			return verb + " to " + p.Addr().String(), nil
		}
		return verb + " to [" + p.Addr().String() + "]:" + ports, nil
	}
	return "", fmt.Errorf("render action=%s: not supported in /ipv6 firewall %s by rosemu", act, r.table)
}

// hopLimitMatch renders hop-limit=equal:N | not-equal:N | less-than:N |
// greater-than:N.
func hopLimitMatch(v string) (string, error) {
	kind, n, _ := strings.Cut(v, ":")
	x, err := strconv.Atoi(n)
	ops := map[string]string{"equal": "", "not-equal": "!= ", "less-than": "< ", "greater-than": "> "}
	o, ok := ops[kind]
	if err != nil || x < 0 || x > 255 || !ok {
		return "", fmt.Errorf("parse %q: want equal|not-equal|less-than|greater-than:0-255", v)
	}
	return fmt.Sprintf("ip6 hoplimit %s%d", o, x), nil
}

// icmp6OptionsMatch renders icmp-options=type[:code] of an ICMPv6 rule;
// each may be a range, a type alone may be negated.
func (r *ruleCtx) icmp6OptionsMatch(v string) (string, error) {
	if r.proto != 58 || r.protoNeg {
		return "", fmt.Errorf("needs protocol=icmpv6 on the same rule")
	}
	typ, code, hasCode := strings.Cut(v, ":")
	s, err := rangeMatch("icmpv6 type", typ, 0, 255)
	if err != nil || !hasCode {
		return s, err
	}
	c, err := rangeMatch("icmpv6 code", code, 0, 255)
	if err != nil {
		return "", err
	}
	return s + " " + c, nil
}

// addrValue6 validates an IPv6 address, prefix or range and returns its
// nft form; a prefix is masked.
func addrValue6(v string) (string, error) {
	if from, to, ok := strings.Cut(v, "-"); ok {
		a, err1 := netip.ParseAddr(from)
		b, err2 := netip.ParseAddr(to)
		if err1 != nil || err2 != nil || !a.Is6() || !b.Is6() || b.Less(a) {
			return "", fmt.Errorf("parse address range %q: want A-B with IPv6 A <= B", v)
		}
		return a.String() + "-" + b.String(), nil
	}
	if strings.Contains(v, "/") {
		p, err := netip.ParsePrefix(v)
		if err != nil || !p.Addr().Is6() {
			return "", fmt.Errorf("parse address prefix %q: want an IPv6 prefix", v)
		}
		if p.Bits() == 128 {
			return p.Addr().String(), nil
		}
		return p.Masked().String(), nil
	}
	a, err := netip.ParseAddr(v)
	if err != nil || !a.Is6() {
		return "", fmt.Errorf("parse address %q: want an IPv6 address", v)
	}
	return a.String(), nil
}

// intervalElements6 merges IPv6 list entries into disjoint intervals, as
// intervalElements does for IPv4.
func intervalElements6(entries []AddrEntry) ([]string, error) {
	type span struct{ lo, hi netip.Addr }
	var spans []span
	for _, e := range entries {
		if e.Prefix.IsValid() {
			p := e.Prefix.Masked()
			if !p.Addr().Is6() {
				return nil, fmt.Errorf("entry %s is not IPv6", e.Prefix)
			}
			spans = append(spans, span{p.Addr(), lastAddr6(p)})
			continue
		}
		if !e.From.Is6() || !e.To.Is6() || e.To.Less(e.From) {
			return nil, fmt.Errorf("entry %s-%s is not an ascending IPv6 range", e.From, e.To)
		}
		spans = append(spans, span{e.From, e.To})
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].lo.Less(spans[j].lo) })
	var merged []span
	for _, s := range spans {
		if n := len(merged); n > 0 {
			last := merged[n-1]
			next := last.hi.Next()
			if !s.lo.Less(last.lo) && (!next.IsValid() || !next.Less(s.lo)) {
				if last.hi.Less(s.hi) {
					merged[n-1].hi = s.hi
				}
				continue
			}
		}
		merged = append(merged, s)
	}
	out := make([]string, 0, len(merged))
	for _, s := range merged {
		if s.lo == s.hi {
			out = append(out, s.lo.String())
		} else {
			out = append(out, s.lo.String()+"-"+s.hi.String())
		}
	}
	return out, nil
}

// lastAddr6 is the last address of an IPv6 prefix.
func lastAddr6(p netip.Prefix) netip.Addr {
	b := p.Masked().Addr().As16()
	for i := p.Bits(); i < 128; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	return netip.AddrFrom16(b)
}
