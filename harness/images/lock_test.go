package images

import (
	"bytes"
	"context"
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
	// The machine's lock is real: a lab run elsewhere may hold it a while.
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	unlock, err := lockMachine(ctx, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
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
	again, err := lockMachine(ctx, io.Discard)
	if err != nil {
		t.Fatalf("after the first let go: %v", err)
	}
	again()
}
