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
	"github.com/chrlab/chrlab/harness/probe"
	"github.com/chrlab/chrlab/harness/ros"
	routerkind "github.com/chrlab/chrlab/harness/router"
)

// TestVMRouterHairpin boots rosemu as a QEMU guest in the chr container
// (the vm backend), configures it with the hairpin lab's base and the
// srcnat method through the API, and checks that hairpin NAT works through
// the guest: the server sees the router's LAN address. Then it checks that
// Down leaves no container, network or QEMU process behind.
func TestVMRouterHairpin(t *testing.T) {
	t.Parallel() // beside the other lab tests: see TestMain
	if testing.Short() {
		t.Skip("builds the chr image and boots a QEMU guest; skipped with -short")
	}
	if _, err := exec.LookPath("docker"); err != nil {
		t.Skip("no docker CLI to check the engine with; scripts/ensure-docker.sh installs one")
	}
	if err := exec.Command("docker", "info").Run(); err != nil {
		t.Skipf("no Docker engine answers (%v); scripts/ensure-docker.sh starts one", err)
	}
	if _, err := os.Stat("/dev/net/tun"); err != nil {
		t.Skipf("no /dev/net/tun for QEMU's taps: %v", err)
	}
	if kvm, why := lab.KVMUsable(); !kvm {
		// The test still runs: TCG is slower, not different.
		t.Logf("no usable KVM (%s): the guest runs under TCG", why)
	}
	root, err := images.FindRoot()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()

	start := time.Now()
	imgs, err := images.Ensure(ctx, images.Options{Root: root, VM: true, Progress: tlog{t}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("images ready in %.1fs: chr %s", time.Since(start).Seconds(), imgs.Chr)

	spec, err := lab.Load(filepath.Join(root, "labs", "hairpin.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// The vm kind provisions its stand-in CHR disk with rw/autorun.scr.
	kind, err := routerkind.Lookup("vm")
	if err != nil {
		t.Fatal(err)
	}
	prepared, err := kind.Prepare(ctx, routerkind.Options{CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	routerImage, router, err := prepared.Run(ctx, imgs, spec)
	if err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	l, err := lab.Up(ctx, spec, lab.Options{HostImage: imgs.Host, RouterImage: routerImage, Router: router, Progress: tlog{t}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("lab with the vm router up in %.1fs", time.Since(start).Seconds())
	runID, mgmt := l.RunID, l.RouterMgmt()
	downed := false
	defer func() {
		if !downed {
			_ = l.Down(context.Background())
		}
	}()
	defer func() {
		if t.Failed() {
			if c, err := l.RouterConsole(context.Background()); err == nil {
				t.Logf("router console:\n%s", c)
			}
		}
	}()

	rc, err := ros.Dial(ctx, ros.Endpoint{Host: l.RouterMgmt().String()}, 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{filepath.Join("labs", "hairpin.rsc"), filepath.Join("scenarios", "srcnat", "router.rsc")} {
		rsc, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := rc.Apply(ctx, f, rsc); err != nil {
			t.Fatal(err)
		}
	}
	rc.Close()

	// The console must show the guest's boot: vminit naming the ports in
	// the lab's order, and rosemu's ready line.
	console, err := l.RouterConsole(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"vminit: NIC 52:54:00:00:00:01 is ether1", "vminit: NIC 52:54:00:00:00:02 is ether2", "rosemu ready"} {
		if !strings.Contains(string(console), want) {
			t.Errorf("router console lacks %q:\n%s", want, console)
		}
	}

	// Hairpin: client1 reaches the server through the router's WAN address
	// and the server sees the router's LAN address (the masquerade), not
	// the client's.
	r, err := probe.TCP(ctx, l, "client1", "203.0.113.2:12566", probe.ConnectOptions{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if r.Result != probe.OK || r.ServerSaw != "192.168.88.1" {
		t.Errorf("hairpin probe client1 -> 203.0.113.2:12566 = %s, want ok with server_saw 192.168.88.1", r)
	}
	// Negative control from outside: the peer behind the ISP reaches the
	// port forward and the server sees the peer itself (no masquerade).
	r, err = probe.TCP(ctx, l, "peer", "203.0.113.2:12566", probe.ConnectOptions{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if r.Result != probe.OK || r.ServerSaw != "198.51.100.50" {
		t.Errorf("probe peer -> 203.0.113.2:12566 = %s, want ok with server_saw 198.51.100.50", r)
	}

	if err := l.Down(ctx); err != nil {
		t.Fatal(err)
	}
	downed = true
	for _, what := range [][]string{
		{"ps", "-aq", "--filter", "label=" + lab.LabelRun + "=" + runID},
		{"network", "ls", "-q", "--filter", "label=" + lab.LabelRun + "=" + runID},
	} {
		out, err := exec.Command("docker", what...).Output()
		if err != nil {
			t.Fatalf("docker %s: %v", strings.Join(what, " "), err)
		}
		if s := strings.TrimSpace(string(out)); s != "" {
			t.Errorf("after Down, docker %s lists %s", strings.Join(what, " "), s)
		}
	}
	// QEMU ran inside the router container: after Down no process on this
	// machine may still forward this run's management address.
	if out, _ := exec.Command("pgrep", "-af", "hostfwd=tcp:"+mgmt.String()+":8728").Output(); len(out) > 0 {
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			t.Errorf("after Down a QEMU process remains: %s", line)
		}
	}
}

// tlog writes progress lines to the test log.
type tlog struct{ t *testing.T }

func (w tlog) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
