package check

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
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

// DHCPResolverOff is the cause of a segment whose DHCP network hands out
// the router as its DNS server while the router answers no other host
// (allow-remote-requests=no, the default). The DNS page of the manual says
// a router given as DNS server in the DHCP network must have
// allow-remote-requests=yes
// (https://help.mikrotik.com/docs/spaces/ROS/pages/37748767/DNS).
const DHCPResolverOff Cause = "the segment's DHCP server hands out the router as its DNS server, but the router does not answer other hosts' queries (allow-remote-requests=no): its clients resolve no name"

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
		return p.lanResolverDropped()
	}
	var out []Finding
	keep := p.keeper(p.export)
	for _, s := range p.Segments {
		if s.Port == "" {
			continue
		}
		// A DHCP network that names the router as the DNS server sends
		// every client's query there, where it is refused like a
		// redirected one (forum51 D1: "no problem found").
		if server := p.dhcpDNSRouter(keep, s); server.IsValid() {
			n := p.dhcpNetworkOf(keep, s)
			out = append(out, Finding{Forward: -1, Path: lanDNSPrefix + s.Interface, Cause: DHCPResolverOff, Line: n.Line, Rule: n.Raw,
				Detail: fmt.Sprintf("the DHCP network of %s hands out %s as its DNS server", s.Interface, server)})
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
	asked := map[string]bool{}
	for _, f := range p.lanDNSFindings() {
		// A note (a segment that does not ask the router) is not
		// probed; a segment with two findings is asked once.
		if f.Cause == "" || asked[f.Path] {
			continue
		}
		asked[f.Path] = true
		seg := strings.TrimPrefix(f.Path, lanDNSPrefix)
		to := "dns:53"
		if f.Cause == UpstreamAnswersDropped {
			// The router's own address on the segment: its resolver.
			for _, s := range p.Segments {
				if s.Interface == seg {
					to = s.Prefix.Addr().String() + ":53"
				}
			}
		}
		if f.Cause == LANResolverDropped || f.Cause == DHCPResolverOff {
			// The segment's own resolver, the router's address its DHCP
			// server hands out. An interface with two addresses is two
			// segments of one name: the one with that DHCP network
			// (the other's would write "invalid IP" into the case).
			for _, s := range p.Segments {
				if a := p.dhcpDNSRouter(p.keeper(p.export), s); s.Interface == seg && a.IsValid() {
					to = a.String() + ":53"
				}
			}
			if to == "dns:53" {
				continue
			}
		}
		if client := c.Clients[seg]; client != "" {
			p.add(c, b, Probe{Forward: -1, Path: f.Path, Phase: phase, From: client, To: to, Kind: "dns", Name: lanDNSName}, "")
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

// LANResolverDropped is the cause of a segment whose DHCP server hands
// out the router as its DNS server while the input chain drops the
// segment's queries to it (a VLAN left out of the LAN list that the
// default "drop all not coming from LAN" rule names, most often).
const LANResolverDropped Cause = "the segment's DHCP server hands out the router as its DNS server, but an input rule drops the segment's queries to it: its clients resolve no name"

// lanResolverDropped names each LAN segment whose DHCP network's
// dns-server is an address of the router that the input chain drops a
// query to (UDP 53 from a client of the segment), when no dstnat rule
// takes the query first; and each segment whose query to an internet
// resolver a redirect sends to the router, where the input chain drops it.
func (p *Plan) lanResolverDropped() []Finding {
	f := p.export
	keep := p.keeper(f)
	m := p.newMatcher(f, keep)
	// dropped is the input rule that certainly drops a query, nil when
	// none does.
	dropped := func(pk packet) *export.Command {
		rule, how := m.first(f, keep, "ip firewall filter", "input", pk, map[string]bool{"accept": true, "drop": true, "reject": true})
		if rule == nil || how != yes || rule.Value("action") == "accept" || rule.Value("action") == "" {
			return nil
		}
		return rule
	}
	var out []Finding
	upstream, wan := p.upstreamAnswersDropped(m)
	for _, s := range p.Segments {
		if s.Port == "" {
			continue
		}
		if upstream != nil {
			// A segment whose DHCP network hands out other DNS servers
			// only never asks the router: its clients do not feel the
			// router's resolver fail, so it is a note, not a failure
			// (realcheck19 D7: a DNS failure headlined a LAN whose
			// clients ask 8.8.8.8).
			if servers, line := p.dhcpDNSOthers(keep, s); servers != "" {
				out = append(out, Finding{Forward: -1, Path: lanDNSPrefix + s.Interface, Line: upstream.Line, Rule: upstream.Raw,
					Detail: fmt.Sprintf("line %d drops the answers to the router's own DNS queries (from %s:53, on %s), so the router resolves no name; but the DHCP network of %s (line %d) hands out %s, not the router: its clients do not ask the router, and this is not probed", upstream.Line, p.publicDNS(), wan, s.Interface, line, servers)})
				continue
			}
			out = append(out, Finding{Forward: -1, Path: lanDNSPrefix + s.Interface, Cause: UpstreamAnswersDropped, Line: upstream.Line, Rule: upstream.Raw,
				Detail: fmt.Sprintf("the answers from %s:53 come in on %s", p.publicDNS(), wan)})
			// The same drop, meant for what no accept above lets in,
			// often drops the segment's own queries to the router too:
			// the fix must let them in as well, or the LAN still
			// resolves nothing (realcheck19 D7: the lab failed with the
			// established accept alone).
			to := s.Prefix.Addr()
			if server := p.dhcpDNSRouter(keep, s); server.IsValid() {
				to = server
			}
			pk := packet{src: hostIn(s.Prefix, 100), dst: to, proto: "udp", dstPort: 53, in: s.Interface, local: true, state: "new"}
			if hit, _ := m.first(f, keep, "ip firewall nat", "dstnat", pk, map[string]bool{"dst-nat": true, "netmap": true, "redirect": true, "accept": true}); hit == nil {
				if rule := dropped(pk); rule != nil {
					out = append(out, Finding{Forward: -1, Path: lanDNSPrefix + s.Interface, Cause: LANQueriesDropped, Line: rule.Line, Rule: rule.Raw,
						Detail: fmt.Sprintf("a query from %s to %s:53", s.Interface, to)})
				}
			}
			continue
		}
		if server := p.dhcpDNSRouter(keep, s); server.IsValid() {
			pk := packet{src: hostIn(s.Prefix, 100), dst: server, proto: "udp", dstPort: 53, in: s.Interface, local: true, state: "new"}
			if hit, _ := m.first(f, keep, "ip firewall nat", "dstnat", pk, map[string]bool{"dst-nat": true, "netmap": true, "redirect": true, "accept": true}); hit == nil {
				if rule := dropped(pk); rule != nil {
					out = append(out, Finding{Forward: -1, Path: lanDNSPrefix + s.Interface, Cause: LANResolverDropped, Line: rule.Line, Rule: rule.Raw,
						Detail: fmt.Sprintf("a query from %s to %s:53, the dns-server of its DHCP network", s.Interface, server)})
					continue
				}
			}
		}
		// The segment's query to an internet resolver redirected to the
		// router: RouterOS's redirect sends it to the address of the
		// interface it came in on (NAT page of the manual,
		// https://help.mikrotik.com/docs/spaces/ROS/pages/3211299/NAT),
		// and dstnat comes before input.
		if line, _ := p.dnsRedirect(s); line != 0 {
			pk := packet{src: hostIn(s.Prefix, 100), dst: s.Prefix.Addr(), proto: "udp", dstPort: 53, in: s.Interface, local: true, dstnatted: true, state: "new"}
			if rule := dropped(pk); rule != nil {
				out = append(out, Finding{Forward: -1, Path: lanDNSPrefix + s.Interface, Cause: RedirectInputDropped, Line: rule.Line, Rule: rule.Raw,
					Detail: fmt.Sprintf("a query from %s to %s:53 is redirected to %s by line %d, and this rule drops it", s.Interface, p.publicDNS(), s.Prefix.Addr(), line)})
			}
		}
	}
	return out
}

// UpstreamAnswersDropped is the cause of a router that answers the LAN's
// queries while its input chain drops the answers to its own queries
// upstream.
const UpstreamAnswersDropped Cause = "the router resolves for the LAN, but an input drop above the accept of established connections takes the answers to its own queries to its upstream server (they come in on the WAN): the router resolves no name, and neither does the LAN that asks it"

// upstreamAnswersDropped returns the input rule that certainly drops the
// answer to the router's own query to its upstream server, and the WAN it
// comes in on: the answer belongs to a connection the router started, so
// it is established when it meets the input chain (Filter manual,
// connection-state: https://help.mikrotik.com/docs/spaces/ROS/pages/48660574/Filter).
// A drop without connection-state=new at the top of input, meant for the
// internet's new connections, takes it.
func (p *Plan) upstreamAnswersDropped(m *matcher) (*export.Command, string) {
	wi := p.mainWAN()
	if wi < 0 && len(p.WANs) == 1 {
		wi = 0
	}
	if wi < 0 {
		return nil, ""
	}
	w := p.WANs[wi]
	wan := p.WANAddr(w, Forward{})
	if !wan.IsValid() {
		return nil, ""
	}
	f := p.export
	keep := p.keeper(f)
	ans := packet{src: p.publicDNS(), dst: wan, proto: "udp", in: w.Interface, local: true, state: "established"}
	rule, how := m.first(f, keep, "ip firewall filter", "input", ans, map[string]bool{"accept": true, "drop": true, "reject": true})
	if rule == nil || how != yes || rule.Value("action") != "drop" && rule.Value("action") != "reject" {
		return nil, ""
	}
	return rule, w.Interface
}

// LANQueriesDropped is the cause of a segment whose queries to the
// router's resolver an input rule drops, beside the answers upstream.
const LANQueriesDropped Cause = "an input rule drops the segment's DNS queries to the router as well: its clients that ask the router resolve no name even with the answers upstream let in"

// dhcpDNSOthers returns the dns-server of segment s's DHCP network, and
// its line, when it names DNS servers none of which is the router's
// address ("8.8.8.8,1.1.1.1"); "" when it names the router, names none
// (RouterOS then hands out the router's own, DHCP page of the manual,
// https://help.mikrotik.com/docs/spaces/ROS/pages/24805500/DHCP [verify]),
// or there is no such network.
func (p *Plan) dhcpDNSOthers(keep func(*export.Command) bool, s Segment) (string, int) {
	c := p.dhcpNetworkOf(keep, s)
	if c == nil {
		return "", 0
	}
	v := c.Value("dns-server")
	if v == "" {
		return "", 0
	}
	for _, d := range strings.Split(v, ",") {
		a, err := netip.ParseAddr(strings.TrimSpace(d))
		if err != nil || p.routerHolds(a) {
			return "", 0
		}
	}
	return v, c.Line
}

// dhcpNetworkOf is the enabled /ip dhcp-server network of segment s's
// prefix, nil when the export has none.
func (p *Plan) dhcpNetworkOf(keep func(*export.Command) bool, s Segment) *export.Command {
	for _, c := range p.export.Commands {
		if !keep(c) || !enabled(c) || c.MenuPath() != "ip dhcp-server network" || c.Verb != "add" {
			continue
		}
		if n, err := netip.ParsePrefix(c.Value("address")); err == nil && n.Masked() == s.Prefix.Masked() {
			return c
		}
	}
	return nil
}

// dhcpDNSRouter returns the address of the router that the DHCP network
// of segment s hands out as its first DNS server (invalid when there is
// no such network or its DNS server is another host).
func (p *Plan) dhcpDNSRouter(keep func(*export.Command) bool, s Segment) netip.Addr {
	c := p.dhcpNetworkOf(keep, s)
	if c == nil {
		return netip.Addr{}
	}
	first, _, _ := strings.Cut(c.Value("dns-server"), ",")
	a, err := netip.ParseAddr(first)
	if err != nil || !p.routerHolds(a) {
		return netip.Addr{}
	}
	return a
}

// RedirectInputDropped is the cause of a redirect that sends a segment's
// queries to the router, which answers other hosts, while the input chain
// drops that segment's queries (a guest VLAN dropped whole on input, with
// the LAN list's redirect taking its DNS).
const RedirectInputDropped Cause = "the segment's DNS queries are redirected to the router, but an input rule drops them there: its clients resolve no name"

// wanDNSGuard returns the first WAN's interface when its input chain lets
// a query from the internet to the router's UDP 53 in, with the line of
// the rule that accepts it (0 when none does and it falls through the
// chain's end). The DNS page of the manual asks to limit port 53 to known
// hosts once allow-remote-requests is on
// (https://help.mikrotik.com/docs/spaces/ROS/pages/37748767/DNS).
func (p *Plan) wanDNSGuard() (iface string, before int, ok bool) {
	if len(p.WANs) == 0 || p.export == nil {
		return "", 0, false
	}
	w := p.WANs[0]
	wan := p.WANAddr(w, Forward{})
	if !wan.IsValid() {
		return "", 0, false
	}
	f := p.export
	keep := p.keeper(f)
	m := p.newMatcher(f, keep)
	pk := packet{src: p.PeerAddr(), dst: wan, proto: "udp", dstPort: 53, in: w.Interface, local: true, state: "new", clientPort: true}
	if _, admits := inputAdmits(m, f, keep, pk, pk); !admits {
		return "", 0, false
	}
	if rule, _ := m.first(f, keep, "ip firewall filter", "input", pk, map[string]bool{"accept": true}); rule != nil {
		before = rule.Line
	}
	return w.Interface, before, true
}

// defconfLANDrop reports whether the input rule at line is defconf's "drop
// all not coming from LAN" (action=drop in-interface-list=!LIST, LIST a
// LAN list) and seg is a VLAN or bridge of the LAN that the export only
// forgot to list: the forum's usual answer to "clients on the new VLAN
// cannot resolve" is to add the VLAN to the LAN list, which lets in its
// DNS, and the neighbour discovery and MAC WinBox defconf ties to the list,
// as for the rest of the LAN (the answer forum threads give to a VLAN
// added beside defconf; no manual page says it **[verify]**). A segment
// whose name or comment says it
// is kept apart (guest, IoT, hotspot) keeps the narrow accept of its DNS:
// the list would open the router's services to it too.
func (p *Plan) defconfLANDrop(line int, seg string) (string, bool) {
	rule := p.commandAt(line)
	if rule == nil || rule.Value("action") != "drop" || rule.Value("chain") != "input" {
		return "", false
	}
	list, neg := negated(rule.Value("in-interface-list"))
	if !neg || list == "" {
		return "", false
	}
	ix := index(p.export, p.keeper(p.export))
	if !ix.lanLists[list] || slices.Contains(ix.lists[list], seg) {
		return "", false
	}
	// Any other matcher on the rule (a src-address, a port) makes it no
	// longer defconf's catch-all.
	for _, a := range rule.Args {
		switch a.Name {
		case "action", "chain", "in-interface-list", "comment", "disabled", "log", "log-prefix":
		default:
			return "", false
		}
	}
	if keptApart.MatchString(seg) {
		return "", false
	}
	for _, c := range p.export.Commands {
		if c.Verb == "add" && (c.MenuPath() == "interface vlan" || c.MenuPath() == "interface bridge") && c.Value("name") == seg && keptApart.MatchString(c.Value("comment")) {
			return "", false
		}
	}
	return list, true
}

// keptApart is a segment name or comment that says the segment is kept
// apart from the LAN (defconfLANDrop), compiled once.
var keptApart = regexp.MustCompile(`(?i)guest|gast|invit|visit|iot|hotspot|camera|cctv|isolat|untrust|dmz`)
