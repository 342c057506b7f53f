package pppoe

import (
	"errors"
	"net"
	"sync"
)

// Frame is an Ethernet frame of one of the two PPPoE types.
type Frame struct {
	Dst, Src net.HardwareAddr
	Type     uint16
	Payload  []byte
}

var broadcast = net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}

// Link carries PPPoE frames on one Ethernet port. Recv blocks until a
// frame arrives or the link is closed.
type Link interface {
	Send(Frame) error
	Recv() (Frame, error)
	HardwareAddr() net.HardwareAddr
	Close() error
}

// ErrLinkClosed is returned by a closed link.
var ErrLinkClosed = errors.New("link closed")

// memLink is one end of an in-memory Ethernet segment, for tests.
type memLink struct {
	mac  net.HardwareAddr
	in   chan Frame
	peer *memLink
	// Drop, when set, decides whether a frame this end sends is lost.
	drop func(Frame) bool
	once sync.Once
	done chan struct{}
}

// Pipe returns the two ends of an in-memory Ethernet segment.
func Pipe(a, b net.HardwareAddr) (Link, Link) {
	x := &memLink{mac: a, in: make(chan Frame, 256), done: make(chan struct{})}
	y := &memLink{mac: b, in: make(chan Frame, 256), done: make(chan struct{})}
	x.peer, y.peer = y, x
	return x, y
}

func (m *memLink) HardwareAddr() net.HardwareAddr { return m.mac }

func (m *memLink) Send(f Frame) error {
	select {
	case <-m.done:
		return ErrLinkClosed
	default:
	}
	if m.drop != nil && m.drop(f) {
		return nil
	}
	f.Payload = append([]byte(nil), f.Payload...)
	select {
	case m.peer.in <- f:
	case <-m.peer.done:
	default: // a full queue loses the frame, as a port would
	}
	return nil
}

func (m *memLink) Recv() (Frame, error) {
	select {
	case f := <-m.in:
		return f, nil
	case <-m.done:
		return Frame{}, ErrLinkClosed
	}
}

func (m *memLink) Close() error {
	m.once.Do(func() { close(m.done) })
	return nil
}
