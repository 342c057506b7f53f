package scenario

import "testing"

// A case whose range leaves out the default version runs one of its own
// rather than being skipped.
func TestRangeVersion(t *testing.T) {
	for _, c := range []struct{ rng, want string }{
		{"", ""},
		{">=7.1", ""},
		{"6.49.x", LastV6},
		{">=6.49 <7.0", LastV6},
		{">=7.18", "7.18"},
		{"7.20.x", "7.20"},
		{"<6.40", ""},
	} {
		s := &Scenario{Name: "x", RouterOS: c.rng}
		if got := s.RangeVersion(); got != c.want {
			t.Errorf("%q: got %q, want %q", c.rng, got, c.want)
		}
	}
}
