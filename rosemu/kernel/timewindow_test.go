package kernel

import (
	"strings"
	"testing"
)

// TestTimeWindowPieces: a window the configuration moved to UTC day by day
// loads as one set of day . hour intervals.
func TestTimeWindowPieces(t *testing.T) {
	got, err := timeMatch("utc:5@75600-86400;6@0-21600")
	if want := `meta day . meta hour { 5 . "21:00:00"-"23:59:59", 6 . "00:00:00"-"05:59:59" }`; err != nil || got != want {
		t.Errorf("timeMatch = %q, %v; want %q", got, err, want)
	}
	for _, bad := range []string{"utc:7@0-10", "utc:1@10-10", "utc:1@0-86401", "utc:x"} {
		if _, err := timeMatch(bad); err == nil {
			t.Errorf("timeMatch(%q) took it", bad)
		}
	}
	dp, _, _, _, _ := dualDataplane(t)
	st := dualWANState()
	st.Mangle, st.RoutingTables = nil, nil
	st.Routes = st.Routes[:1]
	st.Filter = append(st.Filter[:len(st.Filter):len(st.Filter)], rule("*99", "chain=forward", "action=drop", "time=utc:5@75600-86400;6@0-21600"))
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	if rs, err := dp.Ruleset(); err != nil || !strings.Contains(rs, `meta day . meta hour { "Friday" . "21:00"-"23:59:59"`) {
		t.Errorf("ruleset (%v):\n%s", err, rs)
	}
}
