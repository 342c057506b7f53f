package kernel

import (
	"encoding/binary"
	"net"
	"time"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// arpProbe sends one ARP request for gw from the router's interface
// toward it and reports whether an ARP reply from gw came back within
// timeout. check-gateway=arp needs an answered ARP request each check
// (IP Routing page, https://help.mikrotik.com/docs/display/ROS/IP+Routing:
// "arp - send ARP requests"); reading the kernel's neighbour cache
// instead found a gateway that had stopped answering alive until the
// cache entry failed, 10-40 s later (forum41 D7). The request goes out
// as arping's does: broadcast, from the interface's address and MAC.
func (d *Dataplane) arpProbe(gw net.IP, timeout time.Duration) bool {
	answered := false
	_ = inNetns(d.ns, func() error {
		routes, err := netlink.RouteGet(gw)
		if err != nil || len(routes) == 0 {
			return err
		}
		rt := routes[0]
		target := gw
		if rt.Gw != nil {
			// Not on a connected subnet (a recursive gateway): the
			// request goes to the next hop it is reached through
			// [verify] what RouterOS's arp check does there.
			target = rt.Gw.To4()
		}
		link, err := netlink.LinkByIndex(rt.LinkIndex)
		if err != nil {
			return err
		}
		mac := link.Attrs().HardwareAddr
		src := rt.Src.To4()
		if len(mac) != 6 || src == nil || target == nil {
			return nil
		}
		fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, int(htons(unix.ETH_P_ARP)))
		if err != nil {
			return err
		}
		defer unix.Close(fd)
		if err := unix.Bind(fd, &unix.SockaddrLinklayer{Protocol: htons(unix.ETH_P_ARP), Ifindex: rt.LinkIndex}); err != nil {
			return err
		}
		// ARP request: Ethernet/IPv4, op 1, sender = the router's
		// interface, target = gw.
		req := make([]byte, 28)
		binary.BigEndian.PutUint16(req[0:], 1)
		binary.BigEndian.PutUint16(req[2:], unix.ETH_P_IP)
		req[4], req[5] = 6, 4
		binary.BigEndian.PutUint16(req[6:], 1)
		copy(req[8:], mac)
		copy(req[14:], src)
		copy(req[24:], target)
		bcast := &unix.SockaddrLinklayer{Protocol: htons(unix.ETH_P_ARP), Ifindex: rt.LinkIndex, Halen: 6}
		copy(bcast.Addr[:], []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
		if err := unix.Sendto(fd, req, 0, bcast); err != nil {
			return err
		}
		deadline := time.Now().Add(timeout)
		buf := make([]byte, 128)
		for {
			left := time.Until(deadline)
			if left <= 0 {
				return nil
			}
			tv := unix.NsecToTimeval(left.Nanoseconds())
			if err := unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv); err != nil {
				return err
			}
			n, _, err := unix.Recvfrom(fd, buf, 0)
			if err != nil {
				if err == unix.EINTR {
					continue
				}
				return nil
			}
			// A reply (op 2) whose sender is the target, to our
			// address.
			if n >= 28 && binary.BigEndian.Uint16(buf[6:]) == 2 && net.IP(buf[14:18]).Equal(target) && net.IP(buf[24:28]).Equal(src) {
				answered = true
				return nil
			}
		}
	})
	return answered
}

func htons(v uint16) uint16 { return v<<8 | v>>8 }
