package check

import (
	"cmp"
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
// LAN port). Behind a private WAN address the range is no routed block,
// and the note says the hosts need the translation instead.
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
		if b := w.Behind(); b != "" {
			// A private (or shared-space) WAN address: no ISP routes a
			// block to a router it reaches only through another's
			// private network, so the range is one the user picked and
			// its hosts get out only translated. The no-NAT exemption
			// offered for a routed block would cut them off
			// (realcheck21 D3: 30.40.40.0/24 behind 192.168.13.77).
			how := "a router in front holds the public address"
			if b == "cgnat" {
				how = "the ISP's carrier-grade NAT holds the public address"
			}
			note := fmt.Sprintf("%s uses the public range %s, but the WAN %s has the address %s (%s): no ISP routes that range to this router, so its hosts reach the internet only translated to the WAN's address, and the hosts that really own the range are out of their reach (a private range, RFC 1918, avoids that)", s.Interface, s.Prefix.Masked(), w.Interface, w.Address.Addr(), how)
			if hit, how := m.first(f, keep, "ip firewall nat", "srcnat", out, map[string]bool{"masquerade": true, "src-nat": true, "netmap": true, "same": true, "accept": true}); hit != nil && how == yes && hit.Value("action") != "accept" {
				note += fmt.Sprintf("; line %d translates them: keep it", hit.Line)
			} else {
				note += fmt.Sprintf("; no source NAT translates them: /ip firewall nat add chain=srcnat action=masquerade src-address=%s out-interface=%s", s.Prefix.Masked(), export.Quote(w.Interface))
			}
			p.Notes = append(p.Notes, note+" (not probed)")
			continue
		}
		if hit := p.borrowedBy(s); hit != nil {
			// Behind a one-address PPPoE or DHCP WAN: no exemption to
			// paste, which would cut the LAN off if the range is
			// borrowed (borrowedBy).
			kind := map[string]string{"pppoe": "a PPPoE", "dhcp": "a DHCP"}[w.Kind]
			p.Notes = append(p.Notes, fmt.Sprintf("%s uses the public range %s behind %s, %s WAN that gets one address from the ISP: such a range is most often someone else's, used as private space, and line %d translates its hosts to the WAN's address, which is what keeps them online: keep it (a no-NAT exemption would take them off the internet unless the ISP really routes %s to this line). The hosts that own the range are out of this LAN's reach: a private range (RFC 1918, as 192.168.0.0/16) avoids that (not probed)",
				s.Interface, s.Prefix.Masked(), w.Interface, kind, hit.Line, s.Prefix.Masked()))
			continue
		}
		if hit, how := m.first(f, keep, "ip firewall nat", "srcnat", out, map[string]bool{"masquerade": true, "src-nat": true, "netmap": true, "same": true, "accept": true}); hit != nil && how == yes && hit.Value("action") != "accept" {
			lacks = append(lacks, fmt.Sprintf("line %d translates its hosts' connections to the WAN's address, so they do not leave with their own: /ip firewall nat add chain=srcnat action=accept src-address=%s out-interface=%s comment=%s place-before=%s",
				hit.Line, s.Prefix.Masked(), export.Quote(w.Interface), export.Quote("routed "+s.Prefix.Masked().String()+": no NAT"), p.ruleSelector(hit.Line)))
		}
		in := packet{src: p.PeerAddr(), dst: host, proto: "tcp", dstPort: lanOutPort, in: w.Interface, out: s.Interface, state: "new"}
		if a := p.acceptsInto(s.Prefix); a != nil {
			// An accept for some of its hosts' ports: the user opened what
			// they serve; the rest stays closed by design. Said, as no
			// probe takes that path: the lab's host on the segment serves
			// no port, and "no problem found" read as if it had been
			// proven (forum47 D2).
			p.Notes = append(p.Notes, fmt.Sprintf("%s holds the public subnet %s (a block the ISP routes to the router): line %d lets the internet's connections in to %s, a host's own address (no dst-nat); not probed: the lab's host there serves no port", s.Interface, s.Prefix.Masked(), a.Line, cmp.Or(a.Value("dst-address"), s.Prefix.Masked().String())))
		} else if hit, how := m.first(f, keep, "ip firewall filter", "forward", in, map[string]bool{"accept": true, "drop": true, "reject": true}); hit != nil && how == yes && (hit.Value("action") == "drop" || hit.Value("action") == "reject") {
			lacks = append(lacks, fmt.Sprintf("line %d drops the internet's new connections to its hosts (they are not dst-nat'ed: the addresses are their own); to let a service in: /ip firewall filter add chain=forward action=accept dst-address=%s in-interface=%s protocol=tcp dst-port=<the service's port> comment=%s place-before=%s",
				hit.Line, s.Prefix.Masked(), export.Quote(w.Interface), export.Quote("routed "+s.Prefix.Masked().String()+": in"), p.ruleSelector(hit.Line)))
		}
		if len(lacks) > 0 {
			p.Notes = append(p.Notes, fmt.Sprintf("%s holds the public subnet %s (a block the ISP routes to the router; not probed): %s", s.Interface, s.Prefix.Masked(), strings.Join(lacks, "; ")))
		}
	}
}

// acceptsInto returns the first enabled forward accept that names a
// destination inside the block, nil when none does.
func (p *Plan) acceptsInto(block netip.Prefix) *export.Command {
	keep := p.keeper(p.export)
	for _, c := range p.export.Commands {
		if c.MenuPath() != "ip firewall filter" || c.Verb != "add" || !keep(c) || !enabled(c) || c.Value("chain") != "forward" || c.Value("action") != "accept" {
			continue
		}
		d := c.Value("dst-address")
		if pf, err := netip.ParsePrefix(d); err == nil && block.Overlaps(pf) {
			return c
		}
		if a, err := netip.ParseAddr(d); err == nil && block.Contains(a) {
			return c
		}
	}
	return nil
}
