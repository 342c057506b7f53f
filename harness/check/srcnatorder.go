package check

import (
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// ShadowedSrcNAT is a src-nat (or netmap) of one LAN host to its own
// public address that an earlier srcnat rule (the general masquerade)
// takes first: NAT rules are taken in order and the first that matches
// translates the connection, so the host leaves with the router's
// address (https://help.mikrotik.com/docs/spaces/ROS/pages/3211299/NAT).
const ShadowedSrcNAT Cause = "an earlier srcnat rule translates this host's connections first (NAT rules are taken in order, the first match wins): its own src-nat below never takes effect and it leaves the router with another address"

// srcnatPath is the path of the outbound probe of a host with a src-nat
// of its own.
func srcnatPath(key string) string { return "srcnat:" + key }

// SrcNATOutLAN is a src-nat of one LAN host to a public address of the
// WAN written with out-interface=<a LAN port>: srcnat sees the
// connection as it leaves, and the host's connections to the internet
// leave by the WAN, so the rule never matches them.
const SrcNATOutLAN Cause = "the host's own src-nat names a LAN interface as out-interface, but its connections to the internet leave by the WAN (srcnat sees the interface a packet leaves by): the rule never matches and the host leaves with another address"

// ownSrcNAT is a src-nat or netmap rule that gives one LAN host its own
// public address, and the earlier rule that takes its traffic first
// (nil when only its out-interface keeps it from matching).
type ownSrcNAT struct {
	rule, earlier *export.Command
	host, to      netip.Addr
	// src is the rule's src-address: one host, or a subnet whose first
	// address stands for its hosts in the diagnosis.
	src netip.Prefix
	// wan is set when the rule's out-interface is not the WAN that holds
	// to: the WAN interface it should name.
	wan string
	// unheld is set when to lies in the subnet of a WAN the router holds
	// no such address on: that WAN's interface.
	unheld string
	// dup is an earlier rule that takes the host's traffic first but
	// translates it exactly as rule would: rule never counts, yet the
	// host leaves with the address rule gives, so it is no finding.
	dup *export.Command
}

// SrcNATUnheld is a host's own src-nat to an address of the WAN's subnet
// that the router does not hold: its packets leave with that address, but
// the answers come back to an address nobody on the WAN answers ARP for,
// and are lost. An address is held when it is on an interface (Address
// page of the manual, https://help.mikrotik.com/docs/display/ROS/IP+Addressing).
const SrcNATUnheld Cause = "the host's own src-nat gives it an address of the WAN's subnet that the router does not hold: the answers come back to that address, nobody answers ARP for it, and they are lost (the host has no internet)"

// unheldWAN is the WAN whose subnet holds a although the router has no
// such address, "" otherwise.
func (p *Plan) unheldWAN(a netip.Addr) string {
	if p.wanHolding(a) != "" || p.isRouterAddr(a) {
		return ""
	}
	for _, w := range p.WANs {
		if w.Address.IsValid() && w.Address.Bits() < 32 && w.Address.Masked().Contains(a) {
			return w.Interface
		}
	}
	return ""
}

// shadowedSrcNATs finds the src-nat and netmap rules of a single host
// (src-address=one address, to-addresses=one address) whose traffic to
// the internet an earlier srcnat rule certainly takes first.
func (p *Plan) shadowedSrcNATs() []ownSrcNAT {
	if len(p.WANs) == 0 {
		return nil
	}
	f := p.export
	keep := p.keeper(f)
	m := p.newMatcher(f, keep)
	var out []ownSrcNAT
	for _, c := range f.Commands {
		if !keep(c) || !enabled(c) || c.MenuPath() != "ip firewall nat" || c.Verb != "add" || c.Value("chain") != "srcnat" {
			continue
		}
		if a := c.Value("action"); a != "src-nat" && a != "netmap" {
			continue
		}
		host, ok := oneAddr(c.Value("src-address"))
		src := netip.PrefixFrom(host, 32)
		if !ok {
			// A subnet of its own (src-address=192.168.88.0/25): judged
			// with its first host.
			pf, err := netip.ParsePrefix(c.Value("src-address"))
			if err != nil || !pf.Addr().Is4() || pf.Bits() < 8 {
				continue
			}
			src, host, ok = pf.Masked(), pf.Masked().Addr().Next(), true
		}
		to, ok2 := oneAddr(c.Value("to-addresses"))
		if !ok2 {
			continue
		}
		out2 := c.Value("out-interface")
		wrongOut := ""
		if w := p.wanHolding(to); out2 != "" && w != "" && out2 != w && !strings.HasPrefix(out2, "!") && !p.isWANInterface(out2) {
			// out-interface=<a LAN port> for a WAN address: judge the rule
			// as it would be on the WAN, and say so.
			wrongOut, out2 = w, w
		}
		if out2 == "" {
			out2 = p.WANs[0].Interface
			if l := c.Value("out-interface-list"); l != "" && !strings.HasPrefix(l, "!") {
				for _, w := range p.WANs {
					if contains(m.lists[l], w.Interface) {
						out2 = w.Interface
						break
					}
				}
			}
		}
		proto, port := "tcp", 12566
		if v := c.Value("protocol"); v == "udp" {
			proto = v
		}
		if v := c.Value("dst-port"); v != "" {
			continue // a rule for some ports only: the probe's port may not be one of them
		}
		pk := packet{src: host, dst: p.PeerAddr(), proto: proto, dstPort: port, out: out2, state: "new"}
		judged := c
		if wrongOut != "" {
			cc := *c
			cc.Args = append([]export.Arg(nil), c.Args...)
			cc.Set("out-interface", wrongOut)
			judged = &cc
		}
		if m.match(judged, pk) != yes {
			continue // the rule itself does not certainly match the host's traffic to the internet
		}
		first, how := m.first(f, keep, "ip firewall nat", "srcnat", pk,
			map[string]bool{"masquerade": true, "src-nat": true, "netmap": true, "same": true, "accept": true})
		shadowed := first != nil && first != c && how == yes && m.order(f).before(first, c)
		switch {
		case shadowed && p.sameSrcNAT(first, c, to, out2):
			out = append(out, ownSrcNAT{rule: c, dup: first, host: host, src: src, to: to})
		case shadowed:
			out = append(out, ownSrcNAT{rule: c, earlier: first, host: host, src: src, to: to, wan: wrongOut})
		case wrongOut != "":
			out = append(out, ownSrcNAT{rule: c, host: host, src: src, to: to, wan: wrongOut})
		case first == c && how == yes && p.unheldWAN(to) != "":
			out = append(out, ownSrcNAT{rule: c, host: host, src: src, to: to, unheld: p.unheldWAN(to)})
		}
	}
	return out
}

// sameSrcNAT reports whether the earlier srcnat rule first, which takes
// the traffic of c's host out of out, gives it the address c would: a
// src-nat or netmap to the same to-addresses and to-ports, or a
// masquerade out of an interface whose only address is to (masquerade
// takes the outgoing interface's address; NAT page,
// https://help.mikrotik.com/docs/spaces/ROS/pages/3211299/NAT). Two such
// rules are a duplicate, not a shadow: RouterOS takes the first, and the
// host leaves with the address the second names all the same.
func (p *Plan) sameSrcNAT(first, c *export.Command, to netip.Addr, out string) bool {
	if first.Value("to-ports") != c.Value("to-ports") {
		return false
	}
	switch first.Value("action") {
	case "src-nat", "netmap":
		a, ok := oneAddr(first.Value("to-addresses"))
		return ok && a == to
	case "masquerade":
		if wi := p.wanOfInterface(out); wi >= 0 && p.WANs[wi].Kind != "static" {
			// A DHCP or PPPoE WAN gets its address from the ISP, which the
			// export does not write: the masquerade takes that one, and a
			// static address beside it (a 1:1 NAT's) is not what the host
			// leaves with (forum53 D2: called a harmless duplicate).
			return false
		}
		keep := p.keeper(p.export)
		var held []netip.Addr
		for _, x := range p.export.Commands {
			if !keep(x) || !enabled(x) || x.MenuPath() != "ip address" || x.Verb != "add" || x.Value("interface") != out {
				continue
			}
			if pf, err := netip.ParsePrefix(x.Value("address")); err == nil {
				held = append(held, pf.Addr())
			}
		}
		return len(held) == 1 && held[0] == to
	}
	return false
}

// srcnatNotes says of each src-nat that an earlier rule translating the
// same way takes first that it never counts (a duplicate changes nothing,
// so it is a note, neither a finding nor a fix), and of each host's own
// src-nat to an address that is not public that the lab cannot test it.
func (p *Plan) srcnatNotes() {
	for _, s := range p.shadowedSrcNATs() {
		if w, ok := p.behindNAT(s.to); ok && s.dup == nil {
			p.Notes = append(p.Notes, fmt.Sprintf("the src-nat at line %d gives %s the address %s of %s, which is not public: an ISP router or carrier-grade NAT in front translates every connection again, so the internet never sees %s and the lab cannot test the rule; what is said of it stands on the export's rules alone", s.rule.Line, s.key(), s.to, w.Interface, s.to))
		}
		if s.dup == nil {
			continue
		}
		p.Notes = append(p.Notes, fmt.Sprintf("line %d repeats the srcnat of line %d (%s leaves as %s): line %d takes the connections first, so line %d never counts; a duplicate, harmless, not probed",
			s.rule.Line, s.dup.Line, s.key(), s.to, s.dup.Line, s.rule.Line))
	}
}

// key names the rule's sources in a path: the host, or its subnet.
func (s ownSrcNAT) key() string {
	if s.src.IsSingleIP() || !s.src.IsValid() {
		return s.host.String()
	}
	return s.src.String()
}

// oneAddr reads a single address (or a /32).
func oneAddr(v string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(v); err == nil {
		return a, true
	}
	if pf, err := netip.ParsePrefix(v); err == nil && pf.IsSingleIP() {
		return pf.Addr(), true
	}
	return netip.Addr{}, false
}

// srcnatFindings reports each shadowed src-nat with the earlier rule that
// takes its host's traffic.
func (p *Plan) srcnatFindings() []Finding {
	var out []Finding
	for _, s := range p.shadowedSrcNATs() {
		if s.wan != "" {
			out = append(out, Finding{Forward: -1, Path: srcnatPath(s.key()), Cause: SrcNATOutLAN, Line: s.rule.Line, Rule: s.rule.Raw,
				Detail: fmt.Sprintf("out-interface=%s; %s should leave by %s as %s", s.rule.Value("out-interface"), s.key(), s.wan, s.to)})
		}
		if s.unheld != "" {
			out = append(out, Finding{Forward: -1, Path: srcnatPath(s.key()), Cause: SrcNATUnheld, Line: s.rule.Line, Rule: s.rule.Raw,
				Detail: fmt.Sprintf("to-addresses=%s is in the subnet of %s, and no address of the router is %s", s.to, s.unheld, s.to)})
		}
		if s.earlier != nil {
			out = append(out, Finding{Forward: -1, Path: srcnatPath(s.key()), Cause: ShadowedSrcNAT, Line: s.earlier.Line, Rule: s.earlier.Raw,
				Detail: fmt.Sprintf("line %d: %s should leave as %s", s.rule.Line, s.key(), s.to)})
		}
	}
	return out
}

// wanHolding is the WAN interface that holds address a (its own address
// or another of the export's addresses on it), "" if none.
func (p *Plan) wanHolding(a netip.Addr) string {
	for _, w := range p.WANs {
		if w.Address.IsValid() && w.Address.Addr() == a {
			return w.Interface
		}
	}
	keep := p.keeper(p.export)
	for _, c := range p.export.Commands {
		if !keep(c) || !enabled(c) || c.MenuPath() != "ip address" || c.Verb != "add" {
			continue
		}
		if pf, err := netip.ParsePrefix(c.Value("address")); err == nil && pf.Addr() == a && p.isWANInterface(c.Value("interface")) {
			return c.Value("interface")
		}
	}
	return ""
}

// isWANInterface reports whether name is one of the WANs' interfaces.
func (p *Plan) isWANInterface(name string) bool {
	for _, w := range p.WANs {
		if w.Interface == name {
			return true
		}
	}
	return false
}

// srcnatFix moves the shadowed rule above the rule that takes its traffic.
func (p *Plan) srcnatFix(f Finding) (key, line string) {
	for _, s := range p.shadowedSrcNATs() {
		if f.Cause == SrcNATOutLAN && srcnatPath(s.key()) == f.Path && s.rule.Line == f.Line {
			return fmt.Sprintf("out %d", s.rule.Line),
				fmt.Sprintf("/ip firewall nat set %s out-interface=%s", p.ruleSelector(s.rule.Line), export.Quote(s.wan))
		}
		if f.Cause == SrcNATUnheld && s.unheld != "" && srcnatPath(s.key()) == f.Path && s.rule.Line == f.Line {
			var bits int
			for _, w := range p.WANs {
				if w.Interface == s.unheld {
					bits = w.Address.Bits()
				}
			}
			return "address " + s.to.String(), fmt.Sprintf("/ip address add address=%s/%d interface=%s comment=%s", s.to, bits, export.Quote(s.unheld), export.Quote("the address the src-nat at line "+fmt.Sprint(s.rule.Line)+" gives"))
		}
		if f.Cause == ShadowedSrcNAT && s.earlier != nil && srcnatPath(s.key()) == f.Path && s.earlier.Line == f.Line {
			return fmt.Sprintf("move %d", s.rule.Line),
				fmt.Sprintf("/ip firewall nat move %s destination=%s", p.ruleSelector(s.rule.Line), p.ruleSelector(s.earlier.Line))
		}
	}
	return "", ""
}

// srcnatSteps probes, from the lab host of each shadowed src-nat (a
// forward's server), a connection to the internet: which address the
// peer sees.
func (p *Plan) srcnatSteps(c *Case, b *strings.Builder, phase string) {
	for _, s := range p.shadowedSrcNATs() {
		if s.dup != nil {
			continue // a duplicate: the host leaves as the rule wants
		}
		if _, ok := p.behindNAT(s.to); ok {
			// A private (or shared) to-addresses behind the lab's ISP
			// router or CGNAT: the peer sees that router's public
			// address whatever this router does, so the probe could
			// never pass (realcheck18 D1). Said (srcnatNotes), not
			// probed.
			continue
		}
		node := c.Servers[s.host]
		if node == "" && !s.src.IsSingleIP() {
			// A subnet's rule: a lab host inside it, a server or a
			// segment's client.
			for _, a := range slices.SortedFunc(maps.Keys(c.Servers), netip.Addr.Compare) {
				if s.src.Contains(a) {
					node = c.Servers[a]
					break
				}
			}
			for _, seg := range p.Segments {
				if n := c.Clients[seg.Interface]; node == "" && n != "" && s.src.Contains(hostIn(seg.Prefix, 100)) {
					node = n
				}
			}
		}
		if node == "" {
			continue
		}
		p.add(c, b, Probe{Forward: -1, Path: srcnatPath(s.key()), Phase: phase, From: node, To: "peer:12566", Kind: "tcp", Want: s.to.String()}, "")
	}
}

// behindNAT is the WAN whose subnet holds a when that WAN has no public
// address of its own (Behind: an ISP router in front, or carrier-grade
// NAT): what the internet sees of a connection from a is the upstream's
// address, never a.
func (p *Plan) behindNAT(a netip.Addr) (WAN, bool) {
	for _, w := range p.WANs {
		if w.Behind() == "" {
			continue
		}
		if w.Address.IsValid() && w.Address.Masked().Contains(a) || w.Private.IsValid() && w.Private == a {
			return w, true
		}
	}
	if a.IsPrivate() || cgnatSpace.Contains(a) {
		if i := slices.IndexFunc(p.WANs, func(w WAN) bool { return w.Behind() != "" }); i >= 0 {
			return p.WANs[i], true
		}
	}
	return WAN{}, false
}

// untestableSrcNAT is the paths of the src-nat findings the lab could not probe
// because their address is not public (behindNAT): they stand on the
// export's rules, and the verdict says so instead of "not confirmed".
func (p *Plan) untestableSrcNAT(found []Finding, outs []Outcome) map[string]bool {
	paths := map[string]bool{}
	for _, s := range p.shadowedSrcNATs() {
		path := srcnatPath(s.key())
		if _, ok := p.behindNAT(s.to); !ok || s.dup != nil ||
			!slices.ContainsFunc(found, func(f Finding) bool { return f.Path == path }) ||
			slices.ContainsFunc(outs, func(o Outcome) bool { return o.Probe.Path == path }) {
			continue
		}
		paths[path] = true
	}
	return paths
}

// wrongSource reports whether, in phase, a host with a src-nat of its own
// reached the internet with another address.
func wrongSource(outs []Outcome, phase string) bool {
	for _, o := range outs {
		if o.Probe.Phase == phase && strings.HasPrefix(o.Probe.Path, "srcnat:") && o.Probe.Want != "" && (o.Result != "ok" || o.Saw != o.Probe.Want) {
			return true
		}
	}
	return false
}
