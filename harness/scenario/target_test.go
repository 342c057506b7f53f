package scenario

import "testing"

// TestSplitTarget: host:port, an IPv6 address in brackets, and what is no
// target.
func TestSplitTarget(t *testing.T) {
	for _, c := range []struct{ to, host, port string }{
		{"server:12566", "server", "12566"},
		{"192.168.88.10:80", "192.168.88.10", "80"},
		{"[3fff:88::10]:12566", "3fff:88::10", "12566"},
	} {
		h, p, err := SplitTarget(c.to)
		if err != nil || h != c.host || p != c.port {
			t.Errorf("SplitTarget(%q) = %q, %q, %v; want %q, %q", c.to, h, p, err, c.host, c.port)
		}
	}
	for _, bad := range []string{"server", "server:", "[3fff:88::10]", "[3fff:88::10]:"} {
		if h, p, err := SplitTarget(bad); err == nil {
			t.Errorf("SplitTarget(%q) = %q, %q; want an error", bad, h, p)
		}
	}
	if !isAddr("3fff:88::10") || isAddr("server:80") {
		t.Error("isAddr")
	}
}
