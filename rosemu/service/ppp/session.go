package ppp

import (
	"encoding/binary"
	"net/netip"
	"time"
)

// Config is what one end of a session negotiates with.
type Config struct {
	// Server: this end authenticates the peer and gives it an address.
	Server bool
	// MRU is the largest packet this end receives (0: 1492).
	MRU int
	// Keepalive: one LCP echo a second, the session ends when no reply
	// came for this long (0: no watchdog).
	Keepalive time.Duration
	// Auth is the protocols this end allows (nil: all): a server asks
	// for them strongest first, a client accepts them.
	Auth []Auth
	// User and Password are the client's login.
	User, Password string
	// Name is the server's name in CHAP challenges.
	Name string
	// Check decides a server's login; it may call Grant to set the
	// addresses the session gets before IPCP.
	Check func(c *Conn, user string, proves Verifier) bool
	// Local is the server's own address, Peer the one it gives the
	// client, DNS up to two servers offered to the client.
	Local, Peer netip.Addr
	DNS         []netip.Addr
	// Lower names the transport's end of a session in errors ("PADT").
	Lower string
	Log   func(format string, args ...any)
}

// New makes a session whose PPP frames (protocol field first) go out by
// send; end ends the transport's session after LCP has terminated. The
// caller runs Run and feeds the peer's frames to Deliver.
func New(cfg Config, session uint16, send func(proto uint16, b []byte) error, end func()) *Conn {
	var c *Conn
	pc := pppConfig{server: cfg.Server, mru: cfg.MRU, keepalive: cfg.Keepalive, auth: cfg.Auth,
		user: cfg.User, password: cfg.Password, name: cfg.Name,
		local: cfg.Local, peer: cfg.Peer, dns: cfg.DNS, log: cfg.Log}
	if cfg.Check != nil {
		pc.check = func(user string, proves Verifier) bool { return cfg.Check(c, user, proves) }
	}
	c = newConn(pc, session, send, end)
	c.lowerName = cfg.Lower
	if c.lowerName == "" {
		c.lowerName = "lower layer"
	}
	c.Local, c.Peer = cfg.Local, cfg.Peer
	return c
}

// Grant sets the addresses a server's session negotiates in IPCP: its
// own, the client's and the DNS servers offered. Called from Check.
func (c *Conn) Grant(local, peer netip.Addr, dns []netip.Addr) {
	c.cfg.local, c.Local, c.cfg.peer, c.Peer = local, local, peer, peer
	c.cfg.dns = dns
}

// RequestedAuth reads a PPP frame (protocol field first): when it is an
// LCP Configure-Request asking for an authentication protocol, it returns
// that protocol. Tests read a server's order of preference with it.
func RequestedAuth(frame []byte) (Auth, bool) {
	if len(frame) < 2 || binary.BigEndian.Uint16(frame) != protoLCP {
		return "", false
	}
	p, err := parseCP(frame[2:])
	if err != nil || p.Code != confReq {
		return "", false
	}
	d, ok := findOption(p.Data, 3)
	if !ok {
		return "", false
	}
	return authOf(d)
}

// CHAPSuccessMessage returns the message of a PPP frame that is a CHAP
// Success, in place (tests alter it to play a server that does not know
// the password), or nil.
func CHAPSuccessMessage(frame []byte) []byte {
	if len(frame) < 2 || binary.BigEndian.Uint16(frame) != protoCHAP {
		return nil
	}
	p, err := parseCP(frame[2:])
	if err != nil || p.Code != chapSuccess {
		return nil
	}
	return p.Data
}
