package check

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The three findings of forum45 D7 (wanreach.go) are about what a LAN
// host and the internet see of the router: a WAN address without its mask
// leaves the default route's gateway off-link, so nothing leaves for the
// internet; a resolver with no upstream answers the LAN's queries with
// SERVFAIL; an input accept below the drop of everything from outside
// leaves its port closed. The lab had no probe of the first two, and read
// the third's port probe as the router's service being closed, so each
// was "not confirmed by the lab" whatever the packets did. These probes
// are made for every gateway, whether the rules read the path working or
// not, so that the lab proves a finding or refutes it, and an export
// where the paths work is the control.

// lanReachPrefix starts the path of a LAN client's connection to the
// internet's peer, lanResolvePrefix that of its DNS query to the resolver
// its DHCP server hands out (the router), inputPrefix that of a probe from
// the internet of a port an input accept opens (input:tcp/<port>).
const (
	lanReachPrefix   = "lan-reach:"
	lanResolvePrefix = "lan-resolve:"
	inputPrefix      = "input:"
)

// lanReachSteps probes, from the first LAN segment with a lab host, the
// internet's peer (tcp, the port whoami answers on) and the router's
// resolver, when its DHCP server hands the router out and the router
// answers remote queries; and, from the internet, each TCP port an input
// accept opens to the peer (a service's port too: its own probe is read as
// the service's exposure, this one as the accept's).
func (p *Plan) lanReachSteps(c *Case, b *strings.Builder, phase string) {
	if !p.isGateway() || len(p.WANs) == 0 {
		return
	}
	keep := p.keeper(p.export)
	first := true
	var firstSeg Segment
	var firstRule firstOut
	var standIn []string // segments the first one's probe stands for (lanreachmore.go)
	var unsure []string  // segments whose srcnat rule the reading cannot tell
	for si, s := range p.Segments {
		client := c.segClient[si]
		if client == "" {
			client = c.Clients[s.Interface]
		}
		// The first segment stands for the private ones, which leave by
		// the same masquerade; a public block the ISP routes leaves
		// untranslated, by its own path, so it is probed too (forum47
		// D2: a DMZ /29 behind a private LAN was never probed). A block
		// the lab's ISP cannot route back is not probed at all: its
		// answers are lost in the lab whatever the router does, and its
		// ✗, with the fix too, invited a masquerade the user does not
		// need (rc28 D2); unroutedLANNotes says so.
		unrouted := p.unroutedLAN(s)
		if client != "" && unrouted {
			note := fmt.Sprintf("%s holds the public subnet %s, which the ISP routes to the router over %s; the lab's %s ISP routes no block beyond the address it hands out, so the way out of that LAN is not probed (its answers would be lost in the lab whatever the router does)", s.Interface, s.Prefix.Masked(), p.WANs[0].Interface, map[string]string{"pppoe": "PPPoE", "dhcp": "DHCP"}[p.WANs[0].Kind])
			if !slices.Contains(p.Notes, note) {
				p.Notes = append(p.Notes, note)
			}
		}
		if s.Port == "" || client == "" || unrouted {
			continue
		}
		// A transfer or management link is no LAN (its note says "not
		// probed"): its way out was probed all the same, and shown
		// broken with and without the fix, which adds no masquerade
		// for it; as the first segment it stood for the LANs in a note
		// (rc34 C2).
		if p.managementLink(s) != "" {
			continue
		}
		// A hotspot LAN the lab's host logs in to leaves through the
		// hotspot's gate too: its own probe shows the login's effect.
		_, login := p.hsLogins[s.Interface]
		if !first && !p.routedLAN(s) && !login {
			if apart, sure := p.leavesApart(s, firstSeg, &firstRule); !apart {
				if c.hasProbe(lanOutPath(s.Interface), phase) {
					// The missing srcnat rule's own probe of this
					// segment is its way out: no stand-in (rc34 C2).
					continue
				}
				if name := s.Interface + " (" + s.Prefix.Masked().String() + ")"; sure {
					standIn = append(standIn, name)
				} else {
					unsure = append(unsure, name)
				}
				continue
			}
		}
		p.add(c, b, Probe{Forward: -1, Path: lanReachPrefix + s.Interface, Phase: phase, From: client,
			To: fmt.Sprintf("peer:%d", lanOutPort), Kind: "tcp", Want: "peer"}, "")
		if !first {
			continue
		}
		first, firstSeg = false, s
		if a := p.dhcpDNSRouter(keep, s); a.IsValid() && p.routerResolves() {
			p.add(c, b, Probe{Forward: -1, Path: lanResolvePrefix + s.Interface, Phase: phase, From: client,
				To: a.String() + ":53", Kind: "dns", Name: lanDNSName}, "")
		}
	}
	if n := standInNote(firstSeg.Interface+" ("+firstSeg.Prefix.Masked().String()+")", standIn); len(standIn) > 0 && phase == "before" && !slices.Contains(p.Notes, n) {
		p.Notes = append(p.Notes, n)
	}
	if n := unsureNote(firstSeg.Interface+" ("+firstSeg.Prefix.Masked().String()+")", unsure); len(unsure) > 0 && phase == "before" && !slices.Contains(p.Notes, n) {
		p.Notes = append(p.Notes, n)
	}
	if p.WANs[0].Behind() != "" {
		return // the internet reaches the router in front (steps: behind)
	}
	for _, port := range p.inputAcceptPorts() {
		p.add(c, b, Probe{Forward: -1, Path: fmt.Sprintf("%stcp/%d", inputPrefix, port), Phase: phase, From: "peer",
			To: fmt.Sprintf("router.wan:%d", port), Kind: "port"}, "")
	}
}

// inputAcceptPorts are the TCP ports of the enabled input accepts, for
// one port each, that certainly take the internet peer's connection to
// the first WAN's address were they first (in whatever place they are):
// an accept for an office's address is no accept of the lab's peer, and
// its probe would read "filtered" with the accept above the drop too.
func (p *Plan) inputAcceptPorts() []int {
	f := p.export
	keep := p.keeper(f)
	w, m := p.firstWANMatcher(f, keep)
	if m == nil {
		return nil
	}
	var out []int
	for _, c := range routerOrder(f) {
		if !keep(c) || !enabled(c) || c.Verb != "add" || c.MenuPath() != "ip firewall filter" || c.Value("chain") != "input" ||
			c.Value("action") != "accept" || c.Value("protocol") != "tcp" {
			continue
		}
		port, err := strconv.Atoi(c.Value("dst-port"))
		if err != nil || slices.Contains(out, port) {
			continue
		}
		pk := packet{src: p.PeerAddr(), dst: p.WANAddr(w, Forward{}), proto: "tcp", dstPort: port, in: w.Interface, state: "new", local: true}
		if pk.dst.IsValid() && m.match(c, pk) == yes {
			out = append(out, port)
		}
	}
	return out
}

// resolved reports whether a DNS query got an upstream's answer: a record,
// or the name's owner saying there is none. A SERVFAIL is the router
// having nobody to ask.
func resolved(o Outcome) bool {
	return o.Result == "ok" || o.Result == "nxdomain" || o.Result == "nodata"
}

// reachShown returns the probes of phase that show one of the findings
// of the LAN's way out, its resolver or an input accept below the drop:
// the LAN client's connection to the peer that the peer did not answer
// (GatewayOffLink), its query that got no upstream's answer
// (NoUpstreamDNS), the internet's connection to the accept's port that
// nothing answered, neither the service nor the router's refusal
// (InputAcceptBelowDrop). A probe whose path works, one the lab could not
// carry out, or a finding without its probe, shows nothing: the lab
// refutes or cannot test it.
func reachShown(found []Finding, outs []Outcome, phase string) []Outcome {
	has := func(cause Cause) bool {
		return slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == cause })
	}
	below := map[string]bool{} // router.wan:<port> of each accept below the drop
	for _, f := range found {
		if f.Cause == InputAcceptBelowDrop {
			for _, a := range strings.Fields(f.Rule) {
				if v, ok := strings.CutPrefix(a, "dst-port="); ok {
					below["router.wan:"+v] = true
				}
			}
		}
	}
	var out []Outcome
	for _, o := range outs {
		// An error is a probe the lab could not carry out (no address to
		// probe from or to): no packet took the path, so it shows no
		// finding of the path's.
		if o.Probe.Phase != phase || o.Probe.Forward >= 0 || o.Result == "error" {
			continue
		}
		switch {
		case strings.HasPrefix(o.Probe.Path, lanReachPrefix) && has(GatewayOffLink) && !reachedPeer(o),
			strings.HasPrefix(o.Probe.Path, lanResolvePrefix) && has(NoUpstreamDNS) && !resolved(o),
			strings.HasPrefix(o.Probe.Path, inputPrefix) && below[o.Probe.To] && o.Result != "open" && o.Result != "closed":
			out = append(out, o)
		}
	}
	return out
}

// reachCause is the finding a probe of reachShown shows.
func reachCause(o Outcome) Cause {
	switch {
	case strings.HasPrefix(o.Probe.Path, lanReachPrefix):
		return GatewayOffLink
	case strings.HasPrefix(o.Probe.Path, lanResolvePrefix):
		return NoUpstreamDNS
	case strings.HasPrefix(o.Probe.Path, inputPrefix):
		return InputAcceptBelowDrop
	}
	return ""
}

// reachWords says what each probe of reachShown met.
func reachWords(shown []Outcome) string {
	var out []string
	for _, o := range shown {
		switch {
		case strings.HasPrefix(o.Probe.Path, lanReachPrefix):
			out = append(out, fmt.Sprintf("a LAN client's connection to the internet's peer: %s", o.Result))
		case strings.HasPrefix(o.Probe.Path, lanResolvePrefix):
			out = append(out, fmt.Sprintf("a LAN client's DNS query to the router: %s", o.Result))
		default:
			out = append(out, fmt.Sprintf("%s from the internet: %s", o.Probe.To, o.Result))
		}
	}
	return strings.Join(out, "; ")
}

// hasProbe reports whether c already probes path in phase.
func (c *Case) hasProbe(path, phase string) bool {
	return slices.ContainsFunc(c.Probes, func(pr Probe) bool { return pr.Path == path && pr.Phase == phase })
}
