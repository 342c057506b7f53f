package scenario

import (
	"context"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeEnv records configure calls with their time.
type fakeEnv struct {
	mu         sync.Mutex
	configured []time.Time
}

func (e *fakeEnv) NodeAddr(string) (netip.Addr, error) {
	return netip.MustParseAddr("192.168.88.10"), nil
}
func (e *fakeEnv) RouterAddr(context.Context, string, string) (netip.Addr, error) {
	return netip.MustParseAddr("203.0.113.2"), nil
}
func (e *fakeEnv) RenumberWAN(context.Context, netip.Addr) (Renumbered, error) {
	return Renumbered{}, nil
}
func (e *fakeEnv) Configure(context.Context, string, int, string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.configured = append(e.configured, time.Now())
	return nil
}

// fakeProber answers iperf with a fixed rate per id, and a flow with the time it started; it
// reads counters as 7 packets.
type fakeProber struct {
	flowStart time.Time
}

func (p *fakeProber) Probe(_ context.Context, st Step, _ netip.AddrPort) (Observation, error) {
	switch st.Probe {
	case Iperf:
		bps := 10e9
		if st.ID != "direct" {
			bps = 6e9
		}
		return Observation{Result: "ok", BitsPerSecond: bps}, nil
	case Flow:
		p.flowStart = st.StartAt
		time.Sleep(time.Until(st.StartAt.Add(st.FlowDuration())))
		return Observation{Result: "ok"}, nil
	}
	return Observation{Result: "ok"}, nil
}

func (p *fakeProber) Counter(_ context.Context, rule string, _ Selector) (Counter, error) {
	return Counter{Rule: rule, Matched: 1, Packets: 7}, nil
}

func TestRunDuringRatioCounter(t *testing.T) {
	doc := head + `  - probe: iperf
    id: direct
    from: client1
    to: server:5201
  - probe: iperf
    id: hairpin
    from: client1
    to: router.wan:5201
    expect: {ratio_to: direct, min: 0.8}
  - probe: flow
    from: client1
    to: router.wan:12566
    seconds: 1
    during:
      - {at: 300ms, action: configure, rsc: "/ip firewall connection remove [find]"}
    expect:
      result: ok
      counter: {rule: '/ip firewall nat [find comment~"hairpin"]', packets: "> 5"}
`
	s, err := Parse("t.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	env, p := &fakeEnv{}, &fakeProber{}
	res, err := Run(t.Context(), s, env, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !res[0].OK || res[1].OK || !strings.Contains(res[1].Why, "0.60 of direct, expected at least 0.8") {
		t.Errorf("ratio: direct %v, hairpin %v %q", res[0].OK, res[1].OK, res[1].Why)
	}
	if !res[2].OK || res[2].Seen.Counter == nil || res[2].Seen.Counter.Packets != 7 {
		t.Errorf("flow step = %+v, want ok with the counter read", res[2])
	}
	if len(env.configured) != 1 || len(res[2].During) != 1 {
		t.Fatalf("configured %d times, during results %d, want 1 and 1", len(env.configured), len(res[2].During))
	}
	// The action ran 300ms after the flow's own start, on the flow's clock:
	// never before; the upper bound only catches a schedule gone wrong, it
	// leaves a loaded machine (CI's 2 cores) its lateness.
	if d := env.configured[0].Sub(p.flowStart); d < 300*time.Millisecond || d > 1800*time.Millisecond {
		t.Errorf("configure ran %s after the flow started, want 300ms", d)
	}
}
