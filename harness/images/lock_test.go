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
	wantLockWaits(t, lockMachine, "waiting for another chrlab process building images")
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

// TestRosemuImagesBesideChrBuild (sm61): a rosemu lab's images are ready
// while another Ensure holds the chr lock, standing for a vm image build of
// minutes. Both builds were under one machine-wide lock, so every rosemu lab
// on the machine waited out the chr build. Control: a second chr Ensure does
// wait for the first.
func TestRosemuImagesBesideChrBuild(t *testing.T) {
	ctx := imageTest(t, "checks the rosemu images beside a chr build", 10*time.Minute)
	held := make(chan struct{})
	release := make(chan struct{})
	chrLocked = func(context.Context) {
		close(held)
		<-release
	}
	t.Cleanup(func() { chrLocked = nil })

	// The chr Ensure gives up as soon as it is released: its context ends
	// first, so it builds nothing.
	vmCtx, vmCancel := context.WithCancel(ctx)
	vmDone := make(chan error, 1)
	go func() {
		_, err := Ensure(vmCtx, Options{Progress: &testWriter{t: t}, VM: true})
		vmDone <- err
	}()
	defer func() {
		vmCancel()
		select {
		case <-release:
		default:
			close(release)
		}
		<-vmDone
	}()
	select {
	case <-held:
	case err := <-vmDone:
		t.Fatalf("the chr Ensure ended before it held the chr lock: %v", err)
	case <-time.After(machineLockWait + 2*time.Minute):
		t.Skip("another chrlab process held the images or chr lock too long for this test")
	}

	start := time.Now()
	lctx, lcancel := context.WithTimeout(ctx, 3*time.Minute)
	defer lcancel()
	imgs, err := Ensure(lctx, Options{Progress: &testWriter{t: t}})
	if err != nil {
		t.Fatalf("the rosemu lab's Ensure, while a chr build held its lock: %v", err)
	}
	t.Logf("rosemu images ready in %.1fs beside the chr build: %+v", time.Since(start).Seconds(), imgs)
	if !strings.HasPrefix(imgs.Rosemu, "chrlab/rosemu:") || imgs.Chr != "" {
		t.Errorf("Ensure = %+v, want a rosemu image and no chr", imgs)
	}

	wantLockWaits(t, lockChr, "waiting for another chrlab process building the chr image")
}

// wantLockWaits checks that lock, held elsewhere, is not taken within
// 300 ms and that its wait says waiting.
func wantLockWaits(t *testing.T, lock func(context.Context, io.Writer) (func(), error), waiting string) {
	t.Helper()
	wctx, wcancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer wcancel()
	var said bytes.Buffer
	if again, err := lock(wctx, &said); err == nil {
		again()
		t.Fatal("a second process took the lock while another held it")
	}
	if !strings.Contains(said.String(), waiting) {
		t.Errorf("the waiting process said %q, want %q", said.String(), waiting)
	}
}
