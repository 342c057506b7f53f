// Package pppoeclient is rosemu's /interface pppoe-client service: for
// every enabled entry it dials a user-space PPPoE session
// (rosemu/service/pppoe) on the entry's port, makes a TUN interface of the
// entry's name that carries the session's IP packets, and reports the
// session to the configuration engine, which turns it into a dynamic
// address, default route and DNS servers.
package pppoeclient

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/guard"
	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/script"
	"github.com/chrlab/chrlab/rosemu/service/internal/doorbell"
	"github.com/chrlab/chrlab/rosemu/service/internal/reconcile"
	"github.com/chrlab/chrlab/rosemu/service/l2tp"
	"github.com/chrlab/chrlab/rosemu/service/ppp"
	"github.com/chrlab/chrlab/rosemu/service/pppoe"
	"github.com/chrlab/chrlab/rosemu/service/sstp"
)

// Engine is the part of the router the manager drives; *config.Router
// implements it.
type Engine interface {
	PPPoEClients() []config.PPPoEClient
	SetPPPoESession(name, status string, s *config.PPPoESession) error
}

// scriptEngine is an Engine that also runs the PPP profile's scripts
// (*config.Router is one): on-up when a session comes up, on-down when it
// ends, with the event variables RouterOS gives them.
type scriptEngine interface {
	PPPoEProfileScripts(name string) (onUp, onDown string)
	RunScript(ctx context.Context, name, src string, vars map[string]script.Value) error
}

// profileScript runs the client's profile script of the event (up or
// down), if it has one; a failing script is logged by the engine.
func profileScript(ctx context.Context, e Engine, w config.PPPoEClient, up bool, local, remote netip.Addr, log *slog.Logger) {
	se, ok := e.(scriptEngine)
	if !ok {
		return
	}
	onUp, onDown := se.PPPoEProfileScripts(w.Name)
	src, event := onUp, "on-up"
	if !up {
		src, event = onDown, "on-down"
	}
	if strings.TrimSpace(src) == "" {
		return
	}
	addr := func(a netip.Addr) script.Value {
		if !a.IsValid() {
			return script.Str("")
		}
		return script.Str(a.String())
	}
	vars := map[string]script.Value{
		"user": script.Str(w.User), "interface": script.Str(w.Name),
		"local-address": addr(local), "remote-address": addr(remote),
		"caller-id": script.Str(""), "called-id": script.Str(""),
	}
	if err := se.RunScript(ctx, "ppp profile "+event+" "+w.Name, src, vars); err != nil {
		log.Warn("ppp profile script failed", "event", event, "err", err)
	}
}

// Manager runs one client per enabled entry. Hand it to
// config.Options.PPPoE, then call Run with the router.
type Manager struct {
	Log *slog.Logger
	// Redial is the pause after a failed or ended session (default 2 s).
	Redial time.Duration

	want doorbell.Latest[[]config.PPPoEClient]
	// openTUN opens a session's TUN (tests open it in a network
	// namespace); nil is openTUN.
	openTUN func(name string, mtu int) (*os.File, error)
}

// New returns a manager for this process's network namespace.
func New(log *slog.Logger) *Manager {
	return &Manager{Log: log}
}

// Update implements config.PPPoEService without blocking: the engine
// calls it under its lock.
func (m *Manager) Update(cs []config.PPPoEClient) {
	m.want.Set(append([]config.PPPoEClient(nil), cs...))
}

// Run starts and stops clients as the entries change until ctx ends.
func (m *Manager) Run(ctx context.Context, e Engine) error {
	if m.Log == nil {
		m.Log = slog.New(slog.DiscardHandler)
	}
	m.want.Seed(e.PPPoEClients())
	// A change of an entry's settings redials it, as RouterOS does:
	// the entry is its own key.
	reconcile.Loop(ctx, &m.want, func(w config.PPPoEClient) bool { return !w.Disabled }, func(cctx context.Context, w config.PPPoEClient) {
		_ = guard.Do(m.Log, "PPPoE client "+w.Name, func() error { m.loop(cctx, e, w); return nil })
	})
	return nil
}

func (m *Manager) redial() time.Duration {
	if m.Redial > 0 {
		return m.Redial
	}
	return 2 * time.Second
}

// loop dials, carries the session and redials until ctx ends.
func (m *Manager) loop(ctx context.Context, e Engine, w config.PPPoEClient) {
	log := m.Log.With("pppoe-client", w.Name, "interface", w.Interface)
	allow, err := pppoe.ParseAuth(w.Allow)
	if err != nil || len(allow) == 0 {
		// No protocol to log in with: dialing would only end in LCP,
		// again and again.
		_ = e.SetPPPoESession(w.Name, "disconnected", nil)
		log.Warn("pppoe client cannot log in: allow= permits no authentication protocol", "allow", w.Allow, "err", err)
		<-ctx.Done()
		return
	}
	for ctx.Err() == nil {
		err := m.session(ctx, e, w, allow, log)
		if ctx.Err() != nil {
			return
		}
		_ = e.SetPPPoESession(w.Name, "disconnected", nil)
		log.Info(w.Kind+" session ended", "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(m.redial()):
		}
	}
}

func (m *Manager) session(ctx context.Context, e Engine, w config.PPPoEClient, allow []pppoe.Auth, log *slog.Logger) error {
	_ = e.SetPPPoESession(w.Name, "dialing...", nil)
	mru := w.MaxMRU
	if mru == 0 {
		mru = 1480
	}
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	c, hangup, err := dial(dctx, w, allow, mru, log)
	cancel()
	if err != nil {
		if errors.Is(err, pppoe.ErrAuth) {
			log.Warn(w.Kind+" server refused the user or password", "user", w.User)
		}
		return err
	}
	defer hangup()
	mtu := w.MaxMTU
	if mtu == 0 {
		mtu = 1480
	}
	mtu = min(mtu, c.MTU)
	open := m.openTUN
	if open == nil {
		open = openTUN
	}
	tun, err := open(w.Name, mtu)
	if err != nil {
		return err
	}
	defer tun.Close()
	if err := e.SetPPPoESession(w.Name, "connected", &config.PPPoESession{Local: c.Local, Remote: c.Peer, DNS: c.DNS, MTU: mtu}); err != nil {
		return fmt.Errorf("record the session of %s: %w", w.Name, err)
	}
	log.Info(w.Kind+" session up", "local", c.Local, "remote", c.Peer, "dns", c.DNS, "mtu", mtu)
	profileScript(ctx, e, w, true, c.Local, c.Peer, log)
	go func() { <-ctx.Done(); hangup() }()
	err = ppp.Pump(c, tun, nil)
	// The address leaves the model (and the kernel) before the TUN goes.
	_ = e.SetPPPoESession(w.Name, "disconnected", nil)
	profileScript(context.WithoutCancel(ctx), e, w, false, c.Local, c.Peer, log)
	return err
}

// dial opens the client's session: PPPoE on its port, L2TP to its
// connect-to address (UDP 1701) or SSTP to connect-to:port, and returns
// its PPP and how to hang up.
func dial(ctx context.Context, w config.PPPoEClient, allow []pppoe.Auth, mru int, log *slog.Logger) (*ppp.Conn, func(), error) {
	logf := func(f string, a ...any) { log.Debug(fmt.Sprintf(f, a...)) }
	keepalive := time.Duration(w.KeepaliveSeconds) * time.Second
	if w.Kind == "l2tp" {
		to, err := serverAddr(ctx, w.ConnectTo)
		if err != nil {
			return nil, nil, err
		}
		s, err := l2tp.Dial(ctx, netip.AddrPortFrom(to, l2tp.Port), l2tp.ClientConfig{HostName: "MikroTik",
			PPP: ppp.Config{User: w.User, Password: w.Password, Auth: allow, MRU: mru, Keepalive: keepalive}, Log: logf})
		if err != nil {
			return nil, nil, fmt.Errorf("dial %s: %w", to, err)
		}
		return s.PPP, s.Close, nil
	}
	if w.Kind == "sstp" {
		to, err := serverAddr(ctx, w.ConnectTo)
		if err != nil {
			return nil, nil, err
		}
		s, err := sstp.Dial(ctx, netip.AddrPortFrom(to, uint16(w.Port)), sstp.ClientConfig{TLS: sstpTLS(w), Host: w.ConnectTo,
			PPP: ppp.Config{User: w.User, Password: w.Password, Auth: allow, MRU: mru, Keepalive: keepalive}, Log: logf})
		if err != nil {
			return nil, nil, fmt.Errorf("dial %s:%d: %w", to, w.Port, err)
		}
		return s.PPP, s.Close, nil
	}
	// The port's Linux link: a RouterOS name over 15 bytes or with a
	// blank is carried by another (kernel.LinkName).
	link, err := pppoe.OpenLink(kernel.LinkName(w.Interface))
	if err != nil {
		return nil, nil, err
	}
	c, err := pppoe.Dial(ctx, link, pppoe.ClientConfig{User: w.User, Password: w.Password, Allow: allow, ServiceName: w.ServiceName,
		ACName: w.ACName, MRU: mru, Keepalive: keepalive, Log: logf})
	if err != nil {
		return nil, nil, fmt.Errorf("dial on %s: %w", w.Interface, err)
	}
	return c, func() { c.Close() }, nil
}

// sstpTLS is an SSTP client's TLS: with verify-server-certificate=no
// (the default) any certificate is taken, as RouterOS takes it; with yes
// the chain must lead to one of the router's trusted certificates and,
// with verify-server-address-from-certificate=yes, name connect-to: in
// its subject-alt-name, or in its common name when it has none ([MS-SSTP]
// has the client compare the certificate's common name or subject name
// with the host it dials). A server certificate made on RouterOS with
// common-name=<its address> and no subject-alt-name (which /certificate
// add leaves optional) was refused by Go's own name check, which reads
// subject-alt-names only.
func sstpTLS(w config.PPPoEClient) *tls.Config {
	if !w.VerifyServer {
		return &tls.Config{InsecureSkipVerify: true}
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM([]byte(w.TrustedPEM))
	// Go checks the name with the chain, so both are checked here.
	return &tls.Config{InsecureSkipVerify: true, VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
		certs := make([]*x509.Certificate, 0, len(raw))
		for _, r := range raw {
			c, err := x509.ParseCertificate(r)
			if err != nil {
				return err
			}
			certs = append(certs, c)
		}
		if len(certs) == 0 {
			return errors.New("the server sent no certificate")
		}
		inter := x509.NewCertPool()
		for _, c := range certs[1:] {
			inter.AddCert(c)
		}
		if _, err := certs[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter}); err != nil {
			return err
		}
		if !w.VerifyAddress {
			return nil
		}
		return namesServer(certs[0], w.ConnectTo)
	}}
}

// namesServer says whether the certificate names host: by its
// subject-alt-names when it has any, else by its common name.
func namesServer(c *x509.Certificate, host string) error {
	if len(c.DNSNames) > 0 || len(c.IPAddresses) > 0 || len(c.URIs) > 0 || len(c.EmailAddresses) > 0 {
		return c.VerifyHostname(host)
	}
	cn := c.Subject.CommonName
	if a, err := netip.ParseAddr(host); err == nil {
		if b, err := netip.ParseAddr(cn); err == nil && a.Unmap() == b.Unmap() {
			return nil
		}
	} else if strings.EqualFold(strings.TrimSuffix(cn, "."), strings.TrimSuffix(host, ".")) {
		return nil
	}
	return fmt.Errorf("the server's certificate names %q (common name, no subject-alt-name), not %s", cn, host)
}

// serverAddr is an L2TP client's connect-to: an IPv4 address, or a name
// the router's resolver answers.
func serverAddr(ctx context.Context, to string) (netip.Addr, error) {
	if a, err := netip.ParseAddr(to); err == nil {
		return a, nil
	}
	as, err := net.DefaultResolver.LookupNetIP(ctx, "ip4", to)
	if err != nil || len(as) == 0 {
		return netip.Addr{}, fmt.Errorf("resolve connect-to %s: %v", to, err)
	}
	return as[0].Unmap(), nil
}

// openTUN makes the client's TUN device under the Linux name that carries
// the RouterOS interface (kernel.LinkName), where the addresses, routes and
// nft rules of the session look for it: a name over 15 bytes
// (pppoe-Link-WaveMax) was cut short by the kernel, the lookup by the full
// name failed and every session ended as it came up.
func openTUN(name string, mtu int) (*os.File, error) {
	return ppp.OpenTUNUp(kernel.LinkName(name), mtu)
}

// ProfileScript runs the profile script of a client another service
// dials (the OpenVPN client's), as for a PPP client's session.
func ProfileScript(ctx context.Context, e Engine, w config.PPPoEClient, up bool, local, remote netip.Addr, log *slog.Logger) {
	profileScript(ctx, e, w, up, local, remote, log)
}
