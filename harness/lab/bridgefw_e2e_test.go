package lab_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/harness/images"
	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/ros"
)

// TestBridgeUseIPFirewall: /interface bridge settings use-ip-firewall=yes
// turns br_netfilter's switch on in the router's namespace, and =no turns
// it off again, at run time. Docker mounts /proc/sys read-only in the
// container and starts the router with the switch off (RouterOS's
// default), so rosemu once refused every export that sets it (about one
// real export in thirty) with "read-only file system".
func TestBridgeUseIPFirewall(t *testing.T) {
	t.Parallel() // beside the other lab tests: see TestMain
	if testing.Short() {
		t.Skip("brings up a lab in Docker; skipped with -short")
	}
	if err := exec.Command("docker", "info").Run(); err != nil {
		t.Skipf("no Docker engine answers (%v)", err)
	}
	if _, err := os.Stat("/proc/sys/net/bridge/bridge-nf-call-iptables"); err != nil {
		t.Skip("this kernel has no br_netfilter: bridged frames never reach the IP firewall, whatever the setting")
	}
	root, err := images.FindRoot()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	imgs, err := images.Ensure(ctx, images.Options{Root: root, Progress: tlog{t}})
	if err != nil {
		t.Fatal(err)
	}
	spec, err := lab.Load(filepath.Join(root, "labs", "hairpin-bridge.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	l, err := lab.Up(ctx, spec, lab.Options{HostImage: imgs.Host, RouterImage: imgs.Rosemu, Progress: tlog{t}, Budget: 2 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Down(context.Background())
	rc, err := ros.Dial(ctx, ros.Endpoint{Host: l.RouterMgmt().String()}, 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	base, err := os.ReadFile(filepath.Join(root, "labs", "hairpin-bridge.rsc"))
	if err != nil {
		t.Fatal(err)
	}
	if err := rc.Apply(ctx, "labs/hairpin-bridge.rsc", base); err != nil {
		t.Fatal(err)
	}
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
