package ros

import "time"

// SetKeepalive shortens the watch on running console commands for a test
// and returns the function that restores it.
func SetKeepalive(every, wait time.Duration) func() {
	e, w := keepaliveEvery, keepaliveWait
	keepaliveEvery, keepaliveWait = every, wait
	return func() { keepaliveEvery, keepaliveWait = e, w }
}
