package report

import (
	"testing"

	"github.com/chrlab/chrlab/harness/scenario"
)

// TestLinkRowNamesRouter (sm58): a link step on one of the lab's more
// routers names that router's port in the TO column, not the lab
// router's (it read router.wan for site-b's wan).
func TestLinkRowNamesRouter(t *testing.T) {
	for _, c := range []struct {
		router, want string
	}{{"site-b", "site-b.wan"}, {"", "router.wan"}} {
		w := rowOf(scenario.StepResult{Action: scenario.LinkDown, To: "wan", Router: c.router, OK: true})
		if w.To != c.want {
			t.Errorf("router %q: to %q, want %q", c.router, w.To, c.want)
		}
	}
}
