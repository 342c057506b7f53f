package pppoeclient

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/config"
)

type fakeEngine struct {
	mu      sync.Mutex
	clients []config.PPPoEClient
	seen    []string // name:status
}

func (f *fakeEngine) PPPoEClients() []config.PPPoEClient { return f.clients }

func (f *fakeEngine) SetPPPoESession(name, status string, s *config.PPPoESession) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seen = append(f.seen, name+":"+status)
	return nil
}

func (f *fakeEngine) statuses() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.seen...)
}

func waitFor(t *testing.T, e *fakeEngine, want string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		for _, s := range e.statuses() {
			if s == want {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("never reported %s; saw %v", want, e.statuses())
}

// A client on a port that does not exist, and one whose allow= lacks pap,
// end up disconnected; a disabled one is not started at all.
func TestManagerFailures(t *testing.T) {
	e := &fakeEngine{clients: []config.PPPoEClient{
		{ID: "*1", Name: "pppoe-out1", Interface: "nosuch0", User: "u", AllowPAP: true},
		{ID: "*2", Name: "pppoe-out2", Interface: "nosuch1", User: "u"},
		{ID: "*3", Name: "pppoe-out3", Interface: "nosuch2", User: "u", AllowPAP: true, Disabled: true},
	}}
	m := New(nil)
	m.Redial = 50 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- m.Run(ctx, e) }()
	waitFor(t, e, "pppoe-out1:dialing...")
	waitFor(t, e, "pppoe-out1:disconnected")
	waitFor(t, e, "pppoe-out2:disconnected")
	for _, s := range e.statuses() {
		if s == "pppoe-out2:dialing..." || s[:10] == "pppoe-out3" {
			t.Errorf("reported %s", s)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
