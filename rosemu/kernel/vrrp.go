package kernel

import (
	"bytes"
	"fmt"
	"net"
	"path/filepath"

	"github.com/vishvananda/netlink"
)

// VRRP is one /interface vrrp the router runs: a MAC VLAN on its
// interface with the virtual router's MAC. It is up only while the router
// is the virtual router's master, so that its addresses, the routes
// through it and its ARP answers exist only then, as a RouterOS VRRP
// interface runs only while master.
type VRRP struct {
	Name      string
	Interface string
	VRID      int
	MTU       int
	ARP       string
	Master    bool
}

// VRRPMAC is the virtual router's MAC for IPv4 (RFC 5798 7.3):
// 00-00-5E-00-01-{VRID}.
func VRRPMAC(vrid int) net.HardwareAddr {
	return net.HardwareAddr{0x00, 0x00, 0x5e, 0x00, 0x01, byte(vrid)}
}

// ensureVRRP makes the MAC VLAN of v on parent, or brings the existing one
// to v; one on another parent or with another MAC is made anew.
func (d *Dataplane) ensureVRRP(v VRRP, parent, l netlink.Link) (netlink.Link, error) {
	mac := VRRPMAC(v.VRID)
	if l != nil {
		switch {
		case l.Attrs().Alias != l2Alias:
			return nil, fmt.Errorf("create vrrp interface %s: the router already has an interface %s that is not one of its configuration's", v.Name, v.Name)
		case l.Type() != "macvlan" || l.Attrs().ParentIndex != parent.Attrs().Index || !bytes.Equal(l.Attrs().HardwareAddr, mac):
			if err := d.nl.LinkDel(l); err != nil {
				return nil, fmt.Errorf("replace vrrp interface %s: delete the old one: %w", v.Name, err)
			}
			l = nil
		}
	}
	if l == nil {
		attrs := netlink.NewLinkAttrs()
		attrs.Name = LinkName(v.Name)
		attrs.ParentIndex = parent.Attrs().Index
		attrs.HardwareAddr = mac
		if err := d.nl.LinkAdd(&netlink.Macvlan{LinkAttrs: attrs, Mode: netlink.MACVLAN_MODE_BRIDGE}); err != nil {
			return nil, errNoKernelSupport(err, fmt.Sprintf("create vrrp interface %s (vrid %d on %s)", v.Name, v.VRID, v.Interface), "MAC VLANs (CONFIG_MACVLAN)")
		}
		nl2, err := d.adoptNew(v.Name, "vrrp interface")
		if err != nil {
			return nil, err
		}
		l = nl2
	}
	if err := d.setChildMTU(l, parent, v.MTU, "vrrp interface "+v.Name); err != nil {
		return nil, err
	}
	// The parent answers ARP only for its own addresses: the virtual
	// addresses are answered by the virtual router's link alone, with
	// its MAC, and not at all while it is backup (Linux answers for any
	// of its addresses on any link by default).
	if err := d.writeIPv4Conf(parent.Attrs().Name, "arp_ignore", "1"); err != nil {
		return nil, fmt.Errorf("set arp_ignore on %s, the interface of vrrp interface %s: %w", v.Interface, v.Name, err)
	}
	return l, d.setLinkState(l, v.Name, !v.Master, v.ARP)
}

// writeIPv4Conf writes /proc/sys/net/ipv4/conf/<link>/<key> in the router
// namespace (by path: a link's name may hold a dot).
func (d *Dataplane) writeIPv4Conf(link, key, value string) error {
	return writeNetConf(d.ns, "/proc/sys/net/ipv4", [][2]string{{filepath.Join("conf", link, key), value}})
}
