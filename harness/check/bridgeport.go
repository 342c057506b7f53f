package check

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

// A LAN address on a port of a bridge is invalid on RouterOS (the "I"
// flag; Bridging and Switching page of the manual): the hosts behind the
// bridge have no router there. The diagnosis said so for a forward to a
// server on such a segment only, so an export without forwards whose LAN
// addresses sat on bridge ports (a 6.42 hAP with 10.0.0.2/24 on ether3,
// 10.0.10.1/24 on ether4, 10.0.30.1/24 on ether5, all ports of the
// defconf bridge) read "no problem found" while every probe of the router
// from those LANs failed (realcheck17 D6).

// bridgePortFindings returns a finding on the router for each segment
// whose address sits on a bridge port, unless a forward's finding already
// names that address's line.
func (p *Plan) bridgePortFindings(have []Finding) []Finding {
	var out []Finding
	for _, seg := range p.Segments {
		if seg.onPort == "" || seg.addr == nil {
			continue
		}
		if slices.ContainsFunc(have, func(f Finding) bool { return f.Cause == AddressOnBridgePort && f.Line == seg.addr.Line }) ||
			slices.ContainsFunc(out, func(f Finding) bool { return f.Line == seg.addr.Line }) {
			continue
		}
		out = append(out, Finding{Forward: -1, Path: "router's address on " + seg.onPort, Cause: AddressOnBridgePort, Line: seg.addr.Line, Rule: seg.addr.Raw,
			Detail: fmt.Sprintf("%s is on %s, a port of bridge %s: the router's services and the way out are out of reach from that LAN", seg.Prefix, seg.onPort, seg.Interface)})
	}
	return out
}

// segmentOfAddrLine returns the segment whose router address the export
// gives on line; nil if none.
func (p *Plan) segmentOfAddrLine(line int) *Segment {
	for i := range p.Segments {
		if s := &p.Segments[i]; s.addr != nil && s.addr.Line == line {
			return s
		}
	}
	return nil
}

// lanRouterProbe says whether o probes the router's own web page from a
// LAN segment.
func lanRouterProbe(o Outcome) bool {
	return o.Probe.Forward < 0 && o.Probe.Kind == "http" && strings.HasPrefix(o.Probe.Path, "service:") && !strings.HasSuffix(o.Probe.Path, "@wan")
}

// unanswered counts, in phase, the probes of the router from the LAN
// that nobody answered (a timeout, an unreachable gateway): the router is
// not there for that LAN. A refusal is the router's own answer (a
// service restricted by address), not counted.
func unanswered(outs []Outcome, phase string) []Outcome {
	var out []Outcome
	for _, o := range outs {
		if o.Probe.Phase == phase && lanRouterProbe(o) && o.Result != "ok" && o.Result != "refused" {
			out = append(out, o)
		}
	}
	return out
}

// bridgeAddrs counts the findings of a LAN address on a bridge port, one
// per address line.
func bridgeAddrs(found []Finding) int {
	lines := map[int]bool{}
	for _, f := range found {
		if f.Cause == AddressOnBridgePort {
			lines[f.Line] = true
		}
	}
	return len(lines)
}

// resultsOf lists the distinct results of outs: "timeout, unreachable".
func resultsOf(outs []Outcome) string {
	var rs []string
	for _, o := range outs {
		if !slices.Contains(rs, o.Result) {
			rs = append(rs, o.Result)
		}
	}
	return strings.Join(rs, ", ")
}

// unexplainedLAN returns the probes of the router from the LAN that got no
// answer before the fix while nothing the diagnosis reads says why: no
// LAN address on a bridge port, no input rule or service address= that
// leaves the client out. A verdict of no problem must not stand beside
// them.
func (p *Plan) unexplainedLAN(found []Finding, outs []Outcome) []Outcome {
	down := unanswered(outs, "before")
	// A LAN address on a bridge port, a LAN VLAN the bridge is no
	// tagged member of: the diagnosis has the cause.
	if len(down) == 0 || p.export == nil || slices.ContainsFunc(found, func(f Finding) bool {
		return f.Cause == AddressOnBridgePort || f.Cause == VLANNotOnBridge || f.Cause == VLANNoPort
	}) {
		return nil
	}
	f := p.export
	keep := p.keeper(f)
	m := p.newMatcher(f, keep)
	restricted := p.serviceAddresses()
	var out []Outcome
	for _, o := range down {
		host, port, ok := strings.Cut(o.Probe.To, ":")
		a, err := netip.ParseAddr(host)
		var seg *Segment
		for i := range p.Segments {
			if p.Segments[i].Prefix.Addr() == a {
				seg = &p.Segments[i]
			}
		}
		if !ok || err != nil || seg == nil {
			out = append(out, o)
			continue
		}
		n := 0
		fmt.Sscan(port, &n)
		client := hostIn(seg.Prefix, 100)
		if allowed, ok := restricted["www"]; ok && !allowed(client) {
			continue
		}
		pk := packet{src: client, dst: a, proto: "tcp", dstPort: n, in: seg.Interface, local: true, state: "new"}
		if _, admits := inputAdmits(m, f, keep, pk, pk); !admits {
			continue // the input chain drops it, or may
		}
		out = append(out, o)
	}
	return out
}

// invalidGateway says, for a probe from a lab client, that the client's
// own gateway is a LAN address on a bridge port, which RouterOS marks
// invalid: whatever it asked, nothing of the router answers it. "" when
// not so.
func (p *Plan) invalidGateway(c *Case, client string) string {
	if c == nil {
		return ""
	}
	for si, name := range c.segClient {
		if name != client || si >= len(p.Segments) {
			continue
		}
		if s := p.Segments[si]; s.onPort != "" {
			return fmt.Sprintf("%s's gateway %s is on %s, a port of bridge %s: invalid on RouterOS", client, s.Prefix.Addr(), s.onPort, s.Interface)
		}
	}
	return ""
}
