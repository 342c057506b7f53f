package runner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
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
			var err error
			replayed := false
			for i, life := range entryLives {
				var lag time.Duration
				lag, err = raceAfterConfigure(t, forget, i, life)
				if lag <= life-connectMargin {
					t.Logf("the second probe began %s after the first, the entry lived %s", lag, life)
					replayed = true
					break
				}
				t.Logf("the second probe began %s after the first: past the entry's %s; again with a longer life", lag, life)
			}
			if !replayed {
				t.Fatalf("the machine never began the second probe while the first probe's entry was resolving (lives %v)", entryLives)
			}
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

// entryLives are how long the first probe's neighbour entry resolves
// before it fails, one replay each: the lab's 3 s first (the default
// three solicitations a second apart). A machine too loaded to begin the
// second probe inside it replays again with the entry living longer: the
// race is the same (the step's connect begins while the entry resolves
// and fails with it), only the window is wider, so that a slow machine
// still tests the flush rather than skipping it.
var entryLives = []time.Duration{3 * time.Second, 6 * time.Second, 12 * time.Second}

// connectMargin is how long before the entry fails the second probe must
// have begun: its time is taken in the shell just before it connects.
const connectMargin = 200 * time.Millisecond

// raceAfterConfigure builds client and router namespaces joined by a veth
// pair, with the client's entries resolving for life before they fail, and
// returns the error of the connect made after the "configure step" and
// how long after the first probe's connect it began.
func raceAfterConfigure(t *testing.T, forget bool, attempt int, life time.Duration) (time.Duration, error) {
	t.Helper()
	suffix := fmt.Sprintf("%05d%c%d", os.Getpid()%100000, map[bool]rune{true: 't', false: 'f'}[forget], attempt)
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
	// One solicitation, given up after life: the same end as the
	// default three a second apart (the entry fails three seconds after
	// the first probe began), without the default's last solicitation at
	// two seconds, which a loaded test machine might send after the step
	// and so be answered.
	for k, v := range map[string]string{"mcast_solicit": "1", "ucast_solicit": "0", "app_solicit": "0", "retrans_time_ms": fmt.Sprint(life.Milliseconds())} {
		run("netns", "exec", cli, "sysctl", "-q", "-w", "net.ipv4.neigh.c"+suffix+"."+k+"="+v)
	}
	run("-n", rtr, "link", "set", "r"+suffix, "up")

	// dial connects from the client namespace to 10.77.0.1:80 for at
	// most limit, and returns when it began: the shell's clock just
	// before the connect, so that the machine's delay in starting ip,
	// timeout and bash is not taken for time inside the window.
	dial := func(limit time.Duration) (time.Time, error) {
		cmd := exec.Command("ip", "netns", "exec", cli, "timeout", fmt.Sprintf("%.3f", limit.Seconds()),
			"bash", "-c", "echo $EPOCHREALTIME; exec 3<>/dev/tcp/10.77.0.1/80")
		// EPOCHREALTIME's decimal point is the locale's.
		cmd.Env = append(os.Environ(), "LC_ALL=C")
		out, err := cmd.CombinedOutput()
		line, rest, _ := strings.Cut(string(out), "\n")
		sec, perr := strconv.ParseFloat(strings.TrimSpace(line), 64)
		if perr != nil {
			t.Fatalf("the probe printed no start time: %v: %q", perr, out)
		}
		began := time.UnixMicro(int64(sec * 1e6))
		if err == nil {
			return began, nil
		}
		switch {
		case strings.Contains(rest, "No route to host"):
			return began, syscall.EHOSTUNREACH
		case strings.Contains(rest, "Connection refused"):
			return began, syscall.ECONNREFUSED
		}
		return began, fmt.Errorf("%v: %s", err, rest)
	}
	// The first probe, with the lab probe's two seconds.
	first, err := dial(2 * time.Second)
	if err == nil {
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
	// The first probe's entry gives up life after its solicitation; the
	// second probe must begin before that, as it did in the lab (the
	// run: 2.94 s probe, 16 ms step), and last until it does: it gets
	// the whole life, more than the lab probe's two seconds, as a wider
	// window needs.
	second, err := dial(life)
	if errors.Is(err, syscall.ECONNREFUSED) {
		err = nil // the router's kernel reset the SYN: it answered
	}
	return second.Sub(first), err
}
