package lab_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chrlab/chrlab/harness/images"
	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/probe"
	"github.com/chrlab/chrlab/harness/ros"
)

// isolationNet is the address space of the isolation labs: no other lab
// uses it, so what the host's conntrack table and firewall counters hold
// for it can only come from these tests' labs.
const isolationNet = "10.97.0.0/16"

// isolationSpec is a router between a client's LAN and a server's network;
// server names the server node, and extra adds a second server at
// 10.97.2.20 that only this lab has.
func isolationSpec(t *testing.T, name, server string, extra bool) *lab.Spec {
	t.Helper()
	y := fmt.Sprintf(`name: %s
router:
  name: router
  ports:
    - {network: lan, address: 10.97.1.1}
    - {network: srv, address: 10.97.2.1}
networks:
  - {name: lan, subnet: 10.97.1.0/24}
  - {name: srv, subnet: 10.97.2.0/24}
nodes:
  - name: client
    gateway: 10.97.1.1
    interfaces: [{network: lan, address: 10.97.1.10}]
  - name: %s
    gateway: 10.97.2.1
    serve: [whoami]
    interfaces: [{network: srv, address: 10.97.2.10}]
`, name, server)
	if extra {
		y += `  - name: extra
    gateway: 10.97.2.1
    serve: [whoami]
    interfaces: [{network: srv, address: 10.97.2.20}]
`
	}
	file := filepath.Join(t.TempDir(), name+".yaml")
	spec, err := lab.Parse(file, []byte(y))
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

// isolationRouter addresses the router's two ports: it routes between
// them, with no NAT, so that the server sees the client itself.
const isolationRouter = "/ip address add address=10.97.1.1/24 interface=ether1\n" +
	"/ip address add address=10.97.2.1/24 interface=ether2\n"

// isolationSetup skips unless this machine can show the difference: Docker,
// root (the host's conntrack table and iptables), and br_netfilter on, so
// that the Docker-wired control does hand bridged frames to netfilter.
func isolationSetup(t *testing.T) (context.Context, images.Images) {
	t.Helper()
	if testing.Short() {
		t.Skip("brings up labs in Docker; skipped with -short")
	}
	if err := exec.Command("docker", "info").Run(); err != nil {
		t.Skipf("no Docker engine answers (%v)", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	t.Cleanup(cancel)
	root, err := images.FindRoot()
	if err != nil {
		t.Fatal(err)
	}
	imgs, err := images.Ensure(ctx, images.Options{Root: root, Progress: tlog{t}})
	if err != nil {
		t.Fatal(err)
	}
	return ctx, imgs
}

// upRouted brings a lab up with the given wiring and configures its router.
func upRouted(ctx context.Context, t *testing.T, imgs images.Images, spec *lab.Spec, w lab.Wiring) *lab.Lab {
	t.Helper()
	l, err := lab.Up(ctx, spec, lab.Options{HostImage: imgs.Host, RouterImage: imgs.Rosemu, Progress: tlog{t}, Budget: 2 * time.Minute, Wiring: w})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Down(context.Background()) })
	rc, err := ros.Dial(ctx, ros.Endpoint{Host: l.RouterMgmt().String()}, 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if err := rc.Apply(ctx, "isolation.rsc", []byte(isolationRouter)); err != nil {
		t.Fatal(err)
	}
	return l
}

// TestLabTrafficSkipsHostNetfilter runs new TCP connections from a client
// through the router to a server and measures what this machine's own
// netfilter saw of them: the host's conntrack entries with lab addresses,
// and the counters of two accounting rules matching lab addresses (raw
// PREROUTING, the first hook any packet meets, and mangle FORWARD, which
// every forwarded or br_netfilter-bridged packet crosses before filter
// FORWARD, where Docker's chains hang; filter FORWARD itself cannot count,
// since Docker keeps its DOCKER-USER jump first and an accept there ends
// the chain). Under netns wiring both stay where they were; the
// same lab wired on Docker bridges is the negative control, where each
// connection leaves an entry and the counters move.
func TestLabTrafficSkipsHostNetfilter(t *testing.T) {
	ctx, imgs := isolationSetup(t)
	if os.Geteuid() != 0 {
		t.Skip("reads the host's conntrack table and iptables counters: needs root")
	}
	if _, err := exec.LookPath("iptables"); err != nil {
		t.Skip("no iptables to count the host's firewall traversals")
	}
	if b, err := os.ReadFile("/proc/sys/net/bridge/bridge-nf-call-iptables"); err != nil || strings.TrimSpace(string(b)) != "1" {
		t.Skip("br_netfilter is off here: Docker-bridged frames skip the host's netfilter too, so the control cannot show the difference")
	}
	if _, err := os.Stat("/proc/net/nf_conntrack"); err != nil {
		t.Skipf("the host's conntrack table is not readable here (%v)", err)
	}
	acct := newAccounting(t)

	for _, tc := range []struct {
		wiring lab.Wiring
		leaks  bool
	}{
		// netns first: the control's entries linger (TIME_WAIT) and could
		// absorb a later run's flows that happened to reuse their ports.
		{lab.WiringNetns, false},
		{lab.WiringDocker, true}, // the negative control: the meters do see lab traffic
	} {
		t.Run(string(tc.wiring), func(t *testing.T) {
			l := upRouted(ctx, t, imgs, isolationSpec(t, "isolation", "server", false), tc.wiring)
			// Warm the path (ARP, the router's neighbours) before measuring.
			if r, err := probe.TCP(ctx, l, "client", "10.97.2.10:12566", probe.ConnectOptions{Timeout: 2 * time.Second}); err != nil || r.Result != probe.OK || r.ServerSaw != "10.97.1.10" {
				t.Fatalf("client to server through the router: %+v, %v", r, err)
			}
			ct0, pkts0 := hostConntrack(t), acct.packets(t)
			// At least 200 connections, in 1-s runs: a starved CI machine
			// once made 118 in one second, too few to tell.
			var r probe.Result
			for runs := 0; r.Connections < 200 && runs < 10; runs++ {
				one, err := probe.CPS(ctx, l, "client", "10.97.2.10:12566", probe.CPSOptions{Duration: time.Second, Concurrency: 4})
				if err != nil {
					t.Fatal(err)
				}
				one.Connections += r.Connections
				r = one
			}
			ct1, pkts1 := hostConntrack(t), acct.packets(t)
			grew := touched(ct0, ct1)
			t.Logf("%s wiring: %d connections through the router; host conntrack entries with lab addresses %d -> %d, %d created or refreshed; host netfilter packets with lab addresses %v -> %v",
				tc.wiring, r.Connections, len(ct0), len(ct1), grew, pkts0, pkts1)
			if r.Connections < 200 {
				t.Fatalf("only %d connections went through in 10 s (the last second: %+v): too few to tell", r.Connections, r)
			}
			moved := pkts1.prerouting-pkts0.prerouting > 0 || pkts1.forward-pkts0.forward > 0
			if tc.leaks {
				// Each connection is one entry; some may have been
				// evicted or expired already, none should be missing
				// wholesale.
				if grew < r.Connections/2 {
					t.Errorf("Docker wiring: the host's conntrack table created or refreshed %d entries for %d lab connections; the control should show them", grew, r.Connections)
				}
				if pkts1.prerouting-pkts0.prerouting < uint64(r.Connections) || pkts1.forward-pkts0.forward < uint64(r.Connections) {
					t.Errorf("Docker wiring: the host's netfilter counted %v -> %v packets for %d connections; the control should count each", pkts0, pkts1, r.Connections)
				}
				return
			}
			if grew > 0 {
				t.Errorf("netns wiring: the host's conntrack table holds %d entries with lab addresses (%d created or refreshed) after %d lab connections", len(ct1), grew, r.Connections)
			}
			if moved {
				t.Errorf("netns wiring: the host's netfilter saw lab packets: %v -> %v", pkts0, pkts1)
			}
		})
	}
}

// TestLabsWithSameAddressesRunTogether brings up two labs on the same
// subnets at the same time; each client reaches its own server at the same
// address and is answered by that lab's server (their names differ), and
// the host only lab A has is unreachable from lab B.
func TestLabsWithSameAddressesRunTogether(t *testing.T) {
	t.Parallel() // beside the other lab tests: see TestMain
	ctx, imgs := isolationSetup(t)
	specA := isolationSpec(t, "same-a", "servera", true)
	specB := isolationSpec(t, "same-b", "serverb", false)
	var labA, labB *lab.Lab
	var errA, errB error
	var wg sync.WaitGroup
	wg.Add(2)
	up := func(spec *lab.Spec, l **lab.Lab, e *error) {
		defer wg.Done()
		// Were the labs to wait for each other (as the Docker wiring's
		// subnet locks make them), the second would wait for the first's
		// Down, which comes only after this test: the bound ends that.
		uctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
		defer cancel()
		*l, *e = lab.Up(uctx, spec, lab.Options{HostImage: imgs.Host, RouterImage: imgs.Rosemu, Progress: tlog{t}, Budget: 2 * time.Minute, Wiring: lab.WiringNetns})
	}
	go up(specA, &labA, &errA)
	go up(specB, &labB, &errB)
	wg.Wait()
	for _, l := range []*lab.Lab{labA, labB} {
		if l != nil {
			t.Cleanup(func() { l.Down(context.Background()) })
		}
	}
	if errA != nil || errB != nil {
		t.Fatalf("bring up both labs: %v; %v", errA, errB)
	}
	for _, l := range []*lab.Lab{labA, labB} {
		rc, err := ros.Dial(ctx, ros.Endpoint{Host: l.RouterMgmt().String()}, 30*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		err = rc.Apply(ctx, "isolation.rsc", []byte(isolationRouter))
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		l      *lab.Lab
		to     string
		answer string // empty: no answer
	}{
		{labA, "10.97.2.10:12566", "servera"},
		{labB, "10.97.2.10:12566", "serverb"},
		{labA, "10.97.2.20:12566", "extra"},
		{labB, "10.97.2.20:12566", ""},
	} {
		r, err := probe.TCP(ctx, tc.l, "client", tc.to, probe.ConnectOptions{Timeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case tc.answer == "" && r.Result == probe.OK:
			t.Errorf("lab %s: %s answered by %q, which only the other lab has", tc.l.Spec.Name, tc.to, r.ServerName)
		case tc.answer != "" && (r.Result != probe.OK || r.ServerName != tc.answer):
			t.Errorf("lab %s: %s: %s answered by %q, want %q", tc.l.Spec.Name, tc.to, r.Result, r.ServerName, tc.answer)
		}
	}
}

// hostConntrack reads the host's conntrack entries with a lab address:
// each one's original tuple and the seconds it has left.
func hostConntrack(t *testing.T) map[string]int {
	t.Helper()
	b, err := os.ReadFile("/proc/net/nf_conntrack")
	if err != nil {
		t.Fatal(err)
	}
	entries := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 5 || !strings.Contains(sc.Text(), "src=10.97.") {
			continue
		}
		left, err := strconv.Atoi(f[4])
		if err != nil {
			t.Fatalf("conntrack line %q: no timeout in its fifth field", sc.Text())
		}
		var tuple []string
		for _, kv := range f[5:] {
			if k, _, ok := strings.Cut(kv, "="); ok && (k == "src" || k == "dst" || k == "sport" || k == "dport") {
				tuple = append(tuple, kv)
				if len(tuple) == 4 {
					break
				}
			}
		}
		entries[f[2]+" "+strings.Join(tuple, " ")] = left
	}
	return entries
}

// touched counts the entries of after that the time between two readings
// created or refreshed: new tuples, and old ones with more time left than
// before. A lab connection that reuses the ports of an entry still in
// TIME_WAIT from an earlier run refreshes that entry rather than adding
// one, so the count of entries alone can miss it.
func touched(before, after map[string]int) int {
	n := 0
	for k, left := range after {
		if was, ok := before[k]; !ok || left > was {
			n++
		}
	}
	return n
}

// accounting is a pair of target-less iptables rules, first in raw
// PREROUTING and mangle FORWARD, that count packets with a lab source
// address and change nothing else.
type accounting struct{ comment string }

type packetCounts struct{ prerouting, forward uint64 }

func (p packetCounts) String() string {
	return fmt.Sprintf("{prerouting %d, forward %d}", p.prerouting, p.forward)
}

var accountingChains = [][2]string{{"raw", "PREROUTING"}, {"mangle", "FORWARD"}}

func newAccounting(t *testing.T) *accounting {
	t.Helper()
	a := &accounting{comment: fmt.Sprintf("chrlab isolation test %d", os.Getpid())}
	for _, tc := range accountingChains {
		if out, err := exec.Command("iptables", "-w", "5", "-t", tc[0], "-I", tc[1], "1", "-s", isolationNet, "-m", "comment", "--comment", a.comment).CombinedOutput(); err != nil {
			t.Fatalf("add an accounting rule to %s %s: %v: %s", tc[0], tc[1], err, out)
		}
		t.Cleanup(func() {
			_ = exec.Command("iptables", "-w", "5", "-t", tc[0], "-D", tc[1], "-s", isolationNet, "-m", "comment", "--comment", a.comment).Run()
		})
	}
	return a
}

func (a *accounting) packets(t *testing.T) packetCounts {
	t.Helper()
	var got [2]uint64
	for i, tc := range accountingChains {
		out, err := exec.Command("iptables", "-w", "5", "-t", tc[0], "-L", tc[1], "-v", "-n", "-x").CombinedOutput()
		if err != nil {
			t.Fatalf("read %s %s: %v: %s", tc[0], tc[1], err, out)
		}
		found := false
		for _, line := range strings.Split(string(out), "\n") {
			if !strings.Contains(line, a.comment) {
				continue
			}
			f := strings.Fields(line)
			n, err := strconv.ParseUint(f[0], 10, 64)
			if err != nil {
				t.Fatalf("read the packet count of %q: %v", line, err)
			}
			got[i], found = n, true
		}
		if !found {
			t.Fatalf("the accounting rule is gone from %s %s:\n%s", tc[0], tc[1], out)
		}
	}
	return packetCounts{prerouting: got[0], forward: got[1]}
}
