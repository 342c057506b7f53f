package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// A LAN's way out (lan-reach) that failed in the lab is "broken, cause
// not identified" only when nothing the reading knows explains it. Two
// readings did and were not asked (chk58):
//
//   - a hotspot server on the segment: RouterOS lets a client of a hotspot
//     out only once it has logged in (Hotspot page of the manual,
//     https://help.mikrotik.com/docs/spaces/ROS/pages/56459266/Hotspot:
//     "authentication for clients before access to public networks"). The
//     lab's host never logs in, so the hotspot refuses it: that is the
//     lab's, not the export's, and every hotspot router read "broken"
//     (rc32 C2). Its way out is not judged, and the verdict says why.
//   - the warning that the segment leaves by one of the main table's
//     equal-distance default routes with no srcnat rule for it (lanout.go,
//     the "ecmp:" failover gap): a connection RouterOS puts on that route
//     leaves with a private source address and gets no answer. The lab's
//     probe that failed so shows the fault the warning names; the verdict
//     said no cause was known (chk57 D4).

// explainedWay says why the lab's way out o failed when the export or the
// lab names the cause (a leasing host that held no lease, Outcome.NoLease;
// routes the lab cannot give; a hotspot): why is "" when nothing does;
// broken says the cause is the export's fault (the path counts as
// broken), not the lab's.
func (p *Plan) explainedWay(o Outcome) (why string, broken bool) {
	if p == nil {
		return "", false
	}
	seg := strings.TrimPrefix(o.Probe.Path, lanReachPrefix)
	if o.NoLease {
		return fmt.Sprintf("the lab's host %s got no DHCP lease from the router on %s, so it had no address to leave from and the way out was not tried (the run's note above says how long it waited)", o.Probe.From, seg), false
	}
	if why := p.unlearntRoutes(); why != "" {
		return why, false
	}
	if hs := p.hotspotOn(seg); hs != nil {
		name := hs.Value("name")
		if name == "" {
			name = "on " + seg
		}
		if l, ok := p.hsLogins[seg]; ok {
			// The host logged in first (hotspotlogin.go): its way out
			// is judged as any LAN's, but for the hotspot's own reset
			// of a client not logged in, which says the login did not
			// take.
			if o.Result != "refused" {
				return "", false
			}
			return fmt.Sprintf("the lab's host logged in to the hotspot %s (line %d) as %s (line %d), and the hotspot still reset its connection as it does a client not logged in: the login did not take (a user limit, or the password the export holds)", export.Quote(name), hs.Line, export.Quote(l.user), l.line), false
		}
		return fmt.Sprintf("the lab's host is not logged in to the hotspot %s (line %d), which lets a client out only once it has logged in (log a host in to try it)", export.Quote(name), hs.Line), false
	}
	for _, g := range p.failoverGaps {
		if p.gapProbes[g] == "ecmp:"+seg {
			return fmt.Sprintf("the warning above names the cause: %s leaves by one of the equal-distance default routes with no srcnat rule for it, so a connection RouterOS puts on that route goes out with a private address and gets no answer", seg), true
		}
	}
	return "", false
}

// hotspotOn is the export's enabled hotspot server on interface iface,
// nil if none.
func (p *Plan) hotspotOn(iface string) *export.Command {
	if p.export == nil {
		return nil
	}
	keep := p.keeper(p.export)
	for _, c := range p.export.Commands {
		if c.MenuPath() == "ip hotspot" && c.Verb == "add" && keep(c) && enabled(c) && c.Value("interface") == iface {
			return c
		}
	}
	return nil
}

// failedWays are the lab's LAN ways out that failed (phase before), a
// probe the lab could not carry out left aside.
func failedWays(outs []Outcome) []Outcome {
	var out []Outcome
	for _, o := range outs {
		if o.Probe.Phase == "before" && o.Probe.Forward < 0 && strings.HasPrefix(o.Probe.Path, lanReachPrefix) && o.Result != "error" && !reachedPeer(o) {
			out = append(out, o)
		}
	}
	return out
}

// explainedWays words the failed ways out the export explains (explainedWay):
// broken those whose cause is the export's fault, apart those the lab could
// not judge.
func (p *Plan) explainedWays(outs []Outcome) (broken, apart []string) {
	for _, o := range failedWays(outs) {
		seg := strings.TrimPrefix(o.Probe.Path, lanReachPrefix)
		why, fault := p.explainedWay(o)
		// Two subnets of one interface probed from one host say the
		// same thing once (rotko-bkk50's bridge_local on vm).
		switch b, a := fmt.Sprintf("the way out to the internet failed in the lab from %s (%s): %s", seg, wayResult(o), why), fmt.Sprintf("the way out of %s (%s): %s", seg, wayResult(o), why); {
		case why == "":
		case fault:
			if !slices.Contains(broken, b) {
				broken = append(broken, b)
			}
		default:
			if !slices.Contains(apart, a) {
				apart = append(apart, a)
			}
		}
	}
	return broken, apart
}

// wayResult is a failed way out's result in a few words.
func wayResult(o Outcome) string {
	if o.Result == "ok" {
		return orNobody(o.By) + " answered in the internet's place"
	}
	return o.Result
}

// unlearntRoutes says why a way out is not judged on an ISP's edge or
// inner router that learns its routes by a routing protocol from
// neighbours behind private WAN links (rotko-bkk50: OSPF on two /30s to
// its core, a distance-220 default route by an interface as a last
// resort): the lab's ISP speaks no OSPF or BGP and gives it none of
// those routes, so the lab's way out went by what the export lists alone
// and failed, read "broken, cause not identified" (chk59, left). "" when
// the router learns nothing, a WAN's address is public or unknown (a DHCP
// or PPPoE WAN), or the lab gives the router the default route it learns
// (learntDefaultRoute).
func (p *Plan) unlearntRoutes() string {
	line, proto := p.learnsRoutes()
	if line == 0 || p.learntWAN >= 0 || len(p.WANs) == 0 {
		return ""
	}
	var links []string
	for _, w := range p.WANs {
		if w.Kind != "static" || !w.Address.IsValid() || !w.Address.Addr().IsPrivate() {
			return ""
		}
		links = append(links, fmt.Sprintf("%s %s", w.Interface, w.Address))
	}
	return fmt.Sprintf("the router learns its routes by %s (line %d) from its neighbours behind the private WAN link(s) %s, and the lab has no %s neighbour to give them: its way out went by the routes the export lists alone, so the lab cannot judge it", proto, line, strings.Join(links, ", "), proto)
}
