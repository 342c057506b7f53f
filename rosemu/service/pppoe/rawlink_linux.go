package pppoe

import (
	"fmt"
	"net"
	"sync"

	"github.com/mdlayher/packet"
)

// rawLink is a Link on a real port: one AF_PACKET datagram socket per
// PPPoE Ethernet type, so the kernel filters everything else out.
type rawLink struct {
	ifi   *net.Interface
	disc  *packet.Conn
	sess  *packet.Conn
	in    chan Frame
	done  chan struct{}
	once  sync.Once
	errMu sync.Mutex
	err   error
}

// OpenLink opens the PPPoE link on the named Ethernet interface of the
// current network namespace.
func OpenLink(name string) (Link, error) {
	ifi, err := net.InterfaceByName(name)
	if err != nil {
		return nil, fmt.Errorf("open PPPoE link on %s: %w", name, err)
	}
	disc, err := packet.Listen(ifi, packet.Datagram, int(EtherDiscovery), nil)
	if err != nil {
		return nil, fmt.Errorf("open PPPoE discovery socket on %s: %w", name, err)
	}
	sess, err := packet.Listen(ifi, packet.Datagram, int(EtherSession), nil)
	if err != nil {
		disc.Close()
		return nil, fmt.Errorf("open PPPoE session socket on %s: %w", name, err)
	}
	l := &rawLink{ifi: ifi, disc: disc, sess: sess, in: make(chan Frame, 256), done: make(chan struct{})}
	go l.read(disc, EtherDiscovery)
	go l.read(sess, EtherSession)
	return l, nil
}

func (l *rawLink) read(c *packet.Conn, et uint16) {
	buf := make([]byte, 65536)
	for {
		n, from, err := c.ReadFrom(buf)
		if err != nil {
			l.errMu.Lock()
			if l.err == nil {
				l.err = err
			}
			l.errMu.Unlock()
			l.Close()
			return
		}
		a, _ := from.(*packet.Addr)
		if a == nil {
			continue
		}
		f := Frame{Dst: l.ifi.HardwareAddr, Src: a.HardwareAddr, Type: et, Payload: append([]byte(nil), buf[:n]...)}
		select {
		case l.in <- f:
		case <-l.done:
			return
		}
	}
}

func (l *rawLink) HardwareAddr() net.HardwareAddr { return l.ifi.HardwareAddr }

func (l *rawLink) Send(f Frame) error {
	c := l.disc
	if f.Type == EtherSession {
		c = l.sess
	}
	_, err := c.WriteTo(f.Payload, &packet.Addr{HardwareAddr: f.Dst})
	return err
}

func (l *rawLink) Recv() (Frame, error) {
	select {
	case f := <-l.in:
		return f, nil
	case <-l.done:
		l.errMu.Lock()
		defer l.errMu.Unlock()
		if l.err != nil {
			return Frame{}, fmt.Errorf("read PPPoE frame on %s: %w", l.ifi.Name, l.err)
		}
		return Frame{}, ErrLinkClosed
	}
}

func (l *rawLink) Close() error {
	l.once.Do(func() {
		close(l.done)
		l.disc.Close()
		l.sess.Close()
	})
	return nil
}
