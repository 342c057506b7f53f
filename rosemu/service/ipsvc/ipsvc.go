// Package ipsvc runs the router's own services of /ip service on its lab
// side: for every enabled service it listens on the service's port on all
// the router's addresses, in the router's network namespace, so the
// firewall's input chain sees each connection first, as on RouterOS. A
// connection from outside the service's address= list is reset, one beyond
// max-sessions is closed. ssh and api are rosemu's real SSH console and
// API, logging in against /user; www and www-ssl answer with a WebFig-like
// login page; telnet and ftp greet and check logins against /user; winbox
// accepts and holds the connection; /tool bandwidth-server (TCP 2000)
// greets and holds it. See docs/services.md.
package ipsvc

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"sync"

	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/service/internal/doorbell"
)

// Engine is what the services need of the router; *config.Router
// implements it.
type Engine interface {
	IPServices() []config.IPService
	BandwidthServer() config.IPService
	Identity() string
	Version() string
	Login(user, password string, remote net.Addr, policy, via string) (logout func(), ok bool)
	Run(ctx context.Context, src string) (string, error)
	Command(ctx context.Context, path string, args map[string]string) ([]config.Row, string, error)
}

// Manager opens and closes the services' listeners as /ip service changes.
// Its Wake belongs in config.Options.OnCommit.
type Manager struct {
	// Host is the address the listeners bind ("" for every address of the
	// namespace; tests use 127.0.0.1).
	Host string
	// BtestPort moves the bandwidth-test server off TCP 2000 (tests, which
	// share the host with other programs); 0 keeps RouterOS's port.
	BtestPort int
	// StateDir keeps the SSH host key; empty makes one per run.
	StateDir string
	Log      *slog.Logger

	bell doorbell.Bell
	once sync.Once
}

// New returns a manager for the router's namespace.
func New(log *slog.Logger) *Manager {
	m := &Manager{Log: log}
	m.init()
	return m
}

func (m *Manager) init() {
	m.once.Do(func() {
		if m.Log == nil {
			m.Log = slog.New(slog.DiscardHandler)
		}
	})
}

// Wake tells the manager the configuration changed. It never blocks, since
// the engine calls it with its lock held.
func (m *Manager) Wake() { m.bell.Ring() }

// listener is one open service port.
type listener struct {
	cfg    config.IPService
	l      net.Listener
	cancel context.CancelFunc
	done   chan struct{}
	mu     sync.Mutex
	active int
}

func (ln *listener) setConfig(c config.IPService) {
	ln.mu.Lock()
	ln.cfg = c
	ln.mu.Unlock()
}

// Run keeps the listeners in step with /ip service until ctx ends.
func (m *Manager) Run(ctx context.Context, e Engine) error {
	m.init()
	h := newHandlers(ctx, m, e)
	defer h.close()
	open := map[string]*listener{}
	defer func() {
		for _, ln := range open {
			ln.stop()
		}
	}()
	m.Wake()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-m.bell.C():
		}
		want := map[string]config.IPService{}
		// The bandwidth-test server listens as the /ip service entries do.
		btest := e.BandwidthServer()
		if m.BtestPort != 0 {
			btest.Port = m.BtestPort
		}
		for _, s := range append(e.IPServices(), btest) {
			// An /ip service moved onto the bandwidth server's port keeps
			// it, so that which one listens does not depend on the order
			// the listeners open in ([verify] what RouterOS does).
			taken := slices.ContainsFunc(slices.Collect(maps.Values(want)), func(w config.IPService) bool { return w.Port == s.Port })
			if !s.Disabled && h.has(s.Name) && !taken {
				want[s.Name] = s
			}
		}
		for name, ln := range open {
			if w, ok := want[name]; !ok || w.Port != ln.cfg.Port {
				ln.stop()
				delete(open, name)
			}
		}
		for name, s := range want {
			if ln, ok := open[name]; ok {
				ln.setConfig(s)
				continue
			}
			ln, err := m.listen(ctx, s, h)
			if err != nil {
				// A port another program holds: RouterOS too shows the
				// service enabled but not listening. Logged, retried on the
				// next change.
				m.Log.Warn("ip service: listen", "service", name, "port", s.Port, "err", err)
				continue
			}
			open[name] = ln
		}
	}
}

func (m *Manager) listen(ctx context.Context, s config.IPService, h *handlers) (*listener, error) {
	addr := net.JoinHostPort(m.Host, strconv.Itoa(s.Port))
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen for %s on %s: %w", s.Name, addr, err)
	}
	lctx, cancel := context.WithCancel(ctx)
	ln := &listener{cfg: s, l: l, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(ln.done)
		ln.accept(lctx, m, h)
	}()
	m.Log.Info("ip service: listening", "service", s.Name, "addr", l.Addr())
	return ln, nil
}

func (ln *listener) stop() {
	ln.cancel()
	ln.l.Close()
	<-ln.done
}

// accept serves connections until the listener closes. Connections already
// open stay open when the service is disabled, as sessions do on RouterOS.
func (ln *listener) accept(ctx context.Context, m *Manager, h *handlers) {
	for {
		c, err := ln.l.Accept()
		if err != nil {
			if ctx.Err() == nil && !errors.Is(err, net.ErrClosed) {
				m.Log.Warn("ip service: accept", "err", err)
			}
			return
		}
		ln.mu.Lock()
		cfg := ln.cfg
		allowed := cfg.Allows(remoteAddr(c))
		full := ln.active >= cfg.MaxSessions
		if allowed && !full {
			ln.active++
		}
		ln.mu.Unlock()
		if !allowed {
			m.Log.Info("ip service: connection from an address the service does not allow", "service", cfg.Name, "remote", c.RemoteAddr())
			reset(c)
			continue
		}
		if full {
			m.Log.Info("ip service: max-sessions reached", "service", cfg.Name, "remote", c.RemoteAddr())
			c.Close()
			continue
		}
		go func() {
			defer func() {
				ln.mu.Lock()
				ln.active--
				ln.mu.Unlock()
			}()
			h.serve(ctx, cfg.Name, c)
		}()
	}
}

// reset closes c with a TCP reset rather than an orderly close.
func reset(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	c.Close()
}

func remoteAddr(c net.Conn) netip.Addr {
	if ap, err := netip.ParseAddrPort(c.RemoteAddr().String()); err == nil {
		return ap.Addr().Unmap()
	}
	return netip.Addr{}
}
