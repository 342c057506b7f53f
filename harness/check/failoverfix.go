package check

import (
	"fmt"
	"slices"
	"strings"
)

// A fix can break what works as the export has it: a masquerade narrowed
// to the first WAN left the second WAN's connections without NAT, so that
// the failover the export was built for failed once the fix was pasted
// (realcheck27 D1, proven only by pasting the fix into the export). The lab
// therefore probes failover, the silent ISP and the failback again with the
// fix (lab.go), and these say what the fix broke.

// failoverPath reports whether a probe is one of the failover probes.
func failoverPath(o Outcome) bool {
	return strings.HasPrefix(o.Probe.Path, failoverPrefix) || strings.HasPrefix(o.Probe.Path, silentPrefix) ||
		strings.HasPrefix(o.Probe.Path, failbackPrefix)
}

// failoverBad reports whether a failover probe failed.
func failoverBad(o Outcome) bool { return failoverWrong(o) || silentWrong(o) || failbackWrong(o) }

// fixBreaksFailover are the failover probes that failed with the fix and
// passed, on the same path from the same client, as the export has it.
func fixBreaksFailover(outs []Outcome) []Outcome {
	var out []Outcome
	for _, o := range outs {
		if o.Probe.Phase != "fixed" || !failoverPath(o) || !failoverBad(o) {
			continue
		}
		if slices.ContainsFunc(outs, func(b Outcome) bool {
			return b.Probe.Phase == "before" && b.Probe.Path == o.Probe.Path && b.Probe.From == o.Probe.From && !failoverBad(b)
		}) {
			out = append(out, o)
		}
	}
	return out
}

// fixBreaksFailoverWarnings says, per path, what the fix broke.
func fixBreaksFailoverWarnings(outs []Outcome) []string {
	var out []string
	for _, o := range fixBreaksFailover(outs) {
		out = append(out, fmt.Sprintf("the fix breaks what works as the export has it: %s fails in the lab with the fix (%s, answered by %s) and works without it; do not paste the fix as it is", o.Probe.Path, o.Result, orNobody(o.By)))
	}
	return out
}
