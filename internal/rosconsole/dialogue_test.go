package rosconsole

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// step is one turn of a recorded console: what RouterOS prints (after
// pause), then the exact bytes it waits for. want "" ends the script.
type step struct {
	pause time.Duration
	out   string
	want  string
	// lose drops the first copy of want, as a serial line can.
	lose bool
}

// fakeConsole plays a transcript and fails on any byte the real console
// was not waiting for.
type fakeConsole struct {
	mu       sync.Mutex
	t        *testing.T
	steps    []step
	i        int
	got      string // bytes received for the current step
	pending  []byte
	readyAt  time.Time
	deadline time.Time
	stray    []string
	lost     bool
}

func newFake(t *testing.T, steps ...step) *fakeConsole {
	f := &fakeConsole{t: t, steps: steps}
	f.arm()
	return f
}

func (f *fakeConsole) arm() {
	if f.i < len(f.steps) {
		f.pending = append(f.pending, f.steps[f.i].out...)
		f.readyAt = time.Now().Add(f.steps[f.i].pause)
	}
}

func (f *fakeConsole) SetReadDeadline(t time.Time) error {
	f.mu.Lock()
	f.deadline = t
	f.mu.Unlock()
	return nil
}

type timeoutErr struct{}

func (timeoutErr) Error() string { return "i/o timeout" }
func (timeoutErr) Timeout() bool { return true }

func (f *fakeConsole) Read(b []byte) (int, error) {
	for {
		f.mu.Lock()
		if len(f.pending) > 0 && !time.Now().Before(f.readyAt) {
			n := copy(b, f.pending)
			f.pending = f.pending[n:]
			f.mu.Unlock()
			return n, nil
		}
		dl := f.deadline
		f.mu.Unlock()
		if !dl.IsZero() && time.Now().After(dl) {
			return 0, timeoutErr{}
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func (f *fakeConsole) Write(b []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range b {
		if f.i >= len(f.steps) || f.steps[f.i].want == "" {
			f.stray = append(f.stray, fmt.Sprintf("%q after the script ended", c))
			continue
		}
		st := f.steps[f.i]
		next := f.got + string(c)
		if !strings.HasPrefix(st.want, next) {
			f.stray = append(f.stray, fmt.Sprintf("%q at step %d (console showed %q, waited for %q)", c, f.i, tail(st.out), st.want))
			continue
		}
		f.got = next
		if f.got == st.want {
			f.got = ""
			if st.lose && !f.lost {
				f.lost = true
				continue
			}
			f.i++
			f.arm()
		}
	}
	return len(b), nil
}

func tail(s string) string {
	if len(s) > 40 {
		return s[len(s)-40:]
	}
	return s
}

const logo = "\r\n\r\n\r\n  MMM      MMM       KKK                          TTTTTTTTTTT      KKK\r\n  MikroTik RouterOS %s (c) 1999-2026       https://www.mikrotik.com/\r\n\r\n"

// Transcripts typed from the public recordings (vrnetlab's 6.45.9 serial
// log, the 6.49 nag, a 7.16 CHR, tik4net's 7.23.2 bytes).
var transcripts = map[string][]step{
	"6.45": {
		{out: "\r\n\r\nMikroTik 6.45.9 (long-term)\r\nMikroTik Login: ", want: "admin+ct\r"},
		{out: "admin+ct\r\nPassword: ", want: "\r"},
		{out: "\r\n" + fmt.Sprintf(logo, "6.45.9") + "\r\nDo you want to see the software license? [Y/n]: ", want: "n\r"},
		{out: "n\r\n\r\nPress F1 for help\r\n\r\n[admin@MikroTik] > "},
	},
	"6.49": {
		{out: "\r\nMikroTik 6.49.18 (long-term)\r\nMikroTik Login: ", want: "admin+ct\r"},
		{out: "admin+ct\r\nPassword: ", want: "\r"},
		{out: "\r\n" + fmt.Sprintf(logo, "6.49.18") + "Do you want to see the software license? [Y/n]: ", want: "n\r"},
		{out: "n\r\n\r\nChange your password\r\nnew password> ", want: "\x03"},
		{out: "\r\n\r\n[admin@MikroTik] > "},
	},
	"7.16": {
		{out: "MikroTik 7.16.2 (stable)\r\nMikroTik Login: ", want: "admin+ct\r"},
		{out: "admin+ct\r\nPassword: ", want: "\r"},
		{out: "\r\n" + fmt.Sprintf(logo, "7.16.2") + "Do you want to see the software license? [Y/n]: ", want: "n\r"},
		{out: "n\r\n\r\nPress F1 for help\r\n\r\nChange your password (Ctrl-C to skip)\r\nnew password> ", want: "\x03"},
		{out: "\r\n\r\n[admin@MikroTik] > "},
	},
	"7.23": {
		{out: "CHR Login: ", want: "admin+ct\r"},
		{out: "admin+ct\r\nPassword: ", want: "\r"},
		{out: strings.Repeat("\r\n", 26) + fmt.Sprintf(logo, "7.23.2") + "Do you want to see the software license? [Y/n]: ", want: "n\r"},
		{out: "n\r\nPress F1 for help\r\n\r\x1b[9999B\r\x1b[9999B\r\n\r\n\r\nChange your password (Ctrl-C to skip)\r\n\r\r\r\x1b[9999Bnew password> \rnew password> ", want: "\x03"},
		{out: "\r\n\r\r\r\r\x1b[9999B[admin@CHR] > "},
	},
	// A console that probes the terminal (a login without +t, or an older
	// build) and, unanswered, stalls before it goes on; the nag repaints
	// after a pause longer than a poke. Nothing may be sent meanwhile.
	"probe and stall": {
		{out: "MikroTik Login: ", want: "admin+ct\r"},
		{out: "admin+ct\r\nPassword: ", want: "\r"},
		{out: "\r\n\x1bZ\x1b[9999C\x1b[9999B\x1b[6n"},
		{pause: 300 * time.Millisecond, out: fmt.Sprintf(logo, "7.16.2") + "Do you want to see the software license? [Y/n]: ", want: "n\r"},
		{out: "n\r\nChange your password (Ctrl-C to skip)\r\nnew password> ", want: "\x03"},
		{pause: 250 * time.Millisecond, out: "\r\n[admin@MikroTik] > "},
	},
	// The first Ctrl-C is lost: the nag stays; only Ctrl-C is sent again.
	"lost ctrl-c": {
		{out: "MikroTik Login: ", want: "admin+ct\r"},
		{out: "admin+ct\r\nPassword: ", want: "\r"},
		{out: "\r\nChange your password (Ctrl-C to skip)\r\nnew password> ", want: "\x03", lose: true},
		{out: "\r\n[admin@MikroTik] > "},
	},
	// A session left logged in: silence until poked.
	"logged in": {
		{want: "\r"},
		{out: "\r\n[admin@MikroTik] > "},
	},
}

func fixSteps(steps []step) []step {
	// A step without want but followed by others waits for nothing: merge
	// its output into the next step.
	var out []step
	for i := 0; i < len(steps); i++ {
		s := steps[i]
		if s.want == "" && i+1 < len(steps) && s.out != "" {
			n := steps[i+1]
			n.out = s.out + n.out
			if n.pause < s.pause {
				n.pause = s.pause
			}
			steps[i+1] = n
			continue
		}
		out = append(out, s)
	}
	return out
}

func TestLoginTranscripts(t *testing.T) {
	for name, steps := range transcripts {
		t.Run(name, func(t *testing.T) {
			f := newFake(t, fixSteps(append([]step(nil), steps...))...)
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			var tr strings.Builder
			err := Login(ctx, f, Options{Poke: 100 * time.Millisecond, Transcript: &tr})
			if err != nil {
				t.Fatalf("Login: %v\ntranscript: %q", err, tr.String())
			}
			if len(f.stray) > 0 {
				t.Errorf("bytes the console did not ask for: %v\ntranscript: %q", f.stray, tr.String())
			}
			if f.i != len(f.steps)-1 {
				t.Errorf("stopped at step %d of %d", f.i, len(f.steps))
			}
		})
	}
}

// Negative control: a console whose admin has a password fails, quoting
// it, rather than retrying forever; one that never answers fails at the
// deadline with what it last showed.
func TestLoginFailures(t *testing.T) {
	f := newFake(t,
		step{out: "MikroTik Login: ", want: "admin+ct\r"},
		step{out: "admin+ct\r\nPassword: ", want: "\r"},
		step{out: "\r\nLogin failed, incorrect username or password\r\n\r\nMikroTik Login: "})
	err := Login(context.Background(), f, Options{Poke: 50 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "Login failed") {
		t.Errorf("wrong password: %v", err)
	}
	mute := newFake(t, step{out: "SeaBIOS (version 1.16.2)\r\nNo bootable device.", want: "never"})
	ctx, cancel := context.WithTimeout(context.Background(), 400*time.Millisecond)
	defer cancel()
	err = Login(ctx, mute, Options{Poke: 100 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "No bootable device") {
		t.Errorf("a guest that never boots: %v", err)
	}
}

// Run types each line and returns the output up to the next prompt.
func TestRunTypesLines(t *testing.T) {
	f := newFake(t,
		step{out: "MikroTik Login: ", want: "admin+ct\r"},
		step{out: "admin+ct\r\nPassword: ", want: "\r"},
		step{out: "\r\n[admin@MikroTik] > ", want: ":put hello\r"},
		step{out: ":put hello\r\nhello\r\n[admin@MikroTik] > "})
	out, err := Run(context.Background(), f, Options{Poke: 50 * time.Millisecond}, ":put hello")
	if err != nil || !strings.Contains(out, "hello\r\n") {
		t.Fatalf("Run = %q, %v", out, err)
	}
	if len(f.stray) > 0 {
		t.Errorf("stray bytes: %v", f.stray)
	}
	_ = os.Stderr
}

// The fake itself catches a stray byte at "new password>": the check the
// transcript tests rely on can fail.
func TestFakeCatchesStrayByte(t *testing.T) {
	f := newFake(t, step{out: "new password> ", want: "\x03"}, step{out: "[admin@MikroTik] > "})
	_, _ = f.Write([]byte("\r"))
	if len(f.stray) != 1 {
		t.Errorf("stray = %v", f.stray)
	}
}
