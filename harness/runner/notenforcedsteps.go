package runner

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/scenario"
	"github.com/chrlab/chrlab/rosemu/config"
)

// tieNotEnforced marks each failed probe step that depends, with
// certainty, on configuration the emulator stores without enforcing
// (StepResult.NotEnforced), so that the report says so on the step and
// not only in a note a user reads apart from the FAIL (forum32 D5). Two
// ties are certain: the step probes a port of the router on which a
// stored-only server would listen (the SNMP agent's UDP 161, the web
// proxy's port), or the rule whose counter the step reads has a
// property the emulator does not enforce (a filter rule's content=).
// Anything looser, such as a redirect to the proxy's port, is left to
// the verdict, which names every not-enforced setting of a failed run.
// Each passed probe step gets instead the stored-only settings on its
// path that could change its outcome (StepResult.Caveat, stepCaveat).
// Each step is judged against the configuration as it stood when it ran:
// the texts before it, configure steps included, so once, at the last
// stage before it; the rows a caveat reads are printed once per stage.
//
// final is the configuration readOffline applied before the lab when the
// run has no configure step (nil otherwise): the state every step ran
// against, so it is judged without applying the texts a second time (a
// 25,000-line export took 20 s more).
func tieNotEnforced(ctx context.Context, spec *lab.Spec, version string, base []byte, s *scenario.Scenario, steps []scenario.StepResult, final *config.Router) {
	if !slices.ContainsFunc(steps, func(st scenario.StepResult) bool { return st.Probe != "" }) {
		return
	}
	judge := func(line, next int, r *config.Router) {
		// Most configurations store nothing they do not enforce: then
		// there is neither a tie nor a caveat to look for.
		stored := len(r.NotEnforced()) > 0
		var rows *caveatRows
		for i := range steps {
			st := &steps[i]
			// A later stage that still comes before the step judges it.
			if st.Probe == "" || st.Line <= line || st.Line > next {
				continue
			}
			st.NotEnforced, st.Caveat = "", ""
			switch {
			case !stored:
			case st.OK:
				// A passed step is not tied, it gets a caveat: the
				// settings on its path that could change its outcome
				// (forum34 D6).
				if rows == nil {
					rows = readCaveatRows(ctx, r)
				}
				st.Caveat = stepCaveat(r, rows, spec, *st)
			default:
				st.NotEnforced = stepTie(ctx, r, *st)
				// Nothing tied: say whether any stored-only setting the
				// caveat reads is on the failed step's path, so that the
				// verdict does not offer one that cannot be (forum46 N10).
				if st.NotEnforced == "" {
					if rows == nil {
						rows = readCaveatRows(ctx, r)
					}
					st.NotEnforcedOffPath = stepCaveat(r, rows, spec, *st) == ""
				}
			}
		}
	}
	if final != nil {
		judge(0, math.MaxInt, final)
		return
	}
	offline(ctx, spec, version, base, s, func(_ string, line, next int, r *config.Router) { judge(line, next, r) })
}

// stepTie says how a failed probe step depends on what r stores without
// enforcing, or "".
func stepTie(ctx context.Context, r *config.Router, st scenario.StepResult) string {
	var ties []string
	if proto := probeProto(st.Probe); proto != "" {
		host, port, err := scenario.SplitTarget(st.To)
		n, perr := strconv.Atoi(port)
		if err == nil && perr == nil && strings.HasPrefix(host, "router.") {
			for _, l := range r.StoredListeners() {
				if l.Proto == proto && n >= l.Port && n <= l.Last {
					ties = append(ties, fmt.Sprintf("%s %s/%d is the port of %s, which rosemu does not enforce (%s)", st.To, proto, n, l.Path, l.Reason))
				}
			}
		}
	}
	if c := st.Seen.Counter; c != nil && counterFailed(st.Expect.Counter, *c) {
		if sel, err := scenario.ParseSelector(st.Expect.Counter.Rule); err == nil {
			path := strings.ReplaceAll(sel.Menu, "/", " ")
			path = "/" + strings.TrimSpace(path)
			rows, _, err := r.Command(ctx, sel.Menu+"/print", nil)
			if err != nil {
				rows = nil
			}
			for _, row := range rows {
				m := map[string]string{}
				for _, p := range row {
					m[p.Name] = p.Value
				}
				match := true
				for _, cond := range sel.Conds {
					match = match && cond.Match(m)
				}
				if !match {
					continue
				}
				for _, n := range r.ItemNotEnforced(path, m[".id"]) {
					if n.Property == "action" {
						// An approximated action (tarpit as drop, set-priority
						// that only counts) still counts what it matches.
						continue
					}
					ties = append(ties, fmt.Sprintf("its counter's rule (%s %s) uses %s=, which rosemu does not enforce (%s)", path, m[".id"], n.Property, n.Reason))
				}
			}
		}
	}
	return strings.Join(ties, "; ")
}

// counterFailed says whether a counter expectation is what did not hold.
func counterFailed(e scenario.CounterExpect, c scenario.Counter) bool {
	if e.Rule == "" || c.Matched == 0 {
		return false
	}
	return (e.Packets != "" && !e.Packets.Holds(float64(c.Packets))) || (e.Bytes != "" && !e.Bytes.Holds(float64(c.Bytes)))
}

// probeProto is the transport a probe kind uses towards its target, ""
// for the kinds whose traffic is not one connection or datagram to it.
func probeProto(k scenario.Kind) string {
	switch k {
	case scenario.UDP:
		return "udp"
	case scenario.TCP, scenario.Port, scenario.HTTP, scenario.FTP:
		return "tcp"
	}
	return ""
}
