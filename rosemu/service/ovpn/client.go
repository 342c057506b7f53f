package ovpn

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/vishvananda/netlink"

	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/guard"
	"github.com/chrlab/chrlab/rosemu/service/internal/doorbell"
	"github.com/chrlab/chrlab/rosemu/service/internal/pppsession"
	"github.com/chrlab/chrlab/rosemu/service/internal/reconcile"
	"github.com/chrlab/chrlab/rosemu/service/pppoeclient"
)

// ClientEngine is the part of the router the client manager drives;
// *config.Router implements it.
type ClientEngine interface {
	OVPNClients() []config.OVPNClient
	SetPPPoESession(name, status string, s *config.PPPoESession) error
}

// Clients runs an openvpn client process for each enabled
// /interface ovpn-client. Hand it to config.Options.OVPNClient, then call
// Run with the router.
type Clients struct {
	Log    *slog.Logger
	Binary string

	want doorbell.Latest[[]config.OVPNClient]

	mu sync.Mutex
	// pinned are the server certificates' fingerprints the clients
	// with verify-server-certificate=no learned, by client id.
	pinned map[string]string

	start  func(*exec.Cmd) error
	linkUp func(name string, mtu int) error
}

// NewClients returns a client manager for this process's network
// namespace.
func NewClients(log *slog.Logger) *Clients {
	return &Clients{Log: log, start: (*exec.Cmd).Start, linkUp: linkUp, pinned: map[string]string{}}
}

// Update implements config.OVPNClientService without blocking.
func (c *Clients) Update(clients []config.OVPNClient) {
	c.want.Set(append([]config.OVPNClient(nil), clients...))
}

// Run dials the clients as their entries change until ctx ends; a change
// dials a client anew.
func (c *Clients) Run(ctx context.Context, e ClientEngine) error {
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	c.want.Seed(e.OVPNClients())
	reconcile.Loop(ctx, &c.want, func(w config.OVPNClient) bool { return !w.Disabled }, func(cctx context.Context, w config.OVPNClient) {
		_ = guard.Do(c.Log, "OpenVPN client", func() error { c.dial(cctx, e, w); return nil })
	})
	return nil
}

// noPin is a peer-fingerprint no certificate has: a client with
// verify-server-certificate=no dials with it first to learn the server's.
var noPin = strings.TrimSuffix(strings.Repeat("00:", 32), ":")

// ClientConfig is the openvpn configuration of client w: it pulls its
// address from the server and leaves the TUN to rosemu (ifconfig-noexec,
// route-noexec: the engine puts the address, the default route with
// add-default-route and the peer's DNS as for an L2TP client) from what
// the server pushed (PushedSession).
//
// With verify-server-certificate=yes the server's chain is verified
// against the router's trusted certificates; with no, the certificate is
// pinned by pin, the fingerprint learned from a first dial (noPin before).
func ClientConfig(w config.OVPNClient, f Files, pin string) (string, error) {
	if w.Mode == "ethernet" {
		return "", fmt.Errorf("mode=ethernet is not dialled (docs/ovpn.md)")
	}
	if w.CertProblem != "" {
		return "", fmt.Errorf("certificate: %s", w.CertProblem)
	}
	if w.VerifyServer && strings.TrimSpace(w.CAPEM) == "" {
		return "", fmt.Errorf("verify-server-certificate=yes and no trusted certificate in /certificate")
	}
	dc, err := usableCiphers(w.Cipher)
	if err != nil {
		return "", err
	}
	proto := "tcp-client"
	if w.Protocol == "udp" {
		proto = "udp"
	}
	var b strings.Builder
	line := func(f string, a ...any) { fmt.Fprintf(&b, f+"\n", a...) }
	line("client")
	line("dev %s", w.Link)
	line("dev-type tun")
	line("proto %s", proto)
	line("remote %s %d", w.ConnectTo, w.Port)
	line("nobind")
	if w.VerifyServer {
		line("ca %s", f.CA)
	} else {
		if pin == "" {
			pin = noPin
		}
		line("peer-fingerprint %s", pin)
	}
	if w.TLSVersion == "only-1.2" {
		line("tls-version-min 1.2")
		line("tls-version-max 1.2")
	}
	if w.CertPEM != "" {
		line("cert %s", f.Cert)
		line("key %s", f.Key)
	}
	if w.User != "" {
		line("auth-user-pass %s", filepath.Join(f.Dir, "user.txt"))
	}
	line("auth-retry nointeract")
	if p := providers(dc); p != "" {
		line(p)
	}
	line("data-ciphers %s", strings.Join(dc, ":"))
	line("data-ciphers-fallback %s", dc[0])
	line("auth %s", Digest(w.Auth))
	line("ifconfig-noexec")
	line("route-noexec")
	if w.RouteNopull {
		line("route-nopull")
	}
	line("tun-mtu %d", w.MaxMTU)
	line("management %s unix", f.Management)
	line("management-client")
	line("connect-retry 5 60")
	line("persist-key")
	line("verb 3")
	return b.String(), nil
}

// PushedSession reads the session from the server's PUSH_REPLY (as
// openvpn logs it): the address (ifconfig), the server's side (the
// route-gateway of a subnet topology, else ifconfig's peer), the MTU and
// the DNS servers.
func PushedSession(reply string) (*config.PPPoESession, error) {
	reply = strings.TrimSuffix(strings.TrimSpace(reply), "'")
	body, ok := strings.CutPrefix(reply, "PUSH_REPLY,")
	if !ok {
		return nil, fmt.Errorf("not a PUSH_REPLY: %q", reply)
	}
	var ifconfig []string
	var gateway, topology string
	s := &config.PPPoESession{}
	for _, o := range strings.Split(body, ",") {
		f := strings.Fields(o)
		if len(f) == 0 {
			continue
		}
		switch {
		case f[0] == "ifconfig" && len(f) == 3:
			ifconfig = f[1:]
		case f[0] == "route-gateway" && len(f) == 2:
			gateway = f[1]
		case f[0] == "topology" && len(f) == 2:
			topology = f[1]
		case f[0] == "tun-mtu" && len(f) == 2:
			s.MTU, _ = strconv.Atoi(f[1])
		case f[0] == "dhcp-option" && len(f) == 3 && f[1] == "DNS":
			if a, err := netip.ParseAddr(f[2]); err == nil && a.Is4() {
				s.DNS = append(s.DNS, a)
			}
		}
	}
	if len(ifconfig) != 2 {
		return nil, fmt.Errorf("no pushed address (ifconfig) in %q", reply)
	}
	var err error
	if s.Local, err = netip.ParseAddr(ifconfig[0]); err != nil {
		return nil, fmt.Errorf("pushed address %q: %v", ifconfig[0], err)
	}
	peer := ifconfig[1]
	if topology == "subnet" {
		peer = gateway
	}
	if s.Remote, err = netip.ParseAddr(peer); err != nil {
		return nil, fmt.Errorf("no server side of the tunnel (route-gateway %q, ifconfig %v)", gateway, ifconfig)
	}
	return s, nil
}

func (c *Clients) dial(ctx context.Context, e ClientEngine, w config.OVPNClient) {
	log := c.Log.With("ovpn-client", w.Name)
	if _, err := ClientConfig(w, Files{}, ""); err != nil {
		log.Warn("ovpn client not dialled", "why", err)
		_ = e.SetPPPoESession(w.Name, "disconnected", nil)
		<-ctx.Done()
		return
	}
	pppsession.Retry(ctx, log, "ovpn client", func() error { return c.dialOnce(ctx, e, w, log) })
	_ = e.SetPPPoESession(w.Name, "disconnected", nil)
}

// dialOnce runs one openvpn client process until it exits or ctx ends.
func (c *Clients) dialOnce(ctx context.Context, e ClientEngine, w config.OVPNClient, log *slog.Logger) error {
	c.mu.Lock()
	pin := c.pinned[w.ID]
	c.mu.Unlock()
	_ = e.SetPPPoESession(w.Name, "connecting...", nil)
	p, err := launch(ctx, c.start, c.binary(), "client", func(f Files) (string, error) { return ClientConfig(w, f, pin) },
		func(f Files) map[string]string {
			files := map[string]string{f.CA: w.CAPEM}
			if w.CertPEM != "" {
				files[f.Cert], files[f.Key] = w.CertPEM, w.KeyPEM
			}
			if w.User != "" {
				files[filepath.Join(f.Dir, "user.txt")] = w.User + "\n" + w.Password + "\n"
			}
			return files
		}, log)
	if err != nil {
		return err
	}
	conn := p.conn
	_, _ = conn.Write([]byte("log on all\nstate on\n"))
	up := false
	var sess *config.PPPoESession
	down := func() {
		if up {
			_ = e.SetPPPoESession(w.Name, "disconnected", nil)
			c.script(ctx, e, w, false, sess, log)
			up = false
		}
	}
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		l := strings.TrimRight(sc.Text(), "\r")
		if got, ok := learnedPin(l); ok && !w.VerifyServer && got != pin {
			// verify-server-certificate=no: dial again pinning the
			// certificate the server showed.
			c.mu.Lock()
			c.pinned[w.ID] = got
			c.mu.Unlock()
			log.Info("ovpn client takes the server's certificate unverified", "fingerprint", got)
			break
		}
		if i := strings.Index(l, "PUSH_REPLY,"); strings.HasPrefix(l, ">LOG:") && i >= 0 {
			if sess, err = PushedSession(l[i:]); err != nil {
				log.Warn("ovpn client: the server's push has no usable session", "err", err)
			}
			continue
		}
		rest, ok := strings.CutPrefix(l, ">STATE:")
		if !ok {
			continue
		}
		fs := strings.Split(rest, ",")
		if len(fs) < 2 {
			continue
		}
		switch fs[1] {
		case "CONNECTED":
			if sess == nil {
				continue
			}
			if sess.MTU == 0 || sess.MTU > w.MaxMTU {
				sess.MTU = w.MaxMTU
			}
			if err := c.linkUp(w.Link, sess.MTU); err != nil {
				log.Warn("ovpn client's TUN cannot come up", "link", w.Link, "err", err)
				continue
			}
			if err := e.SetPPPoESession(w.Name, "connected", sess); err != nil {
				log.Warn("ovpn client session not taken", "err", err)
				continue
			}
			up = true
			log.Info("ovpn client connected", "local", sess.Local, "remote", sess.Remote)
			c.script(ctx, e, w, true, sess, log)
		case "RECONNECTING", "EXITING":
			down()
			if fs[1] == "RECONNECTING" {
				_ = e.SetPPPoESession(w.Name, "connecting...", nil)
			}
		}
	}
	down()
	perr := p.end()
	if ctx.Err() != nil {
		return nil
	}
	return perr
}

// script runs the client profile's on-up or on-down script, as the PPP
// clients' service does.
func (c *Clients) script(ctx context.Context, e ClientEngine, w config.OVPNClient, up bool, s *config.PPPoESession, log *slog.Logger) {
	pe, ok := e.(pppoeclient.Engine)
	if !ok || s == nil {
		return
	}
	pppoeclient.ProfileScript(context.WithoutCancel(ctx), pe, config.PPPoEClient{Name: w.Name, User: w.User}, up, s.Local, s.Remote, log)
}

func (c *Clients) binary() string {
	if c.Binary != "" {
		return c.Binary
	}
	return "openvpn"
}

// learnedPin reads the server certificate's fingerprint from openvpn's
// log line of a pin that did not match: "... (got fingerprint: ab:cd:..."
// (openvpn 2.6.3, Debian bookworm's) or "(got certificate fingerprint:
// ab:cd:..." (2.6.14).
func learnedPin(line string) (string, bool) {
	_, rest, ok := strings.Cut(line, "got fingerprint: ")
	if !ok {
		_, rest, ok = strings.Cut(line, "got certificate fingerprint: ")
	}
	if !ok {
		return "", false
	}
	fp := strings.ToUpper(strings.TrimRight(strings.Fields(rest + " ")[0], ")"))
	if len(fp) != 32*3-1 {
		return "", false
	}
	return fp, true
}

// linkUp sets the client's TUN up with its MTU: openvpn leaves it down
// under ifconfig-noexec.
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
