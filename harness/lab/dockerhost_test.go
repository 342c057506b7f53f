package lab

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"
)

// TestDockerHostSilent: a DOCKER_HOST whose engine does not answer fails
// with its name, rather than falling back to the local socket (issue 13).
func TestDockerHostSilent(t *testing.T) {
	// An engine that accepts connections and never answers.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	// A port nobody listens on.
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := closed.Addr().String()
	closed.Close()
	for _, host := range []string{"tcp://" + ln.Addr().String(), "tcp://" + refused} {
		t.Setenv("DOCKER_HOST", host)
		start := time.Now()
		c, err := newDockerClient(context.Background())
		if err == nil {
			c.Close()
			t.Errorf("DOCKER_HOST=%s: connected, want an error naming it", host)
			continue
		}
		if !strings.Contains(err.Error(), "DOCKER_HOST="+host) {
			t.Errorf("DOCKER_HOST=%s: error %q does not name it", host, err)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("DOCKER_HOST=%s: took %v to fail", host, d)
		}
	}
}
