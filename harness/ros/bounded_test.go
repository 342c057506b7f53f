package ros

import (
	"context"
	"net"
	"strings"
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
