// Package pppsession is what the router's PPP servers (PPPoE, L2TP) do
// with a session once its login is granted: a TUN of the session's
// interface name, the engine's address and route on it, the profile's
// on-up and on-down scripts, and the packets pumped until the session
// ends or /ppp active loses it.
package pppsession

import (
	"context"
	"errors"
	"log/slog"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/script"
	"github.com/chrlab/chrlab/rosemu/service/ppp"
)

// Engine is the part of the router a session needs; *config.Router
// implements it. The session methods act on /ppp active by id, whatever
// the server.
type Engine interface {
	PPPoESessionUp(id string, mtu int) (config.PPPSession, error)
	PPPoESessionDown(id, why string) (config.PPPSession, bool)
}

// scriptEngine runs the profile's on-up and on-down scripts
// (*config.Router is one).
type scriptEngine interface {
	RunScript(ctx context.Context, name, src string, vars map[string]script.Value) error
}

// Sessions are a server's up sessions by their /ppp active id.
type Sessions struct {
	// OpenTUN opens a session's TUN (tests open it inside a network
	// namespace); nil is OpenTUN.
	OpenTUN func(name string, mtu int) (*os.File, error)
	// Kind names the server in the log ("pppoe", "l2tp").
	Kind string

	mu    sync.Mutex
	conns map[string]*ppp.Conn
}

// Keep closes the sessions whose id is not in ids (/ppp active remove,
// one-session-per-host). It does not block: the engine calls it under
// its lock.
func (m *Sessions) Keep(ids []string) {
	m.mu.Lock()
	have := map[string]bool{}
	for _, id := range ids {
		have[id] = true
	}
	var gone []*ppp.Conn
	for id, c := range m.conns {
		if !have[id] {
			gone = append(gone, c)
			delete(m.conns, id)
		}
	}
	m.mu.Unlock()
	for _, c := range gone {
		go c.Close()
	}
}

// Forget drops the session id (it ended before it came up).
func (m *Sessions) Forget(id string) {
	m.mu.Lock()
	delete(m.conns, id)
	m.mu.Unlock()
}

// Carry brings the session's interface up with at most maxMTU and pumps
// its packets until it ends; the engine takes its address and route away
// before the TUN goes.
func (m *Sessions) Carry(ctx context.Context, e Engine, c *ppp.Conn, g config.PPPGrant, maxMTU int, log *slog.Logger) {
	id := g.ID
	defer m.Forget(id)
	// A session removed from /ppp active while it negotiated fails to
	// come up below (the engine no longer has it).
	m.mu.Lock()
	if m.conns == nil {
		m.conns = map[string]*ppp.Conn{}
	}
	m.conns[id] = c
	m.mu.Unlock()
	kind := m.Kind
	mtu := min(c.MTU, maxMTU)
	open := m.OpenTUN
	if open == nil {
		open = OpenTUN
	}
	tun, err := open(g.Interface, mtu)
	if err != nil {
		log.Warn(kind+" session has no interface", "session", id, "err", err)
		e.PPPoESessionDown(id, "")
		c.Close()
		return
	}
	defer tun.Close()
	s, err := e.PPPoESessionUp(id, mtu)
	if err != nil {
		log.Warn(kind+" session could not come up", "session", id, "err", err)
		e.PPPoESessionDown(id, "")
		c.Close()
		return
	}
	log.Info(kind+" session up", "user", s.User, "interface", s.Interface, "local", s.Local, "remote", s.Remote)
	profileScript(ctx, e, s, true, log)
	stop := make(chan struct{})
	// The profile's session-timeout ends the session once it has been up
	// that long (PPP AAA page: "maximum time the connection can stay
	// up"); a nil channel never fires.
	var timeout <-chan time.Time
	if s.SessionTimeout > 0 {
		t := time.NewTimer(s.SessionTimeout)
		defer t.Stop()
		timeout = t.C
	}
	// The profile's idle-timeout ends it once nothing has come from the
	// client for that long. What counts as activity is [verify]: rosemu
	// counts the client's packets (RouterOS's PPP AAA page: "the link will
	// be terminated if there was no activity present"), not the router's
	// to it nor LCP echoes.
	var lastIn atomic.Int64
	lastIn.Store(time.Now().UnixNano())
	var idle <-chan time.Time
	if s.IdleTimeout > 0 {
		tk := time.NewTicker(min(time.Second, s.IdleTimeout/4))
		defer tk.Stop()
		idle = tk.C
	}
	var timedOut, idledOut atomic.Bool
	go func() {
		for {
			select {
			case <-ctx.Done():
				c.Close()
				return
			case <-timeout:
				timedOut.Store(true)
				c.Close()
				return
			case <-idle:
				if time.Since(time.Unix(0, lastIn.Load())) >= s.IdleTimeout {
					idledOut.Store(true)
					c.Close()
					return
				}
			case <-stop:
				return
			}
		}
	}()
	// Only the client's own address, and the subnets its secret's routes
	// send through the session, may enter through it, as RouterOS's PPP
	// interface routes nothing else back.
	allow := func(p []byte) bool {
		lastIn.Store(time.Now().UnixNano())
		if len(p) < 20 {
			return false
		}
		src, _ := netip.AddrFromSlice(p[12:16])
		if src == s.Remote {
			return true
		}
		for _, r := range s.Routed {
			if r.Contains(src) {
				return true
			}
		}
		return false
	}
	err = ppp.Pump(c, tun, allow)
	close(stop)
	why := ""
	switch {
	case timedOut.Load():
		// RouterOS's words [verify] against a RouterOS log.
		why = "session timeout"
	case idledOut.Load():
		why = "idle timeout" // [verify] as above
	case errors.Is(err, ppp.ErrKeepalive):
		why = "peer is not responding"
	}
	if _, ok := e.PPPoESessionDown(id, why); ok {
		log.Info(kind+" session ended", "user", s.User, "err", err)
	}
	profileScript(context.WithoutCancel(ctx), e, s, false, log)
}

// profileScript runs the session profile's on-up or on-down script with
// the variables RouterOS gives them (PPP AAA page of the manual).
func profileScript(ctx context.Context, e Engine, s config.PPPSession, up bool, log *slog.Logger) {
	se, ok := e.(scriptEngine)
	if !ok {
		return
	}
	src, event := s.OnUp, "on-up"
	if !up {
		src, event = s.OnDown, "on-down"
	}
	if src == "" {
		return
	}
	vars := map[string]script.Value{
		"user": script.Str(s.User), "interface": script.Str(s.Interface),
		"local-address": script.Str(s.Local.String()), "remote-address": script.Str(s.Remote.String()),
		"caller-id": script.Str(s.CallerID), "called-id": script.Str(""),
	}
	if err := se.RunScript(ctx, "ppp profile "+event+" "+s.User, src, vars); err != nil {
		log.Warn("ppp profile script failed", "event", event, "err", err)
	}
}

// OpenTUN makes the session's TUN under the Linux name that carries the
// RouterOS interface (kernel.LinkName), where the engine's address and
// route look for it.
func OpenTUN(name string, mtu int) (*os.File, error) {
	if name == "" {
		return nil, errors.New("no interface name for the session")
	}
	return ppp.OpenTUNUp(kernel.LinkName(name), mtu)
}

// Grants are the logins a server granted whose sessions are not up yet,
// by the transport's key of a session.
type Grants[K comparable] struct {
	mu sync.Mutex
	m  map[K]config.PPPGrant
}

// Put keeps the grant of session k.
func (g *Grants[K]) Put(k K, grant config.PPPGrant) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.m == nil {
		g.m = map[K]config.PPPGrant{}
	}
	g.m[k] = grant
}

// Take returns and forgets the grant of session k.
func (g *Grants[K]) Take(k K) (config.PPPGrant, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	grant, ok := g.m[k]
	delete(g.m, k)
	return grant, ok
}

// Ended is a session's end before it came up (a granted one that never
// did leaves /ppp active here; one that came up has left it in Carry).
func (m *Sessions) Ended(e Engine, grant config.PPPGrant, ok bool) {
	if ok {
		e.PPPoESessionDown(grant.ID, "")
		m.Forget(grant.ID)
	}
}

// Retry runs once until ctx ends, again after each failure (an interface
// that was rebuilt, a port another socket held): the first failure is
// logged, the next ones at debug level, tried again less and less often
// up to every 10 s; a run that lasted a minute starts the count anew.
func Retry(ctx context.Context, log *slog.Logger, what string, once func() error) {
	pause := time.Second
	for n := 0; ctx.Err() == nil; n++ {
		began := time.Now()
		err := once()
		if ctx.Err() != nil {
			return
		}
		if time.Since(began) > time.Minute {
			n, pause = 0, time.Second // it had served: a new failure
		}
		if n == 0 {
			log.Warn(what+" stopped; starting it again", "err", err)
		} else {
			log.Debug(what+" stopped again", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(pause):
		}
		pause = min(2*pause, 10*time.Second)
	}
}

// ProfileScript runs the profile's on-up (up) or on-down script of a
// session a server other than a PPP one carries (OpenVPN's).
func ProfileScript(ctx context.Context, e Engine, s config.PPPSession, up bool, log *slog.Logger) {
	profileScript(ctx, e, s, up, log)
}
