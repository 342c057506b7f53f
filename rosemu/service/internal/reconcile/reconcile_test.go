package reconcile

import (
	"slices"
	"strings"
	"testing"
)

// TestApply: new keys start, kept ones hear their entry again and are not
// restarted, dropped ones stop.
func TestApply(t *testing.T) {
	var log []string
	running := map[string]string{}
	start := func(w string) string { log = append(log, "start "+w); return w }
	keep := func(t, w string) { log = append(log, "keep "+w) }
	stop := func(t string) { log = append(log, "stop "+t) }
	Apply(running, map[string]string{"a": "a1", "b": "b1"}, start, keep, stop)
	Apply(running, map[string]string{"b": "b2", "c": "c1"}, start, keep, stop)
	slices.Sort(log)
	if got := strings.Join(log, ", "); got != "keep b2, start a1, start b1, start c1, stop a1" {
		t.Errorf("log %s", got)
	}
	if len(running) != 2 || running["b"] != "b1" || running["c"] != "c1" {
		t.Errorf("running %v", running)
	}
}
