package kernel

import (
	"fmt"
	"net/netip"

	"github.com/vishvananda/netlink"
)

// SyncMgmtAddrs makes the IPv4 addresses of the management interface link
// (in the management namespace) exactly want. The vm guest's management
// NIC is a RouterOS port whose address comes from the configuration (its
// rw/autorun.scr), as on CHR, but it lives apart from the lab's ports.
func (d *Dataplane) SyncMgmtAddrs(link string, want []netip.Prefix) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.mgmtNs.IsOpen() {
		return fmt.Errorf("sync the addresses of management interface %s: no management namespace", link)
	}
	h, err := netlink.NewHandleAt(d.mgmtNs)
	if err != nil {
		return fmt.Errorf("sync the addresses of management interface %s: open netlink: %w", link, err)
	}
	defer h.Close()
	l, err := h.LinkByName(link)
	if err != nil {
		return fmt.Errorf("sync the addresses of management interface %s: %w", link, err)
	}
	addrs, err := h.AddrList(l, netlink.FAMILY_V4)
	if err != nil {
		return fmt.Errorf("sync the addresses of management interface %s: list them: %w", link, err)
	}
	keep := map[netip.Prefix]bool{}
	for _, p := range want {
		keep[p] = true
	}
	have := map[netip.Prefix]bool{}
	for _, a := range addrs {
		p, ok := ipnetPrefix(a.IPNet)
		if !ok {
			continue
		}
		have[p] = true
		if !keep[p] {
			if err := h.AddrDel(l, &a); err != nil {
				return fmt.Errorf("remove address %s from management interface %s: %w", p, link, err)
			}
		}
	}
	for _, p := range want {
		if have[p] {
			continue
		}
		a, err := netlink.ParseAddr(p.String())
		if err != nil {
			return fmt.Errorf("add address %s to management interface %s: %w", p, link, err)
		}
		if err := h.AddrAdd(l, a); err != nil {
			return fmt.Errorf("add address %s to management interface %s: %w", p, link, err)
		}
	}
	return h.LinkSetUp(l)
}
