package ra

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/mdlayher/ndp"

	"github.com/chrlab/chrlab/rosemu/config"
)

// TestMain runs the router's side when the test binary is started in a
// network namespace by TestSLAAC: the manager works in its process's
// namespace, as rosemu does in the router's. It advertises until its
// standard input closes, then says goodbye and exits.
func TestMain(m *testing.M) {
	if spec := os.Getenv("RATEST_CHILD"); spec != "" {
		var ra config.RAInterface
		if err := json.Unmarshal([]byte(spec), &ra); err != nil {
			fmt.Println("bad child spec:", err)
			os.Exit(2)
		}
		mgr := New(slog.New(slog.NewTextHandler(os.Stdout, nil)))
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { mgr.Run(ctx); close(done) }()
		mgr.Update([]config.RAInterface{ra})
		// A second configuration a moment later, as a lab applies its
		// base and then the case's own settings.
		if next := os.Getenv("RATEST_NEXT"); next != "" {
			var ra2 config.RAInterface
			if err := json.Unmarshal([]byte(next), &ra2); err != nil {
				fmt.Println("bad next spec:", err)
				os.Exit(2)
			}
			time.Sleep(300 * time.Millisecond)
			mgr.Update([]config.RAInterface{ra2})
		}
		io.Copy(io.Discard, os.Stdin)
		cancel()
		<-done
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func ip(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command("ip", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// raLink makes a router and a host namespace joined by a veth pair (r0,
// h0): the router's link-local address usable at once, as rosemu sets its
// links; the host a plain SLAAC host with the token ::20. tag keeps two
// tests' namespaces apart.
func raLink(t *testing.T, tag string) (r, h string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root for network namespaces")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("needs ip(8)")
	}
	p := fmt.Sprintf("ratest%s%d-", tag, os.Getpid())
	r, h = p+"r", p+"h"
	for _, ns := range []string{r, h} {
		ns := ns
		t.Cleanup(func() { exec.Command("ip", "netns", "del", ns).Run() })
		ip(t, "netns", "add", ns)
	}
	ip(t, "link", "add", "r0", "netns", r, "type", "veth", "peer", "name", "h0", "netns", h)
	ip(t, "netns", "exec", r, "sysctl", "-qw", "net.ipv6.conf.r0.accept_dad=0", "net.ipv6.conf.all.forwarding=1")
	ip(t, "netns", "exec", h, "sysctl", "-qw", "net.ipv6.conf.h0.accept_dad=0", "net.ipv6.conf.h0.accept_ra=1", "net.ipv6.conf.h0.autoconf=1")
	ip(t, "-n", h, "token", "set", "::20", "dev", "h0")
	ip(t, "-n", r, "link", "set", "r0", "up")
	ip(t, "-n", h, "link", "set", "h0", "up")
	return r, h
}

// TestSLAAC: a host on the router's link takes an address of the
// advertised prefix (with the interface token it set, so the address is
// known) and a default route through the router's link-local address; when
// the router stops advertising, its goodbye (router lifetime 0) takes the
// default route away again (the control: the route was the
// advertisement's).
func TestSLAAC(t *testing.T) {
	r, h := raLink(t, "")

	spec, _ := json.Marshal(config.RAInterface{Interface: "r0", MinInterval: 200 * time.Second, MaxInterval: 600 * time.Second,
		Lifetime: 30 * time.Minute, AdvertiseMAC: true, Preference: "medium",
		Prefixes: []config.RAPrefix{{Prefix: netip.MustParsePrefix("3fff:88::/64"), OnLink: true, Autonomous: true, Valid: time.Hour, Preferred: 30 * time.Minute}}})
	cmd := exec.Command("ip", "netns", "exec", r, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "RATEST_CHILD="+string(spec))
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()

	waitFor := func(what string, cond func() bool) bool {
		for end := time.Now().Add(8 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
			if cond() {
				return true
			}
		}
		t.Errorf("%s did not happen in 8 s", what)
		return false
	}
	addr := func() string { return ip(t, "-n", h, "-6", "addr", "show", "dev", "h0", "scope", "global") }
	route := func() string { return ip(t, "-n", h, "-6", "route", "show", "default") }
	waitFor("the SLAAC address 3fff:88::20", func() bool { return strings.Contains(addr(), "inet6 3fff:88::20/64") })
	waitFor("a default route via the router", func() bool { return strings.Contains(route(), "default via fe80::") })

	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("router side: %v: %s", err, out.String())
	}
	waitFor("the goodbye taking the default route away", func() bool { return strings.TrimSpace(route()) == "" })
	if t.Failed() {
		t.Logf("router side:\n%s", out.String())
	}
}

// TestMessage: what one advertisement carries.
func TestMessage(t *testing.T) {
	m := message(config.RAInterface{Lifetime: 30 * time.Minute, HopLimit: 64, MTU: 1480, Managed: true, AdvertiseMAC: true, Preference: "high",
		MaxInterval: 10 * time.Minute, DNS: []netip.Addr{netip.MustParseAddr("3fff:88::1")},
		Prefixes: []config.RAPrefix{{Prefix: netip.MustParsePrefix("3fff:88::/64"), OnLink: true, Autonomous: true, Valid: time.Hour, Preferred: 2 * time.Hour}}},
		[]byte{2, 0, 0, 0, 0, 1})
	if m.RouterLifetime != 30*time.Minute || m.CurrentHopLimit != 64 || !m.ManagedConfiguration || m.RouterSelectionPreference != ndp.High {
		t.Errorf("header %+v", m)
	}
	var kinds []string
	for _, o := range m.Options {
		switch x := o.(type) {
		case *ndp.PrefixInformation:
			// The preferred lifetime never outlives the valid one.
			if x.Prefix.String() != "3fff:88::" || x.PrefixLength != 64 || x.PreferredLifetime != time.Hour {
				t.Errorf("prefix %+v", x)
			}
		case *ndp.RecursiveDNSServer:
			if x.Lifetime != 30*time.Minute {
				t.Errorf("RDNSS lifetime %v, want 3 x 10m", x.Lifetime)
			}
		}
		kinds = append(kinds, fmt.Sprintf("%T", o))
	}
	if got := strings.Join(kinds, " "); got != "*ndp.LinkLayerAddress *ndp.MTU *ndp.PrefixInformation *ndp.RecursiveDNSServer" {
		t.Errorf("options %s", got)
	}
	if _, err := ndp.MarshalMessage(m); err != nil {
		t.Errorf("marshal: %v", err)
	}
	for _, o := range goodbyeOptions(m.Options) {
		if p, ok := o.(*ndp.PrefixInformation); ok && p.PreferredLifetime != 0 {
			t.Errorf("goodbye keeps the prefix preferred: %+v", p)
		}
	}
}

// TestChangedSettingsOnly: settings changed a moment after the first ones
// (a lab's base with autonomous=yes, then the case's autonomous=no) reach
// the host alone: it takes the default route but no SLAAC address, and a
// change sends no goodbye, so the route stays. Before, the first
// advertisement went out at once and the host kept its address (forum24).
// TestSLAAC is the control: with autonomous=yes the host takes it.
func TestChangedSettingsOnly(t *testing.T) {
	r, h := raLink(t, "c")
	// The host is up and listening before the router is configured, as
	// a lab's hosts are (an advertisement in the link's first moments
	// may find the host's IPv6 not ready yet and prove nothing).
	time.Sleep(1500 * time.Millisecond)
	base := config.RAInterface{Interface: "r0", MinInterval: 200 * time.Second, MaxInterval: 600 * time.Second,
		Lifetime: 30 * time.Minute, AdvertiseMAC: true, Preference: "medium",
		Prefixes: []config.RAPrefix{{Prefix: netip.MustParsePrefix("3fff:88::/64"), OnLink: true, Autonomous: true, Valid: time.Hour, Preferred: 30 * time.Minute}}}
	first, _ := json.Marshal(base)
	base.Prefixes[0].Autonomous = false
	next, _ := json.Marshal(base)
	cmd := exec.Command("ip", "netns", "exec", r, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "RATEST_CHILD="+string(first), "RATEST_NEXT="+string(next))
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		stdin.Close()
		cmd.Wait()
	}()
	route := func() string { return ip(t, "-n", h, "-6", "route", "show", "default") }
	for end := time.Now().Add(8 * time.Second); time.Now().Before(end) && !strings.Contains(route(), "default via fe80::"); time.Sleep(100 * time.Millisecond) {
	}
	if !strings.Contains(route(), "default via fe80::") {
		t.Fatalf("no default route from the advertisements; router side:\n%s", out.String())
	}
	time.Sleep(1500 * time.Millisecond)
	if a := ip(t, "-n", h, "-6", "addr", "show", "dev", "h0", "scope", "global"); strings.Contains(a, "3fff:88::20") {
		t.Errorf("the host took a SLAAC address from settings replaced before they were advertised:\n%s", a)
	}
	if !strings.Contains(route(), "default via fe80::") {
		t.Errorf("the change took the default route away (a goodbye)")
	}
}
