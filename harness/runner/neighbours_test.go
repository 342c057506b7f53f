package runner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// netnsExec runs a node's command in the network namespace of that name,
// as a lab container runs it in its own.
type netnsExec struct{}

func (netnsExec) Exec(ctx context.Context, node string, cmd []string) ([]byte, int, error) {
	out, err := exec.CommandContext(ctx, "ip", append([]string{"netns", "exec", node}, cmd...)...).CombinedOutput()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return out, ee.ExitCode(), nil
	}
	return out, 0, err
}

// TestForgetNeighboursAfterConfigure replays realcheck22 D3 on real
// network namespaces: a client probes an address nobody answers for (2 s,
// as the lab's probe), the "router" then takes the address (the configure
// step) and the client probes again while its neighbour entry from the
// first probe is still being resolved. Without forgetNeighbours that
// second connect fails "no route to host" when the stale entry fails,
// though the router answers; with it the connect reaches the router.
func TestForgetNeighboursAfterConfigure(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root for network namespaces")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("no ip command")
	}
	for _, forget := range []bool{true, false} {
		t.Run(fmt.Sprintf("forget=%v", forget), func(t *testing.T) {
			err := raceAfterConfigure(t, forget)
			if forget && err != nil {
				t.Fatalf("connect after the configure step: %v (want it to reach the router)", err)
			}
			// The control: the stale entry alone fails the connect. It
			// proves the replay hits the race window, so that the
			// forget=true pass means the flush and not luck.
			if !forget && !errors.Is(err, syscall.EHOSTUNREACH) {
				t.Fatalf("without forgetting: %v, want no route to host (the race was not replayed)", err)
			}
		})
	}
}

// raceAfterConfigure builds client and router namespaces joined by a veth
// pair and returns the error of the connect made after the "configure step".
func raceAfterConfigure(t *testing.T, forget bool) error {
	t.Helper()
	suffix := fmt.Sprintf("%05d%c", os.Getpid()%100000, map[bool]rune{true: 't', false: 'f'}[forget])
	cli, rtr := "nbc"+suffix, "nbr"+suffix
	run := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
			t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
		}
	}
	run("netns", "add", cli)
	t.Cleanup(func() { _ = exec.Command("ip", "netns", "del", cli).Run() })
	run("netns", "add", rtr)
	t.Cleanup(func() { _ = exec.Command("ip", "netns", "del", rtr).Run() })
	run("link", "add", "c"+suffix, "netns", cli, "type", "veth", "peer", "name", "r"+suffix, "netns", rtr)
	run("-n", cli, "addr", "add", "10.77.0.2/24", "dev", "c"+suffix)
	run("-n", cli, "link", "set", "c"+suffix, "up")
	// The host's loopback carries the kernel's own "host unreachable"
	// to the socket, as in a lab container.
	run("-n", cli, "link", "set", "lo", "up")
	// One solicitation, given up after three seconds: the same end as
	// the default three a second apart (the entry fails three seconds
	// after the first probe began), without the default's last
	// solicitation at two seconds, which a loaded test machine might send
	// after the step and so be answered.
	for k, v := range map[string]string{"mcast_solicit": "1", "ucast_solicit": "0", "app_solicit": "0", "retrans_time_ms": "3000"} {
		run("netns", "exec", cli, "sysctl", "-q", "-w", "net.ipv4.neigh.c"+suffix+"."+k+"="+v)
	}
	run("-n", rtr, "link", "set", "r"+suffix, "up")

	// dial connects from the client namespace to 10.77.0.1:80 with the
	// lab probe's two seconds.
	dial := func() error {
		out, err := exec.Command("ip", "netns", "exec", cli, "timeout", "2",
			"bash", "-c", "exec 3<>/dev/tcp/10.77.0.1/80").CombinedOutput()
		if err == nil {
			return nil
		}
		switch {
		case strings.Contains(string(out), "No route to host"):
			return syscall.EHOSTUNREACH
		case strings.Contains(string(out), "Connection refused"):
			return syscall.ECONNREFUSED
		}
		return fmt.Errorf("%v: %s", err, out)
	}
	start := time.Now()
	if err := dial(); err == nil {
		t.Fatal("the first probe reached an address nobody holds")
	}
	// The configure step: the router takes the address. It needs no
	// listener: a reset ("refused") proves that it answered.
	run("-n", rtr, "addr", "add", "10.77.0.1/24", "dev", "r"+suffix)
	if forget {
		// A resolved entry the flush must leave alone.
		run("-n", cli, "neigh", "add", "10.77.0.9", "lladdr", "02:00:00:00:00:09", "dev", "c"+suffix, "nud", "stale")
		if err := forgetNeighbours(context.Background(), netnsExec{}, []string{cli}); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("ip", "-n", cli, "neigh", "show", "10.77.0.9").CombinedOutput()
		if err != nil || !strings.Contains(string(out), "02:00:00:00:00:09") {
			t.Fatalf("the flush took a resolved entry too: %q %v", out, err)
		}
	}
	// The first probe's entry gives up three seconds after its first
	// solicitation; the second probe must start before that, as it did
	// in the lab (the run: 2.94 s probe, 16 ms step).
	if el := time.Since(start); el > 2900*time.Millisecond {
		t.Skipf("the machine took %s to get here: past the race window", el)
	}
	err := dial()
	if errors.Is(err, syscall.ECONNREFUSED) {
		return nil // the router's kernel reset the SYN: it answered
	}
	return err
}
