package agentcmd

import (
	"context"
	"fmt"
	"net"
	"os"
	"testing"
	"time"
)

// TestRoadWarriorDialTimeout: a TCP connect cut off by the dial's deadline
// (an input chain that drops the SYN) is a timeout for both road-warrior
// probes, like a context that ran out before the connect; a refused or
// other error is not. The connect's error is net's "i/o timeout", which is
// no context.DeadlineExceeded: made here with a pipe's read deadline, the
// same kind of net.Error, so no packet leaves the test.
func TestRoadWarriorDialTimeout(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	_ = a.SetReadDeadline(time.Now())
	_, ioTimeout := a.Read(make([]byte, 1))
	if ioTimeout == nil {
		t.Fatal("no read deadline error")
	}
	dial := fmt.Errorf("sstp: %w", &net.OpError{Op: "dial", Net: "tcp", Err: ioTimeout})
	for _, rw := range roadWarriors {
		if !rw.timedOut(dial) {
			t.Errorf("%s: %v is no timeout", rw.kind, dial)
		}
		if !rw.timedOut(fmt.Errorf("x: %w", context.DeadlineExceeded)) {
			t.Errorf("%s: a context deadline is no timeout", rw.kind)
		}
		if rw.timedOut(fmt.Errorf("sstp: %w", os.ErrClosed)) {
			t.Errorf("%s: a closed connection is a timeout", rw.kind)
		}
	}
}
