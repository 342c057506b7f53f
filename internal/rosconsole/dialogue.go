// Package rosconsole drives the serial console of a fresh RouterOS (CHR)
// to its prompt and types commands there: the fallback when a CHR image
// did not provision itself through rw/autorun.scr.
//
// The dialogue, as public transcripts of 6.45 to 7.24 show it:
//
//	<identity> Login:          admin+ct   ("c": no colours, "t": no terminal probe)
//	Password:                  (empty)
//	Do you want to see the software license? [Y/n]:   n   (x86, first login)
//	Change your password (Ctrl-C to skip) / new password>   Ctrl-C   (6.49 and later)
//	[admin@<identity>] >       the prompt
//
// Only "\r" ends a line (a serial console reads "\r\n" as two), and nothing
// but Ctrl-C is ever sent at "new password>": any other byte would start a
// password. Terminal probes (ESC Z, ESC [6n) are not answered: with +t
// RouterOS sends none, and an older one that does goes on without an
// answer after a pause.
package rosconsole

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
)

// Conn is the serial console: bytes from the router and to it. Read must
// return when the deadline set by SetReadDeadline passes.
type Conn interface {
	io.ReadWriter
	SetReadDeadline(t time.Time) error
}

// Options tunes the dialogue.
type Options struct {
	User string // default "admin"
	// Poke is how long to wait for output before sending "\r" to make the
	// console repaint its login prompt (it may have printed it before the
	// harness connected); default 2 s.
	Poke time.Duration
	// Transcript, when set, receives every byte both ways, the sent bytes
	// marked «like this».
	Transcript io.Writer
}

var (
	ansi = regexp.MustCompile(`\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-Z\\-_]`)
	// The prompt: [admin@MikroTik] > , [admin@CHR] <SAFE> > is safe mode.
	prompt = regexp.MustCompile(`\[[^\[\]@\s]+@[^\[\]]+\] (<SAFE> )?> $`)
)

// state is what the console last asked for.
type state int

const (
	stUnknown state = iota
	stLogin
	stPassword
	stLicence
	stNewPassword
	stPrompt
	stFailed
)

// classify reads the tail of the console's output (escapes removed).
func classify(tail string) state {
	t := strings.TrimRight(tail, " ")
	switch {
	case prompt.MatchString(tail):
		return stPrompt
	case strings.Contains(tail, "Login failed"):
		return stFailed
	case strings.HasSuffix(t, "new password>"):
		// "repeat new password>" too: Ctrl-C leaves either.
		return stNewPassword
	case strings.HasSuffix(t, "[Y/n]:"):
		return stLicence
	case strings.HasSuffix(t, "Password:"):
		return stPassword
	case strings.HasSuffix(t, "Login:"):
		return stLogin
	}
	return stUnknown
}

// Login drives the console to its prompt within ctx's deadline.
func Login(ctx context.Context, c Conn, o Options) error {
	d := newDriver(c, o)
	return d.login(ctx)
}

// Run logs in and types each line, waiting for the prompt after each one,
// and returns what the console printed after the login.
func Run(ctx context.Context, c Conn, o Options, lines ...string) (string, error) {
	d := newDriver(c, o)
	if err := d.login(ctx); err != nil {
		return "", err
	}
	var out strings.Builder
	for _, l := range lines {
		if strings.ContainsAny(l, "\r\n") {
			return out.String(), fmt.Errorf("type %q on the console: one line at a time", l)
		}
		d.buf.Reset()
		if err := d.send(l + "\r"); err != nil {
			return out.String(), err
		}
		if err := d.until(ctx, stPrompt); err != nil {
			return out.String() + d.clean(), fmt.Errorf("type %q on the console: %w", l, err)
		}
		out.WriteString(d.clean())
	}
	return out.String(), nil
}

type driver struct {
	c   Conn
	o   Options
	buf bytes.Buffer // output since the last thing sent
}

func newDriver(c Conn, o Options) *driver {
	if o.User == "" {
		o.User = "admin"
	}
	if o.Poke == 0 {
		o.Poke = 2 * time.Second
	}
	return &driver{c: c, o: o}
}

func (d *driver) send(s string) error {
	if d.o.Transcript != nil {
		fmt.Fprintf(d.o.Transcript, "«%q»", s)
	}
	_, err := io.WriteString(d.c, s)
	if err != nil {
		return fmt.Errorf("write to the console: %w", err)
	}
	return nil
}

// clean is the output since the last send with escapes removed.
func (d *driver) clean() string { return ansi.ReplaceAllString(d.buf.String(), "") }

// read reads what arrives within wait; false when nothing did.
func (d *driver) read(ctx context.Context, wait time.Duration) (bool, error) {
	dl := time.Now().Add(wait)
	if cd, ok := ctx.Deadline(); ok && cd.Before(dl) {
		dl = cd
	}
	_ = d.c.SetReadDeadline(dl)
	b := make([]byte, 4096)
	n, err := d.c.Read(b)
	if n > 0 {
		d.buf.Write(b[:n])
		if d.o.Transcript != nil {
			d.o.Transcript.Write(b[:n])
		}
	}
	if err != nil && !isTimeout(err) {
		return n > 0, fmt.Errorf("read the console: %w", err)
	}
	return n > 0, nil
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

func (d *driver) login(ctx context.Context) error {
	started := false   // the console has asked for something
	sentCtrlC := false // Ctrl-C sent at the current nag
	silent := 0        // poke intervals without output
	for {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("log in on the console: %w; it last showed %q", err, lastLine(d.clean()))
		}
		got, err := d.read(ctx, d.o.Poke)
		if err != nil {
			return err
		}
		st := classify(d.clean())
		if got {
			silent = 0
		} else {
			silent++
		}
		if !got {
			switch {
			case st == stUnknown && !started:
				// Silence before any question: the login prompt was printed
				// before we listened, or a session is already logged in; a
				// bare "\r" makes either repaint. Once the dialogue runs, a
				// poke could answer a question (the licence's default is Y)
				// or start a password, so silence is waited out.
				if err := d.send("\r"); err != nil {
					return err
				}
			case sentCtrlC && d.buf.Len() == 0 && silent >= 3:
				// Nothing at all since the Ctrl-C for three poke
				// intervals: it was lost, and the nag still waits. Send it
				// again, and only it.
				silent = 0
				d.buf.Reset()
				if err := d.send("\x03"); err != nil {
					return err
				}
			}
			continue
		}
		var reply string
		switch st {
		case stPrompt:
			d.buf.Reset()
			return nil
		case stFailed:
			return fmt.Errorf("log in on the console as %s with an empty password: %q (the password was changed?)", d.o.User, lineWith(d.clean(), "Login failed"))
		case stLogin:
			reply = d.o.User + "+ct\r"
		case stPassword:
			reply = "\r"
		case stLicence:
			reply = "n\r"
		case stNewPassword:
			if sentCtrlC {
				// RouterOS paints the nag twice; the Ctrl-C already sent
				// skips it.
				continue
			}
			reply, sentCtrlC = "\x03", true
		default:
			continue
		}
		started = true
		if st != stNewPassword {
			sentCtrlC = false
		}
		d.buf.Reset()
		if err := d.send(reply); err != nil {
			return err
		}
	}
}

// until reads until the console shows want.
func (d *driver) until(ctx context.Context, want state) error {
	for {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("%w; the console last showed %q", err, lastLine(d.clean()))
		}
		if _, err := d.read(ctx, d.o.Poke); err != nil {
			return err
		}
		if classify(d.clean()) == want {
			return nil
		}
	}
}

func lastLine(s string) string {
	s = strings.TrimRight(s, "\r\n ")
	if i := strings.LastIndexAny(s, "\r\n"); i >= 0 {
		s = s[i+1:]
	}
	return s
}

func lineWith(s, sub string) string {
	for _, l := range strings.FieldsFunc(s, func(r rune) bool { return r == '\r' || r == '\n' }) {
		if strings.Contains(l, sub) {
			return l
		}
	}
	return lastLine(s)
}
