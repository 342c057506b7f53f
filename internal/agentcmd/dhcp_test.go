package agentcmd

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"

	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/service/dhcp"
)

func TestDHCPFlags(t *testing.T) {
	tests := []struct {
		args    []string
		wantErr string
	}{
		{args: []string{"--dhcp-subnet", "203.0.113.0/24", "--dhcp-offer", "203.0.113.2"}},
		{args: []string{"--dhcp-subnet", "203.0.113.0/24", "--dhcp-offer", "10.0.0.2"}, wantErr: "--dhcp-offer"},
		{args: []string{"--dhcp-offer", "203.0.113.2"}, wantErr: "--dhcp-subnet"},
		{args: []string{"--dhcp-subnet", "203.0.113.0/24", "--dhcp-offer", "203.0.113.2", "--dhcp-dns", "x"}, wantErr: "--dhcp-dns"},
		{args: []string{"--dhcp-subnet", "203.0.113.0/24", "--dhcp-offer", "203.0.113.2", "--dhcp-lease", "10ms"}, wantErr: "--dhcp-lease"},
	}
	for _, tt := range tests {
		var stderr bytes.Buffer
		_, err := parseNodeFlags(append([]string{"--name", "isp", "--serve", "dhcp"}, tt.args...), &stderr)
		if tt.wantErr == "" && err != nil {
			t.Errorf("%v: %v %s", tt.args, err, stderr.String())
		}
		if tt.wantErr != "" && (err == nil || !strings.Contains(stderr.String(), tt.wantErr)) {
			t.Errorf("%v: error %v %q, want one about %s", tt.args, err, stderr.String(), tt.wantErr)
		}
	}
	// Without --serve dhcp the flags are not required.
	if _, err := parseNodeFlags([]string{"--name", "isp"}, &bytes.Buffer{}); err != nil {
		t.Errorf("node without dhcp: %v", err)
	}
}

// inNamedNetns runs fn on a locked OS thread switched into the named namespace.
func inNamedNetns(t *testing.T, name string, fn func() error) error {
	t.Helper()
	ns, err := netns.GetFromName(name)
	if err != nil {
		return err
	}
	defer ns.Close()
	done := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		orig, err := netns.Get()
		if err != nil {
			done <- err
			return // the thread stays locked and ends with the goroutine
		}
		defer orig.Close()
		if err := netns.Set(ns); err != nil {
			done <- err
			return
		}
		ferr := fn()
		if err := netns.Set(orig); err != nil {
			done <- err
			return
		}
		runtime.UnlockOSThread()
		done <- ferr
	}()
	return <-done
}

func ip(t *testing.T, args ...string) {
	t.Helper()
	if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
		t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
	}
}

// method6Logged is the forum's method-6 lease script with a :log line in front, so that the
// test can count the runs.
const method6Logged = `:log info ("lease " . $bound . " " . $"lease-address")
:if ($bound=1) do={
/ip firewall address-list set [/ip firewall address-list find where comment="wan1ip"] address=$"lease-address" disabled=no
} else={
/ip firewall address-list set [/ip firewall address-list find where comment="wan1ip"] disabled=yes
}`

// renumberLease is the lease TestDHCPRenumberEndToEnd's server gives. The client renews at
// T1 (half of it) and loses the lease at its end; between them it has half the lease to get
// the renewal through. With a 4 s lease that was 2 s, which a loaded machine (the test shares
// two cores with compilers) could stall past: the lease was lost, the script ran unbound and
// bound again for the same address, and the test failed although the client works. The
// budgets below are counted from it too, so a slow machine waits longer and asserts the same.
const renumberLease = 10 * time.Second

// TestDHCPRenumberEndToEnd wires an "isp" namespace running this DHCP server to a "router"
// namespace running rosemu's engine, data plane and DHCP client over a veth pair: the router
// gets the offered address, the ISP renumbers, the router's renewal is refused, and it binds the
// new address; the lease script keeps the address list right both times.
func TestDHCPRenumberEndToEnd(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("needs root to create network namespaces")
	}
	for _, tool := range []string{"ip", "nft"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("needs %s: %v", tool, err)
		}
	}
	p := fmt.Sprintf("labagent-dhcp%d-", os.Getpid())
	ispNs, routerNs := p+"isp", p+"router"
	for _, ns := range []string{ispNs, routerNs} {
		t.Cleanup(func() { exec.Command("ip", "netns", "del", ns).Run() })
		ip(t, "netns", "add", ns)
		ip(t, "-n", ns, "link", "set", "lo", "up")
	}
	ip(t, "link", "add", "isp0", "netns", ispNs, "type", "veth", "peer", "name", "eth1", "netns", routerNs)
	ip(t, "-n", ispNs, "addr", "add", "203.0.113.1/24", "dev", "isp0")
	ip(t, "-n", ispNs, "link", "set", "isp0", "up")
	// The address Docker would give the router's WAN port; Setup finds the port by it and
	// removes it.
	ip(t, "-n", routerNs, "addr", "add", "203.0.113.99/24", "dev", "eth1")
	ip(t, "-n", routerNs, "link", "set", "eth1", "up")

	socket := filepath.Join(t.TempDir(), "dhcp.sock")
	var srv *dhcpServer
	err := inNamedNetns(t, ispNs, func() error {
		var err error
		srv, err = startDHCPServer(dhcpOptions{
			Subnet: netip.MustParsePrefix("203.0.113.0/24"), Offer: netip.MustParseAddr("203.0.113.2"),
			Lease: renumberLease, Router: netip.MustParseAddr("203.0.113.1"),
			DNS: []netip.Addr{netip.MustParseAddr("198.51.100.53")}, Socket: socket,
		}, t.Logf)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })

	dp, err := kernel.Setup(kernel.SetupOptions{Netns: routerNs, Ports: []kernel.Port{{Name: "ether1", Subnet: netip.MustParsePrefix("203.0.113.0/24")}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dp.Close() })
	mgr := dhcp.New(slog.New(slog.NewTextHandler(testWriter{t}, nil)))
	mgr.Netns = routerNs
	mgr.Retransmit = 500 * time.Millisecond
	r := config.New(config.Options{Ports: []string{"ether1"}, Kernel: dp, DHCP: mgr})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- mgr.Run(ctx, r) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})

	src := "/ip firewall address-list add comment=wan1ip disabled=yes list=external_wan address=0.0.0.0\n" +
		"/ip dhcp-client add interface=ether1 script=" + quote(method6Logged)
	if _, err := r.Run(ctx, src); err != nil {
		t.Fatal(err)
	}

	h, err := netlinkAt(routerNs)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	// state says what the router has: the kernel's addresses on ether1, whether the default
	// route via the ISP is installed, and the address-list entry the script maintains.
	state := func() (addrs []string, route bool, list string) {
		if l, err := h.LinkByName("ether1"); err == nil {
			as, _ := h.AddrList(l, netlink.FAMILY_V4)
			for _, a := range as {
				addrs = append(addrs, a.IPNet.String())
			}
			rs, _ := h.RouteList(l, netlink.FAMILY_V4)
			for _, rt := range rs {
				route = route || (rt.Dst == nil || rt.Dst.String() == "0.0.0.0/0") && rt.Gw.String() == "203.0.113.1"
			}
		}
		out, _ := r.Run(ctx, ":put [/ip firewall address-list get [find comment=wan1ip] address]")
		dis, _ := r.Run(ctx, ":put [/ip firewall address-list get [find comment=wan1ip] disabled]")
		return addrs, route, strings.TrimSpace(out) + "/" + strings.TrimSpace(dis)
	}
	waitFor := func(what string, budget time.Duration, want func() bool) time.Duration {
		t.Helper()
		start := time.Now()
		for !want() {
			if time.Since(start) > budget {
				a, rt, l := state()
				t.Fatalf("%s: not within %s; kernel addresses %v, default route %v, list %s\n/log:\n%s", what, budget, a, rt, l, logText(ctx, r))
			}
			time.Sleep(20 * time.Millisecond)
		}
		return time.Since(start)
	}
	bound := func(addr string) func() bool {
		return func() bool {
			a, rt, l := state()
			return len(a) == 1 && a[0] == addr+"/24" && rt && l == addr+"/false"
		}
	}
	waitFor("first lease", 30*time.Second, bound("203.0.113.2"))
	if out, _ := r.Run(ctx, ":put [/ip dhcp-client get [find] status]"); out != "bound\n" {
		t.Errorf("status = %q", out)
	}
	if got := r.DHCPDNSServers(); len(got) != 1 || got[0].String() != "198.51.100.53" {
		t.Errorf("dynamic DNS servers = %v", got)
	}

	// A renewal at T1 (half the lease) is acknowledged over unicast and keeps the address;
	// the script does not run again for it.
	first, err := dhcpControl(ctx, socket, controlRequest{Op: "leases"})
	if err != nil || first.Leases == nil || len(*first.Leases) != 1 {
		t.Fatalf("leases after the first bind: %+v %v", first, err)
	}
	waitFor("renewal", renumberLease+10*time.Second, func() bool {
		l, err := dhcpControl(ctx, socket, controlRequest{Op: "leases"})
		return err == nil && l.Leases != nil && len(*l.Leases) == 1 && (*l.Leases)[0].State == "bound" && (*l.Leases)[0].Last.After((*first.Leases)[0].Last)
	})
	if !bound("203.0.113.2")() {
		t.Fatal("the renewal lost the address")
	}

	var stdout, stderr bytes.Buffer
	if code := runDHCPControl(ctx, "renumber", []string{"--to", "203.0.113.3", "--socket", socket}, &stdout, &stderr); code != 0 {
		t.Fatalf("renumber exit %d: %s %s", code, stdout.String(), stderr.String())
	}
	var rep struct{ Result, Old, New, At string }
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil || rep.Result != "ok" || rep.Old != "203.0.113.2" || rep.New != "203.0.113.3" {
		t.Fatalf("renumber printed %q (%v)", stdout.String(), err)
	}
	at, err := time.Parse(time.RFC3339Nano, rep.At)
	if err != nil {
		t.Fatal(err)
	}
	// The lease renews at T1; the refusal and a fresh DISCOVER follow at once.
	waitFor("new lease after renumbering", renumberLease+15*time.Second, bound("203.0.113.3"))
	t.Logf("renumber to rebound (address in the kernel and the list): %s", time.Since(at).Round(time.Millisecond))

	// The ISP forgets the router's MAC for the address it took back (the lease ended), so it
	// cannot deliver to it any more: no entry, or one that failed to resolve. Without that a
	// stale entry stays usable and a src-nat to the old address kept working in a lab.
	ih, err := netlinkAt(ispNs)
	if err != nil {
		t.Fatal(err)
	}
	defer ih.Close()
	waitFor("the ISP forgets the old address", 5*time.Second, func() bool {
		ns, err := ih.NeighList(0, netlink.FAMILY_V4)
		if err != nil {
			return false
		}
		for _, n := range ns {
			if n.IP.String() == "203.0.113.2" && n.State&(netlink.NUD_FAILED|netlink.NUD_INCOMPLETE) == 0 {
				return false
			}
		}
		return true
	})

	logs := logText(ctx, r)
	for _, want := range []string{"lease 1 203.0.113.2", "lease 0 203.0.113.2", "lease 1 203.0.113.3"} {
		if !strings.Contains(logs, want) {
			t.Errorf("/log lacks %q:\n%s", want, logs)
		}
	}
	if strings.Count(logs, "lease 1 203.0.113.2") != 1 {
		t.Errorf("the script re-ran on a renewal with the same address:\n%s", logs)
	}

	stdout.Reset()
	if code := runDHCPControl(ctx, "dhcp-leases", []string{"--socket", socket}, &stdout, &stderr); code != 0 {
		t.Fatalf("dhcp-leases exit %d: %s", code, stderr.String())
	}
	var leases controlReply
	if err := json.Unmarshal(stdout.Bytes(), &leases); err != nil || leases.Offer != "203.0.113.3" || leases.Leases == nil || len(*leases.Leases) != 1 ||
		(*leases.Leases)[0].Address != "203.0.113.3" || (*leases.Leases)[0].State != "bound" {
		t.Errorf("dhcp-leases printed %s (%v)", stdout.String(), err)
	}

	// Disabling the client releases the lease: the address and route leave the kernel.
	if _, err := r.Run(ctx, "/ip dhcp-client disable [find]"); err != nil {
		t.Fatal(err)
	}
	waitFor("release on disable", 15*time.Second, func() bool {
		a, rt, _ := state()
		return len(a) == 0 && !rt
	})
}

func netlinkAt(name string) (*netlink.Handle, error) {
	ns, err := netns.GetFromName(name)
	if err != nil {
		return nil, err
	}
	defer ns.Close()
	return netlink.NewHandleAt(ns)
}

func logText(ctx context.Context, r *config.Router) string {
	out, _ := r.Run(ctx, "/log print")
	return out
}

// quote writes s as a RouterOS string literal.
func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, `$`, `\$`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

// testWriter sends the manager's log lines to the test log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
