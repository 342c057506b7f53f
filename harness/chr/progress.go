package chr

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// bar draws a download's progress: bytes done of the total, percent and
// mean rate. On a terminal it redraws one line in place a few times a
// second; elsewhere (CI logs, a file) it prints a new line at every tenth
// of the total, so a log shows the progress without thousands of lines.
type bar struct {
	w      io.Writer
	name   string
	total  int64 // -1 when the server sent no length
	n      int64 // bytes so far
	start  time.Time
	tty    bool
	last   time.Time // last redraw on a terminal
	tenths int64     // tenths of the total already printed
	stepMB int64     // without a total: MiB already printed, in 8 MiB steps
}

func newBar(w io.Writer, name string, total int64) *bar {
	return &bar{w: w, name: name, total: total, start: time.Now(), tty: isTerminal(w)}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// Write counts p; the bar sits in an io.MultiWriter beside the file.
func (b *bar) Write(p []byte) (int, error) {
	b.n += int64(len(p))
	switch {
	case b.tty:
		if now := time.Now(); now.Sub(b.last) >= 200*time.Millisecond {
			b.last = now
			fmt.Fprintf(b.w, "\r%s", b.line())
		}
	case b.total > 0:
		if t := b.n * 10 / b.total; t > b.tenths {
			b.tenths = t
			fmt.Fprintln(b.w, b.line())
		}
	default:
		if m := b.n >> 23; m > b.stepMB {
			b.stepMB = m
			fmt.Fprintln(b.w, b.line())
		}
	}
	return len(p), nil
}

// done draws the final state, so that the last line always shows the
// whole count.
func (b *bar) done() {
	switch {
	case b.tty:
		fmt.Fprintf(b.w, "\r%s\n", b.line())
	case b.total <= 0 || b.tenths < 10:
		fmt.Fprintln(b.w, b.line())
	}
}

func (b *bar) line() string {
	var s strings.Builder
	fmt.Fprintf(&s, "%s  ", b.name)
	if b.total > 0 {
		pct := b.n * 100 / b.total
		const width = 24
		fill := int(b.n * width / b.total)
		fmt.Fprintf(&s, "[%s%s] %s/%s %3d%%", strings.Repeat("#", fill), strings.Repeat(".", width-fill), size(b.n), size(b.total), pct)
	} else {
		fmt.Fprintf(&s, "%s", size(b.n))
	}
	if secs := time.Since(b.start).Seconds(); secs > 0 {
		fmt.Fprintf(&s, "  %s/s", size(int64(float64(b.n)/secs)))
	}
	return s.String()
}

// size prints a byte count in the unit that suits it.
func size(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
