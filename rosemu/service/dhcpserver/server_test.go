package dhcpserver

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/insomniacslk/dhcp/dhcpv4"

	"github.com/chrlab/chrlab/rosemu/config"
)

// capture is a PacketConn that records what the server sends.
type capture struct {
	net.PacketConn
	mu   sync.Mutex
	sent []*dhcpv4.DHCPv4
	to   []net.Addr
}

func (c *capture) WriteTo(b []byte, to net.Addr) (int, error) {
	m, err := dhcpv4.FromBytes(b)
	if err != nil {
		return 0, err
	}
	c.mu.Lock()
	c.sent = append(c.sent, m)
	c.to = append(c.to, to)
	c.mu.Unlock()
	return len(b), nil
}

func (c *capture) last(t *testing.T) *dhcpv4.DHCPv4 {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.sent) == 0 {
		t.Fatal("no reply")
	}
	return c.sent[len(c.sent)-1]
}

func router(t *testing.T) *config.Router {
	r := config.New(config.Options{Ports: []string{"ether1", "ether2"}})
	_, err := r.Run(context.Background(), `/ip address add address=192.168.88.1/24 interface=ether2
/ip pool add name=lan ranges=192.168.88.100-192.168.88.200
/ip dhcp-server add name=lan interface=ether2 address-pool=lan lease-time=10m lease-script="/ip firewall address-list add list=leased address=\$leaseActIP comment=\$leaseActMAC"
/ip dhcp-server network add address=192.168.88.0/24 gateway=192.168.88.1 dns-server=192.168.88.1 domain=lab.lan
/ip dhcp-server lease add address=192.168.88.42 mac-address=02:00:00:00:00:42`)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func msg(t *testing.T, mac string, mods ...dhcpv4.Modifier) *dhcpv4.DHCPv4 {
	hw, _ := net.ParseMAC(mac)
	m, err := dhcpv4.New(append([]dhcpv4.Modifier{dhcpv4.WithHwAddr(hw), dhcpv4.WithOption(dhcpv4.OptHostName("client1"))}, mods...)...)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for range 100 {
		if ok() {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

func TestHandshakeScriptAndRelease(t *testing.T) {
	r := router(t)
	s := &server{m: New(nil), e: r, name: "lan", iface: "ether2", authoritative: true}
	c := &capture{}
	ctx := context.Background()
	s.handle(ctx, c, nil, msg(t, "02:00:00:00:00:01", dhcpv4.WithMessageType(dhcpv4.MessageTypeDiscover)))
	off := c.last(t)
	if off.MessageType() != dhcpv4.MessageTypeOffer || off.YourIPAddr.String() != "192.168.88.200" ||
		off.ServerIdentifier().String() != "192.168.88.1" || off.Router()[0].String() != "192.168.88.1" ||
		off.DomainName() != "lab.lan" || off.IPAddressLeaseTime(0) != 10*time.Minute || c.to[0].String() != "255.255.255.255:68" {
		t.Fatalf("offer: %s to %v", off.Summary(), c.to[0])
	}
	s.handle(ctx, c, nil, msg(t, "02:00:00:00:00:01", dhcpv4.WithMessageType(dhcpv4.MessageTypeRequest),
		dhcpv4.WithOption(dhcpv4.OptRequestedIPAddress(off.YourIPAddr)), dhcpv4.WithOption(dhcpv4.OptServerIdentifier(off.ServerIdentifier()))))
	if ack := c.last(t); ack.MessageType() != dhcpv4.MessageTypeAck || ack.YourIPAddr.String() != "192.168.88.200" {
		t.Fatalf("ack: %s", ack.Summary())
	}
	// The lease script ran with $leaseActIP and $leaseActMAC.
	waitFor(t, "the lease script", func() bool {
		out, _ := r.Run(ctx, "/ip firewall address-list print")
		return strings.Contains(out, "192.168.88.200") && strings.Contains(out, "02:00:00:00:00:01")
	})
	out, _ := r.Run(ctx, "/ip dhcp-server lease print")
	if !strings.Contains(out, "192.168.88.200") || !strings.Contains(out, "client1") {
		t.Errorf("lease print:\n%s", out)
	}
	// A request for an address the server holds for another client: NAK.
	s.handle(ctx, c, nil, msg(t, "02:00:00:00:00:02", dhcpv4.WithMessageType(dhcpv4.MessageTypeRequest),
		dhcpv4.WithOption(dhcpv4.OptRequestedIPAddress(net.IPv4(192, 168, 88, 200)))))
	if nak := c.last(t); nak.MessageType() != dhcpv4.MessageTypeNak {
		t.Errorf("foreign request: %s", nak.Summary())
	}
	// The static lease's client gets its address.
	s.handle(ctx, c, nil, msg(t, "02:00:00:00:00:42", dhcpv4.WithMessageType(dhcpv4.MessageTypeDiscover)))
	if off := c.last(t); off.YourIPAddr.String() != "192.168.88.42" {
		t.Errorf("static offer: %s", off.Summary())
	}
	// Release: the script runs with leaseBound=0 (the entry it added stays,
	// the script only adds); the dynamic lease is gone.
	s.handle(ctx, c, nil, msg(t, "02:00:00:00:00:01", dhcpv4.WithMessageType(dhcpv4.MessageTypeRelease)))
	waitFor(t, "the release", func() bool {
		out, _ := r.Run(ctx, `/ip dhcp-server lease print count-only where mac-address="02:00:00:00:00:01"`)
		return strings.TrimSpace(out) == "0"
	})
}

func TestRequestForAnotherServerIsIgnored(t *testing.T) {
	r := router(t)
	s := &server{m: New(nil), e: r, name: "lan", iface: "ether2"}
	c := &capture{}
	s.handle(context.Background(), c, nil, msg(t, "02:00:00:00:00:01", dhcpv4.WithMessageType(dhcpv4.MessageTypeRequest),
		dhcpv4.WithOption(dhcpv4.OptRequestedIPAddress(net.IPv4(192, 168, 88, 150))),
		dhcpv4.WithOption(dhcpv4.OptServerIdentifier(net.IPv4(192, 168, 88, 254)))))
	if len(c.sent) != 0 {
		t.Errorf("answered a request meant for another server: %s", c.sent[0].Summary())
	}
}

func TestNonAuthoritativeStaysSilent(t *testing.T) {
	r := router(t)
	if _, err := r.Run(context.Background(), "/ip dhcp-server set lan authoritative=no"); err != nil {
		t.Fatal(err)
	}
	if srv := r.DHCPServers(); len(srv) != 1 || srv[0].Authoritative {
		t.Fatalf("servers: %+v", srv)
	}
	s := &server{m: New(nil), e: r, name: "lan", iface: "ether2", authoritative: false}
	c := &capture{}
	// A request for an address of no network: refused, but without NAK.
	s.handle(context.Background(), c, nil, msg(t, "02:00:00:00:00:09", dhcpv4.WithMessageType(dhcpv4.MessageTypeRequest),
		dhcpv4.WithOption(dhcpv4.OptRequestedIPAddress(net.IPv4(10, 9, 9, 9)))))
	if len(c.sent) != 0 {
		t.Errorf("non-authoritative server answered: %s", c.sent[0].Summary())
	}
	// The authoritative control answers NAK to the same request.
	s.authoritative = true
	s.handle(context.Background(), c, nil, msg(t, "02:00:00:00:00:09", dhcpv4.WithMessageType(dhcpv4.MessageTypeRequest),
		dhcpv4.WithOption(dhcpv4.OptRequestedIPAddress(net.IPv4(10, 9, 9, 9)))))
	if len(c.sent) != 1 || c.sent[0].MessageType() != dhcpv4.MessageTypeNak {
		t.Errorf("authoritative server: %d replies", len(c.sent))
	}
}
