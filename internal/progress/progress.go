// Package progress shows a run's progress: on a terminal as one status
// line redrawn in place (a spinner, the stage, the latest event and the
// time spent in the stage), elsewhere (CI logs, pipes, files) as the plain
// lines every part of the harness writes, unchanged.
//
// Producers keep writing lines to an io.Writer. Stage and Status add what
// only a status line can show (which stage of how many, a retry that is
// not worth a line in a log); on a writer that is not a Terminal they do
// nothing, so a log reads as it always did.
package progress

import (
	"io"
	"os"

	"golang.org/x/term"
)

// Stager is a progress writer that shows the run's stage.
type Stager interface{ Stage(n, of int, name string) }

// Statuser is a progress writer that shows a passing state, not worth a
// line of its own.
type Statuser interface{ Status(text string) }

// Stage tells w that stage n of of, name, began, when w shows stages.
func Stage(w io.Writer, n, of int, name string) {
	if s, ok := w.(Stager); ok {
		s.Stage(n, of, name)
	}
}

// Status tells w what is happening now, when w shows a status line.
func Status(w io.Writer, text string) {
	if s, ok := w.(Statuser); ok {
		s.Status(text)
	}
}

// For returns the progress writer for f: a running Terminal when f is a
// terminal (Close it before printing anything else to the same screen),
// else f itself, so that a log gets exactly the lines written.
func For(f *os.File) io.WriteCloser {
	fd := int(f.Fd())
	if !term.IsTerminal(fd) {
		return nopCloser{f}
	}
	t := NewTerminal(f, func() int {
		if w, _, err := term.GetSize(fd); err == nil && w > 0 {
			return w
		}
		return 80
	})
	t.Start()
	return t
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }
