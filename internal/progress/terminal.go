package progress

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Terminal draws progress as one status line. A line written to it
// becomes the status line when it is progress (transient below) and is
// printed above the status line otherwise, so that what a person must
// still see after the run (the router chosen, a warning, where the
// captures went) stays on screen while the rest updates in place.
type Terminal struct {
	mu      sync.Mutex
	out     io.Writer
	width   func() int
	now     func() time.Time
	stage   string    // "2/5 lab up"
	since   time.Time // the stage's start
	status  string
	partial []byte // a line not yet ended
	frame   int
	drawn   bool // a status line is on screen
	stop    chan struct{}
	done    chan struct{}
}

// NewTerminal returns a Terminal writing to out, a screen width columns
// wide. Start redraws it as time passes; tests call Tick instead.
func NewTerminal(out io.Writer, width func() int) *Terminal {
	return &Terminal{out: out, width: width, now: time.Now, since: time.Now()}
}

// transient matches the lines that report progress rather than a result:
// the image builder's, the lab's (its start and its teardown), the
// captures', the router's readiness and configuration, and each step's
// line (the table after the run repeats them). Anything else is kept.
var transient = regexp.MustCompile(`^(images: |lab: |capturing |router ready: |configured |downloading |unpacked |\s+\d+ )`)

// spinner frames, drawn a few times a second.
var spinner = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

func (t *Terminal) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.partial = append(t.partial, p...)
	for {
		i := bytes.IndexByte(t.partial, '\n')
		if i < 0 {
			break
		}
		line := string(t.partial[:i])
		t.partial = t.partial[i+1:]
		if line == "" || transient.MatchString(line) {
			if line != "" {
				t.status = strings.TrimSpace(line)
			}
			continue
		}
		t.clear()
		fmt.Fprintln(t.out, line)
	}
	t.draw()
	return len(p), nil
}

// Stage starts stage n of of.
func (t *Terminal) Stage(n, of int, name string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.stage, t.since, t.status = fmt.Sprintf("%d/%d %s", n, of, name), t.now(), ""
	t.draw()
}

// Status replaces the status text.
func (t *Terminal) Status(text string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.status = text
	t.draw()
}

// Tick advances the spinner and redraws the elapsed time.
func (t *Terminal) Tick() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.frame++
	t.draw()
}

// Start ticks eight times a second until Close.
func (t *Terminal) Start() {
	t.stop, t.done = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(t.done)
		tk := time.NewTicker(125 * time.Millisecond)
		defer tk.Stop()
		for {
			select {
			case <-t.stop:
				return
			case <-tk.C:
				t.Tick()
			}
		}
	}()
}

// Close stops the ticking and removes the status line, leaving the screen
// to what is printed next (the table).
func (t *Terminal) Close() error {
	if t.stop != nil {
		close(t.stop)
		<-t.done
		t.stop = nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.clear()
	return nil
}

// clear erases the status line.
func (t *Terminal) clear() {
	if t.drawn {
		io.WriteString(t.out, "\r\x1b[K")
		t.drawn = false
	}
}

// draw rewrites the status line: spinner, stage, status and the stage's
// elapsed seconds, cut to the screen's width so that it never wraps (a
// wrapped line could not be redrawn in place).
func (t *Terminal) draw() {
	text := t.status
	if p := strings.TrimSpace(string(t.partial)); p != "" {
		if i := strings.LastIndexByte(p, '\r'); i >= 0 {
			p = p[i+1:]
		}
		text = p
	}
	var b strings.Builder
	b.WriteString(spinner[t.frame%len(spinner)])
	if t.stage != "" {
		b.WriteString(" [" + t.stage + "]")
	}
	if text != "" {
		b.WriteString(" " + text)
	}
	line := []rune(b.String())
	elapsed := fmt.Sprintf(" %.0fs", t.now().Sub(t.since).Seconds())
	if w := t.width() - 1 - len(elapsed); w > 1 && len(line) > w {
		line = append(line[:w-1], '…')
	}
	io.WriteString(t.out, "\r\x1b[K"+string(line)+elapsed)
	t.drawn = true
}
