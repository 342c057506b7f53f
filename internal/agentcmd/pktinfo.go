package agentcmd

import (
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
	"syscall"
	"unsafe"
)

// The UDP whoami server listens on the wildcard address, so the kernel does not say which local
// address a datagram was sent to, and a reply would leave from whatever source the route picks. A
// probe behind NAT must get its reply from the address it asked (or its connected socket drops the
// reply), and the whoami line reports that address. IP_PKTINFO and IPV6_RECVPKTINFO give the
// destination of each datagram; the same structure as a control message on the reply sets its
// source. This is written against syscall rather than golang.org/x/net to keep the agent free of
// further dependencies.

// enablePktinfo asks the kernel to report the destination address of every datagram on c.
func enablePktinfo(c *net.UDPConn) error {
	rc, err := c.SyscallConn()
	if err != nil {
		return fmt.Errorf("get raw socket: %w", err)
	}
	var serr error
	err = rc.Control(func(fd uintptr) {
		sa, err := syscall.Getsockname(int(fd))
		if err != nil {
			serr = fmt.Errorf("get socket name: %w", err)
			return
		}
		switch sa.(type) {
		case *syscall.SockaddrInet4:
			serr = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_IP, syscall.IP_PKTINFO, 1)
		case *syscall.SockaddrInet6:
			serr = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_IPV6, syscall.IPV6_RECVPKTINFO, 1)
		default:
			serr = fmt.Errorf("socket family %T is neither IPv4 nor IPv6", sa)
		}
	})
	if err != nil {
		return fmt.Errorf("control socket: %w", err)
	}
	return serr
}

// parsePktinfo finds the destination address and arrival interface in the control messages oob.
// An IPv4 datagram on an IPv6 socket comes back as an IPv4-mapped address; it is kept mapped so
// that pktinfo answers in the socket's own family.
func parsePktinfo(oob []byte) (dst netip.Addr, ifindex int, ok bool) {
	msgs, err := syscall.ParseSocketControlMessage(oob)
	if err != nil {
		return netip.Addr{}, 0, false
	}
	for _, m := range msgs {
		switch {
		case m.Header.Level == syscall.IPPROTO_IP && m.Header.Type == syscall.IP_PKTINFO && len(m.Data) >= 12:
			// struct in_pktinfo { int ipi_ifindex; struct in_addr ipi_spec_dst; struct in_addr ipi_addr; }
			ifindex = int(int32(binary.NativeEndian.Uint32(m.Data[0:4])))
			return netip.AddrFrom4([4]byte(m.Data[8:12])), ifindex, true
		case m.Header.Level == syscall.IPPROTO_IPV6 && m.Header.Type == syscall.IPV6_PKTINFO && len(m.Data) >= 20:
			// struct in6_pktinfo { struct in6_addr ipi6_addr; unsigned int ipi6_ifindex; }
			ifindex = int(binary.NativeEndian.Uint32(m.Data[16:20]))
			return netip.AddrFrom16([16]byte(m.Data[0:16])), ifindex, true
		}
	}
	return netip.Addr{}, 0, false
}

// pktinfo builds the control message that makes a reply leave from src. The IPv6 form keeps the
// arrival interface, which a link-local source needs; the IPv4 form leaves routing to pick it.
func pktinfo(src netip.Addr, ifindex int) []byte {
	if !src.IsValid() {
		return nil
	}
	if src.Is4() {
		data := make([]byte, 12)
		s := src.As4()
		copy(data[4:8], s[:]) // ipi_spec_dst: the source address of the reply
		return cmsg(syscall.IPPROTO_IP, syscall.IP_PKTINFO, data)
	}
	data := make([]byte, 20)
	s := src.As16()
	copy(data[0:16], s[:])
	binary.NativeEndian.PutUint32(data[16:20], uint32(ifindex))
	return cmsg(syscall.IPPROTO_IPV6, syscall.IPV6_PKTINFO, data)
}

// cmsg frames data as one control message of the given level and type.
func cmsg(level, typ int, data []byte) []byte {
	b := make([]byte, syscall.CmsgSpace(len(data)))
	h := (*syscall.Cmsghdr)(unsafe.Pointer(&b[0]))
	h.Level = int32(level)
	h.Type = int32(typ)
	h.SetLen(syscall.CmsgLen(len(data)))
	copy(b[syscall.CmsgLen(0):], data)
	return b
}
