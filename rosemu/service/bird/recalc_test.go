package bird

import (
	"context"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/config"
)

// TestRecalculateWhenFull (sm58; f68 D4): after an OSPF neighbor becomes
// Full, while BIRD's routing calculation leaves that neighbor's router
// unreachable, the manager has BIRD calculate again (a configure of the
// configuration it runs), at most every recalcEvery: BIRD 2.0.12
// calculates on LSA changes only, and a template disabled and enabled
// within seconds of the adjacency forming left no LSA changed after a
// calculation that found no next hop to the neighbor, so site B never got
// the route to site A's LAN again (lab runs: below and in the commit).
// BIRD's side is a stand-in here (birdc answers the neighbor table and
// the state the test sets), as the race in a real BIRD cannot be made to
// happen on demand. The controls: no configure while the neighbor is not
// Full, none once its router is reachable.
func TestRecalculateWhenFull(t *testing.T) {
	dir := t.TempDir()
	nbrs, state := filepath.Join(dir, "neighbors"), filepath.Join(dir, "state")
	calls := filepath.Join(dir, "configures")
	script := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// bird: parses anything (-p), else runs until stopped.
	birdBin := script("bird", `case "$*" in *-p*) exit 0;; esac
exec sleep 600
`)
	// birdc -s SOCK CMD...: the neighbor table and the OSPF state from
	// the test's files; a configure is counted.
	birdcBin := script("birdc", `shift 2
case "$*" in
"show status") echo "BIRD 2.0.12 ready."; echo "Daemon is up and running";;
"show ospf neighbors"*) echo "BIRD 2.0.12 ready."; cat `+nbrs+`;;
"show ospf state all"*) echo "BIRD 2.0.12 ready."; cat `+state+`;;
configure) echo x >> `+calls+`; echo "BIRD 2.0.12 ready."; echo "Reconfigured";;
*) echo "BIRD 2.0.12 ready.";;
esac
`)
	write := func(file, text string) {
		t.Helper()
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	neighbor := func(s string) {
		write(nbrs, "ros_ospf0:\nRouter ID   \tPri\t     State     \tDTime\tInterface  Router IP\n10.255.255.1\t128\t"+s+"  \t 3.128\tgre-a      172.16.0.1\n")
	}
	reach := func(how string) {
		write(state, "\narea 0.0.0.0\n\n\trouter 10.255.255.1\n\t\t"+how+"\n\t\trouter 10.255.255.2 metric 1\n\n\trouter 10.255.255.2\n\t\tdistance 0\n\t\trouter 10.255.255.1 metric 1\n")
	}
	configures := func() int {
		data, _ := os.ReadFile(calls)
		return strings.Count(string(data), "x")
	}
	neighbor("Init/PtP")
	reach("unreachable")
	m := &Manager{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Dir: filepath.Join(dir, "run"), Bird: birdBin, Birdc: birdcBin, Poll: 50 * time.Millisecond}
	m.Update(config.RoutingConfig{OSPF: []config.OSPFInstance{{Name: "v2", RouterID: netip.MustParseAddr("10.255.255.2")}}})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { m.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	time.Sleep(500 * time.Millisecond)
	if n := configures(); n != 0 {
		t.Fatalf("%d configures while the neighbor is Init, want none", n)
	}
	neighbor("Full/PtP")
	time.Sleep(500 * time.Millisecond)
	if n := configures(); n != 1 {
		t.Fatalf("%d configures once the neighbor is Full and its router unreachable, want 1", n)
	}
	time.Sleep(recalcEvery)
	if n := configures(); n != 2 {
		t.Fatalf("%d configures %s later, its router still unreachable, want 2", n, recalcEvery)
	}
	reach("distance 1")
	time.Sleep(recalcEvery + 500*time.Millisecond)
	if n := configures(); n != 2 {
		t.Errorf("%d configures with the router reachable, want still 2", n)
	}
}

// TestParseUnreachable: the routers `show ospf state all` shows
// unreachable, from BIRD 2.0.12's output on a stuck site B.
func TestParseUnreachable(t *testing.T) {
	out := "BIRD 2.0.12 ready.\n\narea 0.0.0.0\n\n\trouter 10.255.255.1\n\t\tunreachable\n\t\trouter 10.255.255.2 metric 1\n\t\tstubnet 192.168.88.0/24 metric 1\n\n\trouter 10.255.255.2\n\t\tdistance 0\n\t\trouter 10.255.255.1 metric 1\n"
	got := ParseUnreachable(out)
	if len(got) != 1 || !got[netip.MustParseAddr("10.255.255.1")] {
		t.Errorf("unreachable %v, want 10.255.255.1 alone", got)
	}
}
