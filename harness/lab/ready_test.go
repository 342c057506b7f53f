package lab

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/testcontainers/testcontainers-go/wait"
)

// stateTarget is a wait target whose container is in a fixed state; the
// strategy under test calls nothing else of it.
type stateTarget struct {
	wait.StrategyTarget
	state container.State
}

func (s stateTarget) State(context.Context) (*container.State, error) { return &s.state, nil }

// TestReadyStopsOnExit: a router whose container ended (a guest kernel
// that panicked and powered off) fails the wait at once with its exit
// code; the control, a running container with nothing listening, keeps
// waiting until its budget ends.
func TestReadyStopsOnExit(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now

	exited := stateTarget{state: container.State{Status: container.StateExited, ExitCode: 3}}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = tcpReady{addr: addr}.WaitUntilReady(ctx, exited)
	if err == nil || !strings.Contains(err.Error(), "exited (exit code 3)") {
		t.Fatalf("exited container: got %v, want an error naming the exit", err)
	}
	if ctx.Err() != nil {
		t.Fatalf("exited container: the wait ran to its budget: %v", err)
	}

	running := stateTarget{state: container.State{Status: container.StateRunning, Running: true}}
	rctx, rcancel := context.WithTimeout(context.Background(), 2500*time.Millisecond)
	defer rcancel()
	err = tcpReady{addr: addr}.WaitUntilReady(rctx, running)
	if err == nil || rctx.Err() == nil || strings.Contains(err.Error(), "exit code") {
		t.Fatalf("running container: got %v, want the budget to end the wait", err)
	}
}
