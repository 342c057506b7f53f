// Package l2tpserver is rosemu's /interface l2tp-server server service:
// while the server is enabled it answers L2TPv2 on UDP 1701 on every
// address of the router (rosemu/service/l2tp), asks the configuration
// engine at each login, and carries each session that comes up over a
// TUN interface of the session's name (rosemu/service/internal/pppsession),
// as the PPPoE server does.
package l2tpserver

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"time"

	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/guard"
	"github.com/chrlab/chrlab/rosemu/service/internal/doorbell"
	"github.com/chrlab/chrlab/rosemu/service/internal/pppsession"
	"github.com/chrlab/chrlab/rosemu/service/internal/reconcile"
	"github.com/chrlab/chrlab/rosemu/service/l2tp"
	"github.com/chrlab/chrlab/rosemu/service/ppp"
)

// Engine is the part of the router the manager drives; *config.Router
// implements it.
type Engine interface {
	L2TPServers() []config.L2TPServer
	L2TPLogin(serverID, user string, proves func(secret string) bool, caller string) (config.PPPGrant, error)
	pppsession.Engine
}

// Manager runs the L2TP server while it is enabled. Hand it to
// config.Options.L2TPServer, then call Run with the router.
type Manager struct {
	Log *slog.Logger

	want     doorbell.Latest[[]config.L2TPServer]
	sessions pppsession.Sessions

	// listen opens the server's socket (tests open it inside a network
	// namespace).
	listen func() (*net.UDPConn, error)
}

// New returns a manager for this process's network namespace.
func New(log *slog.Logger) *Manager {
	return &Manager{Log: log, sessions: pppsession.Sessions{Kind: "l2tp"}, listen: listen}
}

// listen binds UDP 1701 on every IPv4 address of the router.
func listen() (*net.UDPConn, error) {
	return net.ListenUDP("udp4", &net.UDPAddr{Port: l2tp.Port})
}

// Update implements config.L2TPServerService without blocking, as the
// PPPoE server's does.
func (m *Manager) Update(servers []config.L2TPServer, sessions []string) {
	m.sessions.Keep(sessions)
	m.want.Set(append([]config.L2TPServer(nil), servers...))
}

// Run starts and stops the server as its settings change until ctx ends;
// a change restarts it and its sessions.
func (m *Manager) Run(ctx context.Context, e Engine) error {
	if m.Log == nil {
		m.Log = slog.New(slog.DiscardHandler)
	}
	m.want.Seed(e.L2TPServers())
	reconcile.Loop(ctx, &m.want, func(w config.L2TPServer) bool { return w.Enabled }, func(cctx context.Context, w config.L2TPServer) {
		_ = guard.Do(m.Log, "L2TP server", func() error { m.serve(cctx, e, w); return nil })
	})
	return nil
}

// serve runs the server until ctx ends, binding its port again when that
// fails (another socket held it).
func (m *Manager) serve(ctx context.Context, e Engine, w config.L2TPServer) {
	log := m.Log.With("l2tp-server", w.ID)
	pppsession.Retry(ctx, log, "l2tp server", func() error { return m.serveOnce(ctx, e, w, log) })
}

func (m *Manager) serveOnce(ctx context.Context, e Engine, w config.L2TPServer, log *slog.Logger) error {
	pc, err := m.listen()
	if err != nil {
		return err
	}
	auth, err := ppp.ParseAuth(w.Auth)
	if err != nil {
		pc.Close()
		return err
	}
	if len(auth) == 0 {
		auth = []ppp.Auth{} // nil would allow every protocol
		log.Warn("l2tp server cannot let clients in: its authentication allows no protocol")
	}
	mru := w.MaxMRU
	if mru == 0 {
		mru = 1450
	}
	var grants pppsession.Grants[*l2tp.Session]
	cfg := l2tp.ServerConfig{
		HostName: w.HostName,
		Log:      func(f string, a ...any) { log.Debug(fmt.Sprintf(f, a...)) },
		Accept: func(peer netip.AddrPort) bool {
			if w.UseIPsec == "required" {
				// RouterOS's dynamic policy requires ESP for UDP 1701;
				// clear L2TP never reaches the server. rosemu has no
				// IPsec, so no client can connect.
				log.Info("clear L2TP not answered: use-ipsec=required", "peer", peer)
				return false
			}
			return true
		},
		Call: func(s *l2tp.Session) (ppp.Config, bool) {
			return ppp.Config{Server: true, MRU: mru, Auth: auth, Name: w.HostName,
				Keepalive: time.Duration(w.KeepaliveSeconds) * time.Second,
				Check: func(c *ppp.Conn, user string, proves ppp.Verifier) bool {
					g, err := e.L2TPLogin(w.ID, user, proves, s.Peer.Addr().String())
					if err != nil {
						log.Info("l2tp login refused", "user", user, "peer", s.Peer, "err", err)
						return false
					}
					grants.Put(s, g)
					c.Grant(g.Local, g.Remote, g.DNS)
					return true
				}}, true
		},
		Ended: func(s *l2tp.Session) {
			g, ok := grants.Take(s)
			m.sessions.Ended(e, g, ok)
		},
	}
	up := func(s *l2tp.Session) {
		g, ok := grants.Take(s)
		if !ok {
			s.Close()
			return
		}
		m.sessions.Carry(ctx, e, s.PPP, g, mru, log)
	}
	log.Info("l2tp server serving", "use-ipsec", w.UseIPsec)
	return l2tp.Serve(ctx, pc, cfg, up)
}
