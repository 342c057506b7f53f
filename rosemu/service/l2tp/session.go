package l2tp

import (
	"context"
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

// Session is one call of a tunnel and the PPP session it carries.
type Session struct {
	t             *tunnel
	local, remote uint16
	// PPP is the session's PPP, set when the call is connected (ICCN).
	PPP *ppp.Conn
	// Peer is the tunnel's far end, PeerName its Host Name AVP.
	Peer     netip.AddrPort
	PeerName string
	cfg      ppp.Config
	once     sync.Once
	done     chan struct{}
	err      error
	onUp     func(*Session)
}

// ID is our Assigned Session ID, TunnelID our Assigned Tunnel ID.
func (s *Session) ID() uint16       { return s.local }
func (s *Session) TunnelID() uint16 { return s.t.local }

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

// Close ends the call: LCP Terminate, then CDN.
func (s *Session) Close() {
	if s.PPP != nil {
		s.PPP.Close()
	} else {
		select {
		case s.t.hangup <- s:
		case <-s.t.done:
		}
	}
	<-s.done
}

func (t *tunnel) newSession(remote uint16) *Session {
	s := &Session{t: t, remote: remote, Peer: t.peer, PeerName: t.peerName, done: make(chan struct{})}
	t.e.mu.Lock()
	s.local = newID(func(id uint16) bool { return t.e.sessions[[2]uint16{t.local, id}] != nil })
	t.e.sessions[[2]uint16{t.local, s.local}] = s
	t.e.mu.Unlock()
	t.sessions[s.local] = s
	return s
}

// startPPP starts the connected call's PPP; frames go as data messages.
func (t *tunnel) startPPP(s *Session) {
	s.PeerName = t.peerName
	send := func(proto uint16, b []byte) error {
		p := make([]byte, 0, 4+len(b))
		p = append(p, 0xff, 0x03)
		p = binary.BigEndian.AppendUint16(p, proto)
		h := header{Tunnel: t.remote, Session: s.remote, Payload: append(p, b...)}
		return t.e.writeTo(h.bytes(), t.peer, t.localAddr)
	}
	end := func() {
		select {
		case t.hangup <- s:
		case <-t.done:
		}
	}
	cfg := s.cfg
	cfg.Lower = "CDN"
	if cfg.Log == nil {
		cfg.Log = t.e.log
	}
	c := ppp.New(cfg, s.local, send, end)
	t.e.mu.Lock()
	s.PPP = c
	t.e.mu.Unlock()
	go c.Run(context.Background())
	go func() {
		select {
		case <-c.Up():
			if s.onUp != nil {
				s.onUp(s)
			}
		case <-c.Done():
		}
		<-c.Done()
		// PPP ended on its own (LCP Terminate, a refused login): the
		// call goes with it.
		end()
	}()
}

// endSession forgets s; peer: the peer ended it (CDN), so PPP ends
// without sending one back.
func (t *tunnel) endSession(s *Session, err error, peer bool) {
	if t.sessions[s.local] != s {
		return
	}
	delete(t.sessions, s.local)
	t.e.mu.Lock()
	delete(t.e.sessions, [2]uint16{t.local, s.local})
	t.e.mu.Unlock()
	if s.PPP != nil {
		s.PPP.PeerEnded()
		go func() {
			<-s.PPP.Done()
			// Both reasons: a CDN after a refused login is the
			// call's end, the refusal its cause.
			if e := s.PPP.Err(); e != nil && !errors.Is(err, e) {
				err = fmt.Errorf("%w: %w", err, e)
			}
			s.finish(err)
			if t.onEnd != nil {
				t.onEnd(s)
			}
		}()
		return
	}
	s.finish(err)
	if t.onEnd != nil {
		go t.onEnd(s)
	}
}

func (s *Session) finish(err error) {
	s.once.Do(func() {
		s.err = err
		close(s.done)
	})
}

// ServerConfig is an LNS's behaviour.
type ServerConfig struct {
	HostName string
	// Hello is how long a tunnel may be silent before a HELLO (0: 60 s).
	Hello time.Duration
	// Accept decides whether a peer's SCCRQ is answered at all (nil:
	// every peer). A refused peer's datagrams are dropped unanswered, as
	// an IPsec policy that requires encryption drops clear L2TP.
	Accept func(peer netip.AddrPort) bool
	// Call gives a connected call's PPP configuration (a server's); false
	// refuses the call with CDN.
	Call func(s *Session) (ppp.Config, bool)
	// Ended is called when a call has ended.
	Ended func(s *Session)
	Log   func(format string, args ...any)
}

// Serve answers L2TP on pc until ctx ends, calling up for every session
// whose PPP has come up.
func Serve(ctx context.Context, pc *net.UDPConn, cfg ServerConfig, up func(*Session)) error {
	e := newEndpoint(pc, cfg.Log)
	if p4 := ipv4.NewPacketConn(pc); p4.SetControlMessage(ipv4.FlagDst, true) == nil {
		e.p4 = p4
	}
	hello := cfg.Hello
	if hello == 0 {
		hello = 60 * time.Second
	}
	go func() { <-ctx.Done(); e.close() }()
	type peerTunnel struct {
		peer netip.AddrPort
		id   uint16
	}
	var wg sync.WaitGroup
	starting := map[peerTunnel]*tunnel{}
	var smu sync.Mutex
	defer func() {
		e.mu.Lock()
		all := make([]*tunnel, 0, len(e.tunnels))
		for _, t := range e.tunnels {
			all = append(all, t)
		}
		e.mu.Unlock()
		for _, t := range all {
			t.Stop()
		}
		wg.Wait()
	}()
	err := e.read(func(h header, from netip.AddrPort, to netip.Addr) {
		if h.Tunnel != 0 {
			e.mu.Lock()
			t := e.tunnels[h.Tunnel]
			e.mu.Unlock()
			if t != nil && t.peer == from {
				select {
				case t.in <- h:
				default: // the peer retransmits what we could not take
				}
			}
			return
		}
		m, err := parseMessage(h.Payload)
		if err != nil || m.Type != msgSCCRQ {
			return
		}
		rid, _ := m.u16(avpAssignedTunnelID)
		key := peerTunnel{from, rid}
		smu.Lock()
		t := starting[key]
		smu.Unlock()
		if t != nil {
			select {
			case t.in <- h: // a retransmitted SCCRQ: the engine acks it
			default:
			}
			return
		}
		if cfg.Accept != nil && !cfg.Accept(from) {
			e.log("l2tp %s: SCCRQ not answered", from)
			return
		}
		t = e.newTunnel(from, true, cfg.HostName, hello)
		t.localAddr = to
		t.onCall = func(s *Session) bool {
			if cfg.Call == nil {
				return false
			}
			c, ok := cfg.Call(s)
			if !ok {
				return false
			}
			s.cfg = c
			s.cfg.Server = true
			s.onUp = up
			return true
		}
		t.onEnd = cfg.Ended
		smu.Lock()
		starting[key] = t
		smu.Unlock()
		wg.Add(1)
		first := h
		go func() {
			defer wg.Done()
			t.run(&first)
			smu.Lock()
			delete(starting, key)
			smu.Unlock()
		}()
	})
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// ClientConfig is a LAC's behaviour: the tunnel and the PPP it dials.
type ClientConfig struct {
	HostName string
	Hello    time.Duration // 0: 60 s
	PPP      ppp.Config    // the client's login
	Log      func(format string, args ...any)
	// Tunnels, when set, counts the tunnel Dial opens until it has ended
	// and closed its socket: Close and a failed Dial return while the
	// tunnel still retransmits its StopCCN (up to 10 s), and a caller
	// that must outlive it, such as a test whose Log ends with it, waits.
	Tunnels *sync.WaitGroup
}

// Dial opens a tunnel to server from an ephemeral port, places one call
// and returns it once its PPP is up. Closing the session stops the
// tunnel.
func Dial(ctx context.Context, server netip.AddrPort, cfg ClientConfig) (*Session, error) {
	pc, err := net.ListenUDP("udp", nil)
	if err != nil {
		return nil, fmt.Errorf("l2tp: open a UDP socket: %w", err)
	}
	e := newEndpoint(pc, cfg.Log)
	hello := cfg.Hello
	if hello == 0 {
		hello = 60 * time.Second
	}
	t := e.newTunnel(server, false, cfg.HostName, hello)
	go e.read(func(h header, from netip.AddrPort, _ netip.Addr) {
		// The server answers from the port it was asked on, as
		// RouterOS and xl2tpd do; RFC 2661 8.1 lets it change the
		// port, which this client does not follow.
		if h.Tunnel != t.local || from != server {
			return
		}
		select {
		case t.in <- h:
		default:
		}
	})
	if cfg.Tunnels != nil {
		cfg.Tunnels.Add(1)
	}
	go t.run(nil)
	s := t.newSessionLAC(cfg.PPP)
	up := make(chan struct{})
	s.onUp = func(*Session) { close(up) }
	t.calls <- s
	go func() {
		select {
		case <-s.done:
		case <-t.done:
			s.finish(t.err)
		}
		t.Stop()
		<-t.done
		e.close()
		if cfg.Tunnels != nil {
			cfg.Tunnels.Done()
		}
	}()
	select {
	case <-up:
		return s, nil
	case <-s.done:
		return nil, s.err
	case <-ctx.Done():
		s.Close()
		return nil, ctx.Err()
	}
}

// newSessionLAC makes the session a LAC will place once the tunnel is up;
// its ID is assigned here, its peer's at ICRP.
func (t *tunnel) newSessionLAC(cfg ppp.Config) *Session {
	s := &Session{t: t, Peer: t.peer, cfg: cfg, done: make(chan struct{})}
	s.cfg.Server = false
	t.e.mu.Lock()
	s.local = newID(func(id uint16) bool { return t.e.sessions[[2]uint16{t.local, id}] != nil })
	t.e.sessions[[2]uint16{t.local, s.local}] = s
	t.e.mu.Unlock()
	return s
}
