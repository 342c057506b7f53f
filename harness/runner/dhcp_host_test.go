package runner

import (
	"context"
	"net/netip"
	"slices"
	"sync"
	"testing"

	"github.com/chrlab/chrlab/harness/lab"
)

// askedExecer answers labagent dhcp-address with an address and records
// whom it was asked.
type askedExecer struct {
	mu    sync.Mutex
	asked []string
}

func (a *askedExecer) Exec(_ context.Context, node string, _ []string) ([]byte, int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.asked = append(a.asked, node)
	return []byte("192.168.99.10\n"), 0, nil
}

// TestWaitServingLeases: before the first step the run waits for the
// lease of a DHCP host that serves (a forward's server, named by no step:
// the first forward probe timed out before it leased), and of no other
// host. Controls: a DHCP client that serves nothing and a static server
// are not asked.
func TestWaitServingLeases(t *testing.T) {
	spec := &lab.Spec{Nodes: []lab.Node{
		{Name: "server1", Serve: []string{"whoami"}, Interfaces: []lab.Interface{{Network: "lan", Address: netip.MustParseAddr("192.168.99.10"), DHCP: true}}},
		{Name: "client1", Interfaces: []lab.Interface{{Network: "lan", Address: netip.MustParseAddr("192.168.99.100"), DHCP: true}}},
		{Name: "server2", Serve: []string{"whoami"}, Interfaces: []lab.Interface{{Network: "lan", Address: netip.MustParseAddr("192.168.99.11")}}},
	}}
	ex := &askedExecer{}
	e := &labEnv{spec: spec, ex: ex}
	var said []string
	e.waitServingLeases(func(string, ...any) { said = append(said, "x") })
	if !slices.Equal(ex.asked, []string{"server1"}) {
		t.Errorf("asked %v for their leases, want server1 alone", ex.asked)
	}
	if len(said) != 0 {
		t.Errorf("reported %d missing leases, want none", len(said))
	}
}
