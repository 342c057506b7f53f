package pppoe

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/chrlab/chrlab/rosemu/service/ppp"
)

// ServerConfig is an access concentrator's settings.
type ServerConfig struct {
	ACName      string
	ServiceName string // empty: offer any service the client asks for
	// Auth is the protocols a client may authenticate with; the server
	// asks for the strongest first (AuthAll's order) and goes down the
	// list as the client refuses them. nil allows all; an empty list
	// none, and every session then ends in LCP.
	Auth []Auth
	// Check reports whether user may log in: proves tells whether the
	// client knows a password (PAP sends it, the CHAPs prove it).
	Check func(user string, proves Verifier) bool
	// Local is the server's end of every session; Assign gives a user
	// the address the client gets (ok false refuses the session).
	Local     netip.Addr
	Assign    func(user string) (netip.Addr, bool)
	DNS       []netip.Addr
	MRU       int
	Keepalive time.Duration
	Log       func(format string, args ...any)
	// Login, when set, replaces Check, Assign, Local and DNS: it
	// authenticates a user logging in from mac on session sid, by
	// calling proves with the user's secret, and gives the session's
	// addresses (a router's PPP secrets and profiles). It runs once per
	// PAP request or CHAP response that reaches it.
	Login func(user string, proves Verifier, mac net.HardwareAddr, sid uint16) (Grant, bool)
	// Ended, when set, is told of every session that ends, whether it
	// came up or not, so that what Login reserved can be released.
	Ended func(c *Conn)
}

// Grant is what a Login gives a session: the server's own address, the
// client's, and up to two DNS servers.
type Grant struct {
	Local, Remote netip.Addr
	DNS           []netip.Addr
}

type sessKey struct {
	mac string
	sid uint16
}

// Serve answers PPPoE discovery on l and runs a session per client. Each
// session that comes up is handed to up (in its own goroutine); Serve
// returns when ctx ends or l fails, closing l and every session.
func Serve(ctx context.Context, l Link, cfg ServerConfig, up func(*Conn)) error {
	if cfg.Log == nil {
		cfg.Log = func(string, ...any) {}
	}
	var key [32]byte
	_, _ = rand.Read(key[:])
	cookie := func(mac net.HardwareAddr) []byte {
		m := hmac.New(sha256.New, key[:])
		m.Write(mac)
		return m.Sum(nil)[:16]
	}
	me := l.HardwareAddr()
	send := func(dst net.HardwareAddr, et uint16, h header) error {
		return l.Send(Frame{Dst: dst, Src: me, Type: et, Payload: h.bytes()})
	}
	var mu sync.Mutex
	sessions := map[sessKey]*Conn{}
	var next uint16
	var wg sync.WaitGroup

	go func() { <-ctx.Done(); l.Close() }()
	defer func() {
		mu.Lock()
		all := make([]*Conn, 0, len(sessions))
		for _, c := range sessions {
			all = append(all, c)
		}
		mu.Unlock()
		for _, c := range all {
			c.Close()
		}
		wg.Wait()
	}()

	for {
		f, err := l.Recv()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		h, err := parseHeader(f.Payload)
		if err != nil {
			continue
		}
		if f.Type == EtherSession {
			mu.Lock()
			c := sessions[sessKey{f.Src.String(), h.Session}]
			mu.Unlock()
			if c != nil && h.Code == codeSession {
				c.Deliver(h.Payload)
			}
			continue
		}
		tags, err := parseTags(h.Payload)
		if err != nil {
			continue
		}
		svc, _ := find(tags, tagServiceName)
		echo := []tag{{tagServiceName, svc}, {tagACName, []byte(cfg.ACName)}}
		if u, ok := find(tags, tagHostUniq); ok {
			echo = append(echo, tag{tagHostUniq, u})
		}
		svcOK := len(svc) == 0 || cfg.ServiceName == "" || string(svc) == cfg.ServiceName
		switch h.Code {
		case codePADI:
			if !svcOK {
				continue // RFC 2516 5.2: do not answer a service we do not offer
			}
			echo = append(echo, tag{tagACCookie, cookie(f.Src)})
			_ = send(f.Src, EtherDiscovery, header{Code: codePADO, Payload: encodeTags(echo)})
		case codePADR:
			if ck, _ := find(tags, tagACCookie); !hmac.Equal(ck, cookie(f.Src)) {
				continue
			}
			if !svcOK {
				echo = append(echo, tag{tagServiceError, []byte("service not offered")})
				_ = send(f.Src, EtherDiscovery, header{Code: codePADS, Payload: encodeTags(echo)})
				continue
			}
			mac := append(net.HardwareAddr(nil), f.Src...)
			mu.Lock()
			next++
			if next == 0 || next == 0xffff {
				next = 1
			}
			sid := next
			mu.Unlock()
			c := serverConn(cfg, l, me, mac, sid)
			mu.Lock()
			sessions[sessKey{mac.String(), sid}] = c
			mu.Unlock()
			_ = send(mac, EtherDiscovery, header{Code: codePADS, Session: sid, Payload: encodeTags(echo)})
			wg.Add(1)
			go func() {
				defer wg.Done()
				go c.Run(context.Background())
				select {
				case <-c.Up():
					cfg.Log("session %d: user %s up as %s", sid, c.User, c.Peer)
					up(c)
				case <-c.Done():
				}
				<-c.Done()
				cfg.Log("session %d: down: %v", sid, c.Err())
				if cfg.Ended != nil {
					cfg.Ended(c)
				}
				mu.Lock()
				delete(sessions, sessKey{mac.String(), sid})
				mu.Unlock()
			}()
		case codePADT:
			mu.Lock()
			c := sessions[sessKey{f.Src.String(), h.Session}]
			mu.Unlock()
			if c != nil {
				c.PeerEnded()
			}
		}
	}
}

// serverConn builds the server's end of session sid with the client mac.
func serverConn(cfg ServerConfig, l Link, me, mac net.HardwareAddr, sid uint16) *Conn {
	send := func(et uint16, h header) error {
		return l.Send(Frame{Dst: mac, Src: me, Type: et, Payload: h.bytes()})
	}
	sendPPP := func(proto uint16, b []byte) error {
		p := binary.BigEndian.AppendUint16(make([]byte, 0, 2+len(b)), proto)
		return send(EtherSession, header{Code: codeSession, Session: sid, Payload: append(p, b...)})
	}
	padt := func() { _ = send(EtherDiscovery, header{Code: codePADT, Session: sid}) }
	check := func(c *Conn, u string, proves Verifier) bool {
		if cfg.Login != nil {
			g, ok := cfg.Login(u, proves, mac, sid)
			if ok {
				c.Grant(g.Local, g.Remote, g.DNS)
			}
			return ok
		}
		if !cfg.Check(u, proves) {
			return false
		}
		a, ok := cfg.Assign(u)
		if ok {
			c.Grant(cfg.Local, a, cfg.DNS)
		}
		return ok
	}
	mru := cfg.MRU
	if mru == 0 {
		mru = 1492
	}
	c := ppp.New(ppp.Config{Server: true, MRU: mru, Keepalive: cfg.Keepalive, Check: check, Auth: cfg.Auth, Name: cfg.ACName,
		Local: cfg.Local, DNS: cfg.DNS, Lower: "PADT", Log: cfg.Log}, sid, sendPPP, padt)
	c.PeerMAC = mac
	return c
}
