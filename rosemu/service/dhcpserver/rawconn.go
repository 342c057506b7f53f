package dhcpserver

import (
	"errors"
	"net"
	"time"

	"github.com/insomniacslk/dhcp/dhcpv4/nclient4"
	"github.com/insomniacslk/dhcp/dhcpv4/server4"
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
	raw, err := nclient4.NewRawUDPConn(link, port)
	if err != nil {
		udp.Close()
		return nil, err
	}
	return &rawReadConn{raw: raw, udp: udp}, nil
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
