package agentcmd

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"syscall"
	"time"

	"github.com/vishvananda/netlink"

	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/service/vrrp"
)

// A lab node as the other router of a virtual router (labagent node
// --serve vrrp): it runs the same VRRP speaker as rosemu (package
// rosemu/service/vrrp) on its interface in the network, and holds the
// virtual address on a MAC VLAN with the virtual router's MAC while it is
// master, so that a probe of the virtual address shows which router
// answers.

// vrrpFlags are the --vrrp-* flags.
type vrrpFlags struct {
	network  string
	vrid     int
	priority int
	interval time.Duration
	address  string
	version  int
	parsed   vrrpOptions
}

type vrrpOptions struct {
	Network  netip.Prefix
	VRID     int
	Priority int
	Interval time.Duration
	Address  netip.Addr
	Version  int
}

func (f *vrrpFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.network, "vrrp-network", "", "vrrp: speak on the interface with an address in this `prefix`")
	fs.IntVar(&f.vrid, "vrrp-vrid", 1, "vrrp: the virtual router's `id` (1-255)")
	fs.IntVar(&f.priority, "vrrp-priority", 100, "vrrp: this node's `priority` (1-254)")
	fs.DurationVar(&f.interval, "vrrp-interval", time.Second, "vrrp: the advertisement `interval`")
	fs.StringVar(&f.address, "vrrp-address", "", "vrrp: the virtual `address`")
	fs.IntVar(&f.version, "vrrp-version", 3, "vrrp: the protocol `version`, 2 or 3")
}

func (f *vrrpFlags) check(on bool) error {
	if !on {
		return nil
	}
	nw, err := netip.ParsePrefix(f.network)
	if err != nil || !nw.Addr().Is4() {
		return fmt.Errorf("--vrrp-network %q is not an IPv4 prefix", f.network)
	}
	a, err := netip.ParseAddr(f.address)
	if err != nil || !nw.Contains(a) {
		return fmt.Errorf("--vrrp-address %q is not an address in %s", f.address, nw)
	}
	switch {
	case f.vrid < 1 || f.vrid > 255:
		return fmt.Errorf("--vrrp-vrid %d is out of range (1-255)", f.vrid)
	case f.priority < 1 || f.priority > 254:
		return fmt.Errorf("--vrrp-priority %d is out of range (1-254)", f.priority)
	case f.interval < 10*time.Millisecond || f.interval > 40*time.Second:
		return fmt.Errorf("--vrrp-interval %s is out of range (10ms to 40s)", f.interval)
	case f.version != 2 && f.version != 3:
		return fmt.Errorf("--vrrp-version %d: want 2 or 3", f.version)
	}
	f.parsed = vrrpOptions{Network: nw.Masked(), VRID: f.vrid, Priority: f.priority, Interval: f.interval, Address: a, Version: f.version}
	return nil
}

// vrrpNode is the node's side of the virtual router: the speaker's engine.
type vrrpNode struct {
	cfg  config.VRRP
	link netlink.Link
	logf func(string, ...any)
}

func (n *vrrpNode) VRRPs() []config.VRRP { return []config.VRRP{n.cfg} }

// SetVRRPState brings the MAC VLAN up with the virtual address as
// master, and takes the address away and the link down as backup: Linux
// keeps an address on a link that is down as its own, and would answer
// for it.
func (n *vrrpNode) SetVRRPState(_ string, master bool) error {
	n.logf("vrrp: vrid %d: %s", n.cfg.VRID, map[bool]string{true: "master", false: "backup"}[master])
	addr := &netlink.Addr{IPNet: &net.IPNet{IP: n.cfg.Addresses[0].AsSlice(), Mask: net.CIDRMask(32, 32)}}
	if master {
		if err := netlink.AddrReplace(n.link, addr); err != nil {
			return err
		}
		return netlink.LinkSetUp(n.link)
	}
	if err := netlink.AddrDel(n.link, addr); err != nil && !errors.Is(err, syscall.EADDRNOTAVAIL) {
		return err
	}
	return netlink.LinkSetDown(n.link)
}

func (n *vrrpNode) RunVRRPScript(context.Context, string, string) error { return nil }

// startVRRP finds the node's interface in the network, makes the MAC VLAN
// (down, without the virtual address) and starts the speaker until ctx
// ends. The lab starts the node with arp_ignore=1 (harness/lab), so that
// its own interface does not answer for the virtual address.
func startVRRP(ctx context.Context, o vrrpOptions, logf func(string, ...any)) error {
	links, err := netlink.LinkList()
	if err != nil {
		return fmt.Errorf("vrrp: list links: %w", err)
	}
	var parent netlink.Link
	for _, l := range links {
		addrs, _ := netlink.AddrList(l, netlink.FAMILY_V4)
		for _, a := range addrs {
			if ip, ok := netip.AddrFromSlice(a.IP.To4()); ok && o.Network.Contains(ip) {
				parent = l
			}
		}
	}
	if parent == nil {
		return fmt.Errorf("vrrp: no interface has an address in %s", o.Network)
	}
	name := fmt.Sprintf("vrrp%d", o.VRID)
	attrs := netlink.NewLinkAttrs()
	attrs.Name = name
	attrs.ParentIndex = parent.Attrs().Index
	attrs.HardwareAddr = kernel.VRRPMAC(o.VRID)
	if err := netlink.LinkAdd(&netlink.Macvlan{LinkAttrs: attrs, Mode: netlink.MACVLAN_MODE_BRIDGE}); err != nil {
		return fmt.Errorf("vrrp: make %s on %s: %w", name, parent.Attrs().Name, err)
	}
	link, err := netlink.LinkByName(name)
	if err != nil {
		return fmt.Errorf("vrrp: %w", err)
	}
	n := &vrrpNode{link: link, logf: logf, cfg: config.VRRP{ID: "*1", Name: name, Link: name, Parent: parent.Attrs().Name,
		VRID: o.VRID, Priority: o.Priority, Interval: o.Interval, Preempt: true, Version: o.Version, Addresses: []netip.Addr{o.Address}}}
	// slog's default logger writes through the node's log.
	m := vrrp.New(slog.Default())
	go func() { _ = m.Run(ctx, n) }()
	logf("vrrp: vrid %d priority %d on %s for %s, every %s", o.VRID, o.Priority, parent.Attrs().Name, o.Address, o.Interval)
	return nil
}
