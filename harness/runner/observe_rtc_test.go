package runner

import (
	"testing"

	"github.com/chrlab/chrlab/harness/probe"
)

// TestObserveResolveConnectTime (forum40 D9): a resolve-then-connect
// step's time is the lookup and the connection together (the agent's
// total_ms), not the connect time alone; a tcp probe (control) keeps its
// handshake time.
func TestObserveResolveConnectTime(t *testing.T) {
	r := probe.Result{Probe: probe.KindResolveConnect, Result: probe.OK, ConnectMS: 0.4, TotalMS: 667}
	if got := observe(r).Millis; got != 667 {
		t.Errorf("resolve-then-connect Millis = %v, want 667 (lookup and connect)", got)
	}
	r.Probe = probe.KindTCP
	if got := observe(r).Millis; got != 0.4 {
		t.Errorf("tcp Millis = %v, want its handshake 0.4", got)
	}
}
