package agentcmd

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"testing"
)

// TestSSTPDialSorted: a dial of the SSTP road warrior that runs out of
// time is a timeout whichever of Go's two deadlines ended it: the
// socket's own (os.ErrDeadlineExceeded, what a CI run's control against
// a dropped TCP 443 reported as "error sstp: dial tcp 203.0.113.2:443:
// i/o timeout") or the context's. Controls: a closed port is refused, an
// error of no kind is error.
func TestSSTPDialSorted(t *testing.T) {
	to := &net.TCPAddr{IP: net.IPv4(203, 0, 113, 2), Port: 443}
	socketDeadline := fmt.Errorf("sstp: %w", &net.OpError{Op: "dial", Net: "tcp", Addr: to, Err: os.ErrDeadlineExceeded})
	if got := socketDeadline.Error(); got != "sstp: dial tcp 203.0.113.2:443: i/o timeout" {
		t.Fatalf("the stand-in error reads %q, not as the CI run's did", got)
	}
	for _, c := range []struct {
		err  error
		want string
	}{
		{socketDeadline, "timeout"},
		{fmt.Errorf("sstp: %w", &net.OpError{Op: "dial", Net: "tcp", Addr: to, Err: context.DeadlineExceeded}), "timeout"},
		{fmt.Errorf("sstp: TLS: %w", context.DeadlineExceeded), "timeout"},
		{fmt.Errorf("sstp: %w", &net.OpError{Op: "dial", Net: "tcp", Addr: to, Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}), "refused"},
		{errors.New("sstp: the server sent no certificate"), "error"},
	} {
		if got := sstpRW.sort(c.err); got != c.want {
			t.Errorf("%v: %s, want %s", c.err, got, c.want)
		}
	}
}
