package images

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

// TestMachineLockIgnoresTMPDIR (sm60): two chrlab processes with different
// TMPDIRs share the image build's lock: the second waits, and says so,
// while the first holds it. The lock's path followed TMPDIR, so both
// built the same image at once. Control: once the first lets go, the
// second takes it.
func TestMachineLockIgnoresTMPDIR(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	unlock := takeMachineLock(t)
	defer unlock()
	t.Setenv("TMPDIR", t.TempDir())
	wctx, wcancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer wcancel()
	var said bytes.Buffer
	if again, err := lockMachine(wctx, &said); err == nil {
		again()
		t.Fatal("a process with another TMPDIR took the images lock while this one held it")
	}
	if !strings.Contains(said.String(), "waiting for another chrlab process building images") {
		t.Errorf("the waiting process said %q, want that it waits", said.String())
	}
	unlock()
	takeMachineLock(t)()
}

// takeMachineLock takes the machine's real images lock for the test. A
// chrlab process elsewhere holds it while it builds or checks its images,
// which on a shared machine (helpers' lab runs, CI) may take minutes: a
// chr-base build is a debootstrap. Waiting that out is no part of what the
// test asks, so a lock busy longer than machineLockWait skips the test
// rather than failing it (it failed after two minutes).
func takeMachineLock(t *testing.T) func() {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), machineLockWait)
	defer cancel()
	unlock, err := lockMachine(ctx, io.Discard)
	if errors.Is(err, context.DeadlineExceeded) {
		t.Skipf("another chrlab process held the machine's images lock for %v (building its images): %v", machineLockWait, err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return unlock
}

// machineLockWait is how long takeMachineLock waits for another process.
const machineLockWait = 20 * time.Second
