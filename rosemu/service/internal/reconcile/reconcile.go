// Package reconcile keeps one worker per wanted key, as the client
// services do for their menu's entries (one DHCP client per enabled
// /ip dhcp-client entry): the entries change with every commit, and the
// workers must follow without restarting the ones that stay.
package reconcile

// Apply makes running hold a worker for each key of want: a worker
// already running for its key is kept (keep tells it the entry again, for
// what may change under it, such as a script), a missing one is started,
// and one whose key is no longer wanted is stopped and removed.
//
// The old workers are stopped before the new ones start: a changed entry
// is a new key, and its new worker needs what the old one holds (the
// server's port). Started first, the L2TP and SSTP servers' new socket
// found the port bound and waited a second to bind again, and a PPPoE
// server's old and new selves answered discovery together.
func Apply[K comparable, W, T any](running map[K]T, want map[K]W, start func(W) T, keep func(T, W), stop func(T)) {
	for key, t := range running {
		if _, ok := want[key]; !ok {
			stop(t)
			delete(running, key)
		}
	}
	for key, w := range want {
		if t, ok := running[key]; ok {
			if keep != nil {
				keep(t, w)
			}
			continue
		}
		running[key] = start(w)
	}
}
