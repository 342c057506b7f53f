package syncio

import (
	"bytes"
	"strings"
	"sync"
	"testing"
)

// TestWriterKeepsLinesWhole writes from many goroutines at once; every line
// must come out whole, which a bytes.Buffer alone does not promise.
func TestWriterKeepsLinesWhole(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	line := strings.Repeat("x", 100) + "\n"
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			for range 20 {
				if _, err := w.Write([]byte(line)); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	lines := strings.SplitAfter(buf.String(), "\n")
	if got := len(lines) - 1; got != 1000 || lines[len(lines)-1] != "" {
		t.Fatalf("%d lines, want 1000", got)
	}
	for _, l := range lines[:1000] {
		if l != line {
			t.Fatalf("line %q was interleaved", l)
		}
	}
}
