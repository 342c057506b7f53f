package dhcpserver

import (
	"errors"
	"net"
	"net/netip"
	"time"

	"github.com/insomniacslk/dhcp/dhcpv4/nclient4"
	"github.com/insomniacslk/dhcp/dhcpv4/server4"
	"github.com/mdlayher/packet"
	"golang.org/x/sys/unix"
)

// RouterOS's DHCP server takes its requests from a raw socket, below the
// firewall: a router whose input chain drops everything not from the LAN
// list (a guest bridge left out of it, a locked-down input chain) still
// leases addresses, and only the DHCP clients' later traffic to the router
// (DNS) meets the filter. This is the usual forum symptom "guests get an
// address but no DNS" [verify] that RouterOS documents the raw socket. So
// the server reads its requests from a packet socket on the interface, as
// ISC's dhcpd does, and answers through an ordinary UDP socket on port 67
// (the router's own output passes the output chain).

// rawReadConn reads DHCP requests from a packet socket and writes answers
// through a UDP socket bound to the interface.
type rawReadConn struct {
	raw, udp net.PacketConn
}

// openConn opens both sockets on link for port.
func openConn(link string, port int) (net.PacketConn, error) {
	udp, err := server4.NewIPv4UDPConn(link, &net.UDPAddr{Port: port})
	if err != nil {
		return nil, err
	}
	ifc, err := net.InterfaceByName(link)
	if err != nil {
		udp.Close()
		return nil, err
	}
	pc, err := packet.Listen(ifc, packet.Datagram, unix.ETH_P_IP, nil)
	if err != nil {
		udp.Close()
		return nil, err
	}
	raw := nclient4.NewBroadcastUDPConn(&toRouter{PacketConn: pc, ifc: ifc}, &net.UDPAddr{Port: port})
	return &rawReadConn{raw: raw, udp: udp}, nil
}

// toRouter passes on the IPv4 packets addressed to the router on its
// interface: to the broadcast address, a broadcast of a subnet it holds
// there, or one of its addresses there. The packet socket sees every
// packet the interface receives, so a request a LAN host unicast to
// another DHCP server routed through the router (a relay's, a renewal
// with a server elsewhere) was answered too; the UDP socket it replaces
// never saw such a packet.
type toRouter struct {
	net.PacketConn
	ifc *net.Interface
}

func (c *toRouter) ReadFrom(b []byte) (int, net.Addr, error) {
	for {
		n, addr, err := c.PacketConn.ReadFrom(b)
		if err != nil || n < 20 || c.mine(netip.AddrFrom4([4]byte(b[16:20]))) {
			return n, addr, err
		}
	}
}

// mine reports whether dst is the router's on the interface.
func (c *toRouter) mine(dst netip.Addr) bool {
	if dst == netip.AddrFrom4([4]byte{255, 255, 255, 255}) {
		return true
	}
	addrs, err := c.ifc.Addrs()
	if err != nil {
		return true // cannot tell: answer, as before
	}
	for _, a := range addrs {
		ipn, ok := a.(*net.IPNet)
		if !ok {
			continue
		}
		pf, ok := netip.AddrFromSlice(ipn.IP)
		if !ok {
			continue
		}
		ones, _ := ipn.Mask.Size()
		p := netip.PrefixFrom(pf.Unmap(), ones)
		if p.Addr() == dst || p.Addr().Is4() && p.Bits() < 31 && lastOf(p) == dst {
			return true
		}
	}
	return false
}

// lastOf is the broadcast address of an IPv4 prefix.
func lastOf(p netip.Prefix) netip.Addr {
	b := p.Masked().Addr().As4()
	host := uint32(1)<<(32-p.Bits()) - 1
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3]) | host
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// ReadFrom returns the next request to the port, from the packet socket.
// The UDP socket's copies of the same requests are never read: its small
// receive queue fills and the kernel drops them.
func (c *rawReadConn) ReadFrom(b []byte) (int, net.Addr, error) { return c.raw.ReadFrom(b) }

func (c *rawReadConn) WriteTo(b []byte, addr net.Addr) (int, error) { return c.udp.WriteTo(b, addr) }

func (c *rawReadConn) Close() error { return errors.Join(c.raw.Close(), c.udp.Close()) }

func (c *rawReadConn) LocalAddr() net.Addr { return c.udp.LocalAddr() }

func (c *rawReadConn) SetDeadline(t time.Time) error {
	return errors.Join(c.raw.SetDeadline(t), c.udp.SetDeadline(t))
}

func (c *rawReadConn) SetReadDeadline(t time.Time) error { return c.raw.SetReadDeadline(t) }

func (c *rawReadConn) SetWriteDeadline(t time.Time) error { return c.udp.SetWriteDeadline(t) }
