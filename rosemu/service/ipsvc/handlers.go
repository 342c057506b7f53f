package ipsvc

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/chrlab/chrlab/rosemu/api"
	"github.com/chrlab/chrlab/rosemu/sshd"
)

// handlers serve the connections each service accepted.
type handlers struct {
	m    *Manager
	e    Engine
	ssh  *chanListener
	www  *chanListener
	tls  *tls.Config
	wg   sync.WaitGroup
	http *http.Server

	mu       sync.Mutex
	sessions map[string][]func() // logouts by the peer's address:port
}

var services = map[string]bool{"telnet": true, "ftp": true, "www": true, "ssh": true, "www-ssl": true, "api": true, "winbox": true, "api-ssl": true, "bandwidth-server": true}

func newHandlers(ctx context.Context, m *Manager, e Engine) *handlers {
	h := &handlers{m: m, e: e, ssh: newChanListener(), www: newChanListener(), sessions: map[string][]func(){}}
	srv := &sshd.Server{Console: e, StateDir: m.StateDir, Identity: e.Identity, Log: m.Log,
		AuthFrom: func(user, password string, remote net.Addr) bool { return h.login(user, password, remote, "ssh") }}
	h.wg.Go(func() { srv.Serve(ctx, h.ssh) })
	h.http = &http.Server{Handler: http.HandlerFunc(h.page), ReadHeaderTimeout: 10 * time.Second}
	h.wg.Go(func() { h.http.Serve(h.www) })
	return h
}

func (h *handlers) close() {
	h.ssh.Close()
	h.http.Close()
	h.wg.Wait()
}

func (h *handlers) has(name string) bool { return services[name] }

// login checks a login against /user and keeps the session in /user active
// until the connection closes.
func (h *handlers) login(user, password string, remote net.Addr, policy string) bool {
	logout, ok := h.e.Login(user, password, remote, policy, policy)
	if ok {
		h.mu.Lock()
		h.sessions[remote.String()] = append(h.sessions[remote.String()], logout)
		h.mu.Unlock()
	}
	return ok
}

// ended logs out every session of a closed connection.
func (h *handlers) ended(remote net.Addr) {
	h.mu.Lock()
	fs := h.sessions[remote.String()]
	delete(h.sessions, remote.String())
	h.mu.Unlock()
	for _, f := range fs {
		f()
	}
}

func (h *handlers) serve(ctx context.Context, name string, c net.Conn) {
	c = &trackedConn{Conn: c, h: h}
	switch name {
	case "ssh":
		h.ssh.push(ctx, c)
	case "www":
		h.www.push(ctx, c)
	case "www-ssl":
		h.www.push(ctx, tls.Server(c, h.tlsConfig()))
	case "api":
		h.api(ctx, c)
	case "api-ssl":
		h.api(ctx, tls.Server(c, h.tlsConfig()))
	case "telnet":
		h.telnet(ctx, c)
	case "ftp":
		h.ftp(ctx, c)
	case "winbox":
		h.hold(ctx, c)
	case "bandwidth-server":
		h.btest(ctx, c)
	}
}

// api serves one API connection with rosemu's API server; its logins are
// checked against /user with the peer's address.
func (h *handlers) api(ctx context.Context, c net.Conn) {
	remote := c.RemoteAddr()
	srv := &api.Server{Device: h.e, Version: h.e.Version(), Log: h.m.Log,
		Auth: func(user, password string) bool { return h.login(user, password, remote, "api") }}
	if err := srv.ServeConn(ctx, c); err != nil {
		h.m.Log.Info("ip service api: connection ended", "remote", remote, "err", err)
	}
}

// hold keeps a Winbox connection open without speaking Winbox's protocol
// until the peer closes it or the router stops.
func (h *handlers) hold(ctx context.Context, c net.Conn) {
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	buf := make([]byte, 512)
	for {
		if _, err := c.Read(buf); err != nil {
			return
		}
	}
}

// btestHello is what RouterOS's bandwidth-test server sends first on a
// new connection, before the client's command (the open-source btest
// server and client, github.com/samm-git/btest-opensource, send and
// expect it).
var btestHello = []byte{1, 0, 0, 0}

// btest greets a bandwidth-test client as RouterOS's server does and then
// holds the connection: no test runs (reported as not enforced), but the
// port answers as it does on a router with the server on.
func (h *handlers) btest(ctx context.Context, c net.Conn) {
	if _, err := c.Write(btestHello); err != nil {
		c.Close()
		return
	}
	h.hold(ctx, c)
}

// tlsConfig returns a self-signed certificate made on first use: RouterOS
// without certificate= uses anonymous key exchange, which Go's TLS does
// not offer.
func (h *handlers) tlsConfig() *tls.Config {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.tls != nil {
		return h.tls
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		h.m.Log.Warn("ip service: make TLS key", "err", err)
		return &tls.Config{}
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: h.e.Identity()},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(10 * 365 * 24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		h.m.Log.Warn("ip service: make TLS certificate", "err", err)
		return &tls.Config{}
	}
	h.tls = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	return h.tls
}

// trackedConn ends the connection's /user active sessions when it closes.
type trackedConn struct {
	net.Conn
	h    *handlers
	once sync.Once
}

func (c *trackedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { c.h.ended(c.Conn.RemoteAddr()) })
	return err
}

// chanListener hands accepted connections to a server that wants a
// net.Listener (the SSH and HTTP servers).
type chanListener struct {
	ch   chan net.Conn
	done chan struct{}
	once sync.Once
}

func newChanListener() *chanListener {
	return &chanListener{ch: make(chan net.Conn), done: make(chan struct{})}
}

func (l *chanListener) push(ctx context.Context, c net.Conn) {
	select {
	case l.ch <- c:
	case <-l.done:
		c.Close()
	case <-ctx.Done():
		c.Close()
	}
}

func (l *chanListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.ch:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *chanListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *chanListener) Addr() net.Addr { return &net.TCPAddr{} }
