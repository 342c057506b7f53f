package runner

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/chrlab/chrlab/harness/probe"
	"github.com/chrlab/chrlab/harness/scenario"
)

// leaseBudget bounds how long the harness waits for a DHCP host to hold a
// lease when a step names it: the router's DHCP server starts with the
// scenario's configuration, and the host asks every half second. A
// variable so that a test of a lease that never comes is short.
var leaseBudget = 15 * time.Second

// leasedAddr asks a host whose lab address comes from the router's DHCP
// server or PPPoE server which address it holds now (labagent
// dhcp-address), waiting for its first lease or session within
// leaseBudget.
func (e *labEnv) leasedAddr(node string) (netip.Addr, error) {
	ctx, cancel := context.WithTimeout(context.Background(), leaseBudget)
	defer cancel()
	var last string
	for {
		out, code, err := e.ex.Exec(ctx, node, []string{probe.Agent, "dhcp-address"})
		if err == nil && code == 0 {
			a, perr := netip.ParseAddr(strings.TrimSpace(string(out)))
			if perr == nil {
				return a, nil
			}
			last = perr.Error()
		} else if err != nil {
			last = err.Error()
		} else {
			last = strings.TrimSpace(string(out))
		}
		select {
		case <-ctx.Done():
			return netip.Addr{}, fmt.Errorf("ask %s for the address its DHCP lease or PPPoE session gave it: none within %s (%s)", node, leaseBudget, last)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// leaseWaitFrom names the hosts whose lease waitLeases waits for because
// a probe runs from them: those whose first step is a probe meant to get
// through (check's probes are), before any action. A host whose first
// probe is meant to fail, or that probes only after an action (the
// configure that enables the DHCP server), is meant to have no lease yet:
// waiting for one lengthened such a scenario by leaseBudget (dhcp-server,
// bridge-dhcp-snooping) and noted a lease missing that was never due.
func leaseWaitFrom(steps []scenario.Step) map[string]bool {
	from, seen := map[string]bool{}, map[string]bool{}
	for _, st := range steps {
		if st.Action != "" {
			break
		}
		if st.From == "" || seen[st.From] {
			continue
		}
		seen[st.From] = true
		if r := st.Expect.Result; r == "" || r == "ok" {
			from[st.From] = true
		}
	}
	return from
}

// waitLeases waits, before the first step, for the lease of each DHCP
// host that serves something (a forward's server that leases its
// address, as check makes one behind arp=reply-only with a static lease)
// or that a probe runs from (check's LAN client behind arp=reply-only
// with add-arp=yes). A step that names a DHCP host as its destination
// waits for its lease itself; a server is reached through a forward at
// the router's address and named by no step, and a host a probe runs
// from is never asked for its address: the first probe from it failed at
// once ("connect: network is unreachable") before it held its lease
// (rc34 C1), and the first forward probe timed out. The hosts are asked
// side by side, so the wait is leaseBudget at most. Each lease is said
// with the time it took; a host that gets none is said too, and returned
// as a note for the report: the probes from or to it show what that
// means.
func (e *labEnv) waitLeases(from map[string]bool, progress func(format string, args ...any)) []string {
	var names []string
	for _, n := range e.spec.Nodes {
		if len(n.Interfaces) == 0 || !n.Interfaces[0].DHCP || len(n.Serve) == 0 && len(n.Services) == 0 && !from[n.Name] {
			continue
		}
		names = append(names, n.Name)
	}
	notes := make([]string, len(names))
	var wg sync.WaitGroup
	var mu sync.Mutex // one progress line at a time
	say := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		progress(format, args...)
	}
	for i, name := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			a, err := e.leasedAddr(name)
			if err != nil {
				say("lease: %v; the probes from and to it fail", err)
				notes[i] = fmt.Sprintf("%s got no DHCP lease from the router within %s: the probes from it had no address to leave from, and those to it nothing to reach", name, leaseBudget)
				return
			}
			say("lease: %s holds %s after %.1fs", name, a, time.Since(start).Seconds())
		}()
	}
	wg.Wait()
	var out []string
	for _, n := range notes {
		if n != "" {
			out = append(out, n)
		}
	}
	return out
}
