package kernel

import "testing"

// TestAddrTypeList: a list of address types renders as an nft set of fib
// types (a 7.1.1 export's dst-address-type=broadcast,multicast), negated
// too; an unknown type in a list is refused.
func TestAddrTypeList(t *testing.T) {
	for v, want := range map[string]string{
		"broadcast,multicast":  "fib daddr type { broadcast, multicast }",
		"!broadcast,multicast": "fib daddr type != { broadcast, multicast }",
		"local":                "fib daddr type local",
	} {
		got, err := addrTypeMatch("daddr", v)
		if err != nil || got != want {
			t.Errorf("%s: %q %v, want %q", v, got, err, want)
		}
	}
	if _, err := addrTypeMatch("daddr", "broadcast,nosuch"); err == nil {
		t.Error("an unknown type in a list was taken")
	}
}
