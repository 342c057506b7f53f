package ros

import (
	"context"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestLoginSilentAPI: an API port that accepts the connection and never
// answers (a router whose emulator hung) fails the login within the
// attempt's two seconds, where go-routeros's synchronous login would wait
// for ever. The control is the same server answering: the login then gets
// past the API and fails at SSH, which nothing serves.
func TestLoginSilentAPI(t *testing.T) {
	for _, answer := range []bool{false, true} {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				go func() {
					defer c.Close()
					buf := make([]byte, 256)
					if _, err := c.Read(buf); err != nil {
						return
					}
					if answer {
						// "!done" as one API sentence: length, word, end.
						_, _ = c.Write(append([]byte{5}, append([]byte("!done"), 0)...))
					}
					time.Sleep(10 * time.Second)
				}()
			}
		}()
		port := ln.Addr().(*net.TCPAddr).Port
		done := make(chan error, 1)
		go func() {
			_, err := dialOnce(context.Background(), Endpoint{Host: "127.0.0.1", APIPort: port, SSHPort: 1, User: "admin"})
			done <- err
		}()
		select {
		case err = <-done:
		case <-time.After(30 * time.Second):
			t.Fatalf("answer %v: the login attempt never returned", answer)
		}
		ln.Close()
		if err == nil {
			t.Fatalf("answer %v: logged in to a fake router", answer)
		}
		if answer != strings.HasPrefix(err.Error(), "log in to SSH") {
			t.Errorf("answer %v: %v", answer, err)
		}
	}
}

// fakeAPI serves the RouterOS API on a local port: every connection's
// login is answered, and each later command gets reply(conn, command),
// the connections numbered from 1; nil means no answer at all.
func fakeAPI(t *testing.T, reply func(conn int, cmd string) [][]string) (port int, conns func() int) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	var mu sync.Mutex
	n := 0
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			n++
			id := n
			mu.Unlock()
			go func() {
				defer c.Close()
				for {
					words, err := readSentence(c)
					if err != nil {
						return
					}
					var out [][]string
					if words[0] == "/login" {
						out = [][]string{{"!done"}}
					} else {
						out = reply(id, words[0])
					}
					for _, s := range out {
						if _, err := c.Write(sentence(s...)); err != nil {
							return
						}
					}
				}
			}()
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port, func() int { mu.Lock(); defer mu.Unlock(); return n }
}

// readSentence reads one API sentence of short words (under 128 bytes).
func readSentence(c net.Conn) ([]string, error) {
	var words []string
	b := make([]byte, 1)
	for {
		if _, err := io.ReadFull(c, b); err != nil {
			return nil, err
		}
		if b[0] == 0 {
			return words, nil
		}
		w := make([]byte, b[0])
		if _, err := io.ReadFull(c, w); err != nil {
			return nil, err
		}
		words = append(words, string(w))
	}
}

func sentence(words ...string) []byte {
	var b []byte
	for _, w := range words {
		b = append(append(b, byte(len(w))), w...)
	}
	return append(b, 0)
}

// TestCutOffCommandRedials: a router that hangs on a command after the
// login. The command is cut off by its context (go-routeros alone would
// wait for ever), and the next command logs in on a new connection and
// reads its own reply, not the late one of the first. The control: a
// refusal of the router (!trap) is an answer, and the connection is kept.
func TestCutOffCommandRedials(t *testing.T) {
	port, conns := fakeAPI(t, func(conn int, cmd string) [][]string {
		switch {
		case cmd == "/system/resource/print":
			return [][]string{{"!trap", "=message=no such command"}, {"!done"}}
		case conn == 1:
			return nil // hangs
		}
		return [][]string{{"!re", "=address=192.0.2.1/24"}, {"!done"}}
	})
	ep := Endpoint{Host: "127.0.0.1", APIPort: port, User: "admin"}
	api, conn, err := dialAPI(context.Background(), ep)
	if err != nil {
		t.Fatal(err)
	}
	c := &Client{ep: ep, api: api, apiConn: conn}
	defer c.api.Close()

	if _, err := c.Run(context.Background(), "/system/resource/print"); err == nil || !strings.Contains(err.Error(), "no such command") {
		t.Fatalf("a !trap reads as %v", err)
	}
	if c.api == nil || conns() != 1 {
		t.Fatalf("a refusal dropped the connection (%d connections)", conns())
	}

	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	start := time.Now()
	_, err = c.Print(ctx, "/ip/address")
	cancel()
	if err == nil || time.Since(start) > 5*time.Second {
		t.Fatalf("the hung command returned %v after %s", err, time.Since(start))
	}

	rows, err := c.Print(context.Background(), "/ip/address")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0]["address"] != "192.0.2.1/24" || conns() != 2 {
		t.Fatalf("after the cut-off: %v on %d connections", rows, conns())
	}
}
