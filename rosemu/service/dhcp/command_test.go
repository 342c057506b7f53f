package dhcp

import (
	"context"
	"testing"
	"time"
)

// /ip dhcp-client release and renew reach the interface's client through
// its kick channel without blocking; a second command while one waits is
// dropped, and an interface without a client takes none. The client's
// loop acts on them in wait.
func TestDHCPClientCommand(t *testing.T) {
	m := New(nil)
	c := &client{iface: "ether1", kick: make(chan string, 1)}
	m.byIface = map[string]*client{"ether1": c}
	m.DHCPClientCommand("ether1", "release")
	m.DHCPClientCommand("ether1", "renew") // dropped: one waits already
	m.DHCPClientCommand("ether9", "renew") // no client
	alive, cmd := c.wait(context.Background(), time.Hour)
	if !alive || cmd != "release" {
		t.Errorf("wait = %v %q, want the release", alive, cmd)
	}
	alive, cmd = c.wait(context.Background(), time.Millisecond)
	if !alive || cmd != "" {
		t.Errorf("wait = %v %q, want T1 with no command", alive, cmd)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if alive, _ := c.wait(ctx, time.Hour); alive {
		t.Errorf("wait after cancel: alive")
	}
}
