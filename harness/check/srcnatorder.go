package check

import (
	"fmt"
	"net/netip"
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
func srcnatPath(host netip.Addr) string { return "srcnat:" + host.String() }

// ownSrcNAT is a src-nat or netmap rule that gives one LAN host its own
// public address, and the earlier rule that takes its traffic first.
type ownSrcNAT struct {
	rule, earlier *export.Command
	host, to      netip.Addr
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
	m := newMatcher(f, keep)
	var out []ownSrcNAT
	for _, c := range f.Commands {
		if !keep(c) || !enabled(c) || c.MenuPath() != "ip firewall nat" || c.Verb != "add" || c.Value("chain") != "srcnat" {
			continue
		}
		if a := c.Value("action"); a != "src-nat" && a != "netmap" {
			continue
		}
		host, ok := oneAddr(c.Value("src-address"))
		to, ok2 := oneAddr(c.Value("to-addresses"))
		if !ok || !ok2 {
			continue
		}
		out2 := c.Value("out-interface")
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
		if m.match(c, pk) != yes {
			continue // the rule itself does not certainly match the host's traffic to the internet
		}
		first, how := m.first(f, keep, "ip firewall nat", "srcnat", pk,
			map[string]bool{"masquerade": true, "src-nat": true, "netmap": true, "same": true, "accept": true})
		if first == nil || first == c || how != yes || first.Line > c.Line {
			continue
		}
		out = append(out, ownSrcNAT{rule: c, earlier: first, host: host, to: to})
	}
	return out
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
		out = append(out, Finding{Forward: -1, Path: srcnatPath(s.host), Cause: ShadowedSrcNAT, Line: s.earlier.Line, Rule: s.earlier.Raw,
			Detail: fmt.Sprintf("line %d: %s should leave as %s", s.rule.Line, s.host, s.to)})
	}
	return out
}

// srcnatFix moves the shadowed rule above the rule that takes its traffic.
func (p *Plan) srcnatFix(f Finding) (key, line string) {
	for _, s := range p.shadowedSrcNATs() {
		if srcnatPath(s.host) == f.Path && s.earlier.Line == f.Line {
			return fmt.Sprintf("move %d", s.rule.Line),
				fmt.Sprintf("/ip firewall nat move [ find %s ] destination=[ find %s ]", p.whereOf(s.rule.Line), p.whereOf(s.earlier.Line))
		}
	}
	return "", ""
}

// srcnatSteps probes, from the lab host of each shadowed src-nat (a
// forward's server), a connection to the internet: which address the
// peer sees.
func (p *Plan) srcnatSteps(c *Case, b *strings.Builder, phase string) {
	for _, s := range p.shadowedSrcNATs() {
		node := c.Servers[s.host]
		if node == "" {
			continue
		}
		p.add(c, b, Probe{Forward: -1, Path: srcnatPath(s.host), Phase: phase, From: node, To: "peer:12566", Kind: "tcp", Want: s.to.String()}, "")
	}
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
