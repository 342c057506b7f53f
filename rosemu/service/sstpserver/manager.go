// Package sstpserver is rosemu's /interface sstp-server server service:
// while the server is enabled it answers MS-SSTP over TLS on its TCP port
// on every address of the router (rosemu/service/sstp) with the
// /certificate entry it names, asks the configuration engine at each
// login, and carries each session that comes up over a TUN interface of
// the session's name (rosemu/service/internal/pppsession), as the PPPoE
// and L2TP servers do.
package sstpserver

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"time"

	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/guard"
	"github.com/chrlab/chrlab/rosemu/service/internal/doorbell"
	"github.com/chrlab/chrlab/rosemu/service/internal/pppsession"
	"github.com/chrlab/chrlab/rosemu/service/internal/reconcile"
	"github.com/chrlab/chrlab/rosemu/service/ppp"
	"github.com/chrlab/chrlab/rosemu/service/sstp"
)

// Engine is the part of the router the manager drives; *config.Router
// implements it.
type Engine interface {
	SSTPServers() []config.SSTPServer
	SSTPLogin(serverID, user string, proves func(secret string) bool, caller string) (config.PPPGrant, error)
	pppsession.Engine
}

// Manager runs the SSTP server while it is enabled. Hand it to
// config.Options.SSTPServer, then call Run with the router.
type Manager struct {
	Log *slog.Logger

	want     doorbell.Latest[[]config.SSTPServer]
	sessions pppsession.Sessions

	// listen opens the server's socket (tests open it inside a network
	// namespace).
	listen func(port int) (net.Listener, error)
}

// New returns a manager for this process's network namespace.
func New(log *slog.Logger) *Manager {
	return &Manager{Log: log, sessions: pppsession.Sessions{Kind: "sstp"}, listen: listen}
}

// listen binds the TCP port on every IPv4 address of the router.
func listen(port int) (net.Listener, error) {
	return net.Listen("tcp4", ":"+strconv.Itoa(port))
}

// Update implements config.SSTPServerService without blocking, as the
// PPPoE server's does.
func (m *Manager) Update(servers []config.SSTPServer, sessions []string) {
	m.sessions.Keep(sessions)
	m.want.Set(append([]config.SSTPServer(nil), servers...))
}

// Run starts and stops the server as its settings change until ctx ends;
// a change restarts it and its sessions.
func (m *Manager) Run(ctx context.Context, e Engine) error {
	if m.Log == nil {
		m.Log = slog.New(slog.DiscardHandler)
	}
	m.want.Seed(e.SSTPServers())
	reconcile.Loop(ctx, &m.want, func(w config.SSTPServer) bool { return w.Enabled }, func(cctx context.Context, w config.SSTPServer) {
		_ = guard.Do(m.Log, "SSTP server", func() error { m.serve(cctx, e, w); return nil })
	})
	return nil
}

// serve runs the server until ctx ends, binding its port again when that
// fails (another socket held it: www-ssl on 443).
func (m *Manager) serve(ctx context.Context, e Engine, w config.SSTPServer) {
	log := m.Log.With("sstp-server", w.ID)
	pppsession.Retry(ctx, log, "sstp server", func() error { return m.serveOnce(ctx, e, w, log) })
}

// tlsConfig is the server's TLS: its certificate and tls-version. A
// server that cannot serve its certificate (none, a template, no key)
// fails every handshake: RouterOS would offer anonymous Diffie-Hellman
// only, which no standard client speaks.
func tlsConfig(w config.SSTPServer, log *slog.Logger) *tls.Config {
	cfg := &tls.Config{MinVersion: tls.VersionTLS10}
	switch w.TLSVersion {
	case "only-1.2":
		cfg.MinVersion, cfg.MaxVersion = tls.VersionTLS12, tls.VersionTLS12
	case "only-1.3":
		cfg.MinVersion = tls.VersionTLS13
	}
	if w.CertProblem == "" {
		key, err := x509.ParsePKCS8PrivateKey([]byte(w.KeyDER))
		if err == nil {
			cfg.Certificates = []tls.Certificate{{Certificate: [][]byte{[]byte(w.CertDER)}, PrivateKey: key}}
			return cfg
		}
		w.CertProblem = "its key: " + err.Error()
	}
	log.Warn("sstp server cannot serve TLS: no client can connect", "certificate", w.Certificate, "why", w.CertProblem)
	problem := errors.New(w.CertProblem)
	cfg.GetCertificate = func(*tls.ClientHelloInfo) (*tls.Certificate, error) { return nil, problem }
	return cfg
}

func (m *Manager) serveOnce(ctx context.Context, e Engine, w config.SSTPServer, log *slog.Logger) error {
	auth, err := ppp.ParseAuth(w.Auth)
	if err != nil {
		return err
	}
	if len(auth) == 0 {
		auth = []ppp.Auth{} // nil would allow every protocol
		log.Warn("sstp server cannot let clients in: its authentication allows no protocol")
	}
	ln, err := m.listen(w.Port)
	if err != nil {
		return err
	}
	mru := w.MaxMRU
	if mru == 0 {
		mru = 1500
	}
	mtu := w.MaxMTU
	if mtu == 0 {
		mtu = 1500
	}
	var grants pppsession.Grants[*sstp.Session]
	cfg := sstp.ServerConfig{
		TLS: tlsConfig(w, log),
		Log: func(f string, a ...any) { log.Debug(fmt.Sprintf(f, a...)) },
		Call: func(s *sstp.Session) (ppp.Config, bool) {
			return ppp.Config{Server: true, MRU: mru, Auth: auth, Name: w.Identity,
				Keepalive: time.Duration(w.KeepaliveSeconds) * time.Second,
				Check: func(c *ppp.Conn, user string, proves ppp.Verifier) bool {
					g, err := e.SSTPLogin(w.ID, user, proves, s.Peer.Addr().String())
					if err != nil {
						log.Info("sstp login refused", "user", user, "peer", s.Peer, "err", err)
						return false
					}
					grants.Put(s, g)
					c.Grant(g.Local, g.Remote, g.DNS)
					return true
				}}, true
		},
		Ended: func(s *sstp.Session) {
			g, ok := grants.Take(s)
			m.sessions.Ended(e, g, ok)
		},
	}
	up := func(s *sstp.Session) {
		g, ok := grants.Take(s)
		if !ok {
			s.Close()
			return
		}
		m.sessions.Carry(ctx, e, s.PPP, g, mtu, log)
	}
	log.Info("sstp server serving", "port", w.Port, "certificate", w.Certificate)
	return sstp.Serve(ctx, ln, cfg, up)
}
