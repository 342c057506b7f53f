// Package pppoeserver is rosemu's /interface pppoe-server server service:
// for every enabled server it answers PPPoE discovery on the server's
// interface (rosemu/service/pppoe), asks the configuration engine at each
// login, and carries each session that comes up over a TUN interface of
// the session's name, which the engine gives its address and route.
package pppoeserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"sync"
	"time"

	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/guard"
	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/script"
	"github.com/chrlab/chrlab/rosemu/service/internal/doorbell"
	"github.com/chrlab/chrlab/rosemu/service/internal/reconcile"
	"github.com/chrlab/chrlab/rosemu/service/ppp"
	"github.com/chrlab/chrlab/rosemu/service/pppoe"
)

// Engine is the part of the router the manager drives; *config.Router
// implements it.
type Engine interface {
	PPPoEServers() []config.PPPoEServer
	PPPoELogin(serverID, user string, proves func(secret string) bool, mac string) (config.PPPGrant, error)
	PPPoESessionUp(id string, mtu int) (config.PPPSession, error)
	PPPoESessionDown(id, why string) (config.PPPSession, bool)
}

// scriptEngine runs the profile's on-up and on-down scripts
// (*config.Router is one).
type scriptEngine interface {
	RunScript(ctx context.Context, name, src string, vars map[string]script.Value) error
}

// Manager runs one access concentrator per enabled server. Hand it to
// config.Options.PPPoEServer, then call Run with the router.
type Manager struct {
	Log *slog.Logger

	want  doorbell.Latest[[]config.PPPoEServer]
	mu    sync.Mutex
	conns map[string]*pppoe.Conn // up sessions by their /ppp active id

	// openLink and openTUN open the server's interface and a session's
	// TUN (tests open them inside a network namespace).
	openLink func(name string) (pppoe.Link, error)
	openTUN  func(name string, mtu int) (*os.File, error)
}

// New returns a manager for this process's network namespace.
func New(log *slog.Logger) *Manager {
	return &Manager{Log: log, conns: map[string]*pppoe.Conn{}, openLink: pppoe.OpenLink, openTUN: openTUN}
}

// Update implements config.PPPoEServerService without blocking: the
// engine calls it under its lock. A session the table lost (/ppp active
// remove, one-session-per-host) is closed here, which needs no lock of
// the engine's.
func (m *Manager) Update(servers []config.PPPoEServer, sessions []string) {
	m.mu.Lock()
	have := map[string]bool{}
	for _, id := range sessions {
		have[id] = true
	}
	var gone []*pppoe.Conn
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
	m.want.Set(append([]config.PPPoEServer(nil), servers...))
}

// Run starts and stops servers as the entries change until ctx ends.
func (m *Manager) Run(ctx context.Context, e Engine) error {
	if m.Log == nil {
		m.Log = slog.New(slog.DiscardHandler)
	}
	// The engine is asked outside any lock of the manager's: it calls
	// Update with its own lock held (the other order deadlocked the
	// router). An Update that came meanwhile is newer than this.
	m.want.Seed(e.PPPoEServers())
	// A change of a server's settings restarts it and its sessions, as
	// RouterOS does: the entry is its own key.
	reconcile.Loop(ctx, &m.want, func(w config.PPPoEServer) bool { return !w.Disabled }, func(cctx context.Context, w config.PPPoEServer) {
		_ = guard.Do(m.Log, "PPPoE server on "+w.Interface, func() error { m.serve(cctx, e, w); return nil })
	})
	return nil
}

// serve runs one server until ctx ends, reopening its interface when it
// fails (a bridge that was rebuilt).
func (m *Manager) serve(ctx context.Context, e Engine, w config.PPPoEServer) {
	log := m.Log.With("pppoe-server", w.ServiceName, "interface", w.Interface)
	// A server on an interface the emulator has no link for (a port set
	// aside as hardware) fails at once every time: it is logged once, and
	// tried again less and less often, up to every 10 s.
	pause := time.Second
	for n := 0; ctx.Err() == nil; n++ {
		began := time.Now()
		err := m.serveOnce(ctx, e, w, log)
		if ctx.Err() != nil {
			return
		}
		if time.Since(began) > time.Minute {
			n, pause = 0, time.Second // it had served: a new failure
		}
		if n == 0 {
			log.Warn("pppoe server stopped; starting it again", "err", err)
		} else {
			log.Debug("pppoe server stopped again", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(pause):
		}
		pause = min(2*pause, 10*time.Second)
	}
}

type sessKey struct {
	mac string
	sid uint16
}

func (m *Manager) serveOnce(ctx context.Context, e Engine, w config.PPPoEServer, log *slog.Logger) error {
	link, err := m.openLink(w.Interface)
	if err != nil {
		return err
	}
	auth, err := pppoe.ParseAuth(w.Auth)
	if err != nil {
		link.Close()
		return err
	}
	if len(auth) == 0 {
		// A nil list would allow every protocol: an empty one lets
		// nobody in, as the configuration says.
		auth = []pppoe.Auth{}
		log.Warn("pppoe server cannot let clients in: its authentication allows no protocol")
	}
	var mu sync.Mutex
	grants := map[sessKey]config.PPPGrant{}
	mru := w.MaxMRU
	if mru == 0 {
		mru = 1480
	}
	cfg := pppoe.ServerConfig{
		ACName: w.ACName, ServiceName: w.ServiceName, MRU: mru,
		Auth:      auth,
		Keepalive: time.Duration(w.KeepaliveSeconds) * time.Second,
		Log:       func(f string, a ...any) { log.Debug(fmt.Sprintf(f, a...)) },
		Login: func(user string, proves pppoe.Verifier, mac net.HardwareAddr, sid uint16) (pppoe.Grant, bool) {
			g, err := e.PPPoELogin(w.ID, user, proves, mac.String())
			if err != nil {
				log.Info("pppoe login refused", "user", user, "mac", mac.String(), "err", err)
				return pppoe.Grant{}, false
			}
			mu.Lock()
			grants[sessKey{mac.String(), sid}] = g
			mu.Unlock()
			return pppoe.Grant{Local: g.Local, Remote: g.Remote, DNS: g.DNS}, true
		},
		Ended: func(c *pppoe.Conn) {
			k := sessKey{c.PeerMAC.String(), c.Session()}
			mu.Lock()
			g, ok := grants[k]
			delete(grants, k)
			mu.Unlock()
			if ok {
				// A session that never came up leaves /ppp active here;
				// one that did has left it before its TUN closed.
				e.PPPoESessionDown(g.ID, "")
				m.forget(g.ID)
			}
		},
	}
	up := func(c *pppoe.Conn) {
		k := sessKey{c.PeerMAC.String(), c.Session()}
		mu.Lock()
		g, ok := grants[k]
		delete(grants, k)
		mu.Unlock()
		if !ok {
			c.Close()
			return
		}
		m.carry(ctx, e, c, g, log)
	}
	log.Info("pppoe server serving", "service", w.ServiceName)
	return pppoe.Serve(ctx, link, cfg, up)
}

func (m *Manager) forget(id string) {
	m.mu.Lock()
	delete(m.conns, id)
	m.mu.Unlock()
}

// carry brings the session's interface up and pumps its packets until it
// ends; the engine takes its address and route away before the TUN goes.
func (m *Manager) carry(ctx context.Context, e Engine, c *pppoe.Conn, g config.PPPGrant, log *slog.Logger) {
	id := g.ID
	defer m.forget(id)
	// A session removed from /ppp active while it negotiated fails to
	// come up below (the engine no longer has it).
	m.mu.Lock()
	m.conns[id] = c
	m.mu.Unlock()
	mtu := min(c.MTU, 1480)
	tun, err := m.openTUN(g.Interface, mtu)
	if err != nil {
		log.Warn("pppoe session has no interface", "session", id, "err", err)
		e.PPPoESessionDown(id, "")
		c.Close()
		return
	}
	defer tun.Close()
	s, err := e.PPPoESessionUp(id, mtu)
	if err != nil {
		log.Warn("pppoe session could not come up", "session", id, "err", err)
		e.PPPoESessionDown(id, "")
		c.Close()
		return
	}
	log.Info("pppoe session up", "user", s.User, "interface", s.Interface, "local", s.Local, "remote", s.Remote)
	profileScript(ctx, e, s, true, log)
	stop := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			c.Close()
		case <-stop:
		}
	}()
	// Only the client's own address, and the subnets its secret's routes
	// send through the session, may enter through it, as RouterOS's PPP
	// interface routes nothing else back.
	allow := func(p []byte) bool {
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
	if errors.Is(err, pppoe.ErrKeepalive) {
		why = "peer is not responding"
	}
	if _, ok := e.PPPoESessionDown(id, why); ok {
		log.Info("pppoe session ended", "user", s.User, "err", err)
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

// openTUN makes the session's TUN under the Linux name that carries the
// RouterOS interface (kernel.LinkName), where the engine's address and
// route look for it.
func openTUN(name string, mtu int) (*os.File, error) {
	if name == "" {
		return nil, errors.New("no interface name for the session")
	}
	return ppp.OpenTUNUp(kernel.LinkName(name), mtu)
}
