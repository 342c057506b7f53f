package runner

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/scenario"
)

// askedExecer answers labagent dhcp-address with an address, or with
// nothing for the hosts in none, and records whom it was asked.
type askedExecer struct {
	mu    sync.Mutex
	asked []string
	none  map[string]bool
}

func (a *askedExecer) Exec(_ context.Context, node string, _ []string) ([]byte, int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !slices.Contains(a.asked, node) {
		a.asked = append(a.asked, node)
	}
	if a.none[node] {
		return []byte("no lease yet\n"), 1, nil
	}
	return []byte("192.168.99.10\n"), 0, nil
}

// TestWaitLeases: before the first step the run waits for the lease of a
// DHCP host that serves (a forward's server, named by no step: the first
// forward probe timed out before it leased) and of one a probe runs from
// (check's LAN client behind arp=reply-only with add-arp=yes: its first
// probe failed with "network is unreachable" 0.01 s in, before its lease,
// rc34 C1), and of no other host. Controls: a DHCP client no probe runs
// from and a static server are not asked, and a lease that comes gives no
// note.
func TestWaitLeases(t *testing.T) {
	spec := &lab.Spec{Nodes: []lab.Node{
		{Name: "server1", Serve: []string{"whoami"}, Interfaces: []lab.Interface{{Network: "lan", Address: netip.MustParseAddr("192.168.99.10"), DHCP: true}}},
		{Name: "client1", Interfaces: []lab.Interface{{Network: "lan", Address: netip.MustParseAddr("192.168.99.100"), DHCP: true}}},
		{Name: "client2", Interfaces: []lab.Interface{{Network: "lan", Address: netip.MustParseAddr("192.168.99.101"), DHCP: true}}},
		{Name: "server2", Serve: []string{"whoami"}, Interfaces: []lab.Interface{{Network: "lan", Address: netip.MustParseAddr("192.168.99.11")}}},
	}}
	ex := &askedExecer{}
	e := &labEnv{spec: spec, ex: ex}
	var said []string
	notes := e.waitLeases(map[string]bool{"client1": true, "server2": true}, func(f string, a ...any) { said = append(said, fmt.Sprintf(f, a...)) })
	slices.Sort(ex.asked)
	if !slices.Equal(ex.asked, []string{"client1", "server1"}) {
		t.Errorf("asked %v for their leases, want client1 and server1", ex.asked)
	}
	if len(notes) != 0 {
		t.Errorf("notes %q, want none: both leased", notes)
	}
	if len(said) != 2 || !strings.Contains(strings.Join(said, "\n"), "lease: client1 holds 192.168.99.10 after") {
		t.Errorf("said %q, want each lease with its time", said)
	}
}

// TestWaitLeasesNone: a probing host that never gets a lease is waited
// for within leaseBudget and said, in the progress and in a note for the
// report, rather than left for its probes to fail unexplained.
func TestWaitLeasesNone(t *testing.T) {
	defer func(b time.Duration) { leaseBudget = b }(leaseBudget)
	leaseBudget = 600 * time.Millisecond
	spec := &lab.Spec{Nodes: []lab.Node{
		{Name: "client1", Interfaces: []lab.Interface{{Network: "lan", Address: netip.MustParseAddr("192.168.99.100"), DHCP: true}}},
	}}
	ex := &askedExecer{none: map[string]bool{"client1": true}}
	e := &labEnv{spec: spec, ex: ex}
	var said []string
	start := time.Now()
	notes := e.waitLeases(map[string]bool{"client1": true}, func(f string, a ...any) { said = append(said, fmt.Sprintf(f, a...)) })
	if d := time.Since(start); d < leaseBudget || d > leaseBudget+2*time.Second {
		t.Errorf("waited %s, want about %s", d, leaseBudget)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "client1 got no DHCP lease from the router within 600ms") {
		t.Errorf("notes %q, want client1's missing lease", notes)
	}
	if len(said) != 1 || !strings.Contains(said[0], "none within 600ms (no lease yet)") {
		t.Errorf("said %q, want the missing lease with the host's last answer", said)
	}
}

// TestLeaseWaitFrom: the run waits for the lease of a host whose first
// probe is meant to get through before any action (ap-switch-behind-
// router's laptop, as check's LAN client), not for one meant to have no
// lease yet: dhcp-server's client3 leases only once a configure step
// enables the server, bridge-dhcp-snooping's guest1 first shows that it
// has none. Waiting for those added leaseBudget (15 s) to each run.
func TestLeaseWaitFrom(t *testing.T) {
	for name, want := range map[string][]string{
		"ap-switch-behind-router": {"laptop", "server"},
		"dhcp-server":             nil,
		"bridge-dhcp-snooping":    {"server"},
	} {
		s, err := scenario.Load("../..", name)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for n := range leaseWaitFrom(s.Steps) {
			got = append(got, n)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: waits for the leases of %v, want %v", name, got, want)
		}
	}
}
