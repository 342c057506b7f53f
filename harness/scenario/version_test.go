package scenario

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestParseVersion(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    Version
		str     string
		wantErr string
	}{
		{in: "6.49.13", want: Version{Major: 6, Minor: 49, Patch: 13}, str: "6.49.13"},
		{in: "7.16.2", want: Version{Major: 7, Minor: 16, Patch: 2}, str: "7.16.2"},
		{in: "7.18", want: Version{Major: 7, Minor: 18}, str: "7.18"},
		{in: "7.18beta2", want: Version{Major: 7, Minor: 18, Pre: "beta", PreN: 2}, str: "7.18beta2"},
		{in: "7.18rc1", want: Version{Major: 7, Minor: 18, Pre: "rc", PreN: 1}, str: "7.18rc1"},
		// A real export header (realcheck23 D1).
		{in: "7.14alpha21", want: Version{Major: 7, Minor: 14, Pre: "alpha", PreN: 21}, str: "7.14alpha21"},
		{in: "7.16.2 (stable)", want: Version{Major: 7, Minor: 16, Patch: 2, Channel: "stable"}, str: "7.16.2"},
		{in: "6.49.13 (long-term)", want: Version{Major: 6, Minor: 49, Patch: 13, Channel: "long-term"}, str: "6.49.13"},
		{in: "", wantErr: "want major.minor"},
		{in: "7", wantErr: "want major.minor"},
		{in: "7.16.2.1", wantErr: "want major.minor"},
		{in: "7.x", wantErr: `"x" is not a version number`},
		{in: "v7.16", wantErr: `"v7" is not a version number`},
		{in: "7.016", wantErr: `"016" is not a version number`},
		{in: "7.18beta", wantErr: "beta number"},
		{in: "../7.16", wantErr: "want major.minor"},
		{in: "7.16/../../etc", wantErr: "want major.minor"},
		{in: "7.16 stable", wantErr: "(channel)"},
		{in: "7.-1", wantErr: "is not a version number"},
	} {
		got, err := ParseVersion(tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ParseVersion(%q) = %v, %v; want error containing %q", tc.in, got, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want || got.String() != tc.str {
			t.Errorf("ParseVersion(%q) = %+v (%s), %v; want %+v (%s)", tc.in, got, got, err, tc.want, tc.str)
		}
	}
}

func TestVersionOrder(t *testing.T) {
	// Each version sorts strictly before the next.
	order := []string{"6.48.6", "6.49", "6.49.8", "6.49.13", "7.0", "7.1", "7.9.2", "7.16", "7.16.2",
		"7.18alpha3", "7.18beta1", "7.18beta2", "7.18rc1", "7.18", "7.18.1", "7.20", "8.0"}
	for i := range order {
		for j := range order {
			a, errA := ParseVersion(order[i])
			b, errB := ParseVersion(order[j])
			if errA != nil || errB != nil {
				t.Fatalf("parse: %v %v", errA, errB)
			}
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got := a.Compare(b); got != want {
				t.Errorf("%s.Compare(%s) = %d, want %d", a, b, got, want)
			}
		}
	}
}

func TestRangeContains(t *testing.T) {
	for _, tc := range []struct {
		rng  string
		in   []string
		out  []string
		fail string
	}{
		{rng: "", in: []string{"6.49.13", "7.16.2", "7.18beta2"}},
		{rng: ">=6.49", in: []string{"6.49", "6.49rc2", "6.49.13", "7.16.2", "7.18beta2"}, out: []string{"6.48.6", "6.48.6rc1"}},
		{rng: ">=7.0 <7.18", in: []string{"7.0", "7.1", "7.16.2", "7.17.2"}, out: []string{"6.49.13", "7.18", "7.18beta2", "7.18.1"}},
		{rng: ">= 7.0, < 7.18", in: []string{"7.16.2"}, out: []string{"7.18"}},
		{rng: "6.49.x", in: []string{"6.49", "6.49.13", "6.49beta5"}, out: []string{"6.48.6", "7.16.2", "6.50"}},
		{rng: "7.x", in: []string{"7.1", "7.16.2", "7.18rc1"}, out: []string{"6.49.13", "8.0"}},
		{rng: "6.49.x || >=7.10", in: []string{"6.49.13", "7.10", "7.16.2"}, out: []string{"7.9.2", "6.48"}},
		{rng: "!=7.17", in: []string{"7.16.2", "7.17.1"}, out: []string{"7.17", "7.17rc3"}},
		{rng: "7.16.2", in: []string{"7.16.2"}, out: []string{"7.16.1", "7.16.3", "7.16"}},
		{rng: ">7.16", in: []string{"7.16.1"}, out: []string{"7.16", "7.16beta1"}},
		{rng: "<=6.49.13", in: []string{"6.49.13", "6.49"}, out: []string{"6.49.14", "7.1"}},
		// A bound with its own pre-release tag compares exactly.
		{rng: ">=7.18rc1", in: []string{"7.18rc1", "7.18rc2", "7.18"}, out: []string{"7.18beta2"}},
		{rng: ">=6.4x", fail: "is not a version number"},
		{rng: ">=7.x", fail: "takes no operator"},
		{rng: "6.49.1.x", fail: "is not a wildcard"},
		{rng: ">=6.49 ||", fail: "empty alternative"},
		{rng: "=> 6.49", fail: "want major.minor"},
		{rng: ">=7.16.2 (stable)", fail: `version "(stable)"`},
	} {
		r, err := ParseRange(tc.rng)
		if tc.fail != "" {
			if err == nil || !strings.Contains(err.Error(), tc.fail) {
				t.Errorf("ParseRange(%q) err = %v, want %q", tc.rng, err, tc.fail)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseRange(%q): %v", tc.rng, err)
			continue
		}
		for _, s := range tc.in {
			if v, _ := ParseVersion(s); !r.Contains(v) {
				t.Errorf("%q should contain %s", tc.rng, s)
			}
		}
		for _, s := range tc.out {
			if v, _ := ParseVersion(s); r.Contains(v) {
				t.Errorf("%q should not contain %s", tc.rng, s)
			}
		}
	}
}

func TestApplies(t *testing.T) {
	for _, tc := range []struct {
		rng, version string
		ok           bool
		why          string
	}{
		{">=6.49", "7.16.2", true, "RouterOS 7.16.2 is within >=6.49"},
		{">=6.49", "7.16.2 (stable)", true, "RouterOS 7.16.2 is within >=6.49"},
		{">=7.0", "6.49.13 (long-term)", false, "scenario s is for RouterOS >=7.0, not 6.49.13"},
		{"6.49.x", "7.16.2", false, "scenario s is for RouterOS 6.49.x, not 7.16.2"},
		{"", "6.49.13", true, "names no RouterOS range"},
		{">=6.4x", "7.16.2", false, "s.yaml: routeros: parse RouterOS range"},
		{">=6.49", "latest", false, `parse RouterOS version "latest"`},
	} {
		s := &Scenario{Name: "s", File: "s.yaml", RouterOS: tc.rng}
		ok, why := s.Applies(tc.version)
		if ok != tc.ok || !strings.Contains(why, tc.why) {
			t.Errorf("range %q, Applies(%q) = %v, %q; want %v, %q", tc.rng, tc.version, ok, why, tc.ok, tc.why)
		}
	}
}

// Every scenario in the repository must carry a range that parses and
// that holds for the version rosemu emulates by default or names one it
// emulates (a RouterOS 6 case runs 6.49.18), or the suite would skip it
// on the emulator.
func TestScenarioRanges(t *testing.T) {
	root, err := Root()
	if err != nil {
		t.Skip(err)
	}
	names, err := Names(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatal("no scenarios found")
	}
	for _, n := range names {
		// Read, not Load: the ranges are the scenario file's, and Load's
		// offline check of each configuration (5 of this test's 6 s) is
		// scenarios' TestConfigurationsApply's.
		s, err := Read(filepath.Join(root, "scenarios", n, "scenario.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.VersionRange(); err != nil {
			t.Error(err)
		}
		if ok, why := s.Applies("7.16.2"); !ok && s.RangeVersion() == "" {
			t.Errorf("%s: %s, and the emulator runs no version of its range", n, why)
		}
	}
}

func TestRangeMajorBound(t *testing.T) {
	r, err := ParseRange(">=6.49 <8")
	if err != nil {
		t.Fatal(err)
	}
	for v, want := range map[string]bool{"7.16.2": true, "6.49.18": true, "8.0": false, "6.48.6": false} {
		if got := r.Contains(MustVersion(t, v)); got != want {
			t.Errorf("%s in %s = %v, want %v", v, r, got, want)
		}
	}
	if _, err := ParseRange("7"); err == nil {
		t.Error("a bare major without an operator was taken as a version")
	}
}

func MustVersion(t *testing.T, s string) Version {
	t.Helper()
	v, err := ParseVersion(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestNearestEmulatedPreRelease: the pre-release headers of real exports
// run as themselves (the emulator reads 7.20rc3 as having 7.20's menus).
// Before, 7.14alpha21 did not parse and its export ran as the default
// version (realcheck23 D1).
func TestNearestEmulatedPreRelease(t *testing.T) {
	for _, h := range []string{"7.19rc1", "7.20rc3", "7.20beta4", "7.14alpha21", "7.10rc6"} {
		if got, older := NearestEmulated(h); got != h || older {
			t.Errorf("NearestEmulated(%s) = %s, %v; want %s, false", h, got, older, h)
		}
	}
}
