package pppoeclient

import (
	"context"
	"net"
	"net/netip"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/chrlab/chrlab/internal/netnstest"
	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/service/l2tp"
	"github.com/chrlab/chrlab/rosemu/service/ppp"
)

// TestL2TPClient: an /interface l2tp-client entry dials an L2TP server
// (package l2tp's, on 127.0.0.2:1701) and reports the session connected
// with the address the server gave, its TUN in a namespace of the test's;
// the control: a wrong password ends disconnected and never connected.
func TestL2TPClient(t *testing.T) {
	if testing.Short() || os.Geteuid() != 0 {
		t.Skip("needs root and no -short: makes a namespace and TUN devices")
	}
	pc, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 2), Port: l2tp.Port})
	if err != nil {
		t.Skipf("bind 127.0.0.2:1701: %v", err)
	}
	nss, _ := netnstest.New(t, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		_ = l2tp.Serve(ctx, pc, l2tp.ServerConfig{HostName: "lns", Call: func(*l2tp.Session) (ppp.Config, bool) {
			return ppp.Config{Local: netip.MustParseAddr("10.9.0.1"), Peer: netip.MustParseAddr("10.9.0.2"),
				Check: func(_ *ppp.Conn, user string, proves ppp.Verifier) bool { return user == "alice" && proves("pw") }}, true
		}}, func(*l2tp.Session) {})
	}()
	e := &fakeEngine{clients: []config.PPPoEClient{
		{ID: "*1", Name: "l2tp-out1", Kind: "l2tp", ConnectTo: "127.0.0.2", User: "alice", Password: "pw", Allow: "mschap2", MaxMTU: 1450, MaxMRU: 1450},
		{ID: "*2", Name: "l2tp-out2", Kind: "l2tp", ConnectTo: "127.0.0.2", User: "alice", Password: "wrong", Allow: "mschap2"},
	}}
	m := New(nil)
	m.Redial = time.Second
	m.openTUN = func(name string, mtu int) (f *os.File, err error) {
		netnstest.In(t, nss[0], func() { f, err = ppp.OpenTUNUp(kernel.LinkName(name), mtu) })
		return f, err
	}
	done := make(chan error)
	go func() { done <- m.Run(ctx, e) }()
	waitFor(t, e, "l2tp-out1:connected")
	e.mu.Lock()
	got := e.up["l2tp-out1"]
	e.mu.Unlock()
	if got.Local != netip.MustParseAddr("10.9.0.2") || got.Remote != netip.MustParseAddr("10.9.0.1") {
		t.Errorf("session %+v, want 10.9.0.2 to 10.9.0.1", got)
	}
	waitFor(t, e, "l2tp-out2:disconnected")
	if slices.Contains(e.statuses(), "l2tp-out2:connected") {
		t.Error("a wrong password connected")
	}
	cancel()
	<-done
}
