package dhcp6

import (
	"context"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/insomniacslk/dhcp/dhcpv6"
	"github.com/insomniacslk/dhcp/dhcpv6/server6"
	"github.com/insomniacslk/dhcp/iana"
	"github.com/vishvananda/netlink"

	"github.com/chrlab/chrlab/internal/netnstest"
	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/script"
)

// engine records what the client reports.
type engine struct {
	mu     sync.Mutex
	leases []*config.Lease6
	status string
	runs   int
	// scripted is the lease each script run was given (nil: none).
	scripted []*config.Lease6
}

func (e *engine) DHCP6Clients() []config.DHCP6Client { return nil }
func (e *engine) SetLease6(_ string, l *config.Lease6) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.leases = append(e.leases, l)
	return nil
}
func (e *engine) SetDHCP6Status(_, s string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.status = s
	return nil
}
func (e *engine) RunLease6Script(_ context.Context, _, _ string, l *config.Lease6) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.runs++
	e.scripted = append(e.scripted, l)
	if v := config.Lease6Vars(l); l != nil && v["pd-valid"] != script.Num(1) {
		panic("pd-valid is not 1 with a prefix")
	}
	return nil
}

func (e *engine) last() (*config.Lease6, int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.leases) == 0 {
		return nil, 0
	}
	return e.leases[len(e.leases)-1], len(e.leases)
}

// isp is a DHCPv6 server that delegates one prefix (or refuses, noPrefix)
// and counts what it is sent.
type isp struct {
	mu       sync.Mutex
	noPrefix bool
	seen     map[dhcpv6.MessageType]int
	duid     dhcpv6.DUID
}

func (s *isp) count(t dhcpv6.MessageType) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seen[t]
}

func (s *isp) handle(conn net.PacketConn, peer net.Addr, d dhcpv6.DHCPv6) {
	m, ok := d.(*dhcpv6.Message)
	if !ok {
		return
	}
	s.mu.Lock()
	s.seen[m.MessageType]++
	s.mu.Unlock()
	typ := dhcpv6.MessageTypeReply
	if m.MessageType == dhcpv6.MessageTypeSolicit && m.GetOneOption(dhcpv6.OptionRapidCommit) == nil {
		typ = dhcpv6.MessageTypeAdvertise
	}
	r, _ := dhcpv6.NewMessage()
	r.MessageType, r.TransactionID = typ, m.TransactionID
	r.AddOption(dhcpv6.OptClientID(m.Options.ClientID()))
	r.AddOption(dhcpv6.OptServerID(s.duid))
	if typ == dhcpv6.MessageTypeReply && m.MessageType == dhcpv6.MessageTypeSolicit {
		dhcpv6.WithRapidCommit(r)
	}
	for _, pd := range m.Options.IAPD() {
		out := &dhcpv6.OptIAPD{IaId: pd.IaId, T1: time.Second, T2: 2 * time.Second}
		if s.noPrefix {
			out.Options.Add(&dhcpv6.OptStatusCode{StatusCode: iana.StatusNoPrefixAvail})
		} else {
			out.Options.Add(&dhcpv6.OptIAPrefix{PreferredLifetime: 4 * time.Second, ValidLifetime: 4 * time.Second,
				Prefix: &net.IPNet{IP: net.ParseIP("3fff:200::"), Mask: net.CIDRMask(56, 128)}})
		}
		r.AddOption(out)
	}
	r.AddOption(dhcpv6.OptDNS(net.ParseIP("3fff:100::53")))
	_, _ = conn.WriteTo(r.ToBytes(), peer)
}

// link makes a veth pair between the router's namespace (r0) and the
// ISP's (i0), with IPv6 up at once (no DAD).
func link(t *testing.T) (router, ispNS func(func())) {
	if os.Geteuid() != 0 {
		t.Skip("needs root for network namespaces")
	}
	nss, hs := netnstest.New(t, 2)
	// Links made from now on use their link-local address at once; the
	// client retries until it can, so a kernel that refuses only costs
	// time.
	for _, ns := range nss {
		netnstest.In(t, ns, func() {
			_ = os.WriteFile("/proc/sys/net/ipv6/conf/default/accept_dad", []byte("0"), 0o644)
		})
	}
	veth := &netlink.Veth{LinkAttrs: netlink.LinkAttrs{Name: "r0"}, PeerName: "i0"}
	if err := hs[0].LinkAdd(veth); err != nil {
		t.Fatal(err)
	}
	peer, err := hs[0].LinkByName("i0")
	if err != nil {
		t.Fatal(err)
	}
	if err := hs[0].LinkSetNsFd(peer, int(nss[1])); err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"r0", "i0"} {
		l, err := hs[i].LinkByName(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := hs[i].LinkSetUp(l); err != nil {
			t.Fatal(err)
		}
	}
	return func(f func()) { netnstest.In(t, nss[0], f) }, func(f func()) { netnstest.In(t, nss[1], f) }
}

// TestClientExchange: the client takes the delegated prefix over a real
// link, with the server's link-local address as the lease's server and
// its DNS servers; it renews at the server's T1 and gives the prefix
// back when stopped. The control: a server that has no prefix gives the
// client nothing, and it keeps searching.
func TestClientExchange(t *testing.T) {
	for _, noPrefix := range []bool{false, true} {
		inRouter, inISP := link(t)
		srv := &isp{noPrefix: noPrefix, seen: map[dhcpv6.MessageType]int{}}
		var s *server6.Server
		inISP(func() {
			ifc, err := net.InterfaceByName("i0")
			if err != nil {
				t.Fatal(err)
			}
			srv.duid = &dhcpv6.DUIDLL{HWType: iana.HWTypeEthernet, LinkLayerAddr: ifc.HardwareAddr}
			if s, err = server6.NewServer("i0", nil, srv.handle); err != nil {
				t.Fatal(err)
			}
		})
		go s.Serve()
		e := &engine{}
		ctx, cancel := context.WithCancel(context.Background())
		c := &client{m: &Manager{Log: slog.New(slog.DiscardHandler), Retransmit: 300 * time.Millisecond}, e: e,
			w:      config.DHCP6Client{ID: "*1", Interface: "r0", Prefix: true, RapidCommit: true, Script: ":log info pd"},
			script: ":log info pd", cancel: cancel, done: make(chan struct{}), kick: make(chan string, 1)}
		go func() {
			defer close(c.done)
			inRouter(func() { c.run(ctx) })
		}()
		if noPrefix {
			time.Sleep(2 * time.Second)
			if l, _ := e.last(); l != nil {
				t.Errorf("a server without a prefix gave %+v", l)
			}
			if e.status != "searching..." || srv.count(dhcpv6.MessageTypeSolicit) < 2 {
				t.Errorf("status %q after %d solicits; want searching on", e.status, srv.count(dhcpv6.MessageTypeSolicit))
			}
			c.stop()
			// The control for the script on stop: nothing was held,
			// so nothing is reported lost.
			if e.runs != 0 {
				t.Errorf("a client that never bound ran its script %d times on stop", e.runs)
			}
			s.Close()
			continue
		}
		deadline := time.Now().Add(5 * time.Second)
		var l *config.Lease6
		for l == nil && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
			l, _ = e.last()
		}
		if l == nil {
			t.Fatalf("no lease after 5 s (status %q, solicits %d)", e.status, srv.count(dhcpv6.MessageTypeSolicit))
		}
		if l.Prefix != netip.MustParsePrefix("3fff:200::/56") || !l.Server.IsLinkLocalUnicast() || len(l.DNS) != 1 || l.DNS[0].String() != "3fff:100::53" {
			t.Errorf("lease %+v", l)
		}
		// T1 is 1 s: a renewal comes, and the lease stays.
		for srv.count(dhcpv6.MessageTypeRenew) == 0 && time.Now().Before(deadline.Add(3*time.Second)) {
			time.Sleep(50 * time.Millisecond)
		}
		if srv.count(dhcpv6.MessageTypeRenew) == 0 {
			t.Error("no renewal at T1")
		}
		if l, _ := e.last(); l == nil || l.Prefix.Bits() != 56 {
			t.Errorf("after the renewal the lease is %+v", l)
		}
		c.stop()
		if srv.count(dhcpv6.MessageTypeRelease) != 1 {
			t.Errorf("releases seen: %d, want 1", srv.count(dhcpv6.MessageTypeRelease))
		}
		// Stopped (disabled or removed): the prefix is gone, and the
		// last script run says so (pd-valid=0).
		e.mu.Lock()
		runs, scripted := e.runs, append([]*config.Lease6(nil), e.scripted...)
		e.mu.Unlock()
		if runs < 2 || scripted[0] == nil {
			t.Errorf("script runs %d (leases %v); want the bind and the stop", runs, scripted)
		} else if last := scripted[len(scripted)-1]; last != nil {
			t.Errorf("the last script run had %+v; want the prefix gone (pd-valid=0) after the stop", last)
		} else if v := config.Lease6Vars(last); v["pd-valid"] != script.Num(0) {
			t.Errorf("pd-valid after the stop = %v", v["pd-valid"])
		}
		s.Close()
	}
}
