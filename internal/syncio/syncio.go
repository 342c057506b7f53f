// Package syncio holds the one io helper several harness packages share.
package syncio

import (
	"io"
	"sync"
)

// Writer passes each Write to w under a mutex, so that lines written by
// concurrent goroutines (progress of parallel steps) are not interleaved.
type Writer struct {
	mu sync.Mutex
	w  io.Writer
}

// NewWriter returns a Writer that serialises writes to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

func (s *Writer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
