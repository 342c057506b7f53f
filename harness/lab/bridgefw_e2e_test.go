package lab_test

import (
	"os"
	"strings"
	"testing"
)

// TestBridgeUseIPFirewall: /interface bridge settings use-ip-firewall=yes
// turns br_netfilter's switch on in the router's namespace, and =no turns
// it off again, at run time. Docker mounts /proc/sys read-only in the
// container and starts the router with the switch off (RouterOS's
// default), so rosemu once refused every export that sets it (about one
// real export in thirty) with "read-only file system".
func TestBridgeUseIPFirewall(t *testing.T) {
	t.Parallel() // beside the other lab tests: see TestMain
	if _, err := os.Stat("/proc/sys/net/bridge/bridge-nf-call-iptables"); err != nil {
		t.Skip("this kernel has no br_netfilter: bridged frames never reach the IP firewall, whatever the setting")
	}
	ctx, l, rc := upNamedLab(t, "hairpin-bridge")
	sysctl := func() string {
		t.Helper()
		out, code, err := l.Exec(ctx, "router", []string{"cat", "/proc/sys/net/bridge/bridge-nf-call-iptables"})
		if err != nil || code != 0 {
			t.Fatalf("read the router's bridge-nf-call-iptables: exit %d, %v", code, err)
		}
		return strings.TrimSpace(string(out))
	}
	if got := sysctl(); got != "0" {
		t.Fatalf("bridge-nf-call-iptables = %s before any setting, want 0 (use-ip-firewall=no)", got)
	}
	for _, tc := range []struct{ set, want string }{{"yes", "1"}, {"no", "0"}} {
		if err := rc.Apply(ctx, "test.rsc", []byte("/interface bridge settings set use-ip-firewall="+tc.set+"\n")); err != nil {
			t.Fatalf("use-ip-firewall=%s: %v", tc.set, err)
		}
		if got := sysctl(); got != tc.want {
			t.Errorf("use-ip-firewall=%s: bridge-nf-call-iptables = %s, want %s", tc.set, got, tc.want)
		}
	}
}
