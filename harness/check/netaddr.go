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
	note := func(iface string, pf netip.Prefix) {
		if !pf.Addr().Is4() || pf.Bits() > 30 || pf.Addr() != pf.Masked().Addr() {
			return
		}
		p.Notes = append(p.Notes, fmt.Sprintf("the router's address %s on %s is the network address of %s (a host part of all zeros, reserved by RFC 1122): RouterOS takes it and the lab's Linux hosts use it as their gateway, but other hosts may refuse it or send there as to a broadcast; give the router a host address such as %s",
			pf, iface, pf.Masked(), pf.Addr().Next()))
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
