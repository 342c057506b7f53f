// Package reconcile keeps one worker per wanted key, as the client
// services do for their menu's entries (one DHCP client per enabled
// /ip dhcp-client entry): the entries change with every commit, and the
// workers must follow without restarting the ones that stay.
package reconcile

// Apply makes running hold a worker for each key of want: a worker
// already running for its key is kept (keep tells it the entry again, for
// what may change under it, such as a script), a missing one is started,
// and one whose key is no longer wanted is stopped and removed.
func Apply[K comparable, W, T any](running map[K]T, want map[K]W, start func(W) T, keep func(T, W), stop func(T)) {
	for key, w := range want {
		if t, ok := running[key]; ok {
			if keep != nil {
				keep(t, w)
			}
			continue
		}
		running[key] = start(w)
	}
	for key, t := range running {
		if _, ok := want[key]; !ok {
			stop(t)
			delete(running, key)
		}
	}
}
