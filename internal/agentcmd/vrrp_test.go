package agentcmd

import (
	"strings"
	"testing"
	"time"
)

// TestVRRPFlags: the lab's flags parse; an address outside the network,
// the owner's priority and an unknown version are refused, and the flags
// are not checked when the node serves no vrrp.
func TestVRRPFlags(t *testing.T) {
	good := vrrpFlags{network: "192.168.88.0/24", vrid: 1, priority: 150, interval: time.Second, address: "192.168.88.254", version: 3}
	if err := good.check(true); err != nil || good.parsed.Address.String() != "192.168.88.254" || good.parsed.Priority != 150 {
		t.Fatalf("good flags: %v %+v", err, good.parsed)
	}
	for _, tc := range []struct {
		edit func(*vrrpFlags)
		want string
	}{
		{func(f *vrrpFlags) { f.address = "10.0.0.1" }, "is not an address in 192.168.88.0/24"},
		{func(f *vrrpFlags) { f.priority = 255 }, "--vrrp-priority 255 is out of range"},
		{func(f *vrrpFlags) { f.version = 4 }, "want 2 or 3"},
		{func(f *vrrpFlags) { f.network = "fd00::/64" }, "is not an IPv4 prefix"},
	} {
		f := good
		tc.edit(&f)
		if err := f.check(true); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("err = %v, want %q", err, tc.want)
		}
		if err := f.check(false); err != nil {
			t.Errorf("not serving vrrp: %v", err)
		}
	}
}
