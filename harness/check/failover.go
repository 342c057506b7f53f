package check

import (
	"fmt"
	"slices"
	"strings"
)

// Failover: a router with a backup default route (a larger distance
// through another WAN) moves the LAN's traffic there when the main WAN's
// route goes out of use, and a route through a port that is not running
// is out of use: pulling the main WAN's cable is the one failure every
// distance failover handles ("Failover (WAN Backup)" page of the manual,
// https://help.mikrotik.com/docs/spaces/ROS/pages/26476608/Failover+WAN+Backup).
// The lab pulls it (the scenario action link-down) and probes each LAN
// segment's way to the internet, which shows whether the LAN gets out by
// the backup line (a masquerade written for the main WAN only does not
// take it: "failover switches, but nothing loads"). What it finds is
// reported beside the verdict, as the note on the backup's masquerade is:
// a failover is the export's design, not a path of its forwards.

// failoverPrefix starts the path of a LAN segment's probe to the internet
// while the main WAN's cable is out: failover:<segment>.
const failoverPrefix = "failover:"

// failoverPlan returns the lab port of the main WAN, whose cable the lab
// pulls, and the backup WANs a default route of the main table leads to.
// ok is false when there is nothing to prove: one WAN, no backup route, a
// routed network, a main WAN without a port of its own in the lab (LTE, a
// tunnel) or on a port that also carries a LAN segment (a trunk, which the
// pull would cut off too), or a PPPoE main WAN: its session ends only when
// its keepalive misses the server and comes back only when it dials again,
// which the phases after this one would wait for.
func (p *Plan) failoverPlan() (port string, backups []int, ok bool) {
	if len(p.WANs) < 2 || p.routedNetwork() {
		return "", nil, false
	}
	main := p.mainWAN()
	if main < 0 || p.WANs[main].Kind == "pppoe" {
		return "", nil, false
	}
	p.defaultRoutes(false, func(wi, _ int) {
		if wi >= 0 && wi != main && !slices.Contains(backups, wi) {
			backups = append(backups, wi)
		}
	})
	w := p.WANs[main]
	for _, pt := range p.Ports {
		if pt.Name == w.Port && w.Port != "" {
			port = pt.Lab
		}
	}
	if len(backups) == 0 || port == "" {
		return "", nil, false
	}
	for _, s := range p.Segments {
		if s.Port == w.Port {
			return "", nil, false
		}
	}
	for _, wi := range backups {
		if p.WANs[wi].Port == w.Port {
			return "", nil, false // the backup rides the same cable (a VLAN)
		}
	}
	return port, backups, true
}

// failoverSteps pulls the main WAN's cable, probes every LAN segment's way
// to the internet's peer, and plugs the cable back.
func (p *Plan) failoverSteps(c *Case, b *strings.Builder, phase string) {
	port, _, ok := p.failoverPlan()
	if !ok {
		return
	}
	var segs []Segment
	for _, s := range p.Segments {
		if c.Clients[s.Interface] != "" && needsNAT(s.Prefix.Addr()) {
			segs = append(segs, s)
		}
	}
	if len(segs) == 0 {
		return
	}
	fmt.Fprintf(b, "  - action: link-down\n    interface: %s\n", port)
	c.Steps = append(c.Steps, -1)
	for _, s := range segs {
		p.add(c, b, Probe{Forward: -1, Path: failoverPrefix + s.Interface, Phase: phase, From: c.Clients[s.Interface],
			To: fmt.Sprintf("peer:%d", lanOutPort), Kind: "tcp"}, "5s")
	}
	fmt.Fprintf(b, "  - action: link-up\n    interface: %s\n", port)
	c.Steps = append(c.Steps, -1)
}

// failoverWrong reports whether a segment's probe with the main WAN's
// cable out did not reach the internet's peer.
func failoverWrong(o Outcome) bool {
	return strings.HasPrefix(o.Probe.Path, failoverPrefix) && !reachedPeer(o)
}

// failoverWarning says what a failed failover probe means.
func failoverWarning(o Outcome) string {
	seg := strings.TrimPrefix(o.Probe.Path, failoverPrefix)
	return fmt.Sprintf("with the main WAN's cable pulled, LAN %s does not reach the internet's host (%s, answered by %s): the failover to the backup line does not carry it (a note says why when the export's rules tell)", seg, o.Result, orNobody(o.By))
}
