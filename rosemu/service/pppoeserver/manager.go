// Package pppoeserver is rosemu's /interface pppoe-server server service:
// for every enabled server it answers PPPoE discovery on the server's
// interface (rosemu/service/pppoe), asks the configuration engine at each
// login, and carries each session that comes up over a TUN interface of
// the session's name, which the engine gives its address and route.
package pppoeserver

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/guard"
	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/service/internal/doorbell"
	"github.com/chrlab/chrlab/rosemu/service/internal/pppsession"
	"github.com/chrlab/chrlab/rosemu/service/internal/reconcile"
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

// Manager runs one access concentrator per enabled server. Hand it to
// config.Options.PPPoEServer, then call Run with the router.
type Manager struct {
	Log *slog.Logger

	want     doorbell.Latest[[]config.PPPoEServer]
	sessions pppsession.Sessions // up sessions by their /ppp active id

	// openLink opens the server's interface (tests open it inside a
	// network namespace), as sessions.OpenTUN a session's TUN.
	openLink func(name string) (pppoe.Link, error)
}

// New returns a manager for this process's network namespace.
func New(log *slog.Logger) *Manager {
	return &Manager{Log: log, sessions: pppsession.Sessions{Kind: "pppoe"}, openLink: pppoe.OpenLink}
}

// Update implements config.PPPoEServerService without blocking: the
// engine calls it under its lock. A session the table lost (/ppp active
// remove, one-session-per-host) is closed here, which needs no lock of
// the engine's.
func (m *Manager) Update(servers []config.PPPoEServer, sessions []string) {
	m.sessions.Keep(sessions)
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
	// aside as hardware) fails at once every time: it is logged once.
	pppsession.Retry(ctx, log, "pppoe server", func() error { return m.serveOnce(ctx, e, w, log) })
}

type sessKey struct {
	mac string
	sid uint16
}

func (m *Manager) serveOnce(ctx context.Context, e Engine, w config.PPPoEServer, log *slog.Logger) error {
	// The interface's Linux link: a RouterOS name over 15 bytes
	// (bridge-customers) or with a blank is carried by another
	// (kernel.LinkName), as for the DHCP server's socket.
	link, err := m.openLink(kernel.LinkName(w.Interface))
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
	var grants pppsession.Grants[sessKey]
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
			grants.Put(sessKey{mac.String(), sid}, g)
			return pppoe.Grant{Local: g.Local, Remote: g.Remote, DNS: g.DNS}, true
		},
		Ended: func(c *pppoe.Conn) {
			g, ok := grants.Take(sessKey{c.PeerMAC.String(), c.Session()})
			m.sessions.Ended(e, g, ok)
		},
	}
	up := func(c *pppoe.Conn) {
		g, ok := grants.Take(sessKey{c.PeerMAC.String(), c.Session()})
		if !ok {
			c.Close()
			return
		}
		m.sessions.Carry(ctx, e, c, g, 1480, log)
	}
	log.Info("pppoe server serving", "service", w.ServiceName)
	return pppoe.Serve(ctx, link, cfg, up)
}
