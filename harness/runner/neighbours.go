package runner

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/chrlab/chrlab/harness/probe"
)

// forgetNeighbours makes each lab host drop its neighbour (ARP and NDP)
// entries, after a configure step changed the router's configuration.
//
// A probe that ran before the step may have left an entry still being
// resolved: a host that asked for an address the router did not answer
// for (an address on a bridge port) sends its last solicitation two
// seconds into that probe and gives up a second later. A probe started
// in that second, straight after a step that gave the router the address,
// queues its SYN on the doomed entry and fails with "no route to host"
// when the entry fails, though the router now answers: the lab then
// judged the fix by the earlier probe's leftover (realcheck22 D3, a
// 103 ms "no route to host" after a 16 ms configure step). A fresh entry
// is resolved anew, so the probe sees the configuration the step made.
// Only entries still being resolved or given up are dropped: a resolved
// entry stays, so a host keeps the MAC it learnt as a real one does, and a
// step that changes the router's MAC (or a VRRP master) is still judged by
// what the hosts would really send to.
func forgetNeighbours(ctx context.Context, ex probe.Execer, nodes []string) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []string
	)
	for _, n := range nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, code, err := ex.Exec(ctx, n, []string{"ip", "neigh", "flush", "all", "nud", "incomplete", "nud", "failed"})
			if err == nil && code != 0 {
				err = fmt.Errorf("exit %d: %s", code, strings.TrimSpace(string(out)))
			}
			if err != nil {
				mu.Lock()
				errs = append(errs, fmt.Sprintf("%s: %v", n, err))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		return fmt.Errorf("clear the hosts' neighbour entries after the configure step: %s", strings.Join(errs, "; "))
	}
	return nil
}
