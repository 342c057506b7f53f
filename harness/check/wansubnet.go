package check

import (
	"fmt"
	"net/netip"
	"strings"
)

// wanSubnetWarnings: a forward accept that the hosts of the WAN's own
// subnet match, and the internet does not, lets the network beyond the WAN
// (the ISP router's LAN and guest Wi-Fi of a double-NAT router) open
// connections to the LANs: "allow inter-subnet routing" written as
// src-address=192.168.0.0/16 dst-address=192.168.0.0/16 takes 192.168.0.x
// of a WAN at 192.168.0.2/24 too, and the defconf drop of new connections
// from the WAN after it never sees them (RouterOS takes filter rules in
// order, the first that matches decides: Filter,
// https://help.mikrotik.com/docs/spaces/ROS/pages/48660574/Filter). No check
// said so (realcheck27 D11). A rule the internet's peer matches as well is
// no such case (the forward chain is open to everyone, another matter).
func (p *Plan) wanSubnetWarnings(m *matcher) []string {
	if len(p.WANs) == 0 || p.export == nil {
		return nil
	}
	w := p.WANs[0]
	f, keep := p.export, p.keeper(p.export)
	wanNet := w.Address
	if !wanNet.IsValid() {
		// A DHCP WAN with the export's own address beside its client
		// (192.168.0.2/24 on the port to the ISP's router).
		for _, c := range f.Commands {
			if keep(c) && enabled(c) && c.Verb == "add" && c.MenuPath() == "ip address" && c.Value("interface") == w.Interface {
				if pf, err := netip.ParsePrefix(c.Value("address")); err == nil {
					wanNet = pf
					break
				}
			}
		}
	}
	if !wanNet.IsValid() || !wanNet.Addr().Is4() || wanNet.Bits() > 30 {
		return nil
	}
	host := func(pf netip.Prefix, not ...netip.Addr) netip.Addr {
		for a := pf.Masked().Addr().Next(); pf.Contains(a); a = a.Next() {
			taken := false
			for _, n := range not {
				taken = taken || a == n
			}
			if !taken {
				return a
			}
		}
		return netip.Addr{}
	}
	src := host(wanNet, wanNet.Addr(), w.Gateway)
	if !src.IsValid() {
		return nil
	}
	byRule := map[int][]string{}
	var lines []int
	rules := map[int]string{}
	for _, s := range p.Segments {
		dst := host(s.Prefix, s.Prefix.Addr())
		if !dst.IsValid() || s.Prefix.Contains(src) {
			continue
		}
		pk := packet{src: src, dst: dst, proto: "tcp", dstPort: 445, in: w.Interface, out: s.Interface, state: "new", clientPort: true}
		rule, how := m.first(f, keep, "ip firewall filter", "forward", pk, map[string]bool{"accept": true, "drop": true, "reject": true})
		if rule == nil || how != yes || rule.Value("action") != "accept" && rule.Value("action") != "" {
			continue
		}
		pk.src = p.PeerAddr()
		if other, how := m.first(f, keep, "ip firewall filter", "forward", pk, map[string]bool{"accept": true, "drop": true, "reject": true}); other == rule || how != yes {
			continue // the internet is let in as well, or might be
		}
		if _, seen := byRule[rule.Line]; !seen {
			lines = append(lines, rule.Line)
			rules[rule.Line] = ruleQuote(rule.Raw)
		}
		byRule[rule.Line] = append(byRule[rule.Line], s.Prefix.Masked().String())
	}
	var out []string
	for _, l := range lines {
		out = append(out, fmt.Sprintf("line %d lets the hosts of the WAN's own subnet %s (the network beyond %s, such as the upstream router's LAN) open connections to the LANs %s: it accepts them before any drop of the WAN's new connections: %s; narrow it to the LAN subnets or add in-interface-list=!WAN (predicted)",
			l, wanNet.Masked(), w.Interface, strings.Join(byRule[l], ", "), rules[l]))
	}
	return out
}
