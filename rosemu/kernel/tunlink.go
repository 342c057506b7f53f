package kernel

import (
	"fmt"
	"net"
	"os"
	"unsafe"

	"github.com/chrlab/chrlab/rosemu/tundev"
	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
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
	// Sink: no service carries the link's packets (a GRE, IPIP or EoIP
	// tunnel rosemu does not build). The dataplane attaches to it itself
	// and discards what it reads, so that the link is running, as
	// RouterOS keeps a stateless tunnel running: the routes through it
	// are live (a TUN nobody has open has no carrier, and rosemu ignores
	// the routes of links without one), the firewall sees packets leave
	// by it, and they go nowhere, as into a tunnel whose far end never
	// answers.
	Sink bool
	// TAP makes the link a TAP (Ethernet frames): an EoIP tunnel's,
	// which a bridge may take as a port (Bridge.Ports) and whose
	// addresses need ARP like a port's. MAC is its address ("": the
	// kernel's random locally administered one, kept while the link
	// lives).
	TAP bool
	MAC string
	// VXLAN makes the link the kernel's vxlan link of these settings
	// (vxlan.go), not a TUN: MTU, MAC and Disabled apply to it as to a
	// TAP, and a bridge may take it as a port.
	VXLAN *VXLAN
}

// TunFlags are the flags a TUN link is made with; whoever attaches to it
// must ask for the same mode (IFF_TUN, no packet information). The virtio
// header lets the WireGuard device pass segmentation offloads.
const TunFlags = netlink.TUNTAP_NO_PI | netlink.TUNTAP_VNET_HDR

// ensureTun makes the persistent TUN link of tl or brings the existing one
// to its MTU and state.
func (d *Dataplane) ensureTun(tl TunLink, l netlink.Link) (netlink.Link, error) {
	if l != nil && l.Type() == "vxlan" && l.Attrs().Alias == l2Alias {
		// A VXLAN replaced by a tunnel of another kind under its name.
		if err := d.nl.LinkDel(l); err != nil && !isNotFound(err) {
			return nil, fmt.Errorf("replace interface %s: delete the old one: %w", tl.Name, err)
		}
		l = nil
	}
	if l != nil && (l.Type() != "tuntap" || l.Attrs().Alias != l2Alias) {
		return nil, fmt.Errorf("create interface %s: the router already has an interface %s that is not one of its configuration's tunnels", tl.Name, tl.Name)
	}
	mode := netlink.TUNTAP_MODE_TUN
	if tl.TAP {
		mode = netlink.TUNTAP_MODE_TAP
	}
	if tt, ok := l.(*netlink.Tuntap); ok && tt.Mode != mode {
		// A tunnel whose name went from one kind to the other (a GRE
		// removed and an EoIP added under its name): a TUN cannot
		// become a TAP.
		if err := d.nl.LinkDel(l); err != nil && !isNotFound(err) {
			return nil, fmt.Errorf("replace interface %s: delete the old one: %w", tl.Name, err)
		}
		l = nil
	}
	created := l == nil
	if l == nil {
		attrs := netlink.NewLinkAttrs()
		attrs.Name = LinkName(tl.Name)
		tt := &netlink.Tuntap{LinkAttrs: attrs, Mode: mode, Flags: TunFlags}
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
	if tl.Sink {
		if err := d.attachSink(tl.Name, created); err != nil {
			return nil, err
		}
	}
	if !tl.TAP { // a TUN has no MAC
		tl.MAC = ""
	}
	return l, d.finishLink(l, tl)
}

// finishLink gives the link l of tl its MAC (if any) and MTU and brings
// it up or down.
func (d *Dataplane) finishLink(l netlink.Link, tl TunLink) error {
	if tl.MAC != "" {
		hw, err := net.ParseMAC(tl.MAC)
		if err != nil {
			return fmt.Errorf("set mac-address %q on %s: %w", tl.MAC, tl.Name, err)
		}
		// A multicast address is no interface's own: Linux refuses it
		// (the configuration layer reports it and never passes one).
		if hw[0]&1 == 0 && l.Attrs().HardwareAddr.String() != hw.String() {
			if err := d.nl.LinkSetHardwareAddr(l, hw); err != nil {
				return fmt.Errorf("set mac-address %s on %s: %w", hw, tl.Name, err)
			}
		}
	}
	if tl.MTU != 0 && l.Attrs().MTU != tl.MTU {
		if err := d.nl.LinkSetMTU(l, tl.MTU); err != nil {
			return fmt.Errorf("set mtu %d on %s: %w", tl.MTU, tl.Name, err)
		}
	}
	return d.setLinkState(l, tl.Name, tl.Disabled, "enabled")
}

// attachSink opens the TUN link name in the router's namespace and
// discards what it reads (TunLink.Sink); a link made anew gets a new
// attachment (the old one went with the link it was on).
func (d *Dataplane) attachSink(name string, created bool) error {
	if f := d.sinks[name]; f != nil {
		if !created {
			return nil
		}
		f.Close()
		delete(d.sinks, name)
	}
	var f *os.File
	err := inNetns(d.ns, func() error {
		fd, err := unix.Open(tundev.Path, unix.O_RDWR|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
		if err != nil {
			return err
		}
		var req [unix.IFNAMSIZ + 64]byte
		copy(req[:unix.IFNAMSIZ-1], LinkName(name))
		*(*uint16)(unsafe.Pointer(&req[unix.IFNAMSIZ])) = unix.IFF_TUN | unix.IFF_NO_PI | unix.IFF_VNET_HDR
		if _, _, e := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), unix.TUNSETIFF, uintptr(unsafe.Pointer(&req[0]))); e != 0 {
			unix.Close(fd)
			return e
		}
		// Non-blocking, so the runtime poller lets Close end a Read.
		f = os.NewFile(uintptr(fd), "/dev/net/tun:"+name)
		return nil
	})
	if err != nil {
		return fmt.Errorf("attach to interface %s: %w", name, err)
	}
	if d.sinks == nil {
		d.sinks = map[string]*os.File{}
	}
	d.sinks[name] = f
	go func() {
		buf := make([]byte, 65536+64)
		for {
			if _, err := f.Read(buf); err != nil {
				return
			}
		}
	}()
	return nil
}

// closeSinks lets go of the links attachSink holds except those in keep
// (nil: all).
func (d *Dataplane) closeSinks(keep map[string]bool) {
	for n, f := range d.sinks {
		if !keep[n] {
			f.Close()
			delete(d.sinks, n)
		}
	}
}
