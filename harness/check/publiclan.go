package check

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// publicLANNotes looks at each LAN segment with a public subnet (a block
// the ISP routes to the router, its hosts holding public addresses of
// their own) for the two rules of a defconf-like firewall that catch it:
// a masquerade on the WAN that rewrites its hosts' addresses to the
// WAN's (masquerade takes any source leaving by its out-interface, NAT page
// of the manual, https://help.mikrotik.com/docs/spaces/ROS/pages/3211299/NAT),
// and a forward drop of new connections from the WAN that were not
// dst-nat'ed (defconf's "drop all from WAN not DSTNATed"), which keeps the
// internet from every host of it. A note names each rule and the lines
// that exempt the block; not probed (the lab's ISP routes no block to a
// LAN port).
func (p *Plan) publicLANNotes() {
	wi := p.mainWAN()
	if wi < 0 && len(p.WANs) == 1 {
		wi = 0
	}
	if wi < 0 {
		return
	}
	w := p.WANs[wi]
	f := p.export
	keep := p.keeper(f)
	m := p.newMatcher(f, keep)
	for _, s := range p.Segments {
		if s.Port == "" || needsNAT(s.Prefix.Addr()) || !s.Prefix.Addr().Is4() || s.Prefix.Bits() >= 31 {
			continue
		}
		host := hostIn(s.Prefix, 2)
		if host == s.Prefix.Addr() {
			host = hostIn(s.Prefix, 3)
		}
		var lacks []string
		out := packet{src: host, dst: p.PeerAddr(), proto: "tcp", dstPort: lanOutPort, in: s.Interface, out: w.Interface, state: "new"}
		if hit, how := m.first(f, keep, "ip firewall nat", "srcnat", out, map[string]bool{"masquerade": true, "src-nat": true, "netmap": true, "same": true, "accept": true}); hit != nil && how == yes && hit.Value("action") != "accept" {
			lacks = append(lacks, fmt.Sprintf("line %d translates its hosts' connections to the WAN's address, so they do not leave with their own: /ip firewall nat add chain=srcnat action=accept src-address=%s out-interface=%s comment=%s place-before=%s",
				hit.Line, s.Prefix.Masked(), export.Quote(w.Interface), export.Quote("routed "+s.Prefix.Masked().String()+": no NAT"), p.ruleSelector(hit.Line)))
		}
		in := packet{src: p.PeerAddr(), dst: host, proto: "tcp", dstPort: lanOutPort, in: w.Interface, out: s.Interface, state: "new"}
		if p.acceptsInto(s.Prefix) {
			// An accept for some of its hosts' ports: the user opened what
			// they serve; the rest stays closed by design.
		} else if hit, how := m.first(f, keep, "ip firewall filter", "forward", in, map[string]bool{"accept": true, "drop": true, "reject": true}); hit != nil && how == yes && (hit.Value("action") == "drop" || hit.Value("action") == "reject") {
			lacks = append(lacks, fmt.Sprintf("line %d drops the internet's new connections to its hosts (they are not dst-nat'ed: the addresses are their own); to let a service in: /ip firewall filter add chain=forward action=accept dst-address=%s in-interface=%s protocol=tcp dst-port=<the service's port> comment=%s place-before=%s",
				hit.Line, s.Prefix.Masked(), export.Quote(w.Interface), export.Quote("routed "+s.Prefix.Masked().String()+": in"), p.ruleSelector(hit.Line)))
		}
		if len(lacks) > 0 {
			p.Notes = append(p.Notes, fmt.Sprintf("%s holds the public subnet %s (a block the ISP routes to the router; not probed): %s", s.Interface, s.Prefix.Masked(), strings.Join(lacks, "; ")))
		}
	}
}

// acceptsInto reports whether an enabled forward accept names a
// destination inside the block.
func (p *Plan) acceptsInto(block netip.Prefix) bool {
	keep := p.keeper(p.export)
	for _, c := range p.export.Commands {
		if c.MenuPath() != "ip firewall filter" || c.Verb != "add" || !keep(c) || !enabled(c) || c.Value("chain") != "forward" || c.Value("action") != "accept" {
			continue
		}
		d := c.Value("dst-address")
		if pf, err := netip.ParsePrefix(d); err == nil && block.Overlaps(pf) {
			return true
		}
		if a, err := netip.ParseAddr(d); err == nil && block.Contains(a) {
			return true
		}
	}
	return false
}
