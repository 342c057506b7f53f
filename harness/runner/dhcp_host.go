package runner

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/chrlab/chrlab/harness/probe"
)

// leaseBudget bounds how long the harness waits for a DHCP host to hold a
// lease when a step names it: the router's DHCP server starts with the
// scenario's configuration, and the host asks every half second.
const leaseBudget = 15 * time.Second

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

// waitServingLeases waits, before the first step, for the lease of each
// DHCP host that serves something (a forward's server that leases its
// address, as check makes one behind arp=reply-only with a static lease).
// A step that names a DHCP host waits for its lease itself; a server is
// reached through a forward at the router's address and named by no step,
// so the first forward probe ran before it held its address and timed out.
// A host that gets no lease within leaseBudget is only reported: the
// probes through it show what that means.
func (e *labEnv) waitServingLeases(progress func(format string, args ...any)) {
	for _, n := range e.spec.Nodes {
		if len(n.Interfaces) == 0 || !n.Interfaces[0].DHCP || len(n.Serve) == 0 && len(n.Services) == 0 {
			continue
		}
		if _, err := e.leasedAddr(n.Name); err != nil {
			progress("lease: %v; the probes to its services fail", err)
		}
	}
}
