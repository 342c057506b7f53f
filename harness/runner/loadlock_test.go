package runner

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Two runs' load steps take turns: the second waits while the first holds
// the lock over consecutive load steps, and goes once a non-load probe of
// the first gives it back.
func TestLoadLockTakesTurns(t *testing.T) {
	path := filepath.Join(t.TempDir(), "load.lock")
	var mu sync.Mutex
	var said []string
	say := func(f string, a ...any) { mu.Lock(); said = append(said, f); mu.Unlock() }
	a, b := &loadLock{path: path, progress: say}, &loadLock{path: path, progress: say}
	ctx := context.Background()
	if err := a.before(ctx, true); err != nil {
		t.Fatal(err)
	}
	// A second load step of the same run does not wait for itself.
	if err := a.before(ctx, true); err != nil {
		t.Fatal(err)
	}
	got := make(chan error, 1)
	go func() { got <- b.before(ctx, true) }()
	select {
	case err := <-got:
		t.Fatalf("the second run's load step went while the first held the lock (err %v)", err)
	case <-time.After(300 * time.Millisecond):
	}
	if err := a.before(ctx, false); err != nil { // a probe that is not a load step
		t.Fatal(err)
	}
	if err := <-got; err != nil {
		t.Fatal(err)
	}
	// Now the first waits for the second, and gives up with its context.
	cctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	if err := a.before(cctx, true); err == nil || !strings.Contains(err.Error(), "load steps") {
		t.Fatalf("a cancelled wait returned %v", err)
	}
	b.release()
	if err := a.before(ctx, true); err != nil {
		t.Fatal(err)
	}
	a.release()
}

// A nil lock (a prober built without one) lets everything through.
func TestLoadLockNil(t *testing.T) {
	var l *loadLock
	if err := l.before(context.Background(), true); err != nil {
		t.Fatal(err)
	}
	l.release()
}
