package pppoe

import (
	"encoding/binary"
	"fmt"
	"net"
	"sync"

	"github.com/mdlayher/packet"
	"golang.org/x/net/bpf"
)

// rawLink is a Link on a real port: one AF_PACKET raw socket that a BPF
// filter limits to the two PPPoE Ethernet types received. One socket, not
// one per type, keeps the frames in the order they came: a server that
// refuses a password sends a PAP Nak then PADT, and with two sockets the
// PADT could be read first, so the client saw "terminated" instead of the
// refusal.
type rawLink struct {
	ifi   *net.Interface
	conn  *packet.Conn
	in    chan Frame
	done  chan struct{}
	once  sync.Once
	errMu sync.Mutex
	err   error
}

// ethPAll is ETH_P_ALL: every protocol, which the filter narrows.
const ethPAll = 0x0003

// pppoeFilter accepts received frames (not the copies of our own that an
// ETH_P_ALL socket also sees) of the PPPoE discovery and session types.
func pppoeFilter() ([]bpf.RawInstruction, error) {
	const packetOutgoing = 4
	return bpf.Assemble([]bpf.Instruction{
		bpf.LoadExtension{Num: bpf.ExtType},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: packetOutgoing, SkipTrue: 3},
		bpf.LoadAbsolute{Off: 12, Size: 2},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: uint32(EtherDiscovery), SkipTrue: 2},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: uint32(EtherSession), SkipTrue: 1},
		bpf.RetConstant{Val: 0},
		bpf.RetConstant{Val: 0xffff},
	})
}

// OpenLink opens the PPPoE link on the named Ethernet interface of the
// current network namespace.
func OpenLink(name string) (Link, error) {
	ifi, err := net.InterfaceByName(name)
	if err != nil {
		return nil, fmt.Errorf("open PPPoE link on %s: %w", name, err)
	}
	filter, err := pppoeFilter()
	if err != nil {
		return nil, fmt.Errorf("open PPPoE link on %s: assemble the filter: %w", name, err)
	}
	c, err := packet.Listen(ifi, packet.Raw, ethPAll, &packet.Config{Filter: filter})
	if err != nil {
		return nil, fmt.Errorf("open PPPoE socket on %s: %w", name, err)
	}
	l := &rawLink{ifi: ifi, conn: c, in: make(chan Frame, 256), done: make(chan struct{})}
	go l.read()
	return l, nil
}

func (l *rawLink) read() {
	buf := make([]byte, 65536)
	for {
		n, _, err := l.conn.ReadFrom(buf)
		if err != nil {
			l.errMu.Lock()
			if l.err == nil {
				l.err = err
			}
			l.errMu.Unlock()
			l.Close()
			return
		}
		if n < 14 {
			continue
		}
		f := Frame{Dst: append(net.HardwareAddr(nil), buf[0:6]...), Src: append(net.HardwareAddr(nil), buf[6:12]...),
			Type: binary.BigEndian.Uint16(buf[12:14]), Payload: append([]byte(nil), buf[14:n]...)}
		select {
		case l.in <- f:
		case <-l.done:
			return
		}
	}
}

func (l *rawLink) HardwareAddr() net.HardwareAddr { return l.ifi.HardwareAddr }

func (l *rawLink) Send(f Frame) error {
	b := make([]byte, 0, 14+len(f.Payload))
	b = append(append(b, f.Dst...), l.ifi.HardwareAddr...)
	b = binary.BigEndian.AppendUint16(b, f.Type)
	b = append(b, f.Payload...)
	_, err := l.conn.WriteTo(b, &packet.Addr{HardwareAddr: f.Dst})
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
		l.conn.Close()
	})
	return nil
}
