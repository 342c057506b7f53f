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
	"time"

	"github.com/vishvananda/netns"

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
	// namespace); routerNS is a handle of the namespace it runs in, which
	// the caller closes.
	start    func(*exec.Cmd) error
	routerNS func() (netns.NsHandle, error)
}

// New returns a manager for this process's network namespace.
func New(log *slog.Logger) *Manager {
	return &Manager{Log: log, start: (*exec.Cmd).Start, routerNS: netns.Get, kill: map[string]func(){}}
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
	h, err := m.hub(ctx, w)
	if err != nil {
		return errors.Join(err, p.end())
	}
	defer h.close()
	log.Info("ovpn server serving", "port", w.Port, "protocol", w.Protocol, "certificate", w.Certificate)
	s := &serverRun{m: m, e: e, w: w, log: log, conn: p.conn, hub: h, grants: map[string]config.PPPGrant{}, up: map[string]config.PPPGrant{}}
	merr := s.manage(ctx)
	perr := p.end()
	s.endAll()
	if ctx.Err() != nil {
		return nil
	}
	return errors.Join(perr, merr)
}

// hub takes the TUN of the server's openvpn into a hub (hub.go).
func (m *Manager) hub(ctx context.Context, w config.OVPNServer) (*hub, error) {
	r, err := m.routerNS()
	if err != nil {
		return nil, err
	}
	h, err := openHub(r, w.Link)
	if err != nil {
		return nil, err
	}
	actx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := h.adopt(actx, w.MaxMTU); err != nil {
		h.close()
		return nil, fmt.Errorf("the server's TUN %s: %w", w.Link, err)
	}
	return h, nil
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
	hub  *hub

	wmu sync.Mutex
	// grants are the logins let in whose sessions are not up yet, up
	// the sessions that are, by openvpn's client id.
	mu     sync.Mutex
	grants map[string]config.PPPGrant
	up     map[string]config.PPPGrant
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

// established brings the session up in /ppp active on an interface of
// its own (hub.go), where the engine puts its address and route.
func (s *serverRun) established(ctx context.Context, cid string) {
	s.mu.Lock()
	g, ok := s.grants[cid]
	delete(s.grants, cid)
	s.mu.Unlock()
	if !ok {
		return
	}
	fail := func(err error) {
		s.log.Warn("ovpn session could not come up", "session", g.ID, "interface", g.Interface, "err", err)
		s.e.PPPoESessionDown(g.ID, "")
		s.hub.detach(g.Interface)
		s.send(fmt.Sprintf("client-kill %s\n", cid))
	}
	if err := s.hub.attach(g.Interface, g.Local, g.Remote, s.w.MaxMTU); err != nil {
		fail(err)
		return
	}
	sess, err := s.e.PPPoESessionUp(g.ID, s.w.MaxMTU)
	if err != nil {
		fail(err)
		return
	}
	if len(sess.Routed) > 0 {
		if err := s.hub.routeTo(g.Interface, sess.Routed); err != nil {
			fail(err)
			return
		}
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
		sess, ok := s.e.PPPoESessionDown(g.ID, "")
		s.hub.detach(g.Interface)
		if ok {
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
