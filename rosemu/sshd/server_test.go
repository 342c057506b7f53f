package sshd

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/chrlab/chrlab/rosemu/auth"
	"github.com/chrlab/chrlab/rosemu/config"
)

// putConsole understands two commands, one per line: ":put <text>" prints
// the text and ":error <text>" fails at run time. Like RouterOS it parses
// the whole source before running any of it, so an unknown command fails
// with no output; "\" at the end of a line continues it.
type putConsole struct {
	mu   sync.Mutex
	srcs []string // every source Run received, in order
}

func (c *putConsole) Run(ctx context.Context, src string) (string, error) {
	c.mu.Lock()
	c.srcs = append(c.srcs, src)
	c.mu.Unlock()

	type command struct {
		verb, arg string
		line, col int
	}
	var cmds []command
	lines := strings.Split(src, "\n")
	for i := 0; i < len(lines); i++ {
		start := i
		text := lines[i]
		for strings.HasSuffix(text, `\`) && i+1 < len(lines) {
			i++
			text = strings.TrimSuffix(text, `\`) + lines[i]
		}
		trimmed := strings.TrimLeft(text, " \t")
		if trimmed == "" {
			continue
		}
		col := len(text) - len(trimmed) + 1
		verb, arg, _ := strings.Cut(trimmed, " ")
		if verb != ":put" && verb != ":error" {
			return "", &config.Error{Msg: "bad command name " + strings.TrimPrefix(verb, ":"), Category: 3, Line: start + 1, Col: col}
		}
		cmds = append(cmds, command{verb, strings.Join(strings.Fields(arg), " "), start + 1, col})
	}
	var out strings.Builder
	for _, c := range cmds {
		if c.verb == ":error" {
			return out.String(), &config.Error{Msg: c.arg, Category: 3, Line: c.line, Col: c.col}
		}
		out.WriteString(c.arg + "\n")
	}
	return out.String(), nil
}

func (c *putConsole) received() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.srcs)
}

// serve runs srv on a loopback listener until the test ends and returns its address.
func serve(t *testing.T, srv *Server) string {
	t.Helper()
	addr, stop := serveUntil(t, srv)
	t.Cleanup(stop)
	return addr
}

// serveUntil runs srv on a loopback listener; stop ends Serve, checks that it
// returned nil and waits for it.
func serveUntil(t *testing.T, srv *Server) (addr string, stop func()) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, l) }()
	return l.Addr().String(), func() {
		cancel()
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
	}
}

func dial(addr, user, password string, hostKey *ssh.PublicKey) (*ssh.Client, error) {
	return ssh.Dial("tcp", addr, &ssh.ClientConfig{
		User: user,
		Auth: []ssh.AuthMethod{ssh.Password(password)},
		HostKeyCallback: func(_ string, _ net.Addr, key ssh.PublicKey) error {
			if hostKey != nil {
				*hostKey = key
			}
			return nil
		},
	})
}

func mustDial(t *testing.T, addr, user, password string) *ssh.Client {
	t.Helper()
	c, err := dial(addr, user, password, nil)
	if err != nil {
		t.Fatalf("dial %s as %q: %v", addr, user, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestAuth(t *testing.T) {
	custom := func(user, password string) bool { return user == "ops" && password == "s3cret" }
	for _, tc := range []struct {
		name           string
		admit          auth.Func
		user, password string
		ok             bool
	}{
		{"default admin empty password", nil, "admin", "", true},
		{"default admin wrong password", nil, "admin", "admin", false},
		{"default unknown user", nil, "root", "", false},
		{"custom user", custom, "ops", "s3cret", true},
		{"custom wrong password", custom, "ops", "s3cre", false},
		{"custom rejects default admin", custom, "admin", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr := serve(t, &Server{Console: &putConsole{}, Auth: tc.admit})
			c, err := dial(addr, tc.user, tc.password, nil)
			if !tc.ok {
				if err == nil {
					c.Close()
					t.Fatalf("login as %q/%q succeeded, want refused", tc.user, tc.password)
				}
				if !strings.Contains(err.Error(), "unable to authenticate") {
					t.Fatalf("login as %q: %v, want an authentication failure", tc.user, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("login as %q: %v", tc.user, err)
			}
			defer c.Close()
			s, err := c.NewSession()
			if err != nil {
				t.Fatalf("open session: %v", err)
			}
			defer s.Close()
			if out, err := s.Output(":put ok"); err != nil || string(out) != "ok\n" {
				t.Fatalf("exec after login: %q, %v", out, err)
			}
		})
	}
}

func TestExec(t *testing.T) {
	con := &putConsole{}
	c := mustDial(t, serve(t, &Server{Console: con}), "admin", "")
	for _, tc := range []struct {
		name, src, want string
		status          int
	}{
		{"one command", ":put hello", "hello\n", 0},
		{"whole script in one run", ":put a\n  :put b\\\n c\n:put d", "a\nb c\nd\n", 0},
		{"parse error", ":put a\n:put b\n  frob x", "bad command name frob (line 3 column 3)\n", 1},
		{"run-time error after output", ":put a\n:error boom", "a\nboom (line 2 column 1)\n", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := c.NewSession()
			if err != nil {
				t.Fatalf("open session: %v", err)
			}
			defer s.Close()
			var stdout, stderr bytes.Buffer
			s.Stdout, s.Stderr = &stdout, &stderr
			err = s.Run(tc.src)
			status := 0
			var ee *ssh.ExitError
			if errors.As(err, &ee) {
				status = ee.ExitStatus()
			} else if err != nil {
				t.Fatalf("exec %q: %v", tc.src, err)
			}
			if status != tc.status || stdout.String() != tc.want || stderr.Len() != 0 {
				t.Fatalf("exec %q: status %d, stdout %q, stderr %q; want status %d, stdout %q",
					tc.src, status, stdout.String(), stderr.String(), tc.status, tc.want)
			}
			if got := con.received(); got[len(got)-1] != tc.src {
				t.Fatalf("console received %q, want the exec text %q", got[len(got)-1], tc.src)
			}
		})
	}
}

// TestShellPlain drives the shell without a terminal, as a script piped
// into ssh does: no echo, "\n" line ends, so the whole output is exact.
func TestShellPlain(t *testing.T) {
	con := &putConsole{}
	c := mustDial(t, serve(t, &Server{Console: con, Identity: func() string { return "lab1" }}), "admin", "")
	s, err := c.NewSession()
	if err != nil {
		t.Fatalf("open session: %v", err)
	}
	defer s.Close()
	s.Stdin = strings.NewReader(":put one\r\n\n:put two \\\n  three\nfrob\nquit\n:put never\n")
	var out bytes.Buffer
	s.Stdout = &out
	if err := s.Shell(); err != nil {
		t.Fatalf("start shell: %v", err)
	}
	if err := s.Wait(); err != nil {
		t.Fatalf("shell ended with %v, want exit status 0", err)
	}
	p := "[admin@lab1] > "
	want := p + "one\n" + p + p + "two three\n" + p + "bad command name frob (line 1 column 1)\n" + p
	if out.String() != want {
		t.Fatalf("shell output\n%q\nwant\n%q", out.String(), want)
	}
	wantSrcs := []string{":put one", ":put two \\\n  three", "frob"}
	if got := con.received(); !slices.Equal(got, wantSrcs) {
		t.Fatalf("console ran %q, want %q (nothing after quit)", got, wantSrcs)
	}
}

// TestShellTerminal drives the shell as an interactive user with a pty:
// typed characters are echoed, backspace edits, output ends lines in "\r\n".
func TestShellTerminal(t *testing.T) {
	con := &putConsole{}
	c := mustDial(t, serve(t, &Server{Console: con}), "admin", "")
	s, err := c.NewSession()
	if err != nil {
		t.Fatalf("open session: %v", err)
	}
	defer s.Close()
	if err := s.RequestPty("xterm", 24, 80, ssh.TerminalModes{}); err != nil {
		t.Fatalf("request pty: %v", err)
	}
	stdin, err := s.StdinPipe()
	if err != nil {
		t.Fatalf("stdin: %v", err)
	}
	stdout, err := s.StdoutPipe()
	if err != nil {
		t.Fatalf("stdout: %v", err)
	}
	if err := s.Shell(); err != nil {
		t.Fatalf("start shell: %v", err)
	}
	const p = "[admin@MikroTik] > "
	// want is the whole transcript: the prompt, then the echo of what is
	// typed below and the console's answers.
	want := p + ":put firsx\b \bt\r\nfirst\r\n" + p + ":put second\r\nsecond\r\n" + p + "/quit\r\n"
	var got strings.Builder
	// readUntil reads the shell's output until it ends with end, failing as
	// soon as it strays from the transcript rather than waiting forever.
	readUntil := func(end string) {
		t.Helper()
		buf := make([]byte, 256)
		for !strings.HasSuffix(got.String(), end) {
			n, err := stdout.Read(buf)
			got.Write(buf[:n])
			if !strings.HasPrefix(want, got.String()) {
				t.Fatalf("terminal output\n%q\nstrays from\n%q", got.String(), want)
			}
			if err != nil {
				t.Fatalf("read shell output %q waiting for %q: %v", got.String(), end, err)
			}
		}
	}
	readUntil(p)
	// "x" and a backspace are typed and erased, an arrow key is ignored.
	io.WriteString(stdin, ":put firsx\x7ft\x1b[A\r")
	readUntil("first\r\n" + p)
	io.WriteString(stdin, ":put second\r")
	readUntil("second\r\n" + p)
	io.WriteString(stdin, "/quit\r")
	if _, err := io.Copy(&got, stdout); err != nil {
		t.Fatalf("read to end of session: %v", err)
	}
	if err := s.Wait(); err != nil {
		t.Fatalf("shell ended with %v, want exit status 0", err)
	}
	if got.String() != want {
		t.Fatalf("terminal output\n%q\nwant\n%q", got.String(), want)
	}
	if srcs := con.received(); !slices.Equal(srcs, []string{":put first", ":put second"}) {
		t.Fatalf("console ran %q, want the two commands", srcs)
	}
}

// TestHostKeyPersisted checks that a restarted server with the same state
// directory presents the same host key, and one with another directory a
// different key.
func TestHostKeyPersisted(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	keyOf := func(stateDir string) ssh.PublicKey {
		t.Helper()
		addr, stop := serveUntil(t, &Server{Console: &putConsole{}, StateDir: stateDir})
		defer stop()
		var key ssh.PublicKey
		c, err := dial(addr, "admin", "", &key)
		if err != nil {
			t.Fatalf("dial: %v", err)
		}
		c.Close()
		return key
	}
	first := keyOf(dir)
	fi, err := os.Stat(filepath.Join(dir, HostKeyFile))
	if err != nil {
		t.Fatalf("host key file: %v", err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("host key file mode %v, want 0600", fi.Mode().Perm())
	}
	if again := keyOf(dir); !bytes.Equal(again.Marshal(), first.Marshal()) {
		t.Fatal("restarted server presented a different host key")
	}
	if other := keyOf(t.TempDir()); bytes.Equal(other.Marshal(), first.Marshal()) {
		t.Fatal("server with another state directory presented the same host key")
	}
}

// TestServeStops checks that ending the context closes open sessions.
func TestServeStops(t *testing.T) {
	addr, stop := serveUntil(t, &Server{Console: &putConsole{}})
	c, err := dial(addr, "admin", "", nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer c.Close()
	stop()
	if _, err := c.NewSession(); err == nil {
		t.Fatal("new session after Serve stopped succeeded, want a closed connection")
	}
}

// TestLoginNote: /system note shows when an interactive session starts
// and, when the router says so, as the banner before the login; a command
// run without a shell (the harness's exec) gets neither, so its output
// stays the command's. Without a note nothing shows (the control).
func TestLoginNote(t *testing.T) {
	for _, c := range []struct{ after, before string }{{"", ""}, {"Authorised use only\nline two", "Keep out"}} {
		var banner string
		srv := &Server{Console: &putConsole{}, Identity: func() string { return "lab1" }, Note: func() (string, string) { return c.after, c.before }}
		addr := serve(t, srv)
		client, err := ssh.Dial("tcp", addr, &ssh.ClientConfig{User: "admin", Auth: []ssh.AuthMethod{ssh.Password("")},
			HostKeyCallback: ssh.InsecureIgnoreHostKey(), BannerCallback: func(m string) error { banner = m; return nil }})
		if err != nil {
			t.Fatal(err)
		}
		s, _ := client.NewSession()
		s.Stdin = strings.NewReader("quit\n")
		var out bytes.Buffer
		s.Stdout = &out
		if err := s.Shell(); err != nil {
			t.Fatal(err)
		}
		_ = s.Wait()
		wantOut := "[admin@lab1] > "
		if c.after != "" {
			wantOut = c.after + "\n" + wantOut
		}
		if out.String() != wantOut {
			t.Errorf("shell %q, want %q", out.String(), wantOut)
		}
		if want := crlf(c.before); banner != want {
			t.Errorf("banner %q, want %q", banner, want)
		}
		e, _ := client.NewSession()
		got, err := e.Output(":put hi")
		if err != nil || strings.Contains(string(got), "Authorised") {
			t.Errorf("exec output %q (%v): the note must not show there", got, err)
		}
		client.Close()
	}
}
