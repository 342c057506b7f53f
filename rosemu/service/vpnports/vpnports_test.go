package vpnports

import (
	"context"
	"errors"
	"net"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/config"
)

type engine struct {
	mu sync.Mutex
	ls []config.StoredListener
}

func (e *engine) VPNListeners() []config.StoredListener {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.ls
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	pc, err := net.ListenPacket("udp", l.Addr().String())
	if err != nil {
		t.Skip("no port free for both TCP and UDP")
	}
	pc.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// udpRefused sends a datagram to port and says whether the kernel
// answered port unreachable (ECONNREFUSED on the connected socket).
func udpRefused(t *testing.T, port int) bool {
	c, err := net.Dial("udp", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Write([]byte("not l2tp"))
	c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	_, err = c.Read(make([]byte, 16))
	return errors.Is(err, syscall.ECONNREFUSED)
}

// TestBindsEnabledServers: a TCP port of an enabled server accepts and
// holds the connection, a UDP one draws no port unreachable; once the
// server is gone from the configuration both are closed again (the
// control, and what they were before).
func TestBindsEnabledServers(t *testing.T) {
	tp, up := freePort(t), freePort(t)
	if !udpRefused(t, up) {
		t.Skip("the kernel does not report port unreachable on loopback here")
	}
	e := &engine{ls: []config.StoredListener{{Path: "/interface pptp-server server", Proto: "tcp", Port: tp}, {Path: "/interface l2tp-server server", Proto: "udp", Port: up}}}
	m := &Manager{Host: "127.0.0.1"}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { m.Run(ctx, e); close(done) }()
	defer func() { cancel(); <-done }()

	var c net.Conn
	var err error
	for i := 0; i < 50; i++ {
		if c, err = net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(tp)); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("TCP port of an enabled server: %v", err)
	}
	c.Write([]byte("hello"))
	c.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	if _, err := c.Read(make([]byte, 8)); !errors.Is(err, syscall.ETIMEDOUT) && !isTimeout(err) {
		t.Errorf("held connection read: %v, want a timeout (held open, no answer)", err)
	}
	c.Close()
	if udpRefused(t, up) {
		t.Error("UDP port of an enabled server answered port unreachable")
	}

	e.mu.Lock()
	e.ls = nil
	e.mu.Unlock()
	m.Wake()
	for i := 0; i < 50; i++ {
		if c, err = net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(tp)); err != nil {
			break
		}
		c.Close()
		time.Sleep(20 * time.Millisecond)
	}
	if err == nil {
		t.Error("TCP port still open after the server went")
	}
	if !udpRefused(t, up) {
		t.Error("UDP port still bound after the server went")
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
