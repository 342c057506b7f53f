package scenarios_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/client"
	tclog "github.com/testcontainers/testcontainers-go/log"

	"github.com/chrlab/chrlab/harness/images"
	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/probe"
	"github.com/chrlab/chrlab/harness/ros"
	"github.com/chrlab/chrlab/harness/scenario"
)

// TestRouterRestart restarts the router's container in the middle of a
// run, as a power cycle of a RouterOS box: the router comes back (issue
// 13: a stale /run/netns/mgmt kept rosemu from starting), with the
// configuration it had (it lived only in memory), and the lab still
// works: the hairpin that held before holds after.
func TestRouterRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("needs a Docker engine")
	}
	tclog.SetDefault(tclog.NewNoopLogger())
	root, err := scenario.Root()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	imgs, err := images.Ensure(ctx, images.Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	spec, err := lab.Load(filepath.Join(root, "labs", "hairpin.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	l, err := lab.Up(ctx, spec, lab.Options{HostImage: imgs.Host, RouterImage: imgs.Rosemu, Progress: testLog{t}})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Down(context.WithoutCancel(ctx))

	rc, err := ros.Dial(ctx, ros.Endpoint{Host: l.RouterMgmt().String()}, 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{filepath.Join(root, "labs", "hairpin.rsc"), filepath.Join(root, "scenarios", "srcnat", "router.rsc")} {
		rsc, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := rc.Apply(ctx, f, rsc); err != nil {
			t.Fatal(err)
		}
	}
	before, err := rc.Export(ctx)
	rc.Close()
	if err != nil {
		t.Fatal(err)
	}
	hairpin := func(when string) {
		t.Helper()
		var res probe.Result
		// The router's ports come up a moment after its API.
		for range 20 {
			if res, err = probe.TCP(ctx, l, "client1", "203.0.113.2:12566", probe.ConnectOptions{}); err == nil && res.Result == probe.OK {
				break
			}
			time.Sleep(500 * time.Millisecond)
		}
		if err != nil || res.Result != probe.OK || res.ServerName != "server" || res.ServerSaw != "192.168.88.1" {
			t.Fatalf("%s: hairpin %+v, %v; want ok via server, seen as 192.168.88.1", when, res, err)
		}
	}
	hairpin("before the restart")

	id, _ := l.ContainerID(spec.Router.Name)
	docker, err := client.New(client.FromEnv)
	if err != nil {
		t.Fatal(err)
	}
	defer docker.Close()
	// The limits of issue 13 reach the engine.
	for _, node := range []string{spec.Router.Name, "client1"} {
		cid, _ := l.ContainerID(node)
		info, err := docker.ContainerInspect(ctx, cid, client.ContainerInspectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		hc := info.Container.HostConfig
		want := int64(lab.HostMemoryMiB) << 20
		if node == spec.Router.Name {
			want = int64(lab.RouterMemoryMiB) << 20
		}
		if hc.Memory != want || hc.PidsLimit == nil || *hc.PidsLimit <= 0 {
			t.Errorf("%s: memory %d, pids %v; want %d and a process limit", node, hc.Memory, hc.PidsLimit, want)
		}
	}
	start := time.Now()
	if _, err := docker.ContainerRestart(ctx, id, client.ContainerRestartOptions{}); err != nil {
		t.Fatal(err)
	}
	rc, err = ros.Dial(ctx, ros.Endpoint{Host: l.RouterMgmt().String()}, 30*time.Second)
	if err != nil {
		logs, _ := l.Logs(ctx, spec.Router.Name)
		t.Fatalf("the router did not come back after docker restart: %v\n%s", err, logs)
	}
	defer rc.Close()
	t.Logf("router back %.1fs after docker restart", time.Since(start).Seconds())
	after, err := rc.Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if body(after) != body(before) {
		t.Errorf("configuration after the restart:\n%s\nwant what it was before:\n%s", after, before)
	}
	if !strings.Contains(after, "hairpin: method 2") {
		t.Errorf("the export holds no hairpin rule; the test's configuration did not apply:\n%s", after)
	}
	hairpin("after the restart")
}

// body drops the export's date line.
func body(export string) string {
	_, rest, _ := strings.Cut(export, "\n")
	return rest
}

type testLog struct{ t *testing.T }

func (w testLog) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
