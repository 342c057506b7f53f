package check

import (
	"fmt"
	"net/netip"
)

// networkAddrNotes names a router address that is the network address of
// its own subnet (192.168.88.0/24). RouterOS takes it, and the lab replays
// it as it is, but an all-zeros host part is reserved (RFC 1122
// 3.2.1.3): a host given it as its gateway may refuse it or treat what it
// sends there as a broadcast, which the lab's Linux hosts do not show.
func (p *Plan) networkAddrNotes() {
	held := map[netip.Addr]bool{}
	for _, s := range p.Segments {
		held[s.Prefix.Addr()] = true
	}
	for _, w := range p.WANs {
		held[w.Address.Addr()] = true
	}
	note := func(iface string, pf netip.Prefix) {
		if !pf.Addr().Is4() || pf.Bits() > 30 || pf.Addr() != pf.Masked().Addr() {
			return
		}
		// A host address the router does not hold already: a 7.21
		// export's 172.16.0.16/30 beside its own 172.16.0.17/30 was
		// told to take .17.
		such := "another host address of the subnet"
		for a := pf.Addr().Next(); pf.Contains(a) && a != lastOf(pf); a = a.Next() {
			if !held[a] {
				such = "a host address such as " + a.String()
				break
			}
		}
		p.Notes = append(p.Notes, fmt.Sprintf("the router's address %s on %s is the network address of %s (a host part of all zeros, reserved by RFC 1122): RouterOS takes it and the lab's Linux hosts use it as their gateway, but other hosts may refuse it or send there as to a broadcast; give the router %s",
			pf, iface, pf.Masked(), such))
	}
	for _, s := range p.Segments {
		note(s.Interface, s.Prefix)
	}
	for _, w := range p.WANs {
		if w.Kind == "static" && w.Address.IsValid() {
			note(w.Interface, w.Address)
		}
	}
}
