package check

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

// "Force every device to use the router's DNS": a dstnat rule that
// redirects the LAN's DNS queries to the router (action=redirect, or a
// dst-nat to one of its own addresses). The router answers other hosts'
// queries only with allow-remote-requests=yes (default no; DNS page of
// the manual, https://help.mikrotik.com/docs/spaces/ROS/pages/37748767/DNS):
// without it every query the rule takes goes unanswered and nothing on the
// LAN resolves.

// RedirectNoResolver is the cause of such a rule on a router that does not
// answer remote queries.
const RedirectNoResolver Cause = "the LAN's DNS queries are redirected to the router, but the router does not answer other hosts' queries (allow-remote-requests=no): every query the rule takes goes unanswered"

const lanDNSPrefix = "lan-dns:"

// lanDNSName is what the LAN's client asks: a name of the reserved
// .example domain, so that any resolver answers at least "no such name".
const lanDNSName = "lan-dns-check.example"

// dnsRedirect is the dstnat rule that sends a LAN client's query to an
// internet resolver to the router itself, nil when none certainly does.
func (p *Plan) dnsRedirect(s Segment) (line int, raw string) {
	f := p.export
	keep := p.keeper(f)
	m := p.newMatcher(f, keep)
	pk := packet{src: hostIn(s.Prefix, 100), dst: p.publicDNS(), proto: "udp", dstPort: 53, in: s.Interface, state: "new"}
	hit, how := m.first(f, keep, "ip firewall nat", "dstnat", pk, map[string]bool{"dst-nat": true, "netmap": true, "accept": true, "redirect": true})
	if hit == nil || how != yes {
		return 0, ""
	}
	switch hit.Value("action") {
	case "redirect":
	case "dst-nat":
		a, err := netip.ParseAddr(hit.Value("to-addresses"))
		if err != nil || p.ownAddress(f, keep, a) == "" {
			return 0, ""
		}
	default:
		return 0, ""
	}
	if tp := hit.Value("to-ports"); tp != "" && tp != "53" {
		return 0, ""
	}
	return hit.Line, hit.Raw
}

// lanDNSFindings names each LAN segment whose DNS a redirect sends to a
// router that does not answer it.
func (p *Plan) lanDNSFindings() []Finding {
	if p.routerResolves() {
		return nil
	}
	var out []Finding
	for _, s := range p.Segments {
		if s.Port == "" {
			continue
		}
		if line, raw := p.dnsRedirect(s); line != 0 {
			out = append(out, Finding{Forward: -1, Path: lanDNSPrefix + s.Interface, Cause: RedirectNoResolver, Line: line, Rule: raw,
				Detail: fmt.Sprintf("a query from %s to %s:53 is taken", s.Interface, p.publicDNS())})
		}
	}
	return out
}

// lanDNSSteps asks, from each segment a redirect takes, the lab's public
// resolver: the router should answer in its place.
func (p *Plan) lanDNSSteps(c *Case, b *strings.Builder, phase string) {
	for _, f := range p.lanDNSFindings() {
		seg := strings.TrimPrefix(f.Path, lanDNSPrefix)
		if client := c.Clients[seg]; client != "" {
			p.add(c, b, Probe{Forward: -1, Path: f.Path, Phase: phase, From: client, To: "dns:53", Kind: "dns", Name: lanDNSName}, "")
		}
	}
}

// lanDNSUnanswered reports whether, in phase, a LAN client's query went
// unanswered.
func lanDNSUnanswered(outs []Outcome, phase string) bool {
	return slices.ContainsFunc(outs, func(o Outcome) bool {
		return o.Probe.Phase == phase && strings.HasPrefix(o.Probe.Path, lanDNSPrefix) && !dnsAnswered(o)
	})
}

// fixResolves reports whether the fix turns the router's resolver on for
// other hosts: its WAN side is then probed like an export's.
func fixResolves(fx Fix) bool {
	return slices.ContainsFunc(fx.Lines, func(l string) bool {
		return strings.HasPrefix(l, "/ip dns set ") && strings.Contains(l, "allow-remote-requests=yes")
	})
}
