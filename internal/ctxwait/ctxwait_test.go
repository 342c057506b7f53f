package ctxwait

import (
	"context"
	"testing"
	"time"
)

// TestSleep: a sleep ends with its time and says so; a context that ends
// first ends it early and says that (the control).
func TestSleep(t *testing.T) {
	if !Sleep(context.Background(), time.Millisecond) {
		t.Error("a plain sleep reported its context ended")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if Sleep(ctx, time.Hour) {
		t.Error("a sleep on an ended context reported it alive")
	}
}
