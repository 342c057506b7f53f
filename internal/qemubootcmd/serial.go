package qemubootcmd

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"time"
)

// serial is the guest's serial console, reached through QEMU's socket
// chardev: everything the guest prints goes to the mirror (qemuboot's log
// and the timings), and a tap lets the console dialogue read and type.
type serial struct {
	conn net.Conn

	mu      sync.Mutex
	tapping bool
	buf     bytes.Buffer
	notify  chan struct{}
	closed  bool
}

// dialSerial connects to QEMU's console socket, which QEMU creates as it
// starts and which holds the guest until a client connects (wait=on).
func dialSerial(path string, within time.Duration) (*serial, error) {
	deadline := time.Now().Add(within)
	for {
		c, err := net.Dial("unix", path)
		if err == nil {
			return &serial{conn: c, notify: make(chan struct{}, 1)}, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("connect to QEMU's serial console %s: %w", path, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// pump copies the console into mirror (and the tap when one is open) until
// QEMU closes it.
func (s *serial) pump(mirror io.Writer) {
	b := make([]byte, 4096)
	for {
		n, err := s.conn.Read(b)
		if n > 0 {
			_, _ = mirror.Write(b[:n])
			s.mu.Lock()
			if s.tapping {
				s.buf.Write(b[:n])
				select {
				case s.notify <- struct{}{}:
				default:
				}
			}
			s.mu.Unlock()
		}
		if err != nil {
			s.mu.Lock()
			s.closed = true
			s.mu.Unlock()
			select {
			case s.notify <- struct{}{}:
			default:
			}
			return
		}
	}
}

// tap is the console as the dialogue sees it (rosconsole.Conn).
type tap struct {
	s        *serial
	deadline time.Time
}

func (s *serial) openTap() *tap {
	s.mu.Lock()
	s.tapping = true
	s.mu.Unlock()
	return &tap{s: s}
}

func (t *tap) SetReadDeadline(d time.Time) error { t.deadline = d; return nil }

func (t *tap) Write(b []byte) (int, error) { return t.s.conn.Write(b) }

func (t *tap) Read(b []byte) (int, error) {
	for {
		t.s.mu.Lock()
		if t.s.buf.Len() > 0 {
			n, _ := t.s.buf.Read(b)
			t.s.mu.Unlock()
			return n, nil
		}
		closed := t.s.closed
		t.s.mu.Unlock()
		if closed {
			return 0, io.EOF
		}
		var timer <-chan time.Time
		if !t.deadline.IsZero() {
			d := time.Until(t.deadline)
			if d <= 0 {
				return 0, os.ErrDeadlineExceeded
			}
			timer = time.After(d)
		}
		select {
		case <-t.s.notify:
		case <-timer:
			return 0, os.ErrDeadlineExceeded
		}
	}
}

var errNoAnswer = errors.New("no API reply")
