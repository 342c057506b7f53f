package kernel

import "testing"

// limit= takes any time as its period (RouterOS: count/time), rendered as
// nft's exact count per second, minute, hour, day or week.
func TestLimitAnyPeriod(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"50/5s,2:packet", "limit rate 10/second burst 2 packets"},
		{"1/10s,5", "limit rate 6/minute burst 5 packets"},
		{"10/1m", "limit rate 10/minute"},
		{"3/7s", "limit rate 259200/week"},
		{"100", "limit rate 100/second"},
		{"8M/2s:bit", "limit rate 500000 bytes/second"},
		{"5/1h30m", "limit rate 80/day"},
	} {
		got, err := limitMatch(c.in)
		if err != nil || got != c.want {
			t.Errorf("limit=%s: %q %v, want %q", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"abc", "0/1s", "5/0s", "5/xs", "5/1s,x", "5/1s:byte", ""} {
		if err := ValidLimit(bad); err == nil {
			t.Errorf("limit=%q taken", bad)
		}
	}
	if err := ValidDstLimit("32,32,src-and-dst-addresses/10s"); err != nil {
		t.Errorf("dst-limit: %v", err)
	}
	if err := ValidDstLimit("5/5s,10,dst-address/1m"); err != nil {
		t.Errorf("dst-limit with 5s: %v", err)
	}
	for _, bad := range []string{"5/1s,10,bogus", "x,1", "5/1s,5,dst-address/0s"} {
		if err := ValidDstLimit(bad); err == nil {
			t.Errorf("dst-limit=%q taken", bad)
		}
	}
}
