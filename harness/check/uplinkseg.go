package check

import (
	"fmt"
	"net/netip"
)

// uplinkLink says why segment s is an uplink rather than a LAN to
// translate, "" when it is a LAN: a masquerade or src-nat names it as its
// out-interface for another network's connections (out-interface=ether2
// src-address=172.16.54.0/24), so the router sends its LANs out there
// and hides them behind its address on it, as on a WAN. Its own hosts'
// way to the internet is no LAN's way out to judge. rc30 C2: such a
// port, the uplink to a site's core, got "the forward chain drops this
// LAN's new connections to the internet: the LAN has no way out". A
// hairpin rule (its destination on the segment, or its source the
// segment's own subnet) is no uplink; nor is a segment the router serves
// DHCP on: a home LAN with a masquerade for its VPN clients (so that the
// LAN's devices answer them) stays a LAN whose way out is judged; nor one
// whose hosts the forward chain lets out to the WAN (an accept of the
// segment to the WAN says they are meant to go out: realcheck27 D6's
// control).
func (p *Plan) uplinkLink(s Segment) string {
	wans := p.lanOutWANs()
	if p.export == nil || len(wans) == 0 || p.dhcpServerOn(s.Interface) {
		return ""
	}
	keep := p.keeper(p.export)
	m := p.newMatcher(p.export, keep)
	pk := packet{src: hostIn(s.Prefix, 100), dst: p.PeerAddr(), proto: "tcp", dstPort: lanOutPort, in: s.Interface, out: p.WANs[wans[0]].Interface, state: "new", tcpFlags: "syn"}
	if _, dropped := p.lanForwardDropped(m, pk, s); !dropped {
		return ""
	}
	sub := s.Prefix.Masked()
	within := func(v string) bool {
		if v == "" {
			return false
		}
		pf, err := netip.ParsePrefix(v)
		if err != nil {
			a, aerr := netip.ParseAddr(v)
			if aerr != nil {
				return true // a list, a range, a negation: not weighed, taken as the segment's
			}
			pf = netip.PrefixFrom(a, a.BitLen())
		}
		return pf.Overlaps(sub)
	}
	for _, c := range p.export.Commands {
		if c.Verb != "add" || c.MenuPath() != "ip firewall nat" || !keep(c) || !enabled(c) || c.Value("chain") != "srcnat" {
			continue
		}
		if a := c.Value("action"); (a != "masquerade" && a != "src-nat") || c.Value("out-interface") != s.Interface {
			continue
		}
		src := c.Value("src-address")
		if src == "" || within(src) || within(c.Value("dst-address")) {
			continue
		}
		return fmt.Sprintf("%s (%s) is taken as an uplink or a network of devices, not a LAN to translate: line %d %s %s out of it, as out of a WAN, and the router serves no DHCP there; its own hosts' way to the internet is not judged (not probed)",
			s.Interface, sub, c.Line, map[string]string{"masquerade": "masquerades", "src-nat": "source-NATs"}[c.Value("action")], src)
	}
	return ""
}
