package kernel

import (
	"fmt"

	"github.com/chrlab/chrlab/rosemu/tundev"
	"github.com/vishvananda/netlink"
)

// TunLink is a persistent TUN link of the router that a user-space tunnel
// attaches to: a WireGuard interface. Apply makes it with the bridges and
// VLANs, so the interface's addresses and routes are in the kernel from
// the commit on, whether or not the tunnel runs yet (packets routed to a
// TUN nobody reads are dropped, as through a WireGuard interface with no
// peer); the service opens the link by name and carries its packets.
type TunLink struct {
	Name     string
	MTU      int
	Disabled bool
}

// TunFlags are the flags a TUN link is made with; whoever attaches to it
// must ask for the same mode (IFF_TUN, no packet information). The virtio
// header lets the WireGuard device pass segmentation offloads.
const TunFlags = netlink.TUNTAP_NO_PI | netlink.TUNTAP_VNET_HDR

// ensureTun makes the persistent TUN link of tl or brings the existing one
// to its MTU and state.
func (d *Dataplane) ensureTun(tl TunLink, l netlink.Link) (netlink.Link, error) {
	if l != nil && (l.Type() != "tuntap" || l.Attrs().Alias != l2Alias) {
		return nil, fmt.Errorf("create interface %s: the router already has an interface %s that is not one of its configuration's tunnels", tl.Name, tl.Name)
	}
	if l == nil {
		attrs := netlink.NewLinkAttrs()
		attrs.Name = LinkName(tl.Name)
		tt := &netlink.Tuntap{LinkAttrs: attrs, Mode: netlink.TUNTAP_MODE_TUN, Flags: TunFlags}
		// netlink makes a TUN through /dev/net/tun of the calling
		// thread's namespace, not the handle's.
		if err := tundev.EnsureNode(); err != nil {
			return nil, fmt.Errorf("create interface %s: %w", tl.Name, err)
		}
		if err := inNetns(d.ns, func() error { return netlink.LinkAdd(tt) }); err != nil {
			return nil, errNoKernelSupport(err, "create interface "+tl.Name, "TUN devices (CONFIG_TUN)")
		}
		nl2, err := d.adoptNew(tl.Name, "interface")
		if err != nil {
			return nil, err
		}
		l = nl2
	}
	if tl.MTU != 0 && l.Attrs().MTU != tl.MTU {
		if err := d.nl.LinkSetMTU(l, tl.MTU); err != nil {
			return nil, fmt.Errorf("set mtu %d on %s: %w", tl.MTU, tl.Name, err)
		}
	}
	return l, d.setLinkState(l, tl.Name, tl.Disabled, "enabled")
}
