package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/netip"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/harness/images"
	"github.com/chrlab/chrlab/harness/lab"
)

// TestVerbsOnKeptLabs brings two labs up and works on the first through
// every verb: ls, inspect, exec on the router and on a host, probe (with
// its negative control), then removes it while the second stays up, and
// finds nothing of it left in Docker.
func TestVerbsOnKeptLabs(t *testing.T) {
	root := dockerRoot(t, "brings up two labs in Docker")
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	verb := func(want int, args ...string) string {
		t.Helper()
		var out, errs bytes.Buffer
		var code int
		if args[0] == "up" {
			code = cmdUp(ctx, root, args[1:], &out, &errs)
		} else {
			code, _ = runLabVerb(ctx, args, &out, &errs)
		}
		if code != want {
			t.Fatalf("chrlab %q: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", args, code, want, out.String(), errs.String())
		}
		return out.String()
	}
	up := func() string {
		out := verb(0, "up", "--method", "srcnat", "--router", "rosemu")
		m := regexp.MustCompile(`(?m)^run ([0-9a-f]{6}) is up$`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("chrlab up printed no run id:\n%s", out)
		}
		t.Cleanup(func() { _ = lab.DownRun(context.Background(), m[1], os.Stderr) })
		return m[1]
	}
	run, other := up(), up()

	var ls []lsRow
	if err := json.Unmarshal([]byte(verb(0, "ls", "--json")), &ls); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{run, other} {
		i := slices.IndexFunc(ls, func(r lsRow) bool { return r.Run == id })
		if i < 0 || ls[i].Scenario != "srcnat" || ls[i].Router != "rosemu" || ls[i].Owner != "kept" || !slices.Contains(ls[i].Nodes, "client1") {
			t.Errorf("ls has no kept srcnat lab %s: %+v", id, ls)
		}
	}

	var in inspectView
	if err := json.Unmarshal([]byte(verb(0, "inspect", run, "--json")), &in); err != nil {
		t.Fatal(err)
	}
	if _, err := netip.ParseAddr(in.Router.Management); err != nil || in.Router.Container != "chrlab-"+run+"-router" {
		t.Errorf("inspect: router %+v", in.Router)
	}
	if len(in.Router.Ports) != 2 || in.Router.Ports[0].Role != "wan" || in.Router.Ports[1].Address != "192.168.88.1/24" {
		t.Errorf("inspect: router ports %+v", in.Router.Ports)
	}
	i := slices.IndexFunc(in.Nodes, func(n nodeView) bool { return n.Name == "client1" })
	if i < 0 || in.Nodes[i].Interfaces[0].Address != "192.168.88.20/24" || in.Nodes[i].State != "running" {
		t.Errorf("inspect: nodes %+v", in.Nodes)
	}
	if fi, err := os.Stat(in.Results); err != nil || !fi.IsDir() || !strings.HasSuffix(in.Configuration[len(in.Configuration)-1], "scenarios/srcnat/router.rsc") {
		t.Errorf("inspect: results %q (%v), configuration %q", in.Results, err, in.Configuration)
	}

	// The router runs RouterOS CLI; a command it refuses fails.
	if out := verb(0, "exec", run, "router", "--", "/ip", "firewall", "nat", "print"); !strings.Contains(out, "hairpin: method 2") {
		t.Errorf("the router's NAT rules lack the hairpin rule:\n%s", out)
	}
	verb(1, "exec", run, "router", "--", "/ip", "firewall", "nat", "frobnicate")
	// A host runs a shell command, its exit status passed through.
	if out := verb(0, "exec", run, "client1", "--", "ip", "-4", "addr", "show"); !strings.Contains(out, "192.168.88.20/24") {
		t.Errorf("client1 lacks its lab address:\n%s", out)
	}
	verb(7, "exec", run, "client1", "--", "sh", "-c", "exit 7")
	verb(2, "exec", run, "nobody", "--", "true")

	// Method 2's hairpin rule is TCP only: TCP through the WAN address
	// works, seen as the router; UDP does not.
	verb(0, "probe", run, "--from", "client1", "--to", "router.wan:12566", "--probe", "tcp", "--expect", "result=ok", "--expect", "server_saw=router.lan")
	verb(1, "probe", run, "--from", "client1", "--to", "router.wan:12566", "--probe", "udp", "--expect", "result=ok")
	verb(2, "probe", run, "--from", "nobody", "--to", "server:12566", "--probe", "tcp")

	verb(0, "down", run)
	if _, err := lab.FindRun(ctx, run); !errors.Is(err, lab.ErrNoRun) {
		t.Errorf("run %s is still found after down: %v", run, err)
	}
	for _, kind := range []string{"container", "network"} {
		out, err := exec.Command("docker", kind, "ls", "-a", "-q", "--filter", "label="+lab.LabelRun+"="+run).CombinedOutput()
		if kind == "network" {
			out, err = exec.Command("docker", kind, "ls", "-q", "--filter", "label="+lab.LabelRun+"="+run).CombinedOutput()
		}
		if err != nil || len(bytes.TrimSpace(out)) > 0 {
			t.Errorf("a %s of run %s is left: %q %v", kind, run, out, err)
		}
	}
	verb(2, "inspect", run)
	// The other lab is untouched, and goes in turn.
	if out := verb(0, "exec", other, "client1", "--", "hostname"); strings.TrimSpace(out) == "" {
		t.Errorf("the other lab's client1 has no hostname")
	}
	verb(0, "down", other)
	if _, err := lab.FindRun(ctx, other); !errors.Is(err, lab.ErrNoRun) {
		t.Errorf("run %s is still found after down: %v", other, err)
	}
}

// dockerRoot skips a test of a lab in Docker under -short (what says what
// it runs) or when no Docker engine answers, and returns the repository's
// root, where chrlab finds its images' sources.
func dockerRoot(t *testing.T, what string) string {
	t.Helper()
	if testing.Short() {
		t.Skip(what + "; skipped with -short")
	}
	if err := exec.Command("docker", "info").Run(); err != nil {
		t.Skipf("no Docker engine answers (%v)", err)
	}
	root, err := images.FindRoot()
	if err != nil {
		t.Fatal(err)
	}
	return root
}
