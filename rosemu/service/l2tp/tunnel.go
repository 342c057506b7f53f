package l2tp

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"time"

	"golang.org/x/net/ipv4"

	"github.com/chrlab/chrlab/rosemu/service/ppp"
)

// Errors that end a tunnel or a call.
var (
	ErrNoAnswer = errors.New("no answer from the L2TP peer")
	ErrStopped  = errors.New("the peer stopped the control connection")
	ErrCallDown = errors.New("the peer disconnected the call")
)

// Timing of the control connection (RFC 2661 5.8: a retransmission
// timeout that starts at 1 s and doubles up to 8 s, 5 retries).
var (
	retransmitFirst = time.Second
	retransmitMax   = 8 * time.Second
	maxRetries      = 5
)

const defaultWindow = 4 // the receive window a peer without the AVP has (RFC 2661 4.4.3)

// endpoint is one UDP socket and the tunnels and sessions it carries.
type endpoint struct {
	pc *net.UDPConn
	// p4 reads the address each datagram came to and writes from the
	// address given (IP_PKTINFO), so a server bound to every address
	// answers from the one it was asked on; nil: the kernel picks.
	p4  *ipv4.PacketConn
	log func(format string, args ...any)
	// closed ends every tunnel at once: the socket is gone.
	closed    chan struct{}
	closeOnce sync.Once
	// the retransmission timing, from the package's at creation
	first, max time.Duration
	retries    int

	mu       sync.Mutex
	tunnels  map[uint16]*tunnel // by our tunnel ID
	sessions map[[2]uint16]*Session
}

func newEndpoint(pc *net.UDPConn, log func(string, ...any)) *endpoint {
	if log == nil {
		log = func(string, ...any) {}
	}
	return &endpoint{pc: pc, log: log, tunnels: map[uint16]*tunnel{}, sessions: map[[2]uint16]*Session{},
		closed: make(chan struct{}), first: retransmitFirst, max: retransmitMax, retries: maxRetries}
}

// close closes the socket and ends the tunnels without a word.
func (e *endpoint) close() {
	e.closeOnce.Do(func() {
		close(e.closed)
		e.pc.Close()
	})
}

// newID picks an unused nonzero ID from used.
func newID(used func(uint16) bool) uint16 {
	for {
		var b [2]byte
		_, _ = rand.Read(b[:])
		id := binary.BigEndian.Uint16(b[:])
		if id != 0 && !used(id) {
			return id
		}
	}
}

// read reads datagrams until the socket fails, handing data messages to
// their sessions and control messages to ctrl.
func (e *endpoint) read(ctrl func(h header, from netip.AddrPort, to netip.Addr)) error {
	buf := make([]byte, 65536)
	for {
		var (
			n    int
			from netip.AddrPort
			to   netip.Addr
			err  error
		)
		if e.p4 != nil {
			var cm *ipv4.ControlMessage
			var src net.Addr
			n, cm, src, err = e.p4.ReadFrom(buf)
			if ua, ok := src.(*net.UDPAddr); ok {
				from = ua.AddrPort()
			}
			if cm != nil {
				to, _ = netip.AddrFromSlice(cm.Dst.To4())
			}
		} else {
			n, from, err = e.pc.ReadFromUDPAddrPort(buf)
		}
		if err != nil {
			return err
		}
		from = netip.AddrPortFrom(from.Addr().Unmap(), from.Port())
		h, err := parseHeader(append([]byte(nil), buf[:n]...))
		if err != nil {
			continue
		}
		if !h.Control {
			e.data(h)
			continue
		}
		ctrl(h, from, to)
	}
}

// writeTo sends b to peer from the address from (invalid: the kernel's
// choice).
func (e *endpoint) writeTo(b []byte, peer netip.AddrPort, from netip.Addr) error {
	if e.p4 != nil && from.IsValid() {
		_, err := e.p4.WriteTo(b, &ipv4.ControlMessage{Src: from.AsSlice()}, net.UDPAddrFromAddrPort(peer))
		return err
	}
	_, err := e.pc.WriteToUDPAddrPort(b, peer)
	return err
}

// data hands a data message to its session.
func (e *endpoint) data(h header) {
	e.mu.Lock()
	s := e.sessions[[2]uint16{h.Tunnel, h.Session}]
	var c *ppp.Conn
	if s != nil {
		c = s.PPP
	}
	e.mu.Unlock()
	if c == nil {
		return
	}
	f := h.Payload
	// PPP in L2TP keeps the HDLC address and control fields (RFC 2661
	// 5.1: FF 03); a peer that compresses them away sends the protocol
	// first.
	if len(f) >= 2 && f[0] == 0xff && f[1] == 0x03 {
		f = f[2:]
	}
	c.Deliver(append([]byte(nil), f...))
}

// sent is a control message waiting for its acknowledgement.
type sent struct {
	ns    uint16
	b     []byte
	tries int
	due   time.Time
}

// tunnel is one control connection. Its state belongs to run's goroutine;
// others reach it through in, out and the done channel.
type tunnel struct {
	e              *endpoint
	peer           netip.AddrPort
	localAddr      netip.Addr // the address the peer dialled (server)
	local, remote  uint16
	lns            bool
	hostName       string
	peerName       string
	hello          time.Duration
	in             chan header
	calls          chan *Session // sessions to place (LAC)
	hangup         chan *Session // sessions to disconnect
	stop           chan struct{}
	stopOnce       sync.Once
	done           chan struct{}
	err            error
	established    chan struct{}
	estOnce        sync.Once
	onCall         func(s *Session) bool // LNS: an ICCN came; false refuses it
	onEnd          func(s *Session)
	ns, nr         uint16
	window         int
	queue, pending []sent
	sessions       map[uint16]*Session // by our session ID
}

func seqLess(a, b uint16) bool { return a != b && b-a < 0x8000 }

func (e *endpoint) newTunnel(peer netip.AddrPort, lns bool, host string, hello time.Duration) *tunnel {
	t := &tunnel{e: e, peer: peer, lns: lns, hostName: host, hello: hello, in: make(chan header, 64),
		calls: make(chan *Session, 4), hangup: make(chan *Session, 16), stop: make(chan struct{}),
		done: make(chan struct{}), established: make(chan struct{}), window: defaultWindow,
		sessions: map[uint16]*Session{}}
	e.mu.Lock()
	t.local = newID(func(id uint16) bool { return e.tunnels[id] != nil })
	e.tunnels[t.local] = t
	e.mu.Unlock()
	return t
}

// send queues a control message, sent at once while the peer's window
// has room.
func (t *tunnel) send(m message, session uint16) {
	h := header{Control: true, Tunnel: t.remote, Session: session, Ns: t.ns, Payload: encodeAVPs(m.AVPs)}
	t.queue = append(t.queue, sent{ns: t.ns, b: h.bytes()})
	t.ns++
	t.e.log("l2tp %s: send %s", t.peer, msgName(m.Type))
	t.flush()
}

// flush sends queued messages while the window allows, with the current
// Nr, which acknowledges what we have received.
func (t *tunnel) flush() {
	for len(t.queue) > 0 && len(t.pending) < t.window {
		s := t.queue[0]
		t.queue = t.queue[1:]
		s.due = time.Now().Add(t.e.first)
		t.pending = append(t.pending, s)
		t.write(s.b)
	}
}

// write sends a control message with the tunnel's current Nr.
func (t *tunnel) write(b []byte) {
	binary.BigEndian.PutUint16(b[10:], t.nr)
	if err := t.e.writeTo(b, t.peer, t.localAddr); err != nil {
		t.e.log("l2tp %s: send: %v", t.peer, err)
	}
}

// zlb acknowledges without a message (RFC 2661 5.8).
func (t *tunnel) zlb() {
	t.write(header{Control: true, Tunnel: t.remote, Ns: t.ns}.bytes())
}

// acked drops the pending messages the peer's Nr acknowledges.
func (t *tunnel) acked(nr uint16) {
	i := 0
	for i < len(t.pending) && seqLess(t.pending[i].ns, nr) {
		i++
	}
	t.pending = t.pending[i:]
	t.flush()
}

// retransmit resends what is due; false when the peer has not answered
// maxRetries times.
func (t *tunnel) retransmit(now time.Time) bool {
	for i := range t.pending {
		p := &t.pending[i]
		if now.Before(p.due) {
			continue
		}
		if p.tries >= t.e.retries {
			return false
		}
		p.tries++
		wait := t.e.first << p.tries
		if wait > t.e.max {
			wait = t.e.max
		}
		p.due = now.Add(wait)
		t.write(p.b)
	}
	return true
}

// Stop ends the control connection with StopCCN.
func (t *tunnel) Stop() { t.stopOnce.Do(func() { close(t.stop) }) }

// run is the control connection's engine, for either end.
func (t *tunnel) run(first *header) {
	defer func() {
		for _, s := range t.sessions {
			t.endSession(s, t.err, false)
		}
		t.e.mu.Lock()
		delete(t.e.tunnels, t.local)
		t.e.mu.Unlock()
		close(t.done)
	}()
	if !t.lns {
		t.send(newMessage(msgSCCRQ, t.startAVPs()...), 0)
	}
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	lastHeard := time.Now()
	stopping := time.Time{} // when our StopCCN went out
	var waiting []*Session  // LAC calls waiting for the tunnel
	finish := func(err error) { t.err = err }
	if first != nil {
		t.in <- *first
	}
	for {
		select {
		case <-t.e.closed:
			if t.err == nil {
				finish(ppp.ErrClosed)
			}
			return
		case <-t.stop:
			if t.remote == 0 {
				// The peer never gave its tunnel ID: a StopCCN could not
				// name the tunnel, and waiting up to 10 s for its
				// acknowledgement would only keep retransmitting SCCRQ.
				finish(ppp.ErrClosed)
				return
			}
			if stopping.IsZero() {
				t.send(newMessage(msgStopCCN, mandatory(avpAssignedTunnelID, u16(t.local)), mandatory(avpResultCode, resultCode(StopGeneral, ""))), 0)
				stopping = time.Now()
				finish(ppp.ErrClosed)
				for _, s := range t.sessions {
					t.endSession(s, ppp.ErrClosed, false)
				}
			}
		case s := <-t.calls:
			if t.remote != 0 && isClosed(t.established) {
				t.placeCall(s)
			} else {
				waiting = append(waiting, s)
			}
		case s := <-t.hangup:
			if t.sessions[s.local] == s {
				t.send(newMessage(msgCDN, mandatory(avpResultCode, resultCode(CDNAdmin, "")), mandatory(avpAssignedSessionID, u16(s.local))), s.remote)
				t.endSession(s, ppp.ErrClosed, false)
			} else if s.PPP == nil {
				s.finish(ppp.ErrClosed) // a call not placed yet
			}
		case now := <-tick.C:
			if !t.retransmit(now) {
				if stopping.IsZero() {
					finish(ErrNoAnswer)
				}
				return
			}
			if !stopping.IsZero() && (len(t.pending) == 0 || now.Sub(stopping) > 10*time.Second) {
				return
			}
			if t.hello > 0 && now.Sub(lastHeard) > t.hello && len(t.pending) == 0 && len(t.queue) == 0 && t.remote != 0 {
				t.send(newMessage(msgHELLO), 0)
			}
		case h := <-t.in:
			lastHeard = time.Now()
			t.acked(h.Nr)
			if len(h.Payload) == 0 {
				continue // a ZLB: only an acknowledgement
			}
			if h.Ns != t.nr {
				if seqLess(h.Ns, t.nr) {
					t.zlb() // a retransmission of what we have: ack it again
				}
				continue // one from the future: the peer sends it again
			}
			t.nr++
			before := t.ns
			m, err := parseMessage(h.Payload)
			if err != nil {
				t.e.log("l2tp %s: %v", t.peer, err)
				if m.Type == 0 || h.Session == 0 {
					t.send(newMessage(msgStopCCN, mandatory(avpAssignedTunnelID, u16(t.local)), mandatory(avpResultCode, resultCode(StopError, err.Error()))), 0)
					stopping = time.Now()
					finish(err)
					continue
				}
				if s := t.sessions[h.Session]; s != nil {
					t.send(newMessage(msgCDN, mandatory(avpResultCode, resultCode(CDNError, err.Error())), mandatory(avpAssignedSessionID, u16(s.local))), s.remote)
					t.endSession(s, err, false)
				}
			} else {
				t.e.log("l2tp %s: got %s", t.peer, msgName(m.Type))
				if end := t.handle(h, m, &waiting); end != nil {
					finish(end)
					if t.ns == before {
						t.zlb()
					}
					if errors.Is(end, ErrStopped) {
						return
					}
					stopping = time.Now()
					continue
				}
			}
			if t.ns == before {
				t.zlb()
			}
		}
	}
}

func isClosed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// startAVPs are the AVPs of SCCRQ and SCCRP (RFC 2661 6.1, 6.2).
func (t *tunnel) startAVPs() []avp {
	return []avp{
		mandatory(avpProtocolVersion, []byte{1, 0}),
		mandatory(avpHostName, []byte(t.hostName)),
		mandatory(avpFramingCaps, u32(3)), // synchronous and asynchronous
		mandatory(avpAssignedTunnelID, u16(t.local)),
		{Type: avpReceiveWindowSize, Mandatory: true, Value: u16(defaultWindow)},
		{Type: avpVendorName, Value: []byte("chrlab rosemu")},
	}
}

// handle acts on an in-order control message; a non-nil error ends the
// tunnel (ErrStopped: the peer ended it, we only acknowledge).
func (t *tunnel) handle(h header, m message, waiting *[]*Session) error {
	switch m.Type {
	case msgSCCRQ:
		if !t.lns || t.remote != 0 && isClosed(t.established) {
			return fmt.Errorf("l2tp: unexpected SCCRQ")
		}
		if err := t.takePeer(m); err != nil {
			return err
		}
		t.send(newMessage(msgSCCRP, t.startAVPs()...), 0)
	case msgSCCRP:
		if t.lns {
			return errors.New("l2tp: unexpected SCCRP")
		}
		if err := t.takePeer(m); err != nil {
			return err
		}
		t.send(newMessage(msgSCCCN), 0)
		t.estOnce.Do(func() { close(t.established) })
		for _, s := range *waiting {
			t.placeCall(s)
		}
		*waiting = nil
	case msgSCCCN:
		t.estOnce.Do(func() { close(t.established) })
	case msgStopCCN:
		r, msg := parseResult(must(m.find(avpResultCode)))
		if msg != "" {
			return fmt.Errorf("%w (result %d: %s)", ErrStopped, r, msg)
		}
		return fmt.Errorf("%w (result %d)", ErrStopped, r)
	case msgHELLO:
	case msgICRQ:
		if !t.lns || !isClosed(t.established) {
			return fmt.Errorf("l2tp: unexpected ICRQ")
		}
		rid, ok := m.u16(avpAssignedSessionID)
		if !ok || rid == 0 {
			t.send(newMessage(msgCDN, mandatory(avpResultCode, resultCode(CDNError, "no Assigned Session ID")), mandatory(avpAssignedSessionID, u16(0))), 0)
			return nil
		}
		for _, s := range t.sessions {
			if s.remote == rid {
				return nil // the peer's retransmission of a call we have
			}
		}
		s := t.newSession(rid)
		t.send(newMessage(msgICRP, mandatory(avpAssignedSessionID, u16(s.local))), rid)
	case msgICRP:
		s := t.sessions[h.Session]
		if t.lns || s == nil {
			return nil
		}
		rid, ok := m.u16(avpAssignedSessionID)
		if !ok || rid == 0 {
			t.endSession(s, errors.New("l2tp: ICRP without an Assigned Session ID"), false)
			return nil
		}
		s.remote = rid
		t.send(newMessage(msgICCN, mandatory(avpTxConnectSpeed, u32(100000000)), mandatory(avpFramingType, u32(1))), rid)
		t.startPPP(s)
	case msgICCN:
		s := t.sessions[h.Session]
		if !t.lns || s == nil || s.PPP != nil {
			return nil
		}
		if t.onCall == nil || !t.onCall(s) {
			t.send(newMessage(msgCDN, mandatory(avpResultCode, resultCode(CDNNoPermission, "refused")), mandatory(avpAssignedSessionID, u16(s.local))), s.remote)
			t.endSession(s, errors.New("l2tp: call refused"), false)
			return nil
		}
		t.startPPP(s)
	case msgCDN:
		if s := t.sessions[h.Session]; s != nil {
			r, msg := parseResult(must(m.find(avpResultCode)))
			err := fmt.Errorf("%w (result %d)", ErrCallDown, r)
			if msg != "" {
				err = fmt.Errorf("%w (result %d: %s)", ErrCallDown, r, msg)
			}
			t.endSession(s, err, true)
		}
	default:
		// Outgoing calls, WAN-Error-Notify, Set-Link-Info: not used by
		// a road warrior; acknowledged and ignored.
	}
	return nil
}

func must(v []byte, _ bool) []byte { return v }

// takePeer reads the peer's tunnel ID, window and name from its SCCRQ
// or SCCRP.
func (t *tunnel) takePeer(m message) error {
	id, ok := m.u16(avpAssignedTunnelID)
	if !ok || id == 0 {
		return fmt.Errorf("l2tp: %s without an Assigned Tunnel ID", msgName(m.Type))
	}
	t.remote = id
	if w, ok := m.u16(avpReceiveWindowSize); ok && w > 0 {
		t.window = int(w)
	}
	if v, ok := m.find(avpHostName); ok {
		t.peerName = string(v)
	}
	return nil
}

// placeCall sends a LAC's ICRQ for s.
func (t *tunnel) placeCall(s *Session) {
	t.sessions[s.local] = s
	var serial [4]byte
	_, _ = rand.Read(serial[:])
	t.send(newMessage(msgICRQ, mandatory(avpAssignedSessionID, u16(s.local)), mandatory(avpCallSerialNumber, serial[:])), 0)
}
