package bird

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chrlab/chrlab/internal/loadavg"
	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/routefilter"
)

// TestMain runs the router's side when TestAdjacency starts the test
// binary in a network namespace: a config.Router with this package's
// manager, as rosemu wires them. Each line on standard input is a console
// source to run (\n written as \\n); every 300 ms it prints the router's
// /ip route and /routing ospf neighbor as one line each.
func TestMain(m *testing.M) {
	if dir := os.Getenv("BIRDTEST_CHILD"); dir != "" {
		child(dir)
		return
	}
	os.Exit(m.Run())
}

func child(dir string) {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	mgr := New(log, dir)
	mgr.Poll = 300 * time.Millisecond
	version := os.Getenv("BIRDTEST_VERSION")
	r := config.New(config.Options{Ports: []string{"ether1", "ether2"}, Routing: mgr, Version: version})
	sessPrint := "/routing bgp session print detail"
	if strings.HasPrefix(version, "6.") {
		sessPrint = "/routing bgp peer print status"
	}
	mgr.Sink = r.SetRoutingState
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { mgr.Run(ctx); close(done) }()
	go func() {
		for range time.Tick(300 * time.Millisecond) {
			routes, _ := r.Run(ctx, "/ip route print detail where dynamic")
			nbrs, _ := r.Run(ctx, "/routing ospf neighbor print detail")
			sess, _ := r.Run(ctx, sessPrint)
			fmt.Printf("ROUTES %s\nNEIGHBORS %s\nSESSIONS %s\n", oneLine(routes), oneLine(nbrs), oneLine(sess))
		}
	}()
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		src := strings.ReplaceAll(sc.Text(), `\n`, "\n")
		if _, err := r.Run(ctx, src); err != nil {
			fmt.Printf("ERROR %v\n", err)
		}
	}
	cancel()
	<-done
	os.Exit(0)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func sh(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command(args[0], args[1:]...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v: %s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// peerOSPF is a plain BIRD on the far side of the router's ether1: OSPF
// point-to-point on its link, and its stub network 10.77.0.0/24 (a veth
// link) announced as passive.
const peerOSPF = `router id 10.255.0.2;
protocol device { scan time 2; }
protocol kernel { ipv4 { import none; export all; }; }
protocol ospf v2 peer {
	ipv4 { import all; export none; };
	area 0.0.0.0 {
		interface "veth-p" { type ptp; hello 1; dead 4; };
		interface "stub0" { stub yes; };
	};
}
`

// peerBGP is the far side as AS 65002: an eBGP session to the router
// (AS 65001) announcing its network 10.77.0.0/24.
const peerBGP = `router id 10.255.0.2;
protocol device { scan time 2; }
protocol direct { ipv4; interface "stub0"; }
protocol kernel { ipv4 { import none; export where source = RTS_BGP; }; }
protocol bgp uplink {
	local 10.1.0.2 as 65002;
	neighbor 10.1.0.1 as 65001;
	connect retry time 2;
	error wait time 2, 10;
	ipv4 { import all; export where source = RTS_DEVICE; };
}
`

// fixture is the router (rosemu's engine and this manager, BIRD in its
// namespace, the test binary's child) and a BIRD peer, on a veth link
// 10.1.0.0/30; the router's LAN 192.168.88.0/24 is on ether2, the peer's
// 10.77.0.0/24 on stub0.
type fixture struct {
	t            *testing.T
	rns, pns     string
	stdin        io.Writer
	lines        chan string
	routes, nbrs string
	sessions     string
	version      string // the router's RouterOS version, "" for rosemu's default
}

func newFixture(t *testing.T, peerConf string) *fixture {
	return newFixtureVersion(t, peerConf, "")
}

// fixtureSeq numbers the fixtures this test process makes.
var fixtureSeq atomic.Int64

// newFixtureVersion is newFixture with the router on RouterOS version.
func newFixtureVersion(t *testing.T, peerConf, version string) *fixture {
	if os.Geteuid() != 0 {
		t.Fatal("needs root: it makes network namespaces")
	}
	for _, p := range []string{"bird", "birdc"} {
		if _, err := exec.LookPath(p); err != nil {
			t.Fatalf("%s is not installed (Debian's bird2 package; make test installs it): %v", p, err)
		}
	}
	// A name of its own per fixture: the tests run in parallel (each
	// mostly waits on BIRD's timers and its own negative control's 8 s).
	suffix := fmt.Sprintf("%d-%d", os.Getpid(), fixtureSeq.Add(1))
	f := &fixture{t: t, rns: "birdr" + suffix, pns: "birdp" + suffix, lines: make(chan string, 100), version: version}
	rns, pns := f.rns, f.pns
	sh(t, "ip", "netns", "add", rns)
	t.Cleanup(func() { exec.Command("ip", "netns", "del", rns).Run() })
	sh(t, "ip", "netns", "add", pns)
	t.Cleanup(func() { exec.Command("ip", "netns", "del", pns).Run() })
	sh(t, "ip", "link", "add", "ether1", "netns", rns, "type", "veth", "peer", "name", "veth-p", "netns", pns)
	for _, c := range [][]string{
		{rns, "ip", "link", "set", "lo", "up"},
		{rns, "ip", "link", "set", "ether1", "up"},
		{rns, "ip", "addr", "add", "10.1.0.1/30", "dev", "ether1"},
		// veth pairs with both ends in one namespace stand for the
		// LANs: the machines may lack the dummy link type.
		{rns, "ip", "link", "add", "ether2", "type", "veth", "peer", "name", "ether2-far"},
		{rns, "ip", "link", "set", "ether2-far", "up"},
		{rns, "ip", "link", "set", "ether2", "up"},
		{rns, "ip", "addr", "add", "192.168.88.1/24", "dev", "ether2"},
		{pns, "ip", "link", "set", "lo", "up"},
		{pns, "ip", "link", "set", "veth-p", "up"},
		{pns, "ip", "addr", "add", "10.1.0.2/30", "dev", "veth-p"},
		{pns, "ip", "link", "add", "stub0", "type", "veth", "peer", "name", "stub0-far"},
		{pns, "ip", "link", "set", "stub0-far", "up"},
		{pns, "ip", "link", "set", "stub0", "up"},
		{pns, "ip", "addr", "add", "10.77.0.1/24", "dev", "stub0"},
	} {
		sh(t, append([]string{"ip", "netns", "exec", c[0]}, c[1:]...)...)
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "peer.conf")
	if err := os.WriteFile(conf, []byte(peerConf), 0o600); err != nil {
		t.Fatal(err)
	}
	peer := exec.Command("ip", "netns", "exec", pns, "bird", "-f", "-c", conf, "-s", filepath.Join(dir, "peer.ctl"))
	peer.Stderr = os.Stderr
	if err := peer.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { peer.Process.Kill(); peer.Wait() })

	child := exec.Command("ip", "netns", "exec", rns, os.Args[0], "-test.run=^$")
	child.Env = append(os.Environ(), "BIRDTEST_CHILD="+filepath.Join(dir, "router"), "BIRDTEST_VERSION="+f.version)
	child.Stderr = os.Stderr
	stdin, _ := child.StdinPipe()
	stdout, _ := child.StdoutPipe()
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close(); child.Wait() })
	f.stdin = stdin
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			f.lines <- sc.Text()
		}
		close(f.lines)
	}()
	return f
}

// send runs console source on the router.
func (f *fixture) send(src string) {
	io.WriteString(f.stdin, strings.ReplaceAll(src, "\n", `\n`)+"\n")
}

// wait reads the router's reports until cond holds for the latest routes,
// neighbors and sessions, or the time is up.
func (f *fixture) wait(d time.Duration, cond func() bool) bool {
	deadline := time.After(d)
	for {
		select {
		case l, ok := <-f.lines:
			if !ok {
				f.t.Fatal("the router's side ended")
			}
			if strings.HasPrefix(l, "ERROR") {
				f.t.Fatalf("router: %s", l)
			}
			if v, ok := strings.CutPrefix(l, "ROUTES "); ok {
				f.routes = v
			}
			if v, ok := strings.CutPrefix(l, "NEIGHBORS "); ok {
				f.nbrs = v
			}
			if v, ok := strings.CutPrefix(l, "SESSIONS "); ok {
				f.sessions = v
			}
			if cond() {
				return true
			}
		case <-deadline:
			return false
		}
	}
}

// peerRoute is the peer's kernel route to the router's LAN.
func (f *fixture) peerRoute() string {
	return sh(f.t, "ip", "netns", "exec", f.pns, "ip", "-4", "route", "show", "192.168.88.0/24")
}

// routerRoute is the router's kernel route to the peer's network.
func (f *fixture) routerRoute() string {
	return sh(f.t, "ip", "netns", "exec", f.rns, "ip", "-4", "route", "show", "10.77.0.0/24")
}

// budget is d stretched by the machine's load: OSPF and BGP run on their
// own timers in BIRD and in the router's 300-ms reports, which a loaded
// machine runs late.
func budget(d time.Duration) time.Duration {
	return loadavg.Scale(d, loadavg.Load(), runtime.NumCPU())
}

// settled reads get until ok holds of its output, for up to d (stretched
// by the machine's load), and returns the last output. A kernel route is
// written by the BIRD of its own side after that side's SPF run, which
// the peer's BIRD makes on its own tick (1 s): the router's report that
// it learnt the peer's network says nothing of when the peer, or the
// router's kernel, got theirs, so one read just after it can come early.
func (f *fixture) settled(d time.Duration, get func() string, ok func(string) bool) string {
	start := time.Now()
	deadline := start.Add(budget(d))
	for reads := 1; ; reads++ {
		out := get()
		if ok(out) || time.Now().After(deadline) {
			if reads > 1 {
				f.t.Logf("a kernel route settled after %d reads in %s: %q", reads, time.Since(start).Round(time.Millisecond), out)
			}
			return out
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestAdjacency: the router and a BIRD peer form an OSPF adjacency over
// the link; the router installs the peer's stub network with distance 110
// and shows it as an o route and the peer as a Full neighbor; the peer
// learns the router's LAN, which a passive template announces. The
// controls: with the router's template in another area nothing is learnt
// either way, and removing the instance takes BIRD's route out of the
// router's kernel.
func TestAdjacency(t *testing.T) {
	t.Parallel()
	f := newFixture(t, peerOSPF)
	// The control first: the router's template is in area 0.0.0.1, the
	// peer's link in the backbone. No adjacency, nothing learnt.
	f.send(`/ip address add address=10.1.0.1/30 interface=ether1
/ip address add address=192.168.88.1/24 interface=ether2
/routing ospf instance add name=v2 router-id=10.255.0.1
/routing ospf area add name=a1 area-id=0.0.0.1 instance=v2
/routing ospf area add name=bb area-id=0.0.0.0 instance=v2
/routing ospf interface-template add area=a1 interfaces=ether1 type=ptp hello-interval=1s dead-interval=4s
/routing ospf interface-template add area=bb networks=192.168.88.0/24 passive`)
	if f.wait(8*time.Second, func() bool { return strings.Contains(f.routes, "10.77.0.0/24") || strings.Contains(f.nbrs, "Full") }) {
		t.Fatalf("an adjacency across areas: routes %q, neighbors %q", f.routes, f.nbrs)
	}
	if out := f.peerRoute(); out != "" {
		t.Fatalf("the peer learnt the LAN across areas: %s", out)
	}

	// The template moves to the backbone: the adjacency forms.
	f.send(`/routing ospf interface-template set [find interfaces=ether1] area=bb`)
	if !f.wait(budget(30*time.Second), func() bool {
		return strings.Contains(f.routes, "10.77.0.0/24") && strings.Contains(f.nbrs, "state=Full")
	}) {
		t.Fatalf("no adjacency: routes %q, neighbors %q", f.routes, f.nbrs)
	}
	for _, want := range []string{"DAo", "gateway=10.1.0.2%ether1", "distance=110"} {
		if !strings.Contains(f.routes, want) {
			t.Errorf("the route lacks %q: %s", want, f.routes)
		}
	}
	for _, want := range []string{"router-id=10.255.0.2", "address=10.1.0.2", "interface=ether1", "instance=v2", "area=bb"} {
		if !strings.Contains(f.nbrs, want) {
			t.Errorf("the neighbor lacks %q: %s", want, f.nbrs)
		}
	}
	if kr := f.settled(5*time.Second, f.routerRoute, func(kr string) bool {
		return strings.Contains(kr, "via 10.1.0.2") && strings.Contains(kr, "metric 110")
	}); !strings.Contains(kr, "via 10.1.0.2") || !strings.Contains(kr, "metric 110") {
		t.Errorf("the router's kernel route: %q", kr)
	}
	if out := f.settled(5*time.Second, f.peerRoute, func(out string) bool { return strings.Contains(out, "via 10.1.0.1") }); !strings.Contains(out, "via 10.1.0.1") {
		t.Errorf("the peer did not learn the router's LAN: %q", out)
	}

	// The instance goes: BIRD stops and its route leaves the kernel.
	f.send(`/routing ospf interface-template remove [find]
/routing ospf area remove [find]
/routing ospf instance remove [find]`)
	if !f.wait(budget(10*time.Second), func() bool { return !strings.Contains(f.routes, "10.77.0.0/24") }) {
		t.Fatalf("the route stayed: %q", f.routes)
	}
	if kr := f.routerRoute(); kr != "" {
		t.Errorf("BIRD's route stayed in the kernel: %q", kr)
	}
}

// TestBGPSession: the router (AS 65001) and a BIRD peer (AS 65002) open
// an eBGP session; the router installs the peer's network with distance
// 20, shows it as a b route and the session as established, and announces
// its LAN from output.network's address list. The controls: with the
// wrong remote AS no session opens and nothing is learnt either way; a
// LAN prefix in the list without a route to it is not announced.
func TestBGPSession(t *testing.T) {
	t.Parallel()
	f := newFixture(t, peerBGP)
	f.send(`/ip address add address=10.1.0.1/30 interface=ether1
/ip address add address=192.168.88.1/24 interface=ether2
/ip firewall address-list add list=bgp-out address=192.168.88.0/24
/ip firewall address-list add list=bgp-out address=172.31.0.0/16
/routing bgp connection add name=isp as=65001 remote.address=10.1.0.2 remote.as=65099 local.role=ebgp output.network=bgp-out router-id=10.255.0.1`)
	if f.wait(8*time.Second, func() bool {
		return strings.Contains(f.routes, "10.77.0.0/24") || strings.Contains(f.sessions, "state=established")
	}) {
		t.Fatalf("a session with the wrong AS: routes %q, sessions %q", f.routes, f.sessions)
	}
	if out := f.peerRoute(); out != "" {
		t.Fatalf("the peer learnt the LAN without a session: %s", out)
	}
	f.send(`/routing bgp connection set [find name=isp] remote.as=65002`)
	if !f.wait(budget(30*time.Second), func() bool {
		return strings.Contains(f.routes, "10.77.0.0/24") && strings.Contains(f.sessions, "state=established")
	}) {
		t.Fatalf("no session: routes %q, sessions %q", f.routes, f.sessions)
	}
	for _, want := range []string{"DAb", "gateway=10.1.0.2 ", "distance=20"} {
		if !strings.Contains(f.routes, want) {
			t.Errorf("the route lacks %q: %s", want, f.routes)
		}
	}
	if kr := f.settled(5*time.Second, f.routerRoute, func(kr string) bool {
		return strings.Contains(kr, "via 10.1.0.2") && strings.Contains(kr, "metric 20")
	}); !strings.Contains(kr, "via 10.1.0.2") || !strings.Contains(kr, "metric 20") {
		t.Errorf("the router's kernel route: %q", kr)
	}
	if out := f.settled(5*time.Second, f.peerRoute, func(out string) bool { return strings.Contains(out, "via 10.1.0.1") }); !strings.Contains(out, "via 10.1.0.1") {
		t.Errorf("the peer did not learn the router's LAN: %q", out)
	}
	if out := sh(t, "ip", "netns", "exec", f.pns, "ip", "-4", "route", "show", "172.31.0.0/16"); out != "" {
		t.Errorf("a listed prefix without a route was announced: %q", out)
	}
}

// peerBGPTwo is peerBGP announcing a second network, 10.78.0.0/24.
const peerBGPTwo = `router id 10.255.0.2;
protocol device { scan time 2; }
protocol direct { ipv4; interface "stub0"; }
protocol static { ipv4; route 10.78.0.0/24 via "stub0"; }
protocol kernel { ipv4 { import none; export where source = RTS_BGP; }; }
protocol bgp uplink {
	local 10.1.0.2 as 65002;
	neighbor 10.1.0.1 as 65001;
	connect retry time 2;
	error wait time 2, 10;
	ipv4 { import all; export where source ~ [ RTS_DEVICE, RTS_STATIC ]; };
}
`

// TestBGPFilterV6 (forum39 D4): a RouterOS 6 peer's in-filter runs. An
// entry that discards the peer's 10.77.0.0/24 keeps it out of the
// router's table while 10.78.0.0/24, which the chain does not decide,
// stays (RouterOS 6 accepts at the chain's end). The control before the
// filter: both are installed. "peer print status" shows the session
// established and flags it E.
func TestBGPFilterV6(t *testing.T) {
	t.Parallel()
	f := newFixtureVersion(t, peerBGPTwo, "6.49.18")
	f.send(`/ip address add address=10.1.0.1/30 interface=ether1
/ip address add address=192.168.88.1/24 interface=ether2
/routing bgp instance set default as=65001 router-id=10.255.0.1
/routing filter add chain=isp-in prefix=10.77.0.0/24 action=discard
/routing bgp peer add name=isp remote-address=10.1.0.2 remote-as=65002`)
	if !f.wait(budget(30*time.Second), func() bool {
		return strings.Contains(f.routes, "10.77.0.0/24") && strings.Contains(f.routes, "10.78.0.0/24")
	}) {
		t.Fatalf("without in-filter, both networks: routes %q, sessions %q", f.routes, f.sessions)
	}
	if !f.wait(budget(10*time.Second), func() bool {
		return strings.Contains(f.sessions, "0 E name=isp") && strings.Contains(f.sessions, "state=established")
	}) {
		t.Errorf("peer print status: %q", f.sessions)
	}
	f.send(`/routing bgp peer set isp in-filter=isp-in`)
	if !f.wait(budget(30*time.Second), func() bool {
		return !strings.Contains(f.routes, "10.77.0.0/24") && strings.Contains(f.routes, "10.78.0.0/24")
	}) {
		t.Fatalf("with in-filter=isp-in: routes %q", f.routes)
	}
	if kr := f.settled(5*time.Second, f.routerRoute, func(kr string) bool { return kr == "" }); kr != "" {
		t.Errorf("the discarded network is in the router's kernel: %q", kr)
	}
}

// TestBGPOutFilterV6: RouterOS 6, the instance's out-filter runs before
// the peer's own and its decision is final. The instance's chain accepts
// the LAN while the peer's discards it: the peer learns it. The instance's
// entry made passthrough (no decision): the peer's discard applies and
// the LAN is withdrawn (control, and the peer's chain runs at all).
func TestBGPOutFilterV6(t *testing.T) {
	t.Parallel()
	f := newFixtureVersion(t, peerBGP, "6.49.18")
	f.send(`/ip address add address=10.1.0.1/30 interface=ether1
/ip address add address=192.168.88.1/24 interface=ether2
/routing filter add chain=inst-out prefix=192.168.88.0/24 action=accept comment=i
/routing filter add chain=peer-out prefix=192.168.88.0/24 action=discard
/routing bgp instance set default as=65001 router-id=10.255.0.1 out-filter=inst-out
/routing bgp network add network=192.168.88.0/24
/routing bgp peer add name=isp remote-address=10.1.0.2 remote-as=65002 out-filter=peer-out`)
	if !f.wait(30*time.Second, func() bool { return strings.Contains(f.routes, "10.77.0.0/24") }) {
		t.Fatalf("no session: routes %q, sessions %q", f.routes, f.sessions)
	}
	deadline := time.Now().Add(20 * time.Second)
	for f.peerRoute() == "" {
		if time.Now().After(deadline) {
			t.Fatalf("the instance's accept did not decide: the peer has no route to the LAN")
		}
		time.Sleep(time.Second)
	}
	f.send(`/routing filter set [find comment=i] action=passthrough`)
	deadline = time.Now().Add(30 * time.Second)
	for out := f.peerRoute(); out != ""; out = f.peerRoute() {
		if time.Now().After(deadline) {
			t.Fatalf("the peer's discard did not apply after the instance's passthrough: %q", out)
		}
		time.Sleep(time.Second)
	}
}

// TestBGPSetDistance: a connection's input.filter that sets distance 150
// on 10.77.0.0/24 installs it with that distance (kernel metric 150, the
// route print's distance) and shows it still as a BGP route; 10.78.0.0/24,
// which the chain accepts unchanged, keeps eBGP's 20 (control). The rule
// enabled on the running session leaves no route at the old metric. RouterOS 6:
// set-distance=60 in a peer's in-filter does the same.
func TestBGPSetDistance(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ version, conf, want string }{
		{"", `/routing filter rule add chain=isp-in rule="if (dst==10.77.0.0/24) { set distance 150; accept }" comment=d disabled=yes
/routing filter rule add chain=isp-in rule="accept"
/routing bgp connection add name=isp as=65001 remote.address=10.1.0.2 remote.as=65002 local.role=ebgp router-id=10.255.0.1 input.filter=isp-in`, "150"},
		{"6.49.18", `/routing bgp instance set default as=65001 router-id=10.255.0.1
/routing filter add chain=isp-in prefix=10.77.0.0/24 set-distance=60 action=accept
/routing bgp peer add name=isp remote-address=10.1.0.2 remote-as=65002 in-filter=isp-in`, "60"},
	} {
		t.Run("v"+tc.version, func(t *testing.T) {
			t.Parallel()
			f := newFixtureVersion(t, peerBGPTwo, tc.version)
			f.send("/ip address add address=10.1.0.1/30 interface=ether1\n" + tc.conf)
			if !f.wait(30*time.Second, func() bool {
				return strings.Contains(f.routes, "10.77.0.0/24") && strings.Contains(f.routes, "10.78.0.0/24")
			}) {
				t.Fatalf("routes %q, sessions %q", f.routes, f.sessions)
			}
			if tc.version == "" {
				// The rule enabled on a running session: BIRD reloads
				// the channel with the new filter.
				if kr := f.routerRoute(); !strings.Contains(kr, "metric 20") {
					t.Errorf("10.77.0.0/24 with the rule disabled: %q", kr)
				}
				f.send(`/routing filter rule enable [find comment=d]`)
				if !f.wait(20*time.Second, func() bool { return strings.Contains(f.routes, "distance="+tc.want) }) {
					t.Errorf("rule enabled: routes %q", f.routes)
				}
				// One route, at the new metric: BIRD left the one at 20
				// behind until the manager dropped it (dropStale).
				deadline := time.Now().Add(20 * time.Second)
				for kr := f.routerRoute(); strings.Contains(kr, "metric 20 "); kr = f.routerRoute() {
					if time.Now().After(deadline) {
						t.Fatalf("the route at the old metric stays: %q", kr)
					}
					time.Sleep(time.Second)
				}
			}
			if kr := f.routerRoute(); !strings.Contains(kr, "metric "+tc.want) {
				t.Errorf("10.77.0.0/24 in the router's kernel: %q, want metric %s", kr, tc.want)
			}
			if kr := sh(t, "ip", "netns", "exec", f.rns, "ip", "-4", "route", "show", "10.78.0.0/24"); !strings.Contains(kr, "metric 20") {
				t.Errorf("10.78.0.0/24 in the router's kernel: %q, want metric 20", kr)
			}
			if !strings.Contains(f.routes, "distance="+tc.want) || strings.Contains(f.routes, "DAo") {
				t.Errorf("route print: %q", f.routes)
			}
		})
	}
}

// TestBGPDistance255: a route an input filter gives distance 255 is never
// used (RouterOS's route selection takes no route of distance 255): it
// stays out of the router's kernel, while the session's other route is
// installed (the control). Before ros46 it was installed at metric 255.
func TestBGPDistance255(t *testing.T) {
	t.Parallel()
	f := newFixtureVersion(t, peerBGPTwo, "")
	f.send(`/ip address add address=10.1.0.1/30 interface=ether1
/routing filter rule add chain=isp-in rule="if (dst==10.77.0.0/24) { set distance 255; accept }"
/routing filter rule add chain=isp-in rule="accept"
/routing bgp connection add name=isp as=65001 remote.address=10.1.0.2 remote.as=65002 local.role=ebgp router-id=10.255.0.1 input.filter=isp-in`)
	if !f.wait(30*time.Second, func() bool { return strings.Contains(f.routes, "10.78.0.0/24") }) {
		t.Fatalf("routes %q, sessions %q", f.routes, f.sessions)
	}
	// Both prefixes come in one update; give BIRD a moment to export.
	time.Sleep(2 * time.Second)
	if kr := f.routerRoute(); kr != "" {
		t.Errorf("10.77.0.0/24 (distance 255) in the router's kernel: %q", kr)
	}
	if kr := sh(t, "ip", "netns", "exec", f.rns, "ip", "-4", "route", "show", "10.78.0.0/24"); !strings.Contains(kr, "metric 20") {
		t.Errorf("10.78.0.0/24 in the router's kernel: %q, want metric 20", kr)
	}
}

// TestParseNeighbors reads birdc's table.
func TestParseNeighbors(t *testing.T) {
	out := `BIRD 2.0.12 ready.
ros_ospf0:
Router ID   	Pri	     State     	DTime	Interface  Router IP
10.255.0.3	  1	2-Way/Other 	34.185	ether3     10.0.0.3
10.255.0.2	  5	Full/DR     	33.000	ether3     10.0.0.2
`
	ns := ParseNeighbors(out)
	if len(ns) != 2 || ns[0].RouterID.String() != "10.255.0.2" || ns[0].State != "Full" || ns[0].DR != "10.255.0.2" || ns[0].Priority != 5 ||
		ns[1].State != "2-Way" || ns[1].Interface != "ether3" || ns[1].Address.String() != "10.0.0.3" {
		t.Errorf("ParseNeighbors = %+v", ns)
	}
}

// TestRender: every shape the engine hands over renders to a
// configuration BIRD parses (bird -p): externals of both types, stub and
// NSSA areas, point-to-point and ptmp interfaces narrowed to their
// networks, each kind of authentication, a key with quotes, two
// instances with their own router ids; an eBGP session with every option
// and an iBGP one with none.
func TestRender(t *testing.T) {
	p := netip.MustParsePrefix
	iface := func(link, typ, auth string) config.OSPFInterface {
		return config.OSPFInterface{Interface: link, Link: link, Networks: []netip.Prefix{p("10.1.0.1/30"), p("10.2.0.1/24")}, Type: typ,
			Cost: 10, Priority: 1, Hello: 5 * time.Second, Dead: 20 * time.Second, Retransmit: 5 * time.Second, TransmitDelay: time.Second,
			Auth: auth, AuthKey: `k"e\y`, AuthID: 3}
	}
	cfg := config.RoutingConfig{OSPF: []config.OSPFInstance{
		{Name: "v2 main", RouterID: netip.MustParseAddr("10.255.255.1"),
			Import:   &config.RouteFilter{Entry: "bogons", Chains: filterChains, Lists: routefilter.Lists{"bogons": {p("100.64.0.0/10")}}},
			Export:   &config.RouteFilter{Entry: "isp-out", Chains: filterChains},
			External: []config.OSPFExternal{{Prefix: p("0.0.0.0/0"), Type: 2, Metric: 1}, {Prefix: p("10.50.0.0/16"), Type: 1, Metric: 20}},
			Areas: []config.OSPFArea{
				{Name: "bb", ID: netip.MustParseAddr("0.0.0.0"), Type: "default", Interfaces: []config.OSPFInterface{iface("ether2", "ptp", "md5"), iface("ether3", "broadcast", "simple")}},
				{Name: "s", ID: netip.MustParseAddr("0.0.0.1"), Type: "stub", NoSummaries: true, DefaultCost: 5, Interfaces: []config.OSPFInterface{iface("ether4", "ptmp", "sha256")}},
				{Name: "n", ID: netip.MustParseAddr("0.0.0.2"), Type: "nssa", Interfaces: []config.OSPFInterface{iface("ether5", "broadcast", "sha1")}},
			}},
		{Name: "second", RouterID: netip.MustParseAddr("10.255.255.2"), Areas: []config.OSPFArea{{Name: "bb", ID: netip.MustParseAddr("0.0.0.0")}}},
	}, BGP: []config.BGPPeer{
		{Name: "isp", LocalAS: 4200000001, RemoteAS: 65002, Remote: netip.MustParseAddr("10.1.0.2"), Local: netip.MustParseAddr("10.1.0.1"),
			RouterID: netip.MustParseAddr("10.255.255.1"), Multihop: true, Passive: true, Password: "pw", Hold: 90 * time.Second, Keepalive: 30 * time.Second,
			NextHopSelf: true, Announce: []netip.Prefix{p("192.168.88.0/24"), p("0.0.0.0/0")}, RedistOSPF: true,
			Import: &config.RouteFilter{Entry: "isp-in", Chains: filterChains, Lists: routefilter.Lists{"bogons": {p("100.64.0.0/10"), p("198.18.0.0/15")}}},
			Export: &config.RouteFilter{Entry: "isp-out", Chains: filterChains}},
		{Name: "core", LocalAS: 65001, RemoteAS: 65001, Remote: netip.MustParseAddr("10.255.255.9"), RouterID: netip.MustParseAddr("10.255.255.1"),
			Hold: 3 * time.Minute, Keepalive: time.Minute},
	}}
	conf := Render(cfg)
	for _, want := range []string{"import filter { case ros_bgp0_in1() { 1: accept; } reject; };",
		"ipv4 { import filter { case ros_ospf0_in0() { 1: accept; } reject; }; export filter { if proto != \"ros_ospf0_ext\" then reject; case ros_ospf0_out0() { 1: accept; } reject; }; };", "function ros_bgp0_in0()",
		"export filter { if !(net ~ [ 192.168.88.0/24, 0.0.0.0/0 ] || source ~ [", "case ros_bgp0_out0() { 1: accept; } reject; };",
		"bgp_path.prepend(4200000001);", "bgp_community.add((65000,100));", `route 10.50.0.0/16 unreachable { ospf_metric1 = 20; };`, `route 0.0.0.0/0 unreachable { ospf_metric2 = 1; };`,
		`interface "ether2" 10.1.0.0/30, "ether2" 10.2.0.0/24 {`, "stub yes;", "nssa;", "summary no;", "algorithm keyed md5;", "algorithm hmac sha256;",
		`password "k'e\y" { id 3;`, "router id 10.255.255.2;", "protocol bgp ros_ebgp0 {", "local 10.1.0.1 as 4200000001;",
		"neighbor 10.1.0.2 as 65002;", "multihop;", "passive on;", "preference 155;", "next hop self;",
		"protocol bgp ros_ibgp1 {", "export none;", "if ros_dist() = 255 then reject;"} {
		if !strings.Contains(conf, want) {
			t.Errorf("the configuration lacks %q:\n%s", want, conf)
		}
	}
	if err := Check(context.Background(), conf); err != nil {
		t.Errorf("%v\n%s", err, conf)
	}
}

// filterChains are the shapes of RouterOS 7 filter rules rosemu applies:
// the bogon rejects of an ISP session's input (dst==, dst-len), a jump to
// a chain of its own, communities, local preference and MED, and an
// output chain that prepends twice and accepts the router's networks.
var filterChains = routefilter.Chains{
	"isp-in": {"if ( dst==192.168.0.0/16) { reject }", "if ( dst-len > 24 ) { reject }", "jump bogons",
		"if (bgp-communities includes 65002:666 || bgp-as-path-len > 50) { reject } else { set bgp-local-pref 200; append bgp-communities 65000:100,no-export; accept }"},
	"bogons":  {"if (dst in 10.0.0.0/8 && !(protocol ospf)) { reject; }", "if (dst in bogons or afi ipv6) { reject }", "if (dst-len > 22) { set distance -5 } else { set distance +1 }", "return"},
	"isp-out": {"if (dst in 192.168.88.0/24 && dst-len in 16-24) { set bgp-path-prepend 2; set bgp-med 10; accept; }", "if (dst==0.0.0.0/0) {reject}", "accept"},
}

// TestParseProtocols reads birdc's protocol table: a BGP session's Info
// column is its state; other protocols and a session with no Info yet
// (idle) are told apart.
func TestParseProtocols(t *testing.T) {
	out := `BIRD 2.0.12 ready.
Name       Proto      Table      State  Since         Info
device1    Device     ---        up     23:50:01.123
ros_ospf0  OSPF       master4    up     23:50:01.123  Running
ros_ebgp0  BGP        ---        up     23:50:03.456  Established
ros_ibgp1  BGP        ---        start  23:50:01.123  Active        Socket: Connection refused
ros_ebgp2  BGP        ---        start  23:50:01.123
`
	got := ParseProtocols(out)
	want := map[string]string{"ros_ebgp0": "established", "ros_ibgp1": "active", "ros_ebgp2": "idle"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("ParseProtocols = %v, want %v", got, want)
	}
}
