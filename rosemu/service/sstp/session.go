package sstp

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chrlab/chrlab/rosemu/service/ppp"
)

// Errors that end a call.
var (
	// ErrRefused: the server refused the call (Call Connect Nak) or its
	// HTTP request.
	ErrRefused = errors.New("sstp: call refused")
	// ErrAborted: the peer aborted the call (Call Abort).
	ErrAborted = errors.New("sstp: peer aborted the call")
	// ErrDisconnected: the peer ended the call (Call Disconnect).
	ErrDisconnected = errors.New("sstp: peer disconnected the call")
	// ErrBinding: the client's crypto binding does not match this
	// server's nonce or certificate (a man in the middle, or a client
	// that talks to another server).
	ErrBinding = errors.New("sstp: crypto binding does not match")
	// ErrTimeout: the call was not set up in time, or the peer stopped
	// answering Echo Requests.
	ErrTimeout = errors.New("sstp: peer did not answer in time")
)

// negotiation is how long each end waits for the next step of the call's
// setup, and hello how long a silent connection waits before an Echo
// Request and then for any packet after it ([MS-SSTP] 3.1.2: 60 s each).
const (
	negotiation = 60 * time.Second
	hello       = 60 * time.Second
)

// Session is one SSTP call and the PPP session it carries.
type Session struct {
	conn net.Conn
	rd   *bufio.Reader
	wmu  sync.Mutex
	// PPP is the call's PPP, set once the call is accepted (read it
	// after Dial returns or in the server's up); pc is the same for the
	// session's own goroutines.
	PPP *ppp.Conn
	pc  atomic.Pointer[ppp.Conn]
	// Peer is the far end's TCP address.
	Peer netip.AddrPort

	server bool
	// server: the nonce sent in Call Connect Ack and the hash of our
	// certificate for each protocol; client: the server's certificate.
	nonce    [32]byte
	hashes   uint8
	certDER  []byte
	bound    chan struct{} // Call Connected received (server) or sent (client)
	boundSet sync.Once
	ctrl     chan Control // control messages for the setup (client)
	cfg      ppp.Config
	hello    time.Duration

	accepted chan struct{} // the call was accepted and its PPP started
	discOnce sync.Once

	once sync.Once
	done chan struct{}
	err  error
}

func newSession(c net.Conn, rd *bufio.Reader, server bool) *Session {
	s := &Session{conn: c, rd: rd, server: server, bound: make(chan struct{}), done: make(chan struct{}),
		ctrl: make(chan Control, 4), hello: hello, accepted: make(chan struct{})}
	if ap, err := netip.ParseAddrPort(c.RemoteAddr().String()); err == nil {
		s.Peer = netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
	}
	return s
}

// Done is closed when the call has ended; Err then says why.
func (s *Session) Done() <-chan struct{} { return s.done }

// Err is why the call ended, nil while it lasts.
func (s *Session) Err() error {
	select {
	case <-s.done:
		return s.err
	default:
		return nil
	}
}

// Close ends the call: LCP Terminate, then Call Disconnect.
func (s *Session) Close() {
	if c := s.pc.Load(); c != nil {
		c.Close()
	} else {
		s.disconnect()
	}
	<-s.done
}

func (s *Session) write(b []byte) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	_ = s.conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
	_, err := s.conn.Write(b)
	return err
}

func (s *Session) send(c Control) error { return s.write(c.bytes()) }

// finish ends the call for err and closes the connection.
func (s *Session) finish(err error) {
	s.once.Do(func() {
		s.err = err
		close(s.done)
		_ = s.conn.Close()
	})
}

// disconnect is our end of the call: Call Disconnect, a short wait for
// its Ack (the reader finishes the call when it comes), then the
// connection is closed ([MS-SSTP] 3.1.5.2.x: the sender of Call
// Disconnect waits for the Ack, at most its timer).
func (s *Session) disconnect() { s.discOnce.Do(s.disconnectOnce) }

func (s *Session) disconnectOnce() {
	if s.Err() != nil {
		return
	}
	if s.send(Control{Type: msgCallDisconnect}) != nil {
		s.finish(ppp.ErrClosed)
		return
	}
	select {
	case <-s.done:
	case <-time.After(time.Second):
		s.finish(ppp.ErrClosed)
	}
}

// abort is Call Abort with a status, then the end of the call.
func (s *Session) abort(err error, about uint8, status uint32) {
	_ = s.send(Control{Type: msgCallAbort, Attrs: []Attr{statusInfo(about, status)}})
	s.finish(err)
	s.pppEnded()
}

// pppEnded tells the call's PPP, if any, that the transport has ended.
func (s *Session) pppEnded() {
	if c := s.pc.Load(); c != nil {
		c.PeerEnded()
	}
}

// startPPP runs the call's PPP; its frames go as data packets with the
// HDLC address and control fields first, as Windows sends them.
func (s *Session) startPPP(cfg ppp.Config, log func(string, ...any)) {
	send := func(proto uint16, b []byte) error {
		f := append([]byte{0xff, 0x03, byte(proto >> 8), byte(proto)}, b...)
		p, err := dataPacket(f)
		if err != nil {
			return err
		}
		return s.write(p)
	}
	cfg.Lower = "Call Disconnect"
	if cfg.Log == nil {
		cfg.Log = log
	}
	c := ppp.New(cfg, 0, send, s.disconnect)
	s.PPP = c
	s.pc.Store(c)
	go c.Run(context.Background())
	go func() {
		<-c.Done()
		// PPP ended on its own (LCP Terminate, a refused login): the
		// call goes with it.
		s.disconnect()
		if err := c.Err(); err != nil {
			s.finish(err)
		}
	}()
}

// read reads the connection until it fails, handing data to PPP and
// control messages to onControl; Echo and Call Disconnect are answered
// here. A packet of any kind counts as life.
func (s *Session) read(onControl func(Control)) {
	last := make(chan struct{}, 1)
	go s.watch(last)
	for {
		_ = s.conn.SetReadDeadline(time.Now().Add(s.hello + negotiation))
		control, body, err := readPacket(s.rd)
		if err != nil {
			if s.Err() == nil {
				s.finish(fmt.Errorf("sstp: read: %w", err))
			}
			s.pppEnded()
			return
		}
		select {
		case last <- struct{}{}:
		default:
		}
		if !control {
			c := s.pc.Load()
			if c == nil {
				continue
			}
			if len(body) >= 2 && body[0] == 0xff && body[1] == 0x03 {
				body = body[2:]
			}
			c.Deliver(body)
			continue
		}
		c, err := parseControl(body)
		if err != nil {
			s.abort(err, attrNoError, statusInvalidFrameReceived)
			return
		}
		switch c.Type {
		case msgEchoRequest:
			_ = s.send(Control{Type: msgEchoResponse})
		case msgEchoResponse:
		case msgCallDisconnect:
			_ = s.send(Control{Type: msgCallDisconnectAck})
			s.finish(ErrDisconnected)
			s.pppEnded()
			return
		case msgCallDisconnectAck:
			s.finish(ppp.ErrClosed)
			return
		case msgCallAbort:
			s.finish(ErrAborted)
			s.pppEnded()
			return
		default:
			onControl(c)
		}
	}
}

// watch sends an Echo Request after hello of silence and aborts the call
// when nothing came for another hello after it ([MS-SSTP] 3.1.2, the
// Hello timer).
func (s *Session) watch(heard <-chan struct{}) {
	t := time.NewTimer(s.hello)
	defer t.Stop()
	asked := false
	for {
		select {
		case <-s.done:
			return
		case <-heard:
			asked = false
			t.Reset(s.hello)
		case <-t.C:
			if asked {
				s.abort(ErrTimeout, attrNoError, statusNegotiationTimeout)
				return
			}
			asked = true
			_ = s.send(Control{Type: msgEchoRequest})
			t.Reset(s.hello)
		}
	}
}

// boundNow marks the crypto binding done.
func (s *Session) boundNow() { s.boundSet.Do(func() { close(s.bound) }) }

// serverControl is the server's state machine over the client's control
// messages: Call Connect Request (accepted for PPP with Call Connect
// Ack and the crypto binding request, PPP starts), then Call Connected,
// whose binding must carry our nonce and our certificate's hash.
func (s *Session) serverControl(call func(*Session) (ppp.Config, bool), log func(string, ...any)) func(Control) {
	return func(c Control) {
		switch c.Type {
		case msgCallConnectRequest:
			if s.pc.Load() != nil {
				return // a repeated request: the Ack went out
			}
			v, ok := c.attr(attrEncapsulatedProtocolID)
			if !ok || len(v) != 2 || v[0] != 0 || v[1] != byte(encapsulatedPPP) {
				_ = s.send(Control{Type: msgCallConnectNak, Attrs: []Attr{statusInfo(attrEncapsulatedProtocolID, statusValueNotSupported)}})
				return
			}
			cfg, ok := call(s)
			if !ok {
				_ = s.send(Control{Type: msgCallConnectNak, Attrs: []Attr{statusInfo(attrEncapsulatedProtocolID, statusValueNotSupported)}})
				s.finish(ErrRefused)
				return
			}
			_, _ = rand.Read(s.nonce[:])
			if err := s.send(connectAck(s.hashes, s.nonce)); err != nil {
				s.finish(err)
				return
			}
			cfg.Server = true
			s.startPPP(cfg, log)
			close(s.accepted)
		case msgCallConnected:
			if s.pc.Load() == nil {
				s.abort(errors.New("sstp: Call Connected before Call Connect Request"), attrNoError, statusInvalidFrameReceived)
				return
			}
			b, err := parseBinding(c)
			if err != nil {
				s.abort(err, attrCryptoBinding, statusNoPropertyFound)
				return
			}
			want := certHash(b.Hash, s.certDER)
			signed := signedConnected(b, hlakOf(s.pc.Load()))
			if b.Hash&s.hashes == 0 || (b.Hash != hashSHA1 && b.Hash != hashSHA256) ||
				subtle.ConstantTimeCompare(b.Nonce[:], s.nonce[:]) != 1 ||
				subtle.ConstantTimeCompare(b.CertHash[:], want[:]) != 1 ||
				subtle.ConstantTimeCompare(b.MAC[:], signed[len(signed)-32:]) != 1 {
				log("sstp %s: crypto binding refused (hash 0x%x)", s.Peer, b.Hash)
				s.abort(ErrBinding, attrCryptoBinding, statusValueNotSupported)
				return
			}
			s.boundNow()
		default:
			log("sstp %s: control message 0x%04x ignored", s.Peer, c.Type)
		}
	}
}
