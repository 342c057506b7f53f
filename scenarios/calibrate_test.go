package scenarios_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	tclog "github.com/testcontainers/testcontainers-go/log"

	"github.com/chrlab/chrlab/harness/images"
	"github.com/chrlab/chrlab/harness/probe"
	"github.com/chrlab/chrlab/harness/runner"
	"github.com/chrlab/chrlab/harness/scenario"
	"github.com/chrlab/chrlab/internal/netnstest"
)

// calibrationCase is the lab half of BenchmarkCalibration: the same closed-loop cps probe
// (8 workers, 2 s) direct on the LAN and through the router's hairpin, with method 2's rules,
// then the open loop at openRate for 2 s on both paths; BenchmarkCalibration adds the iperf3
// rounds (calibrationIperfSteps), with the same forward and masquerade for iperf3's port.
// The lab and the router's LAN interface (the port, or the bridge of the ports) are filled in
// per layout.
const calibrationCase = `name: calibration
title: "calibration: cps direct and hairpin"
lab: %[1]s
routeros: ">=6.49"
router: |
  /ip firewall nat
  add action=dst-nat chain=dstnat dst-address=203.0.113.2 dst-port=12566 protocol=tcp to-addresses=192.168.88.10
  add action=masquerade chain=srcnat dst-address=192.168.88.10 dst-port=12566 out-interface=%[2]s protocol=tcp src-address=192.168.88.0/24
  add action=dst-nat chain=dstnat dst-address=203.0.113.2 dst-port=5201 protocol=tcp to-addresses=192.168.88.10
  add action=masquerade chain=srcnat dst-address=192.168.88.10 dst-port=5201 out-interface=%[2]s protocol=tcp src-address=192.168.88.0/24
steps:
  - probe: cps
    id: direct
    from: client1
    to: server:12566
    seconds: 2
    expect: {result: ok}
  - probe: cps
    id: hairpin
    from: client1
    to: router.wan:12566
    seconds: 2
    expect: {result: ok}
  - probe: cps
    id: open-direct
    from: client1
    to: server:12566
    seconds: 2
    rate: 5000
    expect: {result: ok}
  - probe: cps
    id: open-hairpin
    from: client1
    to: router.wan:12566
    seconds: 2
    rate: 5000
    expect: {result: ok}
`

// openRate is the open loop's rate in BenchmarkCalibration, the rate the p99 target is set at.
const openRate = "5000"

// bareRules are the bare router's nftables rules: the same port forward and hairpin masquerade
// as calibrationCase, and a forward chain shaped like defconf's (established first).
const bareRules = `table ip calibration {
	chain pre {
		type nat hook prerouting priority dstnat;
		ip daddr 203.0.113.2 tcp dport { 12566, 5201 } dnat to 192.168.88.10
	}
	chain post {
		type nat hook postrouting priority srcnat;
		ip saddr 192.168.88.0/24 ip daddr 192.168.88.10 tcp dport { 12566, 5201 } oifname "lan" masquerade
	}
	chain forward {
		type filter hook forward priority filter;
		ct state established,related accept
		ct state invalid drop
	}
}
`

// BenchmarkCalibration measures the lab's cost: the same labagent cps probe (closed loop, 8
// workers, 2 s) direct and hairpin, first through a bare router made of network namespaces on
// this machine (veth pairs into one Linux bridge, nftables NAT, no Docker, no rosemu), then
// through the lab, in one run, and reports lab/bare ratios. Each half then runs iperf3 direct and
// hairpin in turn (methodRounds rounds of throughputRunSeconds, the first second left out, as
// the methods table does), so the lab's hairpin/direct throughput stands beside the bare
// router's: what the bare router loses too is the kernel's path, not the lab's. It does this for
// two layouts of the LAN, each against a bare router laid out alike: switch (the hairpin lab) and
// ports (the hairpin-ports lab, the LAN bridge in the router). It needs root (ip netns, nft),
// iperf3 and a Docker engine. Run it with -benchtime=1x.
func BenchmarkCalibration(b *testing.B) {
	if testing.Short() {
		b.Skip("needs root and a Docker engine")
	}
	if os.Geteuid() != 0 {
		b.Skip("needs root for ip netns and nft")
	}
	tclog.SetDefault(tclog.NewNoopLogger())
	root, err := scenario.Root()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	agent := filepath.Join(b.TempDir(), "labagent")
	build := exec.CommandContext(ctx, "go", "build", "-o", agent, "./cmd/labagent")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("build labagent: %v\n%s", err, out)
	}
	if _, err := images.Ensure(ctx, images.Options{Root: root}); err != nil {
		b.Fatal(err)
	}
	// Each layout of the LAN against the bare router built the same way: the hairpin lab's
	// switch (a bridge in its own namespace, every LAN member a veth pair into it) and the
	// hairpin-ports lab's bridge in the router, its LAN hosts each on a port of it.
	for _, layout := range []struct {
		name, lab, lan string
		bare           bareLayout
	}{{"switch", "hairpin", "ether2", switchNS}, {"ports", "hairpin-ports", "bridge", bridgedPorts}} {
		b.Run(layout.name, func(b *testing.B) {
			file := filepath.Join(b.TempDir(), "calibration.yaml")
			if err := os.WriteFile(file, fmt.Appendf(nil, calibrationCase, layout.lab, layout.lan), 0o644); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				calibrate(ctx, b, root, agent, file, layout.bare)
			}
		})
	}
}

// calibrate runs the bare router and then the lab of one layout and reports their ratios.
func calibrate(ctx context.Context, b *testing.B, root, agent, file string, layout bareLayout) {
	bare := bareCPS(ctx, b, agent, layout)
	s, err := scenario.LoadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	s.Steps = append(s.Steps, calibrationIperfSteps()...)
	rep, err := runner.Run(ctx, runner.Options{Root: root, Scenario: s, Router: runner.Rosemu})
	if err != nil || !rep.Passed {
		b.Fatalf("lab run: %v %s", err, rep.Verdict())
	}
	lab := map[string]scenario.Observation{}
	labSteps := map[string]scenario.StepResult{}
	for _, st := range rep.Steps {
		lab[st.ID] = st.Seen
		labSteps[st.ID] = st
	}
	for _, path := range []string{"direct", "hairpin", "open-direct", "open-hairpin"} {
		l, r := lab[path], bare[path]
		b.Logf("%-7s bare %6.0f conn/s p50 %.2fms p99 %.2fms | lab %6.0f conn/s p50 %.2fms p99 %.2fms | lab/bare cps %.2f p50 %.1fx p99 %.1fx",
			path, r.PerSecond, r.P50MS, r.P99MS, l.PerSecond, l.P50, l.P99, l.PerSecond/r.PerSecond, l.P50/r.P50MS, l.P99/r.P99MS)
		b.ReportMetric(r.PerSecond, path+"-bare-cps")
		b.ReportMetric(l.PerSecond, path+"-lab-cps")
		b.ReportMetric(l.PerSecond/r.PerSecond, path+"-lab/bare")
	}
	b.ReportMetric(bare["hairpin"].PerSecond/bare["direct"].PerSecond, "bare-hairpin/direct")
	b.ReportMetric(lab["hairpin"].PerSecond/lab["direct"].PerSecond, "lab-hairpin/direct")
	bareSteps := map[string]scenario.StepResult{}
	for id, r := range bare {
		bareSteps[id] = scenario.StepResult{Seen: scenario.Observation{BitsPerSecond: r.BitsPerSecond}}
	}
	bt, lt := iperfRatios(bareSteps), iperfRatios(labSteps)
	b.Logf("iperf3 hairpin/direct by round: bare %.2f, lab %.2f (Gbit/s direct bare %.1f, lab %.1f)", bt, lt,
		iperfGbps(bareSteps, "tdirect"), iperfGbps(labSteps, "tdirect"))
	b.ReportMetric(median(bt), "bare-throughput-hairpin/direct")
	b.ReportMetric(median(lt), "lab-throughput-hairpin/direct")
	b.ReportMetric(median(lt)/median(bt), "throughput-hairpin/direct-lab/bare")
}

// bareLayout is where the bare router's LAN bridge is, as the lab beside it has it.
type bareLayout int

const (
	// switchNS: a switch namespace holds the bridge; the client, the router and the server each
	// have one veth pair into it, as the hairpin lab's wire container does.
	switchNS bareLayout = iota
	// bridgedPorts: the bridge is in the router, whose LAN address is on it, and the client and
	// the server each have a veth pair to a port of it, as on a MikroTik whose LAN ports are
	// bridged (the hairpin-ports lab).
	bridgedPorts
)

// bareCPS builds the bare router, serves whoami in its server namespace, runs the cps probe
// from its client namespace direct and hairpin, and tears everything down.
func bareCPS(ctx context.Context, b *testing.B, agent string, layout bareLayout) map[string]probe.Result {
	b.Helper()
	netnstest.SweepStale()
	ns := func(role string) string { return fmt.Sprintf("chrcal%d-%s", os.Getpid(), role) }
	sw, cl, rt, sv := ns("sw"), ns("client"), ns("router"), ns("server")
	run := func(args ...string) {
		b.Helper()
		if out, err := exec.CommandContext(ctx, args[0], args[1:]...).CombinedOutput(); err != nil {
			b.Fatalf("calibration: %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	for _, n := range []string{sw, cl, rt, sv} {
		run("ip", "netns", "add", n)
		defer exec.Command("ip", "netns", "del", n).Run()
	}
	hosts := []struct{ ns, addr, name string }{{cl, "192.168.88.20/24", "c"}, {rt, "192.168.88.1/24", "r"}, {sv, "192.168.88.10/24", "s"}}
	bridge := "br0"
	if layout == bridgedPorts {
		// The LAN bridge is the router's own L3 interface, named lan as the switch layout's
		// router port is, so bareRules fit both; each host is one veth pair from it.
		sw, bridge, hosts = rt, "lan", []struct{ ns, addr, name string }{hosts[0], hosts[2]}
		run("ip", "-n", rt, "link", "add", "lan", "type", "bridge")
		run("ip", "-n", rt, "addr", "add", "192.168.88.1/24", "dev", "lan")
		run("ip", "-n", rt, "link", "set", "lan", "up")
	} else {
		run("ip", "-n", sw, "link", "add", "br0", "type", "bridge")
		run("ip", "-n", sw, "link", "set", "br0", "up")
	}
	if _, err := os.Stat("/proc/sys/net/bridge/bridge-nf-call-iptables"); err == nil {
		// With br_netfilter loaded a new namespace hands bridged frames to its IP hooks
		// (bridge-nf-call-iptables=1): the lab's wire turns that off, and so does rosemu in the
		// router while use-ip-firewall=no, RouterOS's default. Left on in the bridged-ports router,
		// its bridged frames went through its NAT and connection tracking too, and it made a third
		// of the lab's hairpin connections a second (4916 against 15230).
		run("ip", "netns", "exec", sw, "sysctl", "-qw", "net.bridge.bridge-nf-call-iptables=0",
			"net.bridge.bridge-nf-call-ip6tables=0", "net.bridge.bridge-nf-call-arptables=0")
	}
	for _, h := range hosts {
		run("ip", "link", "add", "cal"+h.name, "netns", h.ns, "type", "veth", "peer", "name", "port"+h.name, "netns", sw)
		run("ip", "-n", h.ns, "link", "set", "cal"+h.name, "name", "lan")
		run("ip", "-n", h.ns, "addr", "add", h.addr, "dev", "lan")
		run("ip", "-n", h.ns, "link", "set", "lan", "up")
		run("ip", "-n", h.ns, "link", "set", "lo", "up")
		run("ip", "-n", sw, "link", "set", "port"+h.name, "master", bridge, "up")
	}
	run("ip", "-n", rt, "link", "set", "lo", "up")
	for _, n := range []string{cl, sv} {
		run("ip", "-n", n, "route", "add", "default", "via", "192.168.88.1")
	}
	// The router's WAN address sits on its loopback: the hairpin never leaves by the WAN, and
	// this kernel has no dummy interfaces.
	run("ip", "-n", rt, "addr", "add", "203.0.113.2/32", "dev", "lo")
	run("ip", "netns", "exec", rt, "sysctl", "-qw", "net.ipv4.ip_forward=1", "net.ipv4.conf.all.send_redirects=0", "net.ipv4.conf.lan.send_redirects=0")
	rules := filepath.Join(b.TempDir(), "rules.nft")
	if err := os.WriteFile(rules, []byte(bareRules), 0o644); err != nil {
		b.Fatal(err)
	}
	run("ip", "netns", "exec", rt, "nft", "-f", rules)
	server := exec.CommandContext(ctx, "ip", "netns", "exec", sv, agent, "node", "--name", "server", "--serve", "whoami,iperf3", "--http-port", "0")
	if err := server.Start(); err != nil {
		b.Fatalf("calibration: start the server: %v", err)
	}
	defer func() { _ = server.Process.Kill(); _ = server.Wait() }()
	probeFrom := func(kind probe.Kind, args ...string) probe.Result {
		out, err := exec.CommandContext(ctx, "ip", append([]string{"netns", "exec", cl, agent, string(kind)}, args...)...).Output()
		var r probe.Result
		if err != nil || json.Unmarshal(out, &r) != nil {
			b.Fatalf("calibration: %s %v: %v, output %q", kind, args, err, out)
		}
		return r
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if r := probeFrom(probe.KindTCP, "--to", "203.0.113.2:12566"); r.Result == probe.OK {
			break
		} else if time.Now().After(deadline) {
			b.Fatalf("calibration: the bare router's hairpin never answered: %v", r)
		}
	}
	out := map[string]probe.Result{}
	for path, to := range map[string]string{"direct": "192.168.88.10:12566", "hairpin": "203.0.113.2:12566"} {
		out[path] = probeFrom(probe.KindCPS, "--to", to, "--duration", "2s")
		out["open-"+path] = probeFrom(probe.KindCPS, "--to", to, "--duration", "2s", "--rate", openRate)
		if out[path].Result != probe.OK || out["open-"+path].Result != probe.OK {
			b.Fatalf("calibration: bare %s: %v", path, out[path])
		}
	}
	// iperf3 in turn, as the lab's calibrationIperfSteps. The node's iperf3 server may still be
	// starting, and the probe takes a refused connection as its result, so wait until port 5201
	// (1451 in hex) listens in the server's namespace; a connection to find out would count as a
	// test in iperf3's log.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		tcp, err := exec.CommandContext(ctx, "ip", "netns", "exec", sv, "cat", "/proc/net/tcp", "/proc/net/tcp6").Output()
		if err == nil && listens(string(tcp), "1451") {
			break
		} else if time.Now().After(deadline) {
			b.Fatalf("calibration: the bare server's iperf3 never listened on 5201: %v", err)
		}
	}
	secs := strconv.Itoa(throughputRunSeconds)
	for r := range methodRounds {
		for _, p := range []struct{ id, to string }{{"tdirect", "192.168.88.10"}, {"thairpin", "203.0.113.2"}} {
			id := fmt.Sprintf("%s-%d", p.id, r)
			out[id] = probeFrom(probe.KindIperf, "--to", p.to, "--seconds", secs)
			if out[id].Result != probe.OK {
				b.Fatalf("calibration: bare iperf3 %s: %v", id, out[id])
			}
		}
	}
	return out
}

// calibrationIperfSteps are the lab half's iperf3 rounds: direct and hairpin in turn, ids as the
// methods table's, so iperfRatios reads both halves alike.
func calibrationIperfSteps() []scenario.Step {
	var steps []scenario.Step
	for r := range methodRounds {
		for _, p := range []struct{ id, to string }{{"tdirect", "server:5201"}, {"thairpin", "router.wan:5201"}} {
			steps = append(steps, scenario.Step{Probe: scenario.Iperf, ID: fmt.Sprintf("%s-%d", p.id, r), From: "client1", To: p.to,
				Seconds: throughputRunSeconds, Expect: scenario.Expect{Result: "ok"}})
		}
	}
	return steps
}

// iperfRatios are hairpin/direct round by round over the tdirect-N and thairpin-N results.
func iperfRatios(seen map[string]scenario.StepResult) []float64 {
	var out []float64
	for r := range methodRounds {
		d := seen[fmt.Sprintf("tdirect-%d", r)].Seen.BitsPerSecond
		h := seen[fmt.Sprintf("thairpin-%d", r)].Seen.BitsPerSecond
		if d > 0 && h > 0 {
			out = append(out, h/d)
		}
	}
	return out
}

// iperfGbps is the median of the rounds of one path (prefix tdirect or thairpin), in Gbit/s.
func iperfGbps(seen map[string]scenario.StepResult, prefix string) float64 {
	var v []float64
	for r := range methodRounds {
		v = append(v, seen[fmt.Sprintf("%s-%d", prefix, r)].Seen.BitsPerSecond/1e9)
	}
	return median(v)
}

// listens reports whether /proc/net/tcp or tcp6 text has a socket listening (state 0A) on the
// port given in hex.
func listens(procNetTCP, hexPort string) bool {
	for _, line := range strings.Split(procNetTCP, "\n") {
		f := strings.Fields(line)
		if len(f) > 3 && strings.HasSuffix(f[1], ":"+hexPort) && f[3] == "0A" {
			return true
		}
	}
	return false
}
