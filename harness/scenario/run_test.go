package scenario

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chrlab/chrlab/harness/ros"
)

// fakeEnv records configure calls with their time.
type fakeEnv struct {
	mu         sync.Mutex
	configured []time.Time
	err        error // what Configure returns
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
	return e.err
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

// directHairpin is a direct iperf step and a hairpin one, which the
// caller gives its expectation.
const directHairpin = `  - probe: iperf
    id: direct
    from: client1
    to: server:5201
  - probe: iperf
    id: hairpin
    from: client1
    to: router.wan:5201
`

// TestPingTargetHasNoPort (forum32 D8): a ping's resolved target is the
// router's address without the ":0" of a probe that has no port; the
// control, a port probe, keeps its port.
func TestPingTargetHasNoPort(t *testing.T) {
	doc := head + `  - probe: ping
    from: client1
    to: router.wan
  - probe: port
    from: client1
    to: router.wan:443
`
	s, err := Parse("t.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(t.Context(), s, &fakeEnv{}, &fakeProber{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Target != "203.0.113.2" || res[1].Target != "203.0.113.2:443" {
		t.Errorf("targets %q and %q, want 203.0.113.2 and 203.0.113.2:443", res[0].Target, res[1].Target)
	}
}

func TestRunDuringRatioCounter(t *testing.T) {
	doc := head + directHairpin + `    expect: {ratio_to: direct, min: 0.8}
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

// seqProber answers iperf from a list of rates per step id, in turn (the
// last one again when the list runs out), and records the ids it was asked.
type seqProber struct {
	rates map[string][]float64
	asked []string
}

func (p *seqProber) Probe(_ context.Context, st Step, _ netip.AddrPort) (Observation, error) {
	p.asked = append(p.asked, st.ID)
	n := 0
	for _, id := range p.asked {
		if id == st.ID {
			n++
		}
	}
	rs := p.rates[st.ID]
	return Observation{Result: "ok", BitsPerSecond: rs[min(n, len(rs))-1]}, nil
}

func TestRatioMeasuredAgain(t *testing.T) {
	doc := head + directHairpin + `    expect: {ratio_to: direct, min: 0.25}
`
	s, err := Parse("t.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		direct   []float64
		hairpin  []float64
		expect   string // a further bound on hairpin, if any
		ok       bool
		measured int
		asked    string
		ref      float64 // the reference judged against; 0 for none
	}{
		// A starved moment: the first hairpin run is slow, the second
		// pair is taken together and holds.
		{"second pair holds", []float64{10e9, 4e9}, []float64{1.6e9, 3e9}, "", true, 2, "direct hairpin direct hairpin", 4e9},
		// A path slower than the bound fails every pair.
		{"every pair short", []float64{10e9}, []float64{1e9}, "", false, 3, "direct hairpin direct hairpin direct hairpin", 10e9},
		{"held at once", []float64{10e9}, []float64{5e9}, "", true, 0, "direct hairpin", 0},
		// A step that misses a bound of its own is not measured again.
		{"own bound missed", []float64{10e9}, []float64{1e9}, "min_gbps: 2", false, 0, "direct hairpin", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := doc
			if tc.expect != "" {
				d = strings.Replace(d, "min: 0.25}", "min: 0.25, "+tc.expect+"}", 1)
			}
			s, err = Parse("t.yaml", []byte(d))
			if err != nil {
				t.Fatal(err)
			}
			p := &seqProber{rates: map[string][]float64{"direct": tc.direct, "hairpin": tc.hairpin}}
			res, err := Run(t.Context(), s, &fakeEnv{}, p, nil)
			if err != nil {
				t.Fatal(err)
			}
			h := res[1]
			if h.OK != tc.ok || h.Seen.Measured != tc.measured || strings.Join(p.asked, " ") != tc.asked {
				t.Errorf("hairpin ok %v measured %d, asked %q (%s); want %v, %d, %q", h.OK, h.Seen.Measured, strings.Join(p.asked, " "), h.Why, tc.ok, tc.measured, tc.asked)
			}
			if got := 0.0; h.RatioRef != nil || tc.ref != 0 {
				if h.RatioRef != nil {
					got = h.RatioRef.BitsPerSecond
				}
				if got != tc.ref {
					t.Errorf("judged against %g, want %g", got, tc.ref)
				}
			}
			if res[0].Seen.BitsPerSecond != tc.direct[0] {
				t.Errorf("the direct step's own figure changed to %g", res[0].Seen.BitsPerSecond)
			}
		})
	}
}

// addrlessEnv is a router whose WAN has no address until ready: a PPPoE
// client redialling, a DHCP client without a lease.
type addrlessEnv struct {
	fakeEnv
	ready time.Time
}

func (e *addrlessEnv) RouterAddr(ctx context.Context, port, near string) (netip.Addr, error) {
	if time.Now().Before(e.ready) {
		return netip.Addr{}, &NoAddressError{Msg: fmt.Sprintf("router has no address on pppoe-out1 (router.%s)", port)}
	}
	return e.fakeEnv.RouterAddr(ctx, port, near)
}

// sawWAN answers every probe as seen from the router's WAN address.
type sawWAN struct{}

func (sawWAN) Probe(context.Context, Step, netip.AddrPort) (Observation, error) {
	return Observation{Result: "ok", ServerSaw: "203.0.113.2"}, nil
}

// TestWithinWaitsForAddresses: a step that waits for a recovery waits for
// the router addresses it names as well, and the wait counts in its
// outage; without within the missing address fails the step at once, and
// within a window too short it fails it at the window's end; the run goes
// on either way.
func TestWithinWaitsForAddresses(t *testing.T) {
	step := "  - probe: tcp\n    from: client1\n    to: peer:12566\n    expect: {result: ok, server_saw: router.wan%s}\n"
	for _, c := range []struct {
		within string
		wait   time.Duration
		ok     bool
	}{{", within: 5s", 700 * time.Millisecond, true}, {"", 700 * time.Millisecond, false}, {", within: 1s", 3 * time.Second, false}} {
		s, err := Parse("t.yaml", []byte(head+fmt.Sprintf(step, c.within)))
		if err != nil {
			t.Fatal(err)
		}
		env := &addrlessEnv{ready: time.Now().Add(c.wait)}
		start := time.Now()
		res, err := Run(t.Context(), s, env, sawWAN{}, nil)
		took := time.Since(start)
		if c.ok {
			if err != nil || !res[0].OK || res[0].Want != "203.0.113.2" || res[0].Outage == nil || *res[0].Outage < 0.5 {
				t.Errorf("within %q: %v, %+v", c.within, err, res)
			}
			continue
		}
		if err != nil || len(res) != 1 || res[0].OK || res[0].Seen.Result != "error" || !strings.Contains(res[0].Why, "router has no address on pppoe-out1") {
			t.Errorf("within %q: err %v, %+v; want the step failed by the missing address", c.within, err, res)
		}
		if c.within == "" && took > 500*time.Millisecond {
			t.Errorf("without within the step waited %s", took)
		}
	}
}

// env6 is fakeEnv with IPv6 node addresses.
type env6 struct{ fakeEnv }

func (e *env6) NodeAddr6(string) (netip.Addr, error) { return netip.MustParseAddr("3fff:88::20"), nil }

// sawProber answers every probe as a server that saw saw.
type sawProber struct{ saw string }

func (p *sawProber) Probe(context.Context, Step, netip.AddrPort) (Observation, error) {
	return Observation{Result: "ok", ServerSaw: p.saw}, nil
}
func (p *sawProber) Counter(_ context.Context, rule string, _ Selector) (Counter, error) {
	return Counter{Rule: rule}, nil
}

// A node named in server_saw of an IPv6 target is its IPv6 address
// (forum24: the step compared the server's IPv6 source with the node's
// IPv4 address and failed after its whole within). The control: the same
// step to an IPv4 target expects the node's IPv4 address.
func TestServerSawNodeIPv6(t *testing.T) {
	doc := head + `  - probe: tcp
    from: client1
    to: "[3fff:100::50]:12566"
    expect: {result: ok, server_saw: client2}
`
	s, err := Parse("t.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(t.Context(), s, &env6{}, &sawProber{saw: "3fff:88::20"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !res[0].OK {
		t.Errorf("IPv6 target: %+v", res[0])
	}
	s, err = Parse("t.yaml", []byte(strings.Replace(doc, `"[3fff:100::50]:12566"`, "198.51.100.50:12566", 1)))
	if err != nil {
		t.Fatal(err)
	}
	res, err = Run(t.Context(), s, &env6{}, &sawProber{saw: "3fff:88::20"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res[0].OK || !strings.Contains(res[0].Why, "192.168.88.10") {
		t.Errorf("control, IPv4 target: %+v", res[0])
	}
}

// turnProber answers a step's tries in turn with the observations of seq,
// the last one from then on.
type turnProber struct {
	mu  sync.Mutex
	seq []Observation
}

func (p *turnProber) Probe(context.Context, Step, netip.AddrPort) (Observation, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	o := p.seq[0]
	if len(p.seq) > 1 {
		p.seq = p.seq[1:]
	}
	return o, nil
}

// TestWithinOutageOnlyWhenLost: a within step whose every try was
// answered (a failback waiting for server_saw to change) took time to
// hold but had no outage: held_after_s is set, outage_s is not (forum41
// N2). The control: tries that went unanswered first make the same time
// an outage.
func TestWithinOutageOnlyWhenLost(t *testing.T) {
	step := "  - probe: tcp\n    from: client1\n    to: peer:12566\n    expect: {result: ok, server_saw: router.wan, within: 5s}\n"
	s, err := Parse("t.yaml", []byte(head+step))
	if err != nil {
		t.Fatal(err)
	}
	other := Observation{Result: "ok", ServerSaw: "198.51.100.9"}
	lost := Observation{Result: "timeout"}
	held := Observation{Result: "ok", ServerSaw: "203.0.113.2"}
	for _, c := range []struct {
		name   string
		seq    []Observation
		outage bool
	}{{"failback, every try answered", []Observation{other, other, held}, false}, {"control: tries lost first", []Observation{lost, lost, held}, true}} {
		res, err := Run(t.Context(), s, &fakeEnv{}, &turnProber{seq: c.seq}, nil)
		if err != nil || len(res) != 1 || !res[0].OK {
			t.Fatalf("%s: %v %+v", c.name, err, res)
		}
		r := res[0]
		if r.HeldAfter == nil || *r.HeldAfter < 0.4 || r.Attempts != 3 {
			t.Errorf("%s: held after %v in %d tries, want about 0.5 s in 3", c.name, r.HeldAfter, r.Attempts)
		}
		if c.outage != (r.Outage != nil) {
			t.Errorf("%s: outage %v, want one: %v", c.name, r.Outage, c.outage)
		}
		if c.outage && r.Outage != nil && *r.Outage != *r.HeldAfter {
			t.Errorf("%s: outage %v != held after %v", c.name, *r.Outage, *r.HeldAfter)
		}
	}
}

// TestConfigureRunTimeFailure (forum46 N4): a configure step whose script
// fails at run time for the network (a fetch nobody answered) fails as a
// step, in the results, and the run goes on to the next step; it ended
// the run with an error, which chrlab reports as refused input (exit 2).
// Control: a line the router refuses still ends the run with the error.
func TestConfigureRunTimeFailure(t *testing.T) {
	s := configureThenPing(t)
	fetchFailed := &ros.ApplyError{File: "t.yaml", Msg: "failure: connection timeout (line 3 column 25 of a script or file it ran, not of this text)"}
	res, err := Run(t.Context(), s, &fakeEnv{err: fetchFailed}, &fakeProber{}, nil)
	if err != nil {
		t.Fatalf("a fetch that failed at run time ended the run: %v", err)
	}
	if len(res) != 2 || res[0].OK || res[0].Seen.Result != "failed" || !strings.Contains(res[0].Why, "failure: connection timeout") || !res[1].OK {
		t.Errorf("results %+v, want the configure step failed with the router's words and the ping run", res)
	}
	refused := &ros.ApplyError{File: "t.yaml", Line: 1, Col: 9, Msg: "bad command name rum"}
	if _, err := Run(t.Context(), s, &fakeEnv{err: refused}, &fakeProber{}, nil); err == nil || !strings.Contains(err.Error(), "bad command name rum") {
		t.Errorf("a refused line: %v, want the run ended with it", err)
	}
}

// TestConfigureRefusedAtItsLine (f69): a configure step's line the router
// refuses is named at its line and column in the case file, where the
// load check names a line it refuses; it was named as a line of the
// step's text ("t.yaml (rsc of the step at line 8):2:5"). Control: a
// refusal without a position keeps the text's name.
func TestConfigureRefusedAtItsLine(t *testing.T) {
	s := thenPing(t, "  - action: configure\n    rsc: |\n      /ip firewall filter\n      add chain=forward action=drop\n")
	st := s.Steps[len(s.Steps)-2]
	if st.Action != Configure || st.RSCCol != 7 {
		t.Fatalf("step %+v, want the configure step with its text at column 7", st)
	}
	refused := &ros.ApplyError{File: "t.yaml (rsc of the step)", Line: 2, Col: 5, Msg: "expected end of command"}
	_, err := Run(t.Context(), s, &fakeEnv{err: refused}, &fakeProber{}, nil)
	want := fmt.Sprintf("t.yaml:%d:11: router rejected the configuration: expected end of command", st.RSCLine+1)
	if err == nil || err.Error() != want {
		t.Errorf("refused line: %v, want %q", err, want)
	}
	bare := &ros.ApplyError{File: "t.yaml (rsc of the step)", Msg: "no such item"}
	if _, err := Run(t.Context(), s, &fakeEnv{err: bare}, &fakeProber{}, nil); err == nil || err.Error() != "t.yaml:5: t.yaml (rsc of the step): router rejected the configuration: no such item" {
		t.Errorf("refusal without a position: %v", err)
	}
}

// configureThenPing is a case whose configure step runs a script, then
// pings: the shape of the configure steps' failure tests.
func configureThenPing(t *testing.T) *Scenario {
	t.Helper()
	return thenPing(t, "  - action: configure\n    rsc: /system script run f\n")
}

// thenPing is a case of the first step's YAML, then a ping.
func thenPing(t *testing.T, first string) *Scenario {
	t.Helper()
	doc := head + first + `  - probe: ping
    from: client1
    to: router.wan
`
	s, err := Parse("t.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestConfigureDecidedWhenRunFails (forum67 H1): a configure step the load
// check left to the router (it reads a fetch's answer, a lease, a counter)
// whose :error fires on the router fails as a step and the run goes on; it
// ended the run as refused input (exit 2). Control: the same error of a
// step the load check decided still ends the run.
func TestConfigureDecidedWhenRunFails(t *testing.T) {
	s := configureThenPing(t)
	wrong := &ros.ApplyError{File: "t.yaml", Msg: "wrong source: saw 203.0.113.2:40000"}
	if _, err := Run(t.Context(), s, &fakeEnv{err: wrong}, &fakeProber{}, nil); err == nil {
		t.Errorf("a step the load check decided: the run went on, want it ended")
	}
	s.Steps[0].decidedWhenRun = true
	res, err := Run(t.Context(), s, &fakeEnv{err: wrong}, &fakeProber{}, nil)
	if err != nil {
		t.Fatalf("a step left to the router ended the run: %v", err)
	}
	if len(res) != 2 || res[0].OK || res[0].Seen.Result != "failed" || !strings.Contains(res[0].Why, "wrong source") || !res[1].OK {
		t.Errorf("results %+v, want the configure step failed with the router's words and the ping run", res)
	}
}

// TestDuringConfigureFailsItsFlow (sm58): a configure step a flow runs
// during it, left to the router by the load check, whose :error fires
// fails the flow step with the router's words, and the run goes on. It
// was lost: the flow step passed and no report showed the failure.
// Control: the same error of an action the load check decided still ends
// the run.
func TestDuringConfigureFailsItsFlow(t *testing.T) {
	s := thenPing(t, `  - probe: flow
    from: client1
    to: router.wan:12566
    seconds: 1
    during:
      - {at: 300ms, action: configure, rsc: "/system script run f"}
    expect: {result: ok}
`)
	wrong := &ros.ApplyError{File: "t.yaml", Msg: "wrong answer"}
	if _, err := Run(t.Context(), s, &fakeEnv{err: wrong}, &fakeProber{}, nil); err == nil {
		t.Errorf("an action the load check decided: the run went on, want it ended")
	}
	s.Steps[0].During[0].decidedWhenRun = true
	res, err := Run(t.Context(), s, &fakeEnv{err: wrong}, &fakeProber{}, nil)
	if err != nil {
		t.Fatalf("an action left to the router ended the run: %v", err)
	}
	if len(res) != 2 || res[0].OK || !strings.Contains(res[0].Why, "configure at 0.3s (line 10) failed: ") || !strings.Contains(res[0].Why, "wrong answer") || !res[1].OK {
		t.Errorf("results %+v, want the flow step failed with the router's words and the ping run", res)
	}
}

// TestConfigureFailedAfterPrinting (sm58): a configure step that printed
// lines and then failed on the router fails with the router's error as
// its detail and its printed lines as output, both in why, the error
// first; the printed lines were read as the error. Control: nothing
// printed, no output.
func TestConfigureFailedAfterPrinting(t *testing.T) {
	s := configureThenPing(t)
	s.Steps[0].decidedWhenRun = true
	printed := &ros.ApplyError{File: "t.yaml", Msg: "wrong answer", Output: "first printed line\nsecond printed line"}
	res, err := Run(t.Context(), s, &fakeEnv{err: printed}, &fakeProber{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := `it failed on what the router read when it ran: wrong answer; it printed before: "first printed line", "second printed line"`
	if res[0].Seen.Detail != "wrong answer" || res[0].Seen.Output != printed.Output || !strings.HasSuffix(res[0].Why, want) {
		t.Errorf("detail %q, output %q, why %q; want the error, the printed lines, and why ending %q", res[0].Seen.Detail, res[0].Seen.Output, res[0].Why, want)
	}
	res, err = Run(t.Context(), s, &fakeEnv{err: &ros.ApplyError{File: "t.yaml", Msg: "wrong answer"}}, &fakeProber{}, nil)
	if err != nil || res[0].Seen.Output != "" || strings.Contains(res[0].Why, "printed") {
		t.Errorf("nothing printed: %v, output %q, why %q", err, res[0].Seen.Output, res[0].Why)
	}
}

// lateLog is a router whose log gets the entry only from its third read
// on, as a PPP server that logs a login after the client saw it up.
type lateLog struct{ reads int }

func (l *lateLog) RouterLog(context.Context) ([]string, error) {
	l.reads++
	if l.reads < 3 {
		return []string{"system,info router started"}, nil
	}
	return []string{"system,info router started", "l2tp,ppp,info,account alice logged in, 192.168.88.200 from 203.0.113.9"}, nil
}

// TestLogWaitsForLateEntry (CI of stop 51: on vm the log was read
// before the server wrote "alice logged in"): a positive log pattern is
// read again until its entry shows, within the settle time; with no
// time to settle the same router fails, the old behaviour; a negative
// pattern is read once.
func TestLogWaitsForLateEntry(t *testing.T) {
	ctx := context.Background()
	l := &lateLog{}
	seen, err := readLog(ctx, l, `alice logged in`, 2*time.Second)
	if err != nil || len(seen.Matched) != 1 || l.reads != 3 {
		t.Fatalf("late entry: seen %+v err %v after %d reads, want it matched on the 3rd", seen, err, l.reads)
	}
	l = &lateLog{}
	if seen, _ = readLog(ctx, l, `alice logged in`, 0); len(seen.Matched) != 0 || l.reads != 1 {
		t.Fatalf("no settle: seen %+v after %d reads, want no match after one read", seen, l.reads)
	}
	l = &lateLog{}
	if seen, _ = readLog(ctx, l, `!alice logged in`, 2*time.Second); len(seen.Matched) != 0 || l.reads != 1 {
		t.Fatalf("negative: seen %+v after %d reads, want one read", seen, l.reads)
	}
	l = &lateLog{}
	if seen, _ = readLog(ctx, l, `bob logged in`, 600*time.Millisecond); len(seen.Matched) != 0 || seen.Entries != 2 {
		t.Fatalf("never: seen %+v, want no match among the 2 entries", seen)
	}
}
