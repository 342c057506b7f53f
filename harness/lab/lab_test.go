package lab

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/moby/moby/client"

	"github.com/chrlab/chrlab/harness/images"
)

// The tests below bring up labs/hairpin.yaml on the local Docker engine.
// The router runs the host image with labagent instead of rosemu, so that
// the harness is tested apart from the emulator: its default route via the
// ISP makes the lab route end to end, and its whoami port stands in for the
// API port in the management readiness check.

// routerAsAgent runs labagent in the router's place: its lab addresses on
// the wired ports, a gateway via the ISP, and whoami (TCP 12566) as the
// port that must answer on the management address.
func routerAsAgent(spec *Spec) RouterRun {
	return RouterRun{
		Args: func(ws *Spec, _ netip.Prefix) []string {
			args := []string{"node", "--name", "router", "--gateway", "203.0.113.1", "--serve", "whoami"}
			for i, p := range ws.Router.Ports {
				lab := spec.Router.Ports[i]
				nw, _ := spec.Network(lab.Network)
				args = append(args, "--address", fmt.Sprintf("%s=%s", p.Address, netip.PrefixFrom(lab.Address, nw.Subnet.Bits())))
			}
			return args
		},
		ReadyLine: AgentReadyLine,
		APIPort:   12566,
	}
}

func TestUpDown(t *testing.T) {
	t.Parallel() // beside the other lab tests: see TestMain
	spec, opts := labOrSkip(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	start := time.Now()
	l, err := Up(ctx, spec, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("lab up in %.2fs", time.Since(start).Seconds())
	downed := false
	t.Cleanup(func() {
		if !downed {
			_ = l.Down(context.Background())
		}
	})

	t.Run("fixed addresses", func(t *testing.T) {
		for node, want := range map[string][]string{
			"client1": {"192.168.88.20/24"},
			"isp":     {"203.0.113.1/24", "198.51.100.1/24"},
			"router":  {"203.0.113.2/24", "192.168.88.1/24", l.RouterMgmt().String() + "/24"},
		} {
			out := mustExec(ctx, t, l, node, "ip", "-4", "-o", "addr", "show")
			for _, w := range want {
				if !strings.Contains(out, " "+w+" ") {
					t.Errorf("%s has no %s; ip addr:\n%s", node, w, out)
				}
			}
			// No Docker default bridge: a lab member has no path off this
			// machine.
			if strings.Contains(out, " 172.17.") {
				t.Errorf("%s is on Docker's default bridge:\n%s", node, out)
			}
		}
	})

	t.Run("default route via the gateway", func(t *testing.T) {
		for node, want := range map[string]string{"client1": "192.168.88.1", "peer": "198.51.100.1", "router": "203.0.113.1"} {
			out := mustExec(ctx, t, l, node, "ip", "-4", "route", "show", "default")
			if !strings.HasPrefix(out, "default via "+want+" ") {
				t.Errorf("%s: default route %q, want via %s", node, strings.TrimSpace(out), want)
			}
		}
	})

	t.Run("routed across three networks", func(t *testing.T) {
		// The ISP learns the way back to the LAN; then a LAN client reaches
		// the peer behind the ISP through the router and the ISP. This
		// crosses two lab bridges routed inside containers, which Docker's
		// isolation rules would drop without the forward rule.
		mustExec(ctx, t, l, "isp", "ip", "route", "replace", "192.168.88.0/24", "via", "203.0.113.2")
		out, code, err := l.Exec(ctx, "client1", []string{"ping", "-c", "1", "-W", "2", "198.51.100.50"})
		if err != nil || code != 0 {
			t.Fatalf("ping peer from client1: exit %d, %v:\n%s", code, err, out)
		}
		if !strings.Contains(string(out), "ttl=62") {
			t.Errorf("ping reply without ttl=62 (two routers on the path):\n%s", out)
		}
		// Negative control: without the ISP's route back, the reply has no
		// way home and the same ping fails.
		mustExec(ctx, t, l, "isp", "ip", "route", "del", "192.168.88.0/24")
		if out, code, _ := l.Exec(ctx, "client1", []string{"ping", "-c", "1", "-W", "1", "198.51.100.50"}); code == 0 {
			t.Errorf("ping succeeded without the ISP's return route:\n%s", out)
		}
	})

	t.Run("this machine owns no lab address", func(t *testing.T) {
		host, err := hostPrefixes()
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range host {
			for _, nw := range spec.Networks {
				if nw.Subnet.Contains(h.Addr()) {
					t.Errorf("this machine owns %s in lab network %s", h.Addr(), nw.Name)
				}
			}
		}
	})

	t.Run("exec and logs", func(t *testing.T) {
		res, err := l.Run(ctx, "client2", []string{"sh", "-c", "echo out; echo err >&2; exit 3"})
		if err != nil || res.ExitCode != 3 || string(res.Stdout) != "out\n" || string(res.Stderr) != "err\n" {
			t.Errorf("Run = %+v, %v; want stdout out, stderr err, exit 3", res, err)
		}
		// That went through client2's command server (session.go), and a
		// docker exec of its own gives the same.
		m, _ := l.member("client2")
		if m.session == nil || m.noServer {
			t.Errorf("client2 has no command server: every command is a docker exec")
		}
		for _, cmd := range [][]string{{"sh", "-c", "echo out; echo err >&2; exit 3"}, {"sh", "-c", "kill -TERM $$"}, {"cat"}} {
			served, err1 := l.Run(ctx, "client2", cmd)
			plain, err2 := l.runIn(ctx, m.containerID, "client2", cmd)
			if err1 != nil || err2 != nil || served.ExitCode != plain.ExitCode || string(served.Stdout) != string(plain.Stdout) || string(served.Stderr) != string(plain.Stderr) {
				t.Errorf("%q: served %+v, %v; docker exec %+v, %v", cmd, served, err1, plain, err2)
			}
		}
		if res, err := l.Run(ctx, "client2", []string{"no-such-program"}); err != nil || res.ExitCode != 127 {
			t.Errorf("a program that is not there: %+v, %v; want exit 127", res, err)
		}
		// A cancelled command returns at once and ends in the container.
		cctx, ccancel := context.WithTimeout(ctx, 300*time.Millisecond)
		began := time.Now()
		_, err = l.Run(cctx, "client2", []string{"sleep", "37"})
		ccancel()
		if !errors.Is(err, context.DeadlineExceeded) || time.Since(began) > 5*time.Second {
			t.Errorf("a command past its deadline: %v after %v; want the deadline at once", err, time.Since(began))
		}
		if out, _, _ := l.Exec(ctx, "client2", []string{"sh", "-c", "sleep 0.2; pgrep -f '^sleep 37' | wc -l"}); strings.TrimSpace(string(out)) != "0" {
			t.Errorf("the cancelled sleep still runs: %s", out)
		}
		if _, _, err := l.Exec(ctx, "nosuch", []string{"true"}); err == nil || !strings.Contains(err.Error(), "no node nosuch") {
			t.Errorf("Exec in an unknown node: %v, want an error naming it", err)
		}
		logs, err := l.Logs(ctx, "server")
		if err != nil || !strings.Contains(string(logs), AgentReadyLine) {
			t.Errorf("Logs(server) = %q, %v; want the ready line", logs, err)
		}
		if id, ok := l.ContainerID("server"); !ok || len(id) < 12 {
			t.Errorf("ContainerID(server) = %q, %v", id, ok)
		}
		if got := l.ExecHint("server"); got != "docker exec -it chrlab-"+l.RunID+"-server bash" {
			t.Errorf("ExecHint(server) = %q", got)
		}
	})

	start = time.Now()
	if err := l.Down(ctx); err != nil {
		t.Fatal(err)
	}
	downed = true
	t.Logf("lab down in %.2fs", time.Since(start).Seconds())
	assertGone(t, l.RunID)
}

// TestUpCancel cancels Up at two moments, when networks exist and when
// containers are starting, and checks that nothing of the run is left.
func TestUpCancel(t *testing.T) {
	t.Parallel() // beside the other lab tests: see TestMain
	spec, opts := labOrSkip(t)
	for _, tt := range []struct{ name, cancelOn string }{
		{"after the first network", "network isp"},
		{"after the first ready container", " ready in "},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// Cancelled as chrlab's signal.NotifyContext cancels on Ctrl-C,
			// with the signal as the cause.
			ctx, cancel := context.WithCancelCause(context.Background())
			defer cancel(nil)
			o := opts
			o.RunID = ""
			o.Progress = &triggerWriter{t: t, match: tt.cancelOn, fire: func() { cancel(errors.New("interrupt signal received")) }}
			l, err := Up(ctx, spec, o)
			if err == nil {
				_ = l.Down(context.Background())
				t.Fatalf("Up succeeded despite the cancel on %q", tt.cancelOn)
			}
			t.Logf("Up error: %v", err)
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Up error = %v, want context.Canceled in it", err)
			}
			// forum31: the interrupt, not the step it cut short ("no answer
			// from the wire container"), is the reason given.
			if !strings.Contains(err.Error(), "): interrupted (interrupt signal received), and the lab was removed; the start was at: ") ||
				strings.Contains(err.Error(), "no answer from the wire container") {
				t.Errorf("Up error = %v, want it to lead with the interrupt and say the lab was removed", err)
			}
			assertGone(t, runFromError(t, err))
		})
	}
}

// TestUpFailure makes the router exit at once: Up must fail naming it, well
// within its budget, and leave nothing behind.
func TestUpFailure(t *testing.T) {
	t.Parallel() // beside the other lab tests: see TestMain
	spec, opts := labOrSkip(t)
	opts.Router = RouterRun{Entrypoint: []string{"/bin/sh", "-c", "echo broken router; exit 7"}, Cmd: []string{}, ReadyLine: AgentReadyLine, APIPort: -1}
	kept := map[string]string{}
	opts.Keep = func(name string, data []byte) { kept[name] = string(data) }
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	start := time.Now()
	_, err := Up(ctx, spec, opts)
	if err == nil {
		t.Fatal("Up succeeded with a router that exits")
	}
	if !strings.Contains(kept["log-router.txt"], "broken router") {
		t.Errorf("kept logs %v, want the router's log saved before the lab was removed", slices.Collect(maps.Keys(kept)))
	}
	t.Logf("Up error: %v", err)
	if !strings.Contains(err.Error(), "start router") || !strings.Contains(err.Error(), "broken router") {
		t.Errorf("Up error = %v, want it to name the router and quote its log", err)
	}
	// Noticed, not waited out: the error is the router's exit, not the
	// budget's end (a wall-clock bound failed on a loaded machine whose
	// hosts took 14 s to start).
	if strings.Contains(err.Error(), "within the budget") {
		t.Errorf("Up waited its budget out (%s) instead of noticing the router exited: %v", time.Since(start), err)
	}
	assertGone(t, runFromError(t, err))
}

// TestUpBudget gives the router a ready line it never prints: Up must give
// up when the budget is spent, say so, and leave nothing behind.
func TestUpBudget(t *testing.T) {
	t.Parallel() // beside the other lab tests: see TestMain
	spec, opts := labOrSkip(t)
	opts.Router.ReadyLine = "a line labagent never prints"
	// The budget is long enough for the hosts on a busy machine (they are
	// ready in 1 to 3 s while other Docker test packages run), so that it
	// is the router, which never says it is ready, that runs it out; no
	// longer, since the test waits all of it.
	opts.Budget = 10 * time.Second
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := Up(ctx, spec, opts)
	if err == nil {
		t.Fatal("Up succeeded although the router never printed its ready line")
	}
	t.Logf("Up error: %v", err)
	// On a loaded machine the budget may run out before the router is
	// started at all (the wire container took it once); the budget's end
	// is what the test is about.
	if !strings.Contains(err.Error(), "not ready within the budget of 10s") {
		t.Errorf("Up error = %v, want it to name the budget", err)
	}
	// The budget's end is no interrupt (TestUpCancel's control).
	if strings.Contains(err.Error(), "interrupted") {
		t.Errorf("Up error = %v, says interrupted at the budget's end", err)
	}
	assertGone(t, runFromError(t, err))
}

// TestDownAll removes every lab on this machine, other people's included,
// so it runs only when asked: CHRLAB_TEST_DOWNALL=1.
func TestDownAll(t *testing.T) {
	if os.Getenv("CHRLAB_TEST_DOWNALL") != "1" {
		t.Skip("removes every chrlab lab on this machine; set CHRLAB_TEST_DOWNALL=1 to run")
	}
	spec, opts := labOrSkip(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	l, err := Up(ctx, spec, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := DownAll(ctx); err != nil {
		t.Fatal(err)
	}
	assertGone(t, l.RunID)
	if err := iptables(ctx, append([]string{"-C"}, forwardRule...)...); err == nil {
		t.Error("the forward rule is still installed after DownAll")
	}
	// Down after DownAll finds nothing to remove and says so without error.
	if err := l.Down(ctx); err != nil {
		t.Errorf("Down after DownAll: %v", err)
	}
}

// labOrSkip skips without a Docker engine and otherwise returns the hairpin
// spec and options with freshly ensured images.
func labOrSkip(t testing.TB) (*Spec, Options) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts containers; skipped with -short")
	}
	images.DisableReaper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	docker, err := newDockerClient(ctx)
	if err != nil {
		t.Skipf("no Docker engine answers (%v); scripts/ensure-docker.sh starts one", err)
	}
	docker.Close()
	spec, err := Load(hairpinPath(t))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	imgs, err := images.Ensure(ctx, images.Options{HostPackage: agentPackage(t), SkipRosemu: true, Progress: &triggerWriter{t: t}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("images ready in %.1fs: %+v", time.Since(start).Seconds(), imgs)
	return spec, Options{
		HostImage:   imgs.Host,
		RouterImage: imgs.Host,
		Router:      routerAsAgent(spec),
		Progress:    &triggerWriter{t: t},
	}
}

var (
	agentOnce sync.Once
	agentPkg  string
	agentTemp string // the test agent's directory, removed by TestMain
)

// TestMain runs the package's tests. The tests that bring up a lab of their
// own call t.Parallel: each lab is wired in namespaces of its own, so labs
// with the same addresses run side by side, and most of such a test is
// waiting (for containers, a budget, a guest's boot). The tests that read
// the host's own conntrack and iptables counters (TestDockerHostSilent,
// TestLabTrafficSkipsHostNetfilter) stay serial, and go test runs every
// serial test of a package before its parallel ones.
func TestMain(m *testing.M) {
	// Before any test: testcontainers reads its configuration once, at
	// its first use, and parallel tests race to that first use; its reaper
	// would be pulled from a registry these labs never reach.
	images.DisableReaper()
	code := m.Run()
	if agentTemp != "" {
		os.RemoveAll(agentTemp)
	}
	os.Exit(code)
}

// agentPackage returns ./cmd/labagent when it builds, and otherwise a
// minimal agent with the same contract (node --name --gateway --serve,
// the ready line, exit on SIGTERM), so that the harness can be tested while
// labagent is being written.
func agentPackage(t testing.TB) string {
	agentOnce.Do(func() {
		root, err := images.FindRoot()
		// CHRLAB_TEST_AGENT=minimal forces the minimal agent, to check it.
		if err == nil && os.Getenv("CHRLAB_TEST_AGENT") != "minimal" {
			cmd := exec.Command("go", "build", "-o", os.DevNull, "./cmd/labagent")
			cmd.Dir = root
			if out, err := cmd.CombinedOutput(); err == nil {
				agentPkg = images.DefaultHostPackage
				return
			} else {
				t.Logf("cmd/labagent does not build, using the test agent:\n%s", out)
			}
		}
		dir, err := os.MkdirTemp("", "chrlab-testagent-")
		if err != nil {
			t.Fatal(err)
		}
		_ = os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module testagent\n\ngo 1.22\n"), 0o644)
		_ = os.WriteFile(filepath.Join(dir, "main.go"), []byte(testAgent), 0o644)
		agentPkg, agentTemp = dir, dir
	})
	t.Logf("host image agent: %s", agentPkg)
	return agentPkg
}

const testAgent = `package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	if len(os.Args) < 2 || os.Args[1] != "node" {
		fmt.Fprintln(os.Stderr, "usage: labagent node --name N [--gateway IP] [--serve whoami]")
		os.Exit(2)
	}
	fs := flag.NewFlagSet("node", flag.ExitOnError)
	name := fs.String("name", "", "")
	gw := fs.String("gateway", "", "")
	serve := fs.String("serve", "", "")
	fs.Parse(os.Args[2:])
	if *gw != "" {
		if out, err := exec.Command("ip", "route", "replace", "default", "via", *gw).CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "set default route via %s: %v: %s\n", *gw, err, out)
			os.Exit(1)
		}
	}
	if strings.Contains(*serve, "whoami") {
		ln, err := net.Listen("tcp", ":12566")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				fmt.Fprintf(c, "%s %s\n", *name, c.RemoteAddr())
				c.Close()
			}
		}()
	}
	fmt.Printf("labagent ready (test agent) %s\n", *name)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, os.Interrupt)
	<-sig
}
`

func mustExec(ctx context.Context, t *testing.T, l *Lab, node string, cmd ...string) string {
	t.Helper()
	res, err := l.Run(ctx, node, cmd)
	if err != nil || res.ExitCode != 0 {
		t.Fatalf("%s: %q: exit %d, %v\n%s%s", node, cmd, res.ExitCode, err, res.Stdout, res.Stderr)
	}
	return string(res.Stdout)
}

// assertGone checks that no container or network carries the run's label.
func assertGone(t *testing.T, run string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	docker, err := newDockerClient(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer docker.Close()
	f := make(client.Filters).Add("label", LabelRun+"="+run)
	cs, err := docker.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: f})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs.Items {
		t.Errorf("container %v of run %s left behind", c.Names, run)
	}
	ns, err := docker.NetworkList(ctx, client.NetworkListOptions{Filters: f})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range ns.Items {
		t.Errorf("network %s of run %s left behind", n.Name, run)
	}
}

// runFromError reads the run ID from Up's error ("(run abc123)").
func runFromError(t *testing.T, err error) string {
	t.Helper()
	_, rest, ok := strings.Cut(err.Error(), "(run ")
	run, _, ok2 := strings.Cut(rest, ")")
	if !ok || !ok2 || run == "" {
		t.Fatalf("no run ID in the error %q", err)
	}
	return run
}

// triggerWriter logs progress lines and calls fire once at the first line
// containing match.
type triggerWriter struct {
	t     testing.TB
	match string
	fire  func()
	once  sync.Once
}

func (w *triggerWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	if w.match != "" && strings.Contains(string(p), w.match) {
		w.once.Do(w.fire)
	}
	return len(p), nil
}
