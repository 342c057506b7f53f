package lab

import (
	"context"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// TestSubnetLockIgnoresTMPDIR (sm60): two processes with different TMPDIRs
// share a subnet's lock: the second waits, and says so, while the first
// holds it; the lock's path followed TMPDIR. Control: once the first lets
// go, the second takes it. The subnet is one no lab of the repository
// uses, so the real lock file holds no run up.
func TestSubnetLockIgnoresTMPDIR(t *testing.T) {
	spec := &Spec{Networks: []Network{{Name: "t", Subnet: netip.MustParsePrefix("10.254.253.0/30")}}}
	t.Setenv("TMPDIR", t.TempDir())
	held, err := lockSubnets(t.Context(), spec, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	defer held.release()
	t.Setenv("TMPDIR", t.TempDir())
	ctx, cancel := context.WithTimeout(t.Context(), 400*time.Millisecond)
	defer cancel()
	var said []string
	logf := func(f string, a ...any) { said = append(said, f) }
	if again, err := lockSubnets(ctx, spec, logf); err == nil {
		again.release()
		t.Fatal("a process with another TMPDIR took the subnet's lock while this one held it")
	}
	if len(said) != 1 || !strings.Contains(said[0], "waiting for another lab using") {
		t.Errorf("the waiting process said %q, want that it waits", said)
	}
	held.release()
	again, err := lockSubnets(t.Context(), spec, t.Logf)
	if err != nil {
		t.Fatalf("after the first let go: %v", err)
	}
	again.release()
}
