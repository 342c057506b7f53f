package progress

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// run writes what a run writes to its progress writer: the lines of the
// images, the lab, the steps and the teardown, with stages and statuses
// between them.
func run(w io.Writer) {
	fmt.Fprintln(w, "router: rosemu (auto: no ROUTEROS version asked for, using the RouterOS emulator)")
	Stage(w, 1, 5, "images")
	fmt.Fprintln(w, "images: [  4.0s] base chrlab/base:a688b9dede8ed6ee present")
	fmt.Fprint(w, "images: [ 11.3s] go build ./cmd/labagent")
	fmt.Fprintln(w, ": 10332 KiB in 7.3s")
	Stage(w, 2, 5, "lab up")
	fmt.Fprintln(w, "lab: network lan 192.168.88.0/24 created (chrlab-e0bda0-lan, wired as 10.200.2.0/24)")
	fmt.Fprintln(w, "lab: lab hairpin up in 19.5s (run e0bda0, router management 172.31.255.2)")
	Stage(w, 4, 5, "probes")
	Status(w, "step 1/2: tcp client1 -> router.wan:12566")
	fmt.Fprintln(w, "   1 tcp   client1 -> router.wan:12566: ok (ok)")
	Status(w, "step 2/2: tcp client1 -> server:12566 (try 3, within 20s)")
	fmt.Fprintln(w, "   2 tcp   client1 -> server:12566: ok (ok)")
	fmt.Fprintln(w, "capture: stop the capture of lan on router: exit 1")
	Stage(w, 5, 5, "teardown")
	fmt.Fprintln(w, "kept 3 packet captures in results/x/pcap")
	fmt.Fprintln(w, "lab: container chrlab-e0bda0-dns removed")
	fmt.Fprintln(w, "lab: lab hairpin down in 6.1s")
}

// TestPlainUnchanged: on a writer that is not a terminal, stages and
// statuses print nothing and every line passes as written.
func TestPlainUnchanged(t *testing.T) {
	var b bytes.Buffer
	run(&b)
	golden := filepath.Join("testdata", "plain.golden")
	if *update {
		if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), want) {
		t.Errorf("plain output changed:\n%s\nwant:\n%s", b.Bytes(), want)
	}
	f, err := os.CreateTemp(t.TempDir(), "log")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if w := For(f); w.(nopCloser).Writer != f {
		t.Errorf("For(a file) = %T, want the file itself", w)
	}
}

// screen plays terminal output: \r returns to the line's start, ESC[K
// erases to its end, \n starts a new line.
func screen(out string) []string {
	lines := []string{""}
	col := 0
	for i := 0; i < len(out); {
		cur := []rune(lines[len(lines)-1])
		switch {
		case strings.HasPrefix(out[i:], "\x1b[K"):
			lines[len(lines)-1] = string(cur[:min(col, len(cur))])
			i += 3
			continue
		case out[i] == '\r':
			col = 0
		case out[i] == '\n':
			lines = append(lines, "")
			col = 0
		default:
			r := []rune(out[i:])[0]
			for len(cur) < col {
				cur = append(cur, ' ')
			}
			if col < len(cur) {
				cur[col] = r
			} else {
				cur = append(cur, r)
			}
			lines[len(lines)-1] = string(cur)
			col++
			i += len(string(r))
			continue
		}
		i++
	}
	return lines
}

func TestTerminal(t *testing.T) {
	var b bytes.Buffer
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	term := NewTerminal(&b, func() int { return 60 })
	term.now = func() time.Time { return now }

	Stage(term, 2, 5, "lab up")
	fmt.Fprintln(term, "lab: network lan 192.168.88.0/24 created")
	now = now.Add(3 * time.Second)
	term.Tick()
	got := screen(b.String())
	if len(got) != 1 {
		t.Fatalf("progress lines scrolled: %q", got)
	}
	if !strings.HasPrefix(got[0], "⠙ [2/5 lab up] lab: network lan") || !strings.HasSuffix(got[0], " 3s") {
		t.Errorf("status line %q: want the spinner's next frame, the stage, the line and 3s", got[0])
	}
	if n := len([]rune(got[0])); n > 59 {
		t.Errorf("status line of %d columns on a 60-column screen: %q", n, got[0])
	}

	// A result stays above the status line; progress replaces it.
	fmt.Fprintln(term, "kept 3 packet captures in results/x/pcap")
	Status(term, "step 2/12: tcp client1 -> router.wan:12566 (try 3, within 20s)")
	got = screen(b.String())
	if len(got) != 2 || got[0] != "kept 3 packet captures in results/x/pcap" {
		t.Fatalf("screen %q: want the kept line, then the status", got)
	}
	if !strings.Contains(got[1], "step 2/12") || !strings.HasSuffix(got[1], "… 3s") {
		t.Errorf("status line %q: want the step, cut with … to fit, and the time", got[1])
	}

	// A new stage restarts the clock; teardown lines stay off the screen.
	Stage(term, 5, 5, "teardown")
	fmt.Fprintln(term, "lab: container chrlab-e0bda0-dns removed")
	fmt.Fprintln(term, "lab: lab hairpin down in 6.1s")
	got = screen(b.String())
	if len(got) != 2 || !strings.Contains(got[1], "[5/5 teardown] lab: lab hairpin down") || !strings.HasSuffix(got[1], " 0s") {
		t.Errorf("screen %q: want the teardown on the status line", got)
	}

	// Closing leaves the screen to the table.
	term.Close()
	got = screen(b.String())
	if len(got) != 2 || got[1] != "" {
		t.Errorf("after Close the screen is %q: want the kept line and an empty line", got)
	}
}

// TestTerminalPartialLine: a line written in parts (the image builder's
// dots) shows as it grows.
func TestTerminalPartialLine(t *testing.T) {
	var b bytes.Buffer
	term := NewTerminal(&b, func() int { return 200 })
	fmt.Fprint(term, "images: building host ")
	fmt.Fprint(term, "...")
	got := screen(b.String())
	if len(got) != 1 || !strings.Contains(got[0], "images: building host ...") {
		t.Errorf("screen %q", got)
	}
}
