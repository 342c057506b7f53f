package scenario

import (
	"testing"

	"github.com/chrlab/chrlab/rosemu/config"
)

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

// A case whose range asks for RouterOS 6 and whose configuration has no
// header runs the range's version because of the range: the lines are not
// inferred (the run named them as the reason, as if the range had been
// ignored). Control: without the range the lines decide, as before.
func TestRangeDecidesBeforeInference(t *testing.T) {
	v6 := "/ip route add gateway=203.0.113.1 routing-mark=isp1\n"
	s, err := LoadFile(newTree(t, "name: t\nlab: hairpin\nrouteros: 6.49.x\nrouter: router.rsc\nsteps:\n"+probeStep, v6))
	if err != nil {
		t.Fatal(err)
	}
	if v := s.ConfigVersion(); v != "" || s.RangeVersion() != LastV6 {
		t.Errorf("config version %q (%s), range version %q; want the range's %s", v, s.ConfigVersionWhy(), s.RangeVersion(), LastV6)
	}
	s, err = LoadFile(newTree(t, head+probeStep, v6))
	if err != nil || s.ConfigVersion() != LastV6 {
		t.Errorf("control: %v, %q", err, s.ConfigVersion())
	}
}

// CheckConfig of a case whose range leaves out the default checks it as
// the range's version, which the run without --routeros runs (RunVersion):
// a v6 /ip route rule under "routeros: 6.49.x" is taken, as 6.49.18 takes
// it (forum28 D1: it was checked as 7.16.2 and refused). Control: the same
// lines in a case for RouterOS 7 are refused as 7 refuses them.
func TestCheckConfigAsRangeVersion(t *testing.T) {
	rule := "/ip route rule\nadd action=lookup-only-in-table src-address=192.168.88.21/32 table=vpn\n"
	for _, c := range []struct {
		rng     string
		refused int
		want    string
	}{{"6.49.x", 0, LastV6}, {">=7.1", 1, ""}} { // 7: the menu line, its add folded into that refusal
		s, err := Read(newTree(t, "name: t\nlab: hairpin\nrouteros: \""+c.rng+"\"\nrouter: router.rsc\nsteps:\n"+probeStep, rule))
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := s.RunVersion(); v != c.want {
			t.Errorf("%s: run version %q, want %q", c.rng, v, c.want)
		}
		checked, err := s.CheckConfig(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, cs := range checked {
			for _, f := range cs.Result.Findings {
				if f.Verdict == config.Refused {
					n++
				}
			}
		}
		if n != c.refused {
			t.Errorf("%s: %d refused, want %d", c.rng, n, c.refused)
		}
	}
}
