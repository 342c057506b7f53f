package ppp

import (
	"fmt"
	"os"
	"unsafe"

	"github.com/chrlab/chrlab/rosemu/tundev"
	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// OpenTUN creates (or attaches to) the TUN device name in the current
// network namespace: raw IP packets, no packet-info header. The caller
// sets its addresses and brings it up.
func OpenTUN(name string) (*os.File, error) {
	if err := tundev.EnsureNode(); err != nil {
		return nil, fmt.Errorf("TUN %s: %w", name, err)
	}
	fd, err := unix.Open("/dev/net/tun", unix.O_RDWR|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("open /dev/net/tun for %s: %w", name, err)
	}
	var req [unix.IFNAMSIZ + 64]byte
	copy(req[:unix.IFNAMSIZ-1], name)
	*(*uint16)(unsafe.Pointer(&req[unix.IFNAMSIZ])) = unix.IFF_TUN | unix.IFF_NO_PI
	if _, _, e := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), unix.TUNSETIFF, uintptr(unsafe.Pointer(&req[0]))); e != 0 {
		unix.Close(fd)
		return nil, fmt.Errorf("create TUN %s: %w", name, e)
	}
	// Non-blocking, so the runtime poller lets Close interrupt a Read.
	return os.NewFile(uintptr(fd), "/dev/net/tun:"+name), nil
}

// Pump copies IPv4 packets between the session and a TUN device until the
// session ends or the device fails. The caller closes the device (after
// it has taken the session's addresses away, so nothing names a missing
// interface); its reader ends then. allow, when not
// nil, decides which packets from the peer enter (an ISP's anti-spoofing).
func Pump(c *Conn, tun *os.File, allow func(pkt []byte) bool) error {
	errc := make(chan error, 2)
	go func() {
		buf := make([]byte, 65536)
		for {
			n, err := tun.Read(buf)
			if err != nil {
				errc <- fmt.Errorf("read TUN: %w", err)
				return
			}
			if n == 0 || buf[0]>>4 != 4 {
				continue // IPv6 has no IPV6CP here
			}
			if err := c.WritePacket(append([]byte(nil), buf[:n]...)); err != nil && c.Err() != nil {
				errc <- c.Err()
				return
			}
		}
	}()
	go func() {
		for {
			p, err := c.ReadPacket()
			if err != nil {
				errc <- err
				return
			}
			if allow != nil && !allow(p) {
				continue
			}
			if _, err := tun.Write(p); err != nil {
				errc <- fmt.Errorf("write TUN: %w", err)
				return
			}
		}
	}()
	var err error
	select {
	case err = <-errc:
	case <-c.Done():
		err = c.Err()
	}
	return err
}

// OpenTUNUp opens the TUN device name (a Linux name) with the session's
// MTU and brings it up: the link the router's side of a session carries
// its packets on, for the PPPoE client and the server alike.
func OpenTUNUp(name string, mtu int) (*os.File, error) {
	tun, err := OpenTUN(name)
	if err != nil {
		return nil, err
	}
	lk, err := netlink.LinkByName(name)
	if err == nil {
		err = netlink.LinkSetMTU(lk, mtu)
	}
	if err == nil {
		err = netlink.LinkSetUp(lk)
	}
	if err != nil {
		tun.Close()
		return nil, fmt.Errorf("bring up TUN %s with MTU %d: %w", name, mtu, err)
	}
	return tun, nil
}
