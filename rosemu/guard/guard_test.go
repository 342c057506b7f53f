package guard

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

func TestDo(t *testing.T) {
	var logged bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logged, nil))
	err := Do(log, "API sentence", func() error {
		var m map[string]int
		m["x"] = 1 // a nil map write panics
		return nil
	})
	var p *Panic
	if !errors.As(err, &p) || !strings.HasPrefix(err.Error(), "failure: internal error of the emulator in API sentence: assignment to entry in nil map") {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(logged.String(), "guard_test.go") || !strings.Contains(logged.String(), "where=\"API sentence\"") {
		t.Errorf("log lacks the stack:\n%s", logged.String())
	}
	// Negative control: errors and successes pass through untouched.
	want := errors.New("x")
	if err := Do(log, "w", func() error { return want }); err != want {
		t.Errorf("err = %v", err)
	}
	if err := Do(nil, "w", func() error { return nil }); err != nil {
		t.Errorf("err = %v", err)
	}
}
