package sshd

import (
	"context"
	"errors"
	"io"
	"net"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

// slowConsole is putConsole plus two commands a client can walk away from:
// ":block" runs until its context ends (a long :delay or ping on RouterOS)
// and ":big" prints 8 MiB, four times the window a client grants before it
// reads.
type slowConsole struct {
	putConsole
	blocked, cancelled atomic.Int32
}

func (c *slowConsole) Run(ctx context.Context, src string) (string, error) {
	switch strings.TrimSpace(src) {
	case ":block":
		c.blocked.Add(1)
		<-ctx.Done()
		c.cancelled.Add(1)
		return "", ctx.Err()
	case ":big":
		return strings.Repeat(strings.Repeat("x", 1023)+"\n", 8<<10), nil
	}
	return c.putConsole.Run(ctx, src)
}

// TestAbruptClientsLeakNothing (sm61): SSH clients that go away at every
// stage (before or in the handshake, during the password exchange, with a
// command running, with output they never read, with their sending half
// closed, with a session channel closed under a running command) leave no
// goroutine of the server behind, every command they started is cancelled,
// and the router answers a fresh client afterwards.
func TestAbruptClientsLeakNothing(t *testing.T) {
	console := &slowConsole{}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	base := runtime.NumGoroutine()
	served := make(chan error, 1)
	go func() { served <- (&Server{Console: console}).Serve(ctx, l) }()

	// session opens a session on a fresh client, runs cmd and returns both
	// once the console has started it (wait) or at once.
	session := func(t *testing.T, cmd string, wait bool) (*ssh.Client, *ssh.Session) {
		t.Helper()
		c := mustDial(t, addr, "admin", "")
		s, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		before := console.blocked.Load()
		if err := s.Start(cmd); err != nil {
			t.Fatal(err)
		}
		for wait && console.blocked.Load() == before {
			time.Sleep(5 * time.Millisecond)
		}
		return c, s
	}
	kinds := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"closed before the version line", sayAndClose(addr, "")},
		{"closed after its version line", sayAndClose(addr, "SSH-2.0-abrupt\r\n")},
		// A packet header announcing 1000 bytes, and then 3 of them.
		{"closed in the key exchange", sayAndClose(addr, "SSH-2.0-abrupt\r\n\x00\x00\x03\xe8\x04\x14ab")},
		{"closed while the server checks its password", func(t *testing.T) {
			raw, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			cfg := &ssh.ClientConfig{
				User: "admin",
				Auth: []ssh.AuthMethod{ssh.PasswordCallback(func() (string, error) {
					raw.Close()
					return "", errors.New("gone")
				})},
				HostKeyCallback: ssh.InsecureIgnoreHostKey(),
			}
			if _, _, _, err := ssh.NewClientConn(raw, addr, cfg); err == nil {
				t.Fatal("the login succeeded on a closed connection")
			}
		}},
		{"closed with a command running", func(t *testing.T) {
			c, _ := session(t, ":block", true)
			c.Close()
		}},
		{"closed with 8 MiB of output unread", func(t *testing.T) {
			c, _ := session(t, ":big", false)
			time.Sleep(100 * time.Millisecond) // the server fills the window
			c.Close()
		}},
		{"closed its sending half in a shell", func(t *testing.T) {
			raw, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			sc, chans, reqs, err := ssh.NewClientConn(raw, addr, &ssh.ClientConfig{User: "admin", Auth: []ssh.AuthMethod{ssh.Password("")}, HostKeyCallback: ssh.InsecureIgnoreHostKey()})
			if err != nil {
				t.Fatal(err)
			}
			c := ssh.NewClient(sc, chans, reqs)
			s, err := c.NewSession()
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Shell(); err != nil {
				t.Fatal(err)
			}
			raw.(*net.TCPConn).CloseWrite()
			// The server sees the end of the connection and closes it.
			done := make(chan error, 1)
			go func() { done <- c.Wait() }()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Error("the server kept a half-closed connection open for 10 s")
			}
			c.Close()
		}},
		{"closed its session under a running command", func(t *testing.T) {
			c, s := session(t, ":block", true)
			before := console.cancelled.Load()
			s.Close()
			deadline := time.Now().Add(10 * time.Second)
			for console.cancelled.Load() == before && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			if console.cancelled.Load() == before {
				t.Error("the command ran on 10 s after the client closed its session")
			}
			c.Close()
		}},
	}
	for _, k := range kinds {
		t.Run(k.name, k.run)
	}

	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > base+1 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > base+1 {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines 10 s after the clients went away; want at most %d (Serve's own):\n%s", n, base+1, buf[:runtime.Stack(buf, true)])
	}
	if b, c := console.blocked.Load(), console.cancelled.Load(); b != c {
		t.Errorf("%d commands of clients gone still run (%d started, %d cancelled)", b-c, b, c)
	}
	c := mustDial(t, addr, "admin", "")
	s, err := c.NewSession()
	if err != nil {
		t.Fatalf("a fresh client after the abrupt ones: %v", err)
	}
	out, err := s.Output(":put alive")
	if err != nil || string(out) != "alive\n" {
		t.Errorf("a fresh client after the abrupt ones: %q, %v", out, err)
	}
	c.Close()
	cancel()
	if err := <-served; err != nil {
		t.Errorf("Serve: %v", err)
	}
}

// sayAndClose is a client that connects, sends said and closes.
func sayAndClose(addr, said string) func(t *testing.T) {
	return func(t *testing.T) {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(c, said)
		c.Close()
	}
}

// TestSilentClientDropped (sm61): a client that connects and stops talking,
// before its version line or in the middle of the key exchange, is
// disconnected after LoginTimeout. Its handshake held a goroutine and a
// descriptor for as long as the router ran: a client gone without a FIN
// never ends a read. Control: a client that logs in in time keeps its
// connection past the timeout.
func TestSilentClientDropped(t *testing.T) {
	const timeout = 500 * time.Millisecond
	addr := serve(t, &Server{Console: &putConsole{}, LoginTimeout: timeout})
	for name, said := range map[string]string{
		"says nothing":                  "",
		"stops after its version line":  "SSH-2.0-silent\r\n",
		"stops in its first packet":     "SSH-2.0-silent\r\n\x00\x00\x03\xe8\x04\x14ab",
		"stops in the middle of a line": "SSH-2.0-sil",
	} {
		t.Run(name, func(t *testing.T) {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			io.WriteString(c, said)
			start := time.Now()
			c.SetReadDeadline(start.Add(10 * time.Second))
			_, err = io.Copy(io.Discard, c)
			if err != nil {
				t.Fatalf("the server kept a client that %s for %v: %v", name, time.Since(start).Round(time.Millisecond), err)
			}
			t.Logf("disconnected after %v", time.Since(start).Round(time.Millisecond))
		})
	}
	c := mustDial(t, addr, "admin", "")
	time.Sleep(2 * timeout)
	s, err := c.NewSession()
	if err != nil {
		t.Fatalf("a client logged in is dropped after LoginTimeout: %v", err)
	}
	if out, err := s.Output(":put still"); err != nil || string(out) != "still\n" {
		t.Errorf("exec after LoginTimeout: %q, %v", out, err)
	}
}
