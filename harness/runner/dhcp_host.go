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
