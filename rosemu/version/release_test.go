package version

import "testing"

// TestRelease reads the version forms real export headers carry (D1 of
// realcheck23: 7.19rc1, 7.20rc3, 7.20beta4, 7.14alpha21, 7.10rc6 were read
// as 7.0) and the release forms beside them.
func TestRelease(t *testing.T) {
	for _, c := range []struct {
		v            string
		release      string
		major, minor int
		ok           bool
	}{
		{"7.19rc1", "7.19", 7, 19, true},
		{"7.20rc3", "7.20", 7, 20, true},
		{"7.20beta4", "7.20", 7, 20, true},
		{"7.14alpha21", "7.14", 7, 14, true},
		{"7.10rc6", "7.10", 7, 10, true},
		{"7.17beta2", "7.17", 7, 17, true},
		{"6.49rc2", "6.49", 6, 49, true},
		{"7.1rc1", "7.1", 7, 1, true},
		{"7.16.2", "7.16.2", 7, 16, true},
		{"7.16.2 (stable)", "7.16.2", 7, 16, true},
		{"7.20.8", "7.20.8", 7, 20, true},
		{"6.49.18", "6.49.18", 6, 49, true},
		{"7.18", "7.18", 7, 18, true},
		{"7", "", 0, 0, false},
		{"", "", 0, 0, false},
		{"rc1", "", 0, 0, false},
	} {
		if got := Release(c.v); got != c.release {
			t.Errorf("Release(%q) = %q, want %q", c.v, got, c.release)
		}
		ma, mi, ok := MajorMinor(c.v)
		if ma != c.major || mi != c.minor || ok != c.ok {
			t.Errorf("MajorMinor(%q) = %d, %d, %v, want %d, %d, %v", c.v, ma, mi, ok, c.major, c.minor, c.ok)
		}
	}
}

func TestAtLeast(t *testing.T) {
	for _, c := range []struct {
		v            string
		major, minor int
		want         bool
	}{
		// A release candidate of 7.20 has 7.20's menus.
		{"7.20rc3", 7, 20, true},
		{"7.20beta4", 7, 20, true},
		{"7.19rc1", 7, 17, true},
		{"7.19rc1", 7, 20, false},
		{"7.14alpha21", 7, 12, true},
		{"7.10rc6", 7, 10, true},
		{"7.10rc6", 7, 11, false},
		{"7.16.2", 7, 17, false},
		{"7.17", 7, 17, true},
		{"6.49.18", 7, 0, false},
		{"6.49.18", 6, 41, true},
		{"", 7, 0, false},
	} {
		if got := AtLeast(c.v, c.major, c.minor); got != c.want {
			t.Errorf("AtLeast(%q, %d, %d) = %v, want %v", c.v, c.major, c.minor, got, c.want)
		}
	}
}

func TestIs6(t *testing.T) {
	for v, want := range map[string]bool{
		"6.49.7": true, "6.49rc1": true, "6.48": true, "6.45beta3": true,
		"7.19rc1": false, "7.16.2": false, "7.1": false, "": false, "6": false, "60.1": false,
	} {
		if got := Is6(v); got != want {
			t.Errorf("Is6(%q) = %v, want %v", v, got, want)
		}
	}
}
