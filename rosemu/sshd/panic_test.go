package sshd

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

type panicConsole struct{ putConsole }

func (c *panicConsole) Run(ctx context.Context, src string) (string, error) {
	if src == "boom" {
		panic("boom")
	}
	return c.putConsole.Run(ctx, src)
}

// TestPanicBecomesError: a command that trips the emulator fails with a
// RouterOS-style error and exit status 1; the server serves the next one
// (issue 13: chrlab saw only "exited without exit status").
func TestPanicBecomesError(t *testing.T) {
	c := mustDial(t, serve(t, &Server{Console: &panicConsole{}}), "admin", "")
	run := func(src string) (string, int) {
		s, err := c.NewSession()
		if err != nil {
			t.Fatalf("open session: %v", err)
		}
		defer s.Close()
		var out bytes.Buffer
		s.Stdout = &out
		err = s.Run(src)
		var ee *ssh.ExitError
		if errors.As(err, &ee) {
			return out.String(), ee.ExitStatus()
		}
		if err != nil {
			t.Fatalf("run %q: %v", src, err)
		}
		return out.String(), 0
	}
	if out, st := run("boom"); st != 1 || !strings.HasPrefix(out, "failure: internal error of the emulator in SSH command: boom") {
		t.Fatalf("status %d, output %q", st, out)
	}
	if out, st := run(":put after"); st != 0 || out != "after\n" {
		t.Fatalf("after the panic: status %d, output %q", st, out)
	}
}
