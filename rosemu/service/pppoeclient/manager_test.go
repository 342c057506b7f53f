package pppoeclient

import (
	"context"
	"log/slog"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/script"
)

type fakeEngine struct {
	mu      sync.Mutex
	clients []config.PPPoEClient
	seen    []string // name:status
	up      map[string]config.PPPoESession
}

func (f *fakeEngine) PPPoEClients() []config.PPPoEClient { return f.clients }

func (f *fakeEngine) SetPPPoESession(name, status string, s *config.PPPoESession) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seen = append(f.seen, name+":"+status)
	if s != nil {
		if f.up == nil {
			f.up = map[string]config.PPPoESession{}
		}
		f.up[name] = *s
	}
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

// A client on a port that does not exist, and one whose allow= permits no
// protocol, end up disconnected; a disabled one is not started at all.
func TestManagerFailures(t *testing.T) {
	e := &fakeEngine{clients: []config.PPPoEClient{
		{ID: "*1", Name: "pppoe-out1", Interface: "nosuch0", User: "u", Allow: "pap"},
		{ID: "*2", Name: "pppoe-out2", Interface: "nosuch1", User: "u"},
		{ID: "*3", Name: "pppoe-out3", Interface: "nosuch2", User: "u", Allow: "pap", Disabled: true},
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

type scriptRecorder struct {
	up, down string
	ran      []string
	vars     []map[string]script.Value
}

func (s *scriptRecorder) PPPoEClients() []config.PPPoEClient                         { return nil }
func (s *scriptRecorder) SetPPPoESession(string, string, *config.PPPoESession) error { return nil }
func (s *scriptRecorder) PPPoEProfileScripts(string) (string, string)                { return s.up, s.down }
func (s *scriptRecorder) RunScript(_ context.Context, name, src string, vars map[string]script.Value) error {
	s.ran = append(s.ran, name+": "+src)
	s.vars = append(s.vars, vars)
	return nil
}

// The profile's on-up runs with the session's addresses as
// $"local-address" and $"remote-address"; on-down runs when it ends; an
// empty script is not run.
func TestProfileScripts(t *testing.T) {
	e := &scriptRecorder{up: "/ip firewall address-list add list=wan address=$\"local-address\""}
	w := config.PPPoEClient{Name: "pppoe-out1", User: "home"}
	local, remote := netip.MustParseAddr("203.0.113.2"), netip.MustParseAddr("203.0.113.1")
	log := slog.New(slog.DiscardHandler)
	profileScript(context.Background(), e, w, true, local, remote, log)
	profileScript(context.Background(), e, w, false, local, remote, log)
	if len(e.ran) != 1 || e.ran[0] != "ppp profile on-up pppoe-out1: "+e.up {
		t.Fatalf("ran %q", e.ran)
	}
	v := e.vars[0]
	if v["local-address"] != script.Str("203.0.113.2") || v["remote-address"] != script.Str("203.0.113.1") ||
		v["interface"] != script.Str("pppoe-out1") || v["user"] != script.Str("home") {
		t.Errorf("vars %v", v)
	}
	e.down = ":log info down"
	profileScript(context.Background(), e, w, false, local, remote, log)
	if len(e.ran) != 2 || e.ran[1] != "ppp profile on-down pppoe-out1: :log info down" {
		t.Errorf("ran %q", e.ran)
	}
}
