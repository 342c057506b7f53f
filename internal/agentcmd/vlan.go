package agentcmd

import (
	"context"
	"fmt"
	"log"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"unsafe"

	"github.com/mdlayher/packet"
	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// vlanFlag is one --vlan VID:WIRE=LAB/LEN: the interface Docker wired at
// WIRE is a port of a VLAN trunk, and this host sits in VLAN VID of it with
// the lab address LAB, untagged, as behind a switch's access port.
type vlanFlag struct {
	vid  uint16
	wire netip.Addr
	lab  netip.Prefix
}

type vlanFlags []vlanFlag

func (v *vlanFlags) String() string { return fmt.Sprint(*v) }

func (v *vlanFlags) Set(s string) error {
	id, rest, ok := strings.Cut(s, ":")
	if !ok || !strings.Contains(rest, "=") {
		return fmt.Errorf("%q is not VID:WIRE=LAB/LEN", s)
	}
	n, err := strconv.Atoi(id)
	if err != nil || n < 1 || n > 4094 {
		return fmt.Errorf("VLAN id %q: want 1 to 4094", id)
	}
	wire, lab, err := parseWireLab(rest)
	if err != nil {
		return err
	}
	*v = append(*v, vlanFlag{vid: uint16(n), wire: wire, lab: lab})
	return nil
}

// setUpVLANs makes each --vlan's access port: the trunk interface loses
// its addresses (nothing untagged is this host's), and a TAP device with
// the trunk's MAC address carries the lab address; frames move between the
// two, tagged on the trunk, untagged on the TAP. A kernel with 8021q
// would do this with a VLAN interface; this one works without it. It
// returns the TAP of each wire address, where the host's IPv6 address or
// SLAAC token goes too.
//
// The trunk's own stack takes nothing in: an ingress hook drops every
// frame after the packet socket has seen it (a packet socket of all
// protocols is served before the ingress hook). Without it the trunk, a
// plain interface of the host, formed addresses and took a default route
// from the router's untagged advertisements (the native LAN's), and the
// host's IPv6 left untagged (forum55 D5).
func setUpVLANs(h *netlink.Handle, flags vlanFlags) (map[netip.Addr]string, error) {
	taps := map[netip.Addr]string{}
	for _, f := range flags {
		trunk, err := linkWithAddr(h, f.wire)
		if err != nil {
			return nil, fmt.Errorf("set up VLAN %d: %w", f.vid, err)
		}
		if err := flushIPv4(h, trunk); err != nil {
			return nil, err
		}
		name := fmt.Sprintf("%s.%d", trunk.Attrs().Name, f.vid)
		if len(name) > unix.IFNAMSIZ-1 {
			name = fmt.Sprintf("vlan%d", f.vid)
		}
		tap, err := openTAP(h, name, trunk.Attrs().HardwareAddr)
		if err != nil {
			return nil, fmt.Errorf("set up VLAN %d on %s: %w", f.vid, trunk.Attrs().Name, err)
		}
		link, err := h.LinkByName(name)
		if err != nil {
			return nil, fmt.Errorf("find VLAN interface %s: %w", name, err)
		}
		lab := &netlink.Addr{IPNet: &net.IPNet{IP: f.lab.Addr().AsSlice(), Mask: net.CIDRMask(f.lab.Bits(), 32)}}
		if err := h.AddrAdd(link, lab); err != nil {
			return nil, fmt.Errorf("add lab address %s to %s: %w", f.lab, name, err)
		}
		ifi, err := net.InterfaceByIndex(trunk.Attrs().Index)
		if err != nil {
			return nil, fmt.Errorf("find trunk interface %s: %w", trunk.Attrs().Name, err)
		}
		conn, err := openTrunk(ifi)
		if err != nil {
			return nil, err
		}
		go func() {
			err := pumpVLAN(conn, tap, f.vid)
			// The host has lost its only path in the VLAN: say so, and
			// let the lab see a dead node rather than a silent one.
			log.Fatalf("VLAN %d on %s: %v", f.vid, trunk.Attrs().Name, err)
		}()
		if out, err := nftApply(context.Background(), trunkIngressDrop(trunk.Attrs().Name)); err != nil {
			// A kernel without nft's netdev family: the VLAN still
			// works, but the trunk's stack sees the untagged frames
			// (an IPv6 host there may form a native-LAN address), so
			// say it rather than leave the host out of the lab.
			log.Printf("VLAN %d: trunk %s's own stack still sees its untagged frames (nft ingress hook: %v: %s)", f.vid, trunk.Attrs().Name, err, out)
		}
		taps[f.wire] = name
		log.Printf("VLAN %d: %s carries %s, tagged on %s", f.vid, name, f.lab, trunk.Attrs().Name)
	}
	return taps, nil
}

// trunkIngressDrop is the nft script that drops every frame arriving on
// trunk before the host's stack sees it.
func trunkIngressDrop(trunk string) string {
	t := "labagent_trunk_" + trunk
	return fmt.Sprintf("table netdev %s {\n\tchain in {\n\t\ttype filter hook ingress device %q priority 0; policy drop;\n\t}\n}\n", t, trunk)
}

// labLink is the interface a host's flags name by its wire address: the
// VLAN's TAP when the wire is a trunk port, else the interface holding it.
func labLink(h *netlink.Handle, wire netip.Addr, taps map[netip.Addr]string) (netlink.Link, error) {
	if name, ok := taps[wire]; ok {
		return h.LinkByName(name)
	}
	return linkWithAddr(h, wire)
}

// linkWithAddr finds the interface holding the IPv4 address a.
func linkWithAddr(h *netlink.Handle, a netip.Addr) (netlink.Link, error) {
	links, err := h.LinkList()
	if err != nil {
		return nil, fmt.Errorf("list interfaces: %w", err)
	}
	for _, l := range links {
		addrs, err := h.AddrList(l, netlink.FAMILY_V4)
		if err != nil {
			return nil, fmt.Errorf("list addresses of %s: %w", l.Attrs().Name, err)
		}
		for _, x := range addrs {
			if ip, ok := netip.AddrFromSlice(x.IP.To4()); ok && ip == a {
				return l, nil
			}
		}
	}
	return nil, fmt.Errorf("no interface has the wire address %s", a)
}

func flushIPv4(h *netlink.Handle, l netlink.Link) error {
	addrs, err := h.AddrList(l, netlink.FAMILY_V4)
	if err != nil {
		return fmt.Errorf("list addresses of %s: %w", l.Attrs().Name, err)
	}
	for _, a := range addrs {
		if err := h.AddrDel(l, &a); err != nil {
			return fmt.Errorf("remove %s from %s: %w", a.IPNet, l.Attrs().Name, err)
		}
	}
	return nil
}

// openTAP creates the TAP device name with the MAC address mac, up, and
// returns its file: Ethernet frames without packet information. Without
// offloads asked for (TUNSETOFFLOAD), the kernel hands it frames with
// their checksums computed.
func openTAP(h *netlink.Handle, name string, mac net.HardwareAddr) (*os.File, error) {
	// Docker gives a container no /dev/net/tun, but its device rules
	// allow the TUN device (character 10:200) to be made.
	if _, err := os.Stat("/dev/net/tun"); os.IsNotExist(err) {
		_ = os.MkdirAll("/dev/net", 0o755)
		if err := unix.Mknod("/dev/net/tun", unix.S_IFCHR|0o666, int(unix.Mkdev(10, 200))); err != nil {
			return nil, fmt.Errorf("make /dev/net/tun: %w", err)
		}
	}
	tt := &netlink.Tuntap{
		LinkAttrs:  netlink.LinkAttrs{Name: name},
		Mode:       netlink.TUNTAP_MODE_TAP,
		Flags:      netlink.TUNTAP_NO_PI,
		Queues:     1,
		NonPersist: true,
	}
	if err := h.LinkAdd(tt); err != nil {
		return nil, fmt.Errorf("create TAP %s: %w", name, err)
	}
	link, err := h.LinkByName(name)
	if err != nil {
		return nil, fmt.Errorf("find TAP %s: %w", name, err)
	}
	if err := h.LinkSetHardwareAddr(link, mac); err != nil {
		return nil, fmt.Errorf("set MAC address %s on %s: %w", mac, name, err)
	}
	if err := h.LinkSetUp(link); err != nil {
		return nil, fmt.Errorf("bring up %s: %w", name, err)
	}
	return tt.Fds[0], nil
}

// openTrunk opens a packet socket for every frame of the trunk, with the
// kernel's note of each frame's VLAN tag (PACKET_AUXDATA).
func openTrunk(ifi *net.Interface) (*packet.Conn, error) {
	c, err := packet.Listen(ifi, packet.Raw, unix.ETH_P_ALL, nil)
	if err != nil {
		return nil, fmt.Errorf("open a packet socket on trunk %s: %w", ifi.Name, err)
	}
	rc, err := c.SyscallConn()
	if err != nil {
		c.Close()
		return nil, err
	}
	var serr error
	if err := rc.Control(func(fd uintptr) {
		serr = unix.SetsockoptInt(int(fd), unix.SOL_PACKET, unix.PACKET_AUXDATA, 1)
	}); err != nil || serr != nil {
		c.Close()
		return nil, fmt.Errorf("ask for VLAN tags (PACKET_AUXDATA) on %s: %v %v", ifi.Name, err, serr)
	}
	return c, nil
}

// pumpVLAN moves frames between the trunk and the VLAN's TAP until one of
// them fails: frames of VLAN vid arriving on the trunk lose their tag and
// enter the TAP; frames the host sends on the TAP gain the tag and leave
// by the trunk. Everything else on the trunk (other VLANs, untagged
// frames, the trunk's own outgoing frames) is not this host's.
func pumpVLAN(trunk *packet.Conn, tap *os.File, vid uint16) error {
	errc := make(chan error, 2)
	go func() {
		buf := make([]byte, 65536)
		for {
			n, err := tap.Read(buf)
			if err != nil {
				errc <- fmt.Errorf("read TAP: %w", err)
				return
			}
			out, err := tagFrame(buf[:n], vid)
			if err != nil {
				continue
			}
			if _, err := trunk.WriteTo(out, &packet.Addr{HardwareAddr: net.HardwareAddr(out[:6])}); err != nil {
				errc <- fmt.Errorf("write trunk: %w", err)
				return
			}
		}
	}()
	go func() {
		rc, err := trunk.SyscallConn()
		if err != nil {
			errc <- err
			return
		}
		buf := make([]byte, 65536+vlanTagLen)
		oob := make([]byte, unix.CmsgSpace(int(unsafe.Sizeof(unix.TpacketAuxdata{}))))
		for {
			var (
				n, oobn int
				from    unix.Sockaddr
				rerr    error
			)
			if err := rc.Read(func(fd uintptr) bool {
				n, oobn, _, from, rerr = unix.Recvmsg(int(fd), buf, oob, 0)
				return rerr != unix.EAGAIN
			}); err != nil {
				errc <- fmt.Errorf("read trunk: %w", err)
				return
			}
			if rerr != nil {
				errc <- fmt.Errorf("read trunk: %w", rerr)
				return
			}
			if ll, ok := from.(*unix.SockaddrLinklayer); ok && ll.Pkttype == unix.PACKET_OUTGOING {
				continue
			}
			aux, csumNotReady := parseAuxdata(oob[:oobn])
			got, frame, ok := untagFrame(buf[:n], aux)
			if !ok || got != vid {
				continue
			}
			if csumNotReady {
				fillL4Checksum(frame)
			}
			if _, err := tap.Write(frame); err != nil {
				errc <- fmt.Errorf("write TAP: %w", err)
				return
			}
		}
	}()
	return <-errc
}

// parseAuxdata reads the kernel's PACKET_AUXDATA note of a frame: its VLAN
// tag if the kernel took it off, and whether the frame's checksum is
// still to be computed.
func parseAuxdata(oob []byte) (auxVLAN, bool) {
	msgs, err := unix.ParseSocketControlMessage(oob)
	if err != nil {
		return auxVLAN{}, false
	}
	for _, m := range msgs {
		if m.Header.Level != unix.SOL_PACKET || m.Header.Type != unix.PACKET_AUXDATA || len(m.Data) < int(unsafe.Sizeof(unix.TpacketAuxdata{})) {
			continue
		}
		a := (*unix.TpacketAuxdata)(unsafe.Pointer(&m.Data[0]))
		return auxVLAN{valid: a.Status&unix.TP_STATUS_VLAN_VALID != 0, tci: a.Vlan_tci}, a.Status&unix.TP_STATUS_CSUMNOTREADY != 0
	}
	return auxVLAN{}, false
}
