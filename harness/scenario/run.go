package scenario

import (
	"context"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Env resolves the names a scenario uses into addresses of the running lab.
type Env interface {
	// NodeAddr is the lab address of a host node (its first interface).
	NodeAddr(node string) (netip.Addr, error)
	// RouterAddr is the router's current address named by port ("wan",
	// "lan" or "ether2"), asked of the live router so that it follows a WAN
	// address change; near is the node whose view matters for "lan" (the
	// router's address on near's network).
	RouterAddr(ctx context.Context, port, near string) (netip.Addr, error)
}

// Observation is what one probe saw, independent of the probe kind.
type Observation struct {
	Result        string  `json:"result"`
	ServerName    string  `json:"server_name,omitempty"`
	ServerSaw     string  `json:"server_saw,omitempty"`
	Millis        float64 `json:"ms,omitempty"`              // connect-to-answer time
	BitsPerSecond float64 `json:"bits_per_second,omitempty"` // throughput probes
	Retransmits   int     `json:"retransmits,omitempty"`
	Detail        string  `json:"detail,omitempty"` // the agent's error text, if any
}

// Prober runs one probe from a node to an address.
type Prober interface {
	Probe(ctx context.Context, st Step, to netip.AddrPort) (Observation, error)
}

// StepResult is one step's outcome: what was asked, what was seen, whether
// the expectation held and, if not, why.
type StepResult struct {
	Index    int         `json:"index"`
	Line     int         `json:"line"`
	Probe    Kind        `json:"probe"`
	ID       string      `json:"id,omitempty"`
	From     string      `json:"from"`
	To       string      `json:"to"`     // as written: router.wan:12566
	Target   string      `json:"target"` // as resolved: 203.0.113.2:12566
	Expect   Expect      `json:"expect"`
	Want     string      `json:"want_server_saw,omitempty"` // Expect.ServerSaw resolved
	Seen     Observation `json:"seen"`
	OK       bool        `json:"ok"`
	Why      string      `json:"why,omitempty"`
	Duration float64     `json:"duration_s"`
}

// Run runs every step in order and returns one result per step. A step
// whose probe could not run at all (agent missing, lab gone) ends the run
// with an error: that is a broken lab, not an observation.
func Run(ctx context.Context, s *Scenario, env Env, p Prober, progress func(StepResult)) ([]StepResult, error) {
	var out []StepResult
	for i, st := range s.Steps {
		r, err := runStep(ctx, env, p, i, st)
		if err != nil {
			return out, fmt.Errorf("%s:%d: %w", s.File, st.Line, err)
		}
		out = append(out, r)
		if progress != nil {
			progress(r)
		}
	}
	return out, nil
}

func runStep(ctx context.Context, env Env, p Prober, i int, st Step) (StepResult, error) {
	r := StepResult{Index: i + 1, Line: st.Line, Probe: st.Probe, ID: st.ID, From: st.From, To: st.To, Expect: st.Expect}
	to, err := resolveTarget(ctx, env, st)
	if err != nil {
		return r, err
	}
	r.Target = to.String()
	if st.Expect.ServerSaw != "" {
		near := st.Expect.Server
		if near == "" {
			near, _, _ = SplitTarget(st.To)
		}
		want, err := resolve(ctx, env, st.Expect.ServerSaw, near)
		if err != nil {
			return r, err
		}
		r.Want = want.String()
	}
	start := time.Now()
	obs, err := p.Probe(ctx, st, to)
	r.Duration = time.Since(start).Seconds()
	if err != nil {
		return r, fmt.Errorf("run %s probe from %s to %s: %w", st.Probe, st.From, r.Target, err)
	}
	r.Seen = obs
	r.OK, r.Why = judge(st.Expect, r.Want, obs)
	return r, nil
}

// judge compares an observation with its expectation.
func judge(e Expect, wantSaw string, o Observation) (bool, string) {
	var why []string
	if e.Result != "" && o.Result != e.Result {
		why = append(why, fmt.Sprintf("result %s, expected %s", o.Result, e.Result))
	}
	if e.Server != "" && o.Result == "ok" && o.ServerName != e.Server {
		why = append(why, fmt.Sprintf("answered by %q, expected %s", o.ServerName, e.Server))
	}
	if wantSaw != "" && o.Result == "ok" && o.ServerSaw != wantSaw {
		why = append(why, fmt.Sprintf("server saw %s, expected %s (%s)", o.ServerSaw, wantSaw, e.ServerSaw))
	}
	return len(why) == 0, strings.Join(why, "; ")
}

func resolveTarget(ctx context.Context, env Env, st Step) (netip.AddrPort, error) {
	host, port, err := SplitTarget(st.To)
	if err != nil {
		return netip.AddrPort{}, err
	}
	n, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("target %q: bad port: %w", st.To, err)
	}
	a, err := resolve(ctx, env, host, st.From)
	if err != nil {
		return netip.AddrPort{}, err
	}
	return netip.AddrPortFrom(a, uint16(n)), nil
}

// resolve turns a node name, router.<port> or a literal into an address.
func resolve(ctx context.Context, env Env, name, near string) (netip.Addr, error) {
	if a, err := netip.ParseAddr(name); err == nil {
		return a, nil
	}
	if port, ok := strings.CutPrefix(name, "router."); ok {
		return env.RouterAddr(ctx, port, near)
	}
	return env.NodeAddr(name)
}
