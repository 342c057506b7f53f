package ovpn

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os/exec"
	"strings"
	"sync"

	"github.com/vishvananda/netlink"

	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/guard"
	"github.com/chrlab/chrlab/rosemu/service/internal/doorbell"
	"github.com/chrlab/chrlab/rosemu/service/internal/pppsession"
	"github.com/chrlab/chrlab/rosemu/service/internal/reconcile"
)

// Engine is the part of the router the server manager drives;
// *config.Router implements it.
type Engine interface {
	OVPNServers() []config.OVPNServer
	OVPNLogin(serverID, user, password, caller string) (config.PPPGrant, error)
	pppsession.Engine
}

// Manager runs an openvpn process for each enabled OpenVPN server. Hand
// it to config.Options.OVPNServer, then call Run with the router.
type Manager struct {
	Log *slog.Logger
	// Binary is the openvpn program ("openvpn" on PATH when empty).
	Binary string

	want doorbell.Latest[[]config.OVPNServer]

	mu sync.Mutex
	// kill ends a session by its /ppp active id (management client-kill).
	kill map[string]func()

	// start starts the openvpn process (tests start it inside a network
	// namespace); linkUp brings the server's TUN up.
	start  func(*exec.Cmd) error
	linkUp func(name string, mtu int) error
}

// New returns a manager for this process's network namespace.
func New(log *slog.Logger) *Manager {
	return &Manager{Log: log, start: (*exec.Cmd).Start, linkUp: linkUp, kill: map[string]func(){}}
}

// linkUp sets the TUN up with its MTU: openvpn leaves it down under
// ifconfig-noexec.
func linkUp(name string, mtu int) error {
	lk, err := netlink.LinkByName(name)
	if err != nil {
		return err
	}
	if mtu > 0 {
		_ = netlink.LinkSetMTU(lk, mtu)
	}
	return netlink.LinkSetUp(lk)
}

// Update implements config.OVPNServerService without blocking: it ends
// the sessions /ppp active no longer has and hands the settings on.
func (m *Manager) Update(servers []config.OVPNServer, sessions []string) {
	have := map[string]bool{}
	for _, id := range sessions {
		have[id] = true
	}
	m.mu.Lock()
	var gone []func()
	for id, k := range m.kill {
		if !have[id] {
			gone = append(gone, k)
			delete(m.kill, id)
		}
	}
	m.mu.Unlock()
	for _, k := range gone {
		go k()
	}
	m.want.Set(append([]config.OVPNServer(nil), servers...))
}

// Run starts and stops the servers as their settings change until ctx
// ends; a change restarts a server and its sessions.
func (m *Manager) Run(ctx context.Context, e Engine) error {
	if m.Log == nil {
		m.Log = slog.New(slog.DiscardHandler)
	}
	m.want.Seed(e.OVPNServers())
	reconcile.Loop(ctx, &m.want, func(w config.OVPNServer) bool { return w.Enabled }, func(cctx context.Context, w config.OVPNServer) {
		_ = guard.Do(m.Log, "OpenVPN server", func() error { m.serve(cctx, e, w); return nil })
	})
	return nil
}

func (m *Manager) serve(ctx context.Context, e Engine, w config.OVPNServer) {
	log := m.Log.With("ovpn-server", w.ID)
	if _, err := ServerConfig(w, Files{}); err != nil {
		// Nothing to run until the settings change (a new entry).
		log.Warn("ovpn server not running: no client can connect", "why", err)
		<-ctx.Done()
		return
	}
	if _, dropped := DataCiphers(w.Cipher); len(dropped) > 0 {
		log.Warn("ovpn server leaves out ciphers openvpn cannot use", "ciphers", dropped)
	}
	pppsession.Retry(ctx, log, "ovpn server", func() error { return m.serveOnce(ctx, e, w, log) })
}

// serveOnce runs one openvpn process until it exits or ctx ends, and
// ends the sessions it carried.
func (m *Manager) serveOnce(ctx context.Context, e Engine, w config.OVPNServer, log *slog.Logger) error {
	p, err := launch(ctx, m.start, m.binary(), "server", func(f Files) (string, error) { return ServerConfig(w, f) },
		func(f Files) map[string]string {
			return map[string]string{f.Cert: w.CertPEM, f.Key: w.KeyPEM, f.CA: w.CAPEM}
		}, log)
	if err != nil {
		return err
	}
	log.Info("ovpn server serving", "port", w.Port, "protocol", w.Protocol, "certificate", w.Certificate)
	s := &serverRun{m: m, e: e, w: w, log: log, conn: p.conn, grants: map[string]config.PPPGrant{}, up: map[string]config.PPPGrant{}}
	merr := s.manage(ctx)
	perr := p.end()
	s.endAll()
	if ctx.Err() != nil {
		return nil
	}
	return errors.Join(perr, merr)
}

func (m *Manager) binary() string {
	if m.Binary != "" {
		return m.Binary
	}
	return "openvpn"
}

// serverRun is one openvpn process's management session.
type serverRun struct {
	m    *Manager
	e    Engine
	w    config.OVPNServer
	log  *slog.Logger
	conn net.Conn

	wmu sync.Mutex
	// grants are the logins let in whose sessions are not up yet, up
	// the sessions that are, by openvpn's client id.
	mu     sync.Mutex
	grants map[string]config.PPPGrant
	up     map[string]config.PPPGrant
	linkOK bool
}

func (s *serverRun) send(text string) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	_, _ = s.conn.Write([]byte(text))
}

// manage reads openvpn's management notifications until the socket
// closes: a client's CONNECT (or REAUTH) and its ENV lines, then
// ESTABLISHED and DISCONNECT.
func (s *serverRun) manage(ctx context.Context) error {
	sc := bufio.NewScanner(s.conn)
	var event, cid, kid string
	env := map[string]string{}
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		rest, ok := strings.CutPrefix(line, ">CLIENT:")
		if !ok {
			continue
		}
		if kv, ok := strings.CutPrefix(rest, "ENV,"); ok {
			if kv != "END" {
				k, v, _ := strings.Cut(kv, "=")
				env[k] = v
				continue
			}
			s.event(ctx, event, cid, kid, env)
			env = map[string]string{}
			continue
		}
		f := strings.Split(rest, ",")
		event, cid, kid = f[0], "", ""
		if len(f) > 1 {
			cid = f[1]
		}
		if len(f) > 2 {
			kid = f[2]
		}
	}
	return sc.Err()
}

func (s *serverRun) event(ctx context.Context, event, cid, kid string, env map[string]string) {
	switch event {
	case "CONNECT":
		s.login(cid, kid, env)
	case "REAUTH":
		// A TLS renegotiation: the session goes on with the grant it has.
		s.mu.Lock()
		_, ok := s.up[cid]
		s.mu.Unlock()
		if ok {
			s.send(fmt.Sprintf("client-auth-nt %s %s\n", cid, kid))
			return
		}
		s.login(cid, kid, env)
	case "ESTABLISHED":
		s.established(ctx, cid)
	case "DISCONNECT":
		s.disconnect(ctx, cid)
	}
}

// login asks the engine, and answers openvpn with the client's addresses
// or its refusal.
func (s *serverRun) login(cid, kid string, env map[string]string) {
	user, caller := env["username"], env["untrusted_ip"]
	g, err := s.e.OVPNLogin(s.w.ID, user, env["password"], caller)
	if err != nil {
		s.log.Info("ovpn login refused", "user", user, "peer", caller, "err", err)
		s.send(fmt.Sprintf("client-deny %s %s \"login refused\"\n", cid, kid))
		return
	}
	s.mu.Lock()
	s.grants[cid] = g
	s.mu.Unlock()
	s.send(ServerLoginReply(cid, kid, g, s.w.Netmask))
}

// established brings the session up in /ppp active: its address and the
// route to the client go on the server's TUN.
func (s *serverRun) established(ctx context.Context, cid string) {
	s.mu.Lock()
	g, ok := s.grants[cid]
	delete(s.grants, cid)
	first := !s.linkOK
	s.mu.Unlock()
	if !ok {
		return
	}
	if first {
		if err := s.m.linkUp(s.w.Link, s.w.MaxMTU); err != nil {
			s.log.Warn("ovpn server's TUN cannot come up", "link", s.w.Link, "err", err)
		} else {
			s.mu.Lock()
			s.linkOK = true
			s.mu.Unlock()
		}
	}
	sess, err := s.e.PPPoESessionUp(g.ID, s.w.MaxMTU)
	if err != nil {
		s.log.Warn("ovpn session could not come up", "session", g.ID, "err", err)
		s.e.PPPoESessionDown(g.ID, "")
		s.send(fmt.Sprintf("client-kill %s\n", cid))
		return
	}
	s.mu.Lock()
	s.up[cid] = g
	s.mu.Unlock()
	s.m.mu.Lock()
	s.m.kill[g.ID] = func() { s.send(fmt.Sprintf("client-kill %s\n", cid)) }
	s.m.mu.Unlock()
	s.log.Info("ovpn session up", "user", sess.User, "interface", sess.Interface, "local", sess.Local, "remote", sess.Remote)
	pppsession.ProfileScript(ctx, s.e, sess, true, s.log)
}

// disconnect ends the client's session (or its login that never came up).
func (s *serverRun) disconnect(ctx context.Context, cid string) {
	s.mu.Lock()
	g, wasUp := s.up[cid]
	pending, wasGranted := s.grants[cid]
	delete(s.up, cid)
	delete(s.grants, cid)
	s.mu.Unlock()
	switch {
	case wasUp:
		s.m.mu.Lock()
		delete(s.m.kill, g.ID)
		s.m.mu.Unlock()
		if sess, ok := s.e.PPPoESessionDown(g.ID, ""); ok {
			s.log.Info("ovpn session ended", "user", sess.User)
			pppsession.ProfileScript(context.WithoutCancel(ctx), s.e, sess, false, s.log)
		}
	case wasGranted:
		s.e.PPPoESessionDown(pending.ID, "")
	}
}

// endAll ends the sessions of a process that exited.
func (s *serverRun) endAll() {
	s.mu.Lock()
	var cids []string
	for cid := range s.up {
		cids = append(cids, cid)
	}
	for cid := range s.grants {
		cids = append(cids, cid)
	}
	s.mu.Unlock()
	for _, cid := range cids {
		s.disconnect(context.Background(), cid)
	}
}
