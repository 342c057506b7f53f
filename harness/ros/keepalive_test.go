package ros_test

import (
	"errors"
	"io"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/chrlab/chrlab/harness/ros"
	"github.com/chrlab/chrlab/rosemu/config"
)

// cuttable relays TCP to target until cut, after which it drops every
// byte without closing either side: a management path whose port was
// taken into a bridge neither answers nor resets.
type cuttable struct {
	mu  sync.Mutex
	cut bool
}

func (c *cuttable) pipe(dst io.Writer, src io.Reader) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if err != nil {
			return
		}
		c.mu.Lock()
		dead := c.cut
		c.mu.Unlock()
		if !dead {
			dst.Write(buf[:n])
		}
	}
}

func (c *cuttable) relay(t *testing.T, target string) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			in, err := l.Accept()
			if err != nil {
				return
			}
			out, err := net.Dial("tcp", target)
			if err != nil {
				in.Close()
				continue
			}
			t.Cleanup(func() { in.Close(); out.Close() })
			go c.pipe(out, in)
			go c.pipe(in, out)
		}
	}()
	_, p, _ := net.SplitHostPort(l.Addr().String())
	n, _ := strconv.Atoi(p)
	return n
}

// TestConsoleManagementLost: a 03-style script bridged the lab router's
// management port in the middle of the configuration; the SSH command then
// never ended and chrlab check hung until killed. The client now notices
// the unanswered keepalives and says the management path was lost.
func TestConsoleManagementLost(t *testing.T) {
	defer ros.SetKeepalive(100*time.Millisecond, 600*time.Millisecond)()
	r := config.New(config.Options{Ports: []string{"ether1"}})
	ep := serve(t, r)
	var cut cuttable
	ep.SSHPort = cut.relay(t, net.JoinHostPort(ep.Host, strconv.Itoa(ep.SSHPort)))
	c, err := ros.Dial(t.Context(), ep, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// A long command on a live path is no lost path.
	if _, err := c.Console(t.Context(), ":delay 1500ms"); err != nil {
		t.Fatalf("a 1.5 s command on a live path: %v", err)
	}
	go func() {
		time.Sleep(300 * time.Millisecond)
		cut.mu.Lock()
		cut.cut = true
		cut.mu.Unlock()
	}()
	res := make(chan error, 1)
	go func() {
		_, err := c.Console(t.Context(), ":delay 1s\n/system identity set name=after")
		res <- err
	}()
	select {
	case err := <-res:
		if !errors.Is(err, ros.ErrManagementLost) {
			t.Fatalf("err = %v, want ErrManagementLost", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Console still waits 10 s after the management path was cut")
	}
}
