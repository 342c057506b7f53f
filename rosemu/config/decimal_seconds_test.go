package config

import (
	"strings"
	"testing"
	"time"
)

// TestDecimalSeconds: RouterOS 6 exports write sub-second times as
// decimal seconds (interval=0.2s of /routing bfd interface); they are
// taken as the same time in milliseconds. Malformed forms stay refused.
func TestDecimalSeconds(t *testing.T) {
	for v, want := range map[string]time.Duration{"0.2s": 200 * time.Millisecond, "1.5s": 1500 * time.Millisecond, "0.25s": 250 * time.Millisecond} {
		if d, ok := decimalSeconds(v); !ok || d != want {
			t.Errorf("%s = %v %v, want %v", v, d, ok, want)
		}
	}
	for _, v := range []string{"0.2", ".2s", "0.2345s", "1.s", "0.2ms", "a.2s"} {
		if _, ok := decimalSeconds(v); ok {
			t.Errorf("%s taken", v)
		}
	}
	r := runShape(t, "6.49.10", []string{"ether1"}, "/routing bfd interface\nset [ find default=yes ] interval=0.2s min-rx=0.3s\n")
	if exp := body(r.Export()); !strings.Contains(exp, "set [ find default=yes ] min-rx=300ms\n") {
		t.Errorf("export:\n%s", exp)
	}
}
