package ppp

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"
)

// ErrAuth is the client's error when the server refuses its user or password.
var ErrAuth = errors.New("authentication failed")

// ErrNoCommonAuth is the error of a session whose ends allow no common
// authentication protocol: the server's list is exhausted by the client's
// Naks and Rejects.
var ErrNoCommonAuth = errors.New("no authentication protocol both ends allow")

// ErrPeerAuth is the client's error when an MS-CHAPv2 server's Success
// does not prove that it knows the password (RFC 2759 5): the client
// does not trust such a server with its traffic.
var ErrPeerAuth = errors.New("server failed to prove the password")

// Errors that end a session.
var (
	ErrClosed     = errors.New("session closed")
	ErrTerminated = errors.New("peer terminated the session")
	ErrKeepalive  = errors.New("peer stopped answering LCP echo")
	ErrNegotiate  = errors.New("negotiation timed out")
)

// pppConfig is what one end of a session negotiates with.
type pppConfig struct {
	server    bool
	mru       int
	keepalive time.Duration // 0: no echo watchdog
	// auth is the protocols this end allows (nil: all): a server asks
	// for them strongest first, a client accepts them.
	auth []Auth
	// client
	user, password string
	// server
	name  string // the server's name in CHAP challenges
	check func(user string, proves Verifier) bool
	local netip.Addr   // the server's own address
	peer  netip.Addr   // the address the server gives the client
	dns   []netip.Addr // up to two, offered to the client
	log   func(format string, args ...any)
}

// Conn is a PPP session over a transport (PPPoE, L2TP). Once up, it
// carries IPv4 packets.
type Conn struct {
	cfg     pppConfig
	session uint16
	sendPPP func(proto uint16, b []byte) error
	// endLower ends the transport's session (PPPoE PADT, L2TP CDN)
	// when PPP ends; nil once the peer has ended it.
	endLower  func()
	lowerName string      // the transport's end message, in errors
	in        chan []byte // PPP frames: protocol and information
	ip        chan []byte

	up       chan struct{}
	done     chan struct{}
	closeReq chan struct{}
	once     sync.Once
	err      error

	// Set before up closes, read-only after.
	Local, Peer netip.Addr
	DNS         []netip.Addr
	MTU         int // the peer's MRU: the largest IP packet we may send
	User        string
	// Auth is the protocol the client authenticated with; empty when
	// the server asked for none.
	Auth Auth
	// PeerMAC is the client's Ethernet address (server sessions).
	PeerMAC net.HardwareAddr

	magic uint32
	id    uint8

	// mppe is this end's MPPE send and receive keys once an MS-CHAPv2
	// login has succeeded (MPPEKeys); other goroutines read it.
	mppeMu sync.Mutex
	mppe   [2][]byte
}

// MPPEKeys are the MPPE master keys of the session's MS-CHAPv2 login
// (RFC 3079 3.4, 128 bits) as this end uses them: the key it sends with
// and the key it receives with. nil before the login has succeeded and
// for the other protocols. SSTP's crypto binding is keyed by them.
func (c *Conn) MPPEKeys() (send, recv []byte) {
	c.mppeMu.Lock()
	defer c.mppeMu.Unlock()
	return c.mppe[0], c.mppe[1]
}

// IsServer says whether this end is the server.
func (c *Conn) IsServer() bool { return c.cfg.server }

// setMPPE records the login's keys, given as the client's send and
// receive keys, from this end's side.
func (c *Conn) setMPPE(clientSend, clientRecv []byte) {
	c.mppeMu.Lock()
	defer c.mppeMu.Unlock()
	if c.cfg.server {
		c.mppe = [2][]byte{clientRecv, clientSend}
	} else {
		c.mppe = [2][]byte{clientSend, clientRecv}
	}
}

func newConn(cfg pppConfig, session uint16, send func(uint16, []byte) error, padt func()) *Conn {
	var m [4]byte
	_, _ = rand.Read(m[:])
	if cfg.mru == 0 {
		cfg.mru = 1492
	}
	if cfg.log == nil {
		cfg.log = func(string, ...any) {}
	}
	return &Conn{cfg: cfg, session: session, sendPPP: send, endLower: padt,
		in: make(chan []byte, 64), ip: make(chan []byte, 256),
		up: make(chan struct{}), done: make(chan struct{}), closeReq: make(chan struct{}),
		magic: binary.BigEndian.Uint32(m[:]) | 1, MTU: 1492}
}

// Session is the transport's session ID (PPPoE session, L2TP session).
func (c *Conn) Session() uint16 { return c.session }

// Up is closed when IPCP has opened: addresses are known and IP flows.
func (c *Conn) Up() <-chan struct{} { return c.up }

// Done is closed when the session has ended; Err then says why.
func (c *Conn) Done() <-chan struct{} { return c.done }

// Err is why the session ended, nil while it runs.
func (c *Conn) Err() error {
	select {
	case <-c.done:
		return c.err
	default:
		return nil
	}
}

// ReadPacket returns the next IPv4 packet from the peer.
func (c *Conn) ReadPacket() ([]byte, error) {
	select {
	case p := <-c.ip:
		return p, nil
	case <-c.done:
		return nil, c.err
	}
}

// WritePacket sends an IPv4 packet to the peer.
func (c *Conn) WritePacket(p []byte) error {
	select {
	case <-c.up:
	default:
		return errors.New("send ip: session is not up")
	}
	if err := c.Err(); err != nil {
		return err
	}
	if len(p) > c.MTU {
		return fmt.Errorf("send ip: %d bytes exceed the peer's MRU %d", len(p), c.MTU)
	}
	return c.sendPPP(protoIP, p)
}

// Close terminates the session: LCP Terminate-Request, then the
// transport's end (PPPoE PADT, L2TP CDN).
func (c *Conn) Close() error {
	c.once.Do(func() { close(c.closeReq) })
	<-c.done
	return nil
}

// PeerEnded ends the session on the transport's end from the peer (PADT,
// CDN), in order after the frames before it (a PAP Nak then PADT must
// read as a refusal).
func (c *Conn) PeerEnded() {
	select {
	case c.in <- nil:
	case <-c.done:
	}
}

func (c *Conn) finish(err error) {
	c.err = err
	close(c.done)
}

// Deliver hands the engine a PPP frame from the wire: the protocol field
// (two bytes, uncompressed) and the information.
func (c *Conn) Deliver(b []byte) {
	select {
	case c.in <- b:
	case <-c.done:
	default:
	}
}

func (c *Conn) nextID() uint8 { c.id++; return c.id }

func (c *Conn) sendCP(proto uint16, p cp) {
	if err := c.sendPPP(proto, p.bytes()); err != nil {
		c.cfg.log("send 0x%04x code %d: %v", proto, p.Code, err)
	}
}

// ncp is the state of one configure exchange (LCP or IPCP).
type ncp struct {
	proto  uint16
	opts   []option // what we request
	reqID  uint8
	mine   bool // our request acknowledged
	theirs bool // we acknowledged theirs
	tries  int
}

func (n *ncp) open() bool { return n.mine && n.theirs }

func (c *Conn) request(n *ncp) {
	n.reqID = c.nextID()
	n.tries++
	c.sendCP(n.proto, cp{Code: confReq, ID: n.reqID, Data: encodeOptions(n.opts)})
}

// maxTries bounds Configure-Request and PAP retransmissions, one a second.
const maxTries = 10

// Run negotiates LCP, authentication and IPCP, then carries IP until the
// session ends.
func (c *Conn) Run(ctx context.Context) {
	lcp := &ncp{proto: protoLCP, opts: []option{
		{1, binary.BigEndian.AppendUint16(nil, uint16(c.cfg.mru))},
		{5, binary.BigEndian.AppendUint32(nil, c.magic)},
	}}
	// The server asks for its strongest allowed protocol and goes down
	// its list as the client refuses them (authAfterRefusal).
	allowed := ranked(c.cfg.auth)
	refused := map[Auth]bool{}
	if c.cfg.server && len(allowed) > 0 {
		c.Auth = allowed[0]
		lcp.opts = append(lcp.opts, option{3, c.Auth.option()})
	}
	ipcp := &ncp{proto: protoIPCP}
	if c.cfg.server {
		ipcp.opts = []option{{3, c.cfg.local.AsSlice()}}
	} else {
		zero := []byte{0, 0, 0, 0}
		ipcp.opts = []option{{3, zero}, {129, zero}, {131, zero}}
	}
	var clientRefused []string // the client: protocols the server asked for and it Naked
	authed := false
	papID, papTries := uint8(0), 0
	// CHAP, both ends: the challenge's identifier and value, how often
	// it was sent (server) or waited for (client), the server's Success
	// to repeat, and the authenticator response the client expects.
	var chal struct {
		id     uint8
		value  []byte
		tries  int
		answer bool // the client has answered a challenge
		reply  cp
		wantS  string
		sent   []byte // the client's Response value
	}
	ipcpStarted := false
	lastEcho := time.Now()
	isUp := false

	end := func(err error, terminate bool) {
		if terminate {
			c.sendCP(protoLCP, cp{Code: termReq, ID: c.nextID(), Data: []byte("bye")})
		}
		if c.endLower != nil {
			c.endLower()
		}
		c.finish(err)
	}
	if c.cfg.server && c.Auth == "" {
		// A server that allows no protocol lets nobody in: asking for
		// none would let everybody in.
		end(fmt.Errorf("lcp: the server allows no authentication protocol: %w", ErrNoCommonAuth), false)
		return
	}
	startIPCP := func() {
		if !ipcpStarted {
			ipcpStarted = true
			c.request(ipcp)
		}
	}
	sendChallenge := func() {
		chal.tries++
		c.sendCP(protoCHAP, chapValue(chapChallenge, chal.id, chal.value, c.cfg.name))
	}
	afterLCP := func() {
		if !lcp.open() {
			return
		}
		switch {
		case c.cfg.server:
			if c.Auth != PAP && chal.value == nil {
				chal.id = c.nextID()
				chal.value = make([]byte, challengeLen(c.Auth))
				_, _ = rand.Read(chal.value)
				sendChallenge()
			}
			// PAP: wait for the client's request.
		case c.Auth == PAP && !authed:
			if papTries == 0 {
				papID = c.nextID()
				papTries++
				c.sendCP(protoPAP, papRequest(papID, c.cfg.user, c.cfg.password))
			}
		case c.Auth == "":
			startIPCP()
		}
		// CHAP client: wait for the server's challenge.
	}
	checkUp := func() {
		if !isUp && ipcp.open() {
			isUp = true
			lastEcho = time.Now()
			close(c.up)
		}
	}
	authFailed := func(msg string) {
		// The client's Failure, then the end of the session, as
		// RouterOS ends a refused login.
		end(fmt.Errorf("user %q: %s: %w", c.User, msg, ErrAuth), true)
	}

	c.request(lcp)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			end(ErrClosed, true)
			return
		case <-c.closeReq:
			end(ErrClosed, true)
			return
		case <-tick.C:
			switch {
			case !lcp.mine:
				if lcp.tries >= maxTries {
					end(fmt.Errorf("lcp: %w", ErrNegotiate), false)
					return
				}
				c.request(lcp)
			case !lcp.open():
			case !c.cfg.server && c.Auth == PAP && !authed:
				if papTries >= maxTries {
					end(fmt.Errorf("pap: %w", ErrNegotiate), true)
					return
				}
				papTries++
				c.sendCP(protoPAP, papRequest(papID, c.cfg.user, c.cfg.password))
			case !c.cfg.server && c.Auth != "" && !authed:
				// The server retransmits its challenge; the client
				// only bounds its wait.
				if chal.tries++; chal.tries > 3*maxTries {
					end(fmt.Errorf("%s: %w", c.Auth, ErrNegotiate), true)
					return
				}
			case c.cfg.server && !authed:
				if c.Auth != PAP && chal.tries < maxTries {
					sendChallenge()
				}
				if lcp.tries++; lcp.tries > 3*maxTries {
					end(fmt.Errorf("%s: %w", c.Auth, ErrNegotiate), true)
					return
				}
			case ipcpStarted && !ipcp.mine:
				if ipcp.tries >= maxTries {
					end(fmt.Errorf("ipcp: %w", ErrNegotiate), true)
					return
				}
				c.request(ipcp)
			}
			if isUp && c.cfg.keepalive > 0 {
				if time.Since(lastEcho) > c.cfg.keepalive {
					end(ErrKeepalive, true)
					return
				}
				c.sendCP(protoLCP, cp{Code: echoReq, ID: c.nextID(), Data: binary.BigEndian.AppendUint32(nil, c.magic)})
			}
		case f := <-c.in:
			if f == nil {
				c.endLower = nil
				end(c.noCommonAuth(fmt.Errorf("%s: %w", c.lowerName, ErrTerminated), lcp.open(), clientRefused), false)
				return
			}
			if len(f) < 2 {
				continue
			}
			proto, body := binary.BigEndian.Uint16(f), f[2:]
			switch proto {
			case protoIP:
				if isUp {
					select {
					case c.ip <- body:
					default: // reader too slow: drop, as a full queue would
					}
				}
				continue
			case protoLCP:
				p, err := parseCP(body)
				if err != nil {
					continue
				}
				switch p.Code {
				case confReq:
					wasOpen := lcp.open()
					reply, ok, auth, nak := c.lcpRequest(p)
					c.sendCP(protoLCP, reply)
					if nak != "" && !slices.Contains(clientRefused, nak) {
						clientRefused = append(clientRefused, nak)
					}
					if ok {
						lcp.theirs = true
						if !c.cfg.server {
							c.Auth = auth
						}
					}
					if wasOpen {
						// A renegotiation restarts everything above LCP;
						// keep it simple and end the session instead.
						end(errors.New("peer renegotiated LCP"), true)
						return
					}
					afterLCP()
				case confAck:
					if p.ID == lcp.reqID {
						lcp.mine = true
						afterLCP()
					}
				case confNak, confRej:
					if p.ID != lcp.reqID {
						continue
					}
					if c.cfg.server {
						if _, about := findOption(p.Data, 3); about {
							next, ok := authAfterRefusal(p, c.Auth, allowed, refused)
							if !ok {
								end(fmt.Errorf("lcp: the client refused %s: %w", joinAuth(allowed), ErrNoCommonAuth), true)
								return
							}
							c.cfg.log("lcp: the client refused %s; asking for %s", c.Auth, next)
							c.Auth = next
							for i := range lcp.opts {
								if lcp.opts[i].Type == 3 {
									lcp.opts[i].Data = next.option()
								}
							}
						}
						// The authentication option is the server's to
						// choose: adjust must not copy or drop it.
						p = withoutOption(p, 3)
					}
					adjust(lcp, p)
					c.request(lcp)
				case termReq:
					c.sendCP(protoLCP, cp{Code: termAck, ID: p.ID})
					end(c.noCommonAuth(ErrTerminated, lcp.open(), clientRefused), false)
					return
				case echoReq:
					if lcp.open() {
						c.sendCP(protoLCP, cp{Code: echoRep, ID: p.ID, Data: append(binary.BigEndian.AppendUint32(nil, c.magic), tail(p.Data, 4)...)})
					}
				case echoRep:
					lastEcho = time.Now()
				case termAck, codeRej, protoRej, discReq:
				default:
					c.sendCP(protoLCP, cp{Code: codeRej, ID: c.nextID(), Data: body})
				}
			case protoPAP:
				p, err := parseCP(body)
				if err != nil || !lcp.open() || c.Auth != PAP {
					continue
				}
				if c.cfg.server {
					if p.Code != 1 {
						continue
					}
					u, pw, err := parsePAPRequest(p.Data)
					c.User = u
					if err == nil && c.cfg.check(u, papVerifier(pw)) {
						authed = true
						// A router's login decides the server's own
						// address per session (its profile's
						// local-address), so IPCP offers it only now.
						ipcp.opts = []option{{3, c.cfg.local.AsSlice()}}
						c.sendCP(protoPAP, cp{Code: 2, ID: p.ID, Data: []byte{0}})
						startIPCP()
						continue
					}
					msg := "invalid user name or password"
					c.sendCP(protoPAP, cp{Code: 3, ID: p.ID, Data: append([]byte{uint8(len(msg))}, msg...)})
					authFailed("pap")
					return
				}
				if p.ID != papID {
					continue
				}
				switch p.Code {
				case 2:
					authed = true
					startIPCP()
				case 3:
					end(ErrAuth, false)
					return
				}
			case protoCHAP:
				p, err := parseCP(body)
				if err != nil || !lcp.open() || c.Auth == "" || c.Auth == PAP {
					continue
				}
				if c.cfg.server {
					if p.Code != chapResp || p.ID != chal.id {
						continue
					}
					if authed {
						// Our Success was lost: say it again (RFC 1994 4.2).
						c.sendCP(protoCHAP, chal.reply)
						continue
					}
					value, name, err := parseCHAPValue(p.Data)
					c.User = name
					var success string
					var mppe [2][]byte
					if err == nil && c.cfg.check(name, chapVerifier(c.Auth, p.ID, chal.value, value, name, &success, &mppe)) {
						authed = true
						if mppe[0] != nil {
							c.setMPPE(mppe[0], mppe[1])
						}
						msg := "Welcome"
						if c.Auth == MSCHAPv2 {
							msg = success + " M=Welcome"
						}
						chal.reply = cp{Code: chapSuccess, ID: p.ID, Data: []byte(msg)}
						c.sendCP(protoCHAP, chal.reply)
						ipcp.opts = []option{{3, c.cfg.local.AsSlice()}}
						startIPCP()
						continue
					}
					c.sendCP(protoCHAP, cp{Code: chapFailure, ID: p.ID, Data: []byte(chapFailureMessage(c.Auth))})
					authFailed(string(c.Auth))
					return
				}
				switch p.Code {
				case chapChallenge:
					if authed {
						continue
					}
					value, _, err := parseCHAPValue(p.Data)
					if err != nil {
						continue
					}
					if chal.answer && p.ID == chal.id && bytes.Equal(value, chal.value) {
						// A retransmitted challenge gets the same
						// response: a new MS-CHAPv2 peer challenge would
						// change the authenticator response we expect,
						// and the server's Success answers the first.
						c.sendCP(protoCHAP, chal.reply)
						continue
					}
					peer := make([]byte, 16)
					_, _ = rand.Read(peer)
					answer, wantS, err := chapAnswer(c.Auth, p.ID, value, peer, c.cfg.user, c.cfg.password)
					if err != nil {
						end(err, true)
						return
					}
					chal.id, chal.answer, chal.wantS, chal.value, chal.sent = p.ID, true, wantS, value, answer
					chal.reply = chapValue(chapResp, p.ID, answer, c.cfg.user)
					c.sendCP(protoCHAP, chal.reply)
				case chapSuccess:
					if !chal.answer || p.ID != chal.id || authed {
						continue
					}
					if c.Auth == MSCHAPv2 && !provesPassword(p.Data, chal.wantS) {
						end(fmt.Errorf("mschap2: Success %q: %w", p.Data, ErrPeerAuth), true)
						return
					}
					if c.Auth == MSCHAPv2 {
						c.setMPPE(mppeKeys(c.cfg.password, chal.sent[24:48]))
					}
					authed = true
					startIPCP()
				case chapFailure:
					if chal.answer && p.ID == chal.id {
						end(ErrAuth, false)
						return
					}
				}
			case protoIPCP:
				p, err := parseCP(body)
				if err != nil || !lcp.open() || (c.cfg.server && !authed) {
					continue
				}
				switch p.Code {
				case confReq:
					reply, ok := c.ipcpRequest(p)
					c.sendCP(protoIPCP, reply)
					if ok {
						ipcp.theirs = true
					}
					startIPCP()
				case confAck:
					if p.ID == ipcp.reqID {
						ipcp.mine = true
						if !c.cfg.server {
							c.takeIPCP(ipcp.opts)
						}
					}
				case confNak, confRej:
					if p.ID == ipcp.reqID {
						adjust(ipcp, p)
						c.request(ipcp)
					}
				case termReq:
					c.sendCP(protoIPCP, cp{Code: termAck, ID: p.ID})
					end(ErrTerminated, true)
					return
				}
				checkUp()
			default:
				if lcp.open() {
					// Protocol-Reject: the rejected protocol and its information.
					c.sendCP(protoLCP, cp{Code: protoRej, ID: c.nextID(), Data: f})
				}
			}
		}
	}
}

// noCommonAuth explains a client's session that the server ended during
// LCP after the client had Naked the protocols it asked for: the server
// allows nothing the client does.
func (c *Conn) noCommonAuth(err error, lcpOpen bool, refused []string) error {
	if c.cfg.server || lcpOpen || len(refused) == 0 {
		return err
	}
	return fmt.Errorf("the server asked only for %s, outside allow: %w: %w", strings.Join(refused, ", "), ErrNoCommonAuth, err)
}

// authAfterRefusal is the protocol the server asks for after the client
// Naked or Rejected cur: a Nak's suggestion when the server allows it and
// the client has not refused it before, else the strongest allowed
// protocol not yet refused. ok is false when none is left. Marking refused
// protocols bounds the exchange: each step drops one.
func authAfterRefusal(p cp, cur Auth, allowed []Auth, refused map[Auth]bool) (Auth, bool) {
	refused[cur] = true
	if d, ok := findOption(p.Data, 3); ok && p.Code == confNak {
		if a, ok := authOf(d); ok && slices.Contains(allowed, a) && !refused[a] {
			return a, true
		}
	}
	for _, a := range allowed {
		if !refused[a] {
			return a, true
		}
	}
	return "", false
}

func joinAuth(as []Auth) string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = string(a)
	}
	return strings.Join(s, ", ")
}

// chapFailureMessage is the server's Failure text. The MS-CHAP forms say
// "wrong password" (E=691) and "do not retry" (R=0), since the server
// ends the session; MS-CHAPv2 adds a fresh challenge and version 3, as
// RFC 2759 6 requires of the format.
func chapFailureMessage(a Auth) string {
	switch a {
	case MSCHAPv1:
		return "E=691 R=0"
	case MSCHAPv2:
		ch := make([]byte, 16)
		_, _ = rand.Read(ch)
		return fmt.Sprintf("E=691 R=0 C=%X V=3 M=Authentication failed", ch)
	}
	return "invalid user name or password"
}

// provesPassword reports whether an MS-CHAPv2 Success message starts
// with the authenticator response want ("S=" and 40 hex digits, RFC 2759
// 5; the case of the digits is not significant).
func provesPassword(msg []byte, want string) bool {
	return len(want) == 42 && len(msg) >= 42 && strings.EqualFold(string(msg[:42]), want)
}

func tail(b []byte, n int) []byte {
	if len(b) < n {
		return nil
	}
	return b[n:]
}

// adjust applies a Configure-Nak (take the peer's values) or -Reject (drop
// the options) to our request.
func adjust(n *ncp, p cp) {
	opts, err := parseOptions(p.Data)
	if err != nil {
		return
	}
	for _, o := range opts {
		for i := 0; i < len(n.opts); i++ {
			if n.opts[i].Type != o.Type {
				continue
			}
			if p.Code == confRej {
				n.opts = append(n.opts[:i], n.opts[i+1:]...)
				i--
			} else {
				n.opts[i].Data = append([]byte(nil), o.Data...)
			}
		}
	}
}

// findOption returns the data of the first option of type t in a
// Configure packet's data.
func findOption(d []byte, t uint8) ([]byte, bool) {
	opts, err := parseOptions(d)
	if err != nil {
		return nil, false
	}
	for _, o := range opts {
		if o.Type == t {
			return o.Data, true
		}
	}
	return nil, false
}

// withoutOption is p with the options of type t left out.
func withoutOption(p cp, t uint8) cp {
	opts, err := parseOptions(p.Data)
	if err != nil {
		return p
	}
	var keep []option
	for _, o := range opts {
		if o.Type != t {
			keep = append(keep, o)
		}
	}
	return cp{Code: p.Code, ID: p.ID, Data: encodeOptions(keep)}
}

// verdict collects the answers to a Configure-Request: Reject wins over
// Nak, which wins over Ack (RFC 1661 5.2-5.4).
type verdict struct{ nak, rej []option }

func (v verdict) reply(p cp) (cp, bool) {
	switch {
	case len(v.rej) > 0:
		return cp{Code: confRej, ID: p.ID, Data: encodeOptions(v.rej)}, false
	case len(v.nak) > 0:
		return cp{Code: confNak, ID: p.ID, Data: encodeOptions(v.nak)}, false
	}
	return cp{Code: confAck, ID: p.ID, Data: p.Data}, true
}

// lcpRequest answers the peer's LCP Configure-Request. A client also
// returns the authentication protocol the request asks for (accepted with
// the request when ok) and the name of one it Naked.
func (c *Conn) lcpRequest(p cp) (reply cp, ok bool, auth Auth, naked string) {
	opts, err := parseOptions(p.Data)
	if err != nil {
		return cp{Code: confRej, ID: p.ID, Data: p.Data}, false, "", ""
	}
	var v verdict
	mtu := 1500
	for _, o := range opts {
		switch {
		case o.Type == 1 && len(o.Data) == 2: // MRU
			mtu = int(binary.BigEndian.Uint16(o.Data))
			if mtu < 576 {
				v.nak = append(v.nak, option{1, binary.BigEndian.AppendUint16(nil, 576)})
			}
		case o.Type == 5 && len(o.Data) == 4: // magic number
		case o.Type == 3 && len(o.Data) >= 2 && !c.cfg.server: // authentication
			a, known := authOf(o.Data)
			if known && slices.Contains(ranked(c.cfg.auth), a) {
				auth = a
				continue
			}
			naked = fmt.Sprintf("0x%x", o.Data)
			if known {
				naked = string(a)
			}
			if mine := ranked(c.cfg.auth); len(mine) > 0 {
				// Suggest the strongest protocol we allow (RFC 1661 6.2).
				v.nak = append(v.nak, option{3, mine[0].option()})
			} else {
				v.rej = append(v.rej, o)
			}
		default:
			v.rej = append(v.rej, o)
		}
	}
	reply, ok = v.reply(p)
	if ok {
		c.MTU = min(mtu, 1492)
	}
	return reply, ok, auth, naked
}

// ipcpRequest answers the peer's IPCP Configure-Request.
func (c *Conn) ipcpRequest(p cp) (cp, bool) {
	opts, err := parseOptions(p.Data)
	if err != nil {
		return cp{Code: confRej, ID: p.ID, Data: p.Data}, false
	}
	var v verdict
	for _, o := range opts {
		a, ok := netip.AddrFromSlice(o.Data)
		if !ok || !a.Is4() {
			v.rej = append(v.rej, o)
			continue
		}
		switch {
		case o.Type == 3 && c.cfg.server:
			if a != c.cfg.peer {
				v.nak = append(v.nak, option{3, c.cfg.peer.AsSlice()})
			}
		case o.Type == 3: // the server's own address
			if !a.IsUnspecified() {
				c.Peer = a
			}
		case (o.Type == 129 || o.Type == 131) && c.cfg.server:
			i := 0
			if o.Type == 131 {
				i = 1
			}
			if i >= len(c.cfg.dns) {
				v.rej = append(v.rej, o)
			} else if a != c.cfg.dns[i] {
				v.nak = append(v.nak, option{o.Type, c.cfg.dns[i].AsSlice()})
			}
		default:
			v.rej = append(v.rej, o)
		}
	}
	return v.reply(p)
}

// takeIPCP records the client's acknowledged address and DNS servers.
func (c *Conn) takeIPCP(opts []option) {
	c.DNS = nil
	for _, o := range opts {
		a, _ := netip.AddrFromSlice(o.Data)
		switch o.Type {
		case 3:
			c.Local = a
		case 129, 131:
			if !a.IsUnspecified() {
				c.DNS = append(c.DNS, a)
			}
		}
	}
}
