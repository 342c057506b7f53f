// Package cloud is rosemu's IP Cloud client (docs/routeros.md): while
// /ip cloud ddns-enabled=yes it registers the router's public address with
// the cloud server and reports public-address, dns-name, status and warning
// to the engine. It speaks the stand-in protocol of protocol.go, not
// MikroTik's encrypted one; everything else follows RouterOS: the server's
// name is resolved with the router's own DNS (/ip dns servers, never the
// host's resolver), the request is a UDP datagram from the router's own
// namespace (so it crosses the router's srcnat), the router checks every
// minute whether its outgoing address changed and updates only then, on
// ddns-update-interval, after a failure, and on /ip cloud force-update.
package cloud

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/service/internal/doorbell"
)

// Options configures the service; zero values take RouterOS's.
type Options struct {
	// Serial is the router's serial number; default SerialFor("MikroTik").
	// Set it with SerialFor(identity) so that it follows the identity.
	Serial string
	// Check is how often the router checks whether its outgoing address
	// changed: 60 s on RouterOS. Labs may shorten it to save time.
	Check time.Duration
	// Timeout is how long the router waits for the server's reply: 15 s on
	// RouterOS.
	Timeout time.Duration
	// Server is the cloud server's name (cloud.mikrotik.com).
	Server string
	// Port is the server's UDP port (15252); tests use another.
	Port int
	Log  *slog.Logger
}

// Defaults of RouterOS (docs/routeros.md).
const (
	DefaultCheck   = 60 * time.Second
	DefaultTimeout = 15 * time.Second
	DefaultServer  = "cloud.mikrotik.com"
)

// Status strings RouterOS shows. [verify] the wording when the server's
// name does not resolve: rosemu reports it as no Internet connection.
const (
	StatusUpdating   = "updating..."
	StatusUpdated    = "updated"
	StatusNoNet      = "Error: no Internet connection"
	StatusTimedOut   = "Error: request timed out"
	StatusRejected   = "Error: rejected. Contact MikroTik support"
	WarningBehindNAT = "Router is behind a NAT. Remote connection might not work."
)

// Router is the engine as the service uses it; *config.Router implements it.
type Router interface {
	Cloud() config.CloudConfig
	SetCloudStatus(config.CloudStatus)
}

// Resolver resolves names with the router's own DNS;
// *rosemu/service/dns.Server implements it.
type Resolver interface {
	LookupIP(ctx context.Context, name string, ipv6 bool) ([]netip.Addr, time.Duration, error)
}

// Service is the IP Cloud client of one router. It implements
// config.CloudService: pass it as config.Options.Cloud, then call Run.
type Service struct {
	o       Options
	mu      sync.Mutex
	cfg     config.CloudConfig
	changed doorbell.Bell
	force   doorbell.Bell
}

// New returns the service with the defaults filled in.
func New(o Options) *Service {
	if o.Serial == "" {
		o.Serial = SerialFor("MikroTik")
	}
	if o.Check <= 0 {
		o.Check = DefaultCheck
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Server == "" {
		o.Server = DefaultServer
	}
	if o.Port == 0 {
		o.Port = Port
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return &Service{o: o}
}

// Options returns the options in effect, defaults included, for the
// daemon's log and the harness's report.
func (s *Service) Options() Options { return s.o }

// DNSName is the name the cloud publishes for this router.
func (s *Service) DNSName() string { return DNSName(s.o.Serial) }

// Update takes a new configuration (config.CloudService).
func (s *Service) Update(c config.CloudConfig) {
	s.mu.Lock()
	s.cfg = c
	s.mu.Unlock()
	s.changed.Ring()
}

// ForceUpdate asks for an update now (config.CloudService).
func (s *Service) ForceUpdate() { s.force.Ring() }

func (s *Service) config() config.CloudConfig {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cfg
}

// client is the state of Run between checks.
type client struct {
	s         *Service
	r         Router
	dns       Resolver
	status    config.CloudStatus
	ok        bool       // the last update succeeded
	sentFrom  netip.Addr // the outgoing address of the last successful update
	lastSent  time.Time
	published bool // an update succeeded since the last delete
}

// Run works until ctx ends and returns nil then.
func (s *Service) Run(ctx context.Context, r Router, dns Resolver) error {
	s.Update(r.Cloud())
	c := &client{s: s, r: r, dns: dns}
	s.o.Log.Info("ip cloud client", "serial", s.o.Serial, "dns-name", s.DNSName(), "check", s.o.Check, "timeout", s.o.Timeout, "server", s.o.Server, "port", s.o.Port)
	tick := time.NewTicker(s.o.Check)
	defer tick.Stop()
	for {
		force := false
		select {
		case <-ctx.Done():
			return nil
		case <-s.changed.C():
		case <-s.force.C():
			force = true
		case <-tick.C:
		}
		c.check(ctx, force)
	}
}

// check does what one check of RouterOS does.
func (c *client) check(ctx context.Context, force bool) {
	cfg := c.s.config()
	if !cfg.DDNSEnabled {
		if c.published {
			// Disabling sends a delete (docs/routeros.md); its outcome changes nothing.
			if _, _, err := c.exchange(ctx, OpDelete); err != nil {
				c.s.o.Log.Warn("ip cloud: delete the dns record", "err", err)
			}
			c.published = false
		}
		c.ok, c.sentFrom = false, netip.Addr{}
		c.set(config.CloudStatus{})
		return
	}
	server, err := c.resolve(ctx)
	if err != nil {
		c.s.o.Log.Warn("ip cloud: resolve the cloud server", "err", err)
		c.fail(StatusNoNet)
		return
	}
	local, err := localAddr(server, c.s.o.Port)
	if err != nil {
		c.s.o.Log.Warn("ip cloud: find the outgoing address", "err", err)
		c.fail(StatusNoNet)
		return
	}
	due := force || !c.ok || local != c.sentFrom ||
		cfg.UpdateInterval > 0 && time.Since(c.lastSent) >= cfg.UpdateInterval
	if !due {
		return
	}
	st := c.status
	st.Status = StatusUpdating
	c.set(st)
	public, from, err := c.exchangeWith(ctx, server, OpUpdate)
	switch {
	case errors.Is(err, ErrRejected):
		c.s.o.Log.Warn("ip cloud: update", "err", err)
		c.fail(StatusRejected)
		return
	case err != nil:
		c.s.o.Log.Warn("ip cloud: update", "err", err)
		c.fail(StatusTimedOut)
		return
	}
	c.ok, c.sentFrom, c.lastSent, c.published = true, from, time.Now(), true
	st = config.CloudStatus{PublicAddress: public, DNSName: c.s.DNSName(), Status: StatusUpdated}
	if public != from {
		st.Warning = WarningBehindNAT
	}
	c.set(st)
}

// fail shows an error and keeps what the last success reported, as
// RouterOS keeps showing the public address.
func (c *client) fail(status string) {
	c.ok = false
	st := c.status
	st.Status = status
	c.set(st)
}

func (c *client) set(st config.CloudStatus) {
	if st != c.status {
		c.status = st
		c.r.SetCloudStatus(st)
	}
}

// resolve finds the cloud server with the router's own resolver.
func (c *client) resolve(ctx context.Context) (netip.Addr, error) {
	ctx, cancel := context.WithTimeout(ctx, c.s.o.Timeout)
	defer cancel()
	addrs, _, err := c.dns.LookupIP(ctx, c.s.o.Server, false)
	if err != nil {
		return netip.Addr{}, err
	}
	if len(addrs) == 0 {
		return netip.Addr{}, fmt.Errorf("resolve %s: the router's resolver has no A record", c.s.o.Server)
	}
	return addrs[0], nil
}

// localAddr is the router's outgoing address towards server: what RouterOS
// watches for a change. Connecting a UDP socket sends nothing.
func localAddr(server netip.Addr, port int) (netip.Addr, error) {
	conn, err := net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(netip.AddrPortFrom(server, uint16(port))))
	if err != nil {
		return netip.Addr{}, fmt.Errorf("route to cloud server %s: %w", server, err)
	}
	defer conn.Close()
	return conn.LocalAddr().(*net.UDPAddr).AddrPort().Addr().Unmap(), nil
}

func (c *client) exchange(ctx context.Context, op string) (netip.Addr, netip.Addr, error) {
	server, err := c.resolve(ctx)
	if err != nil {
		return netip.Addr{}, netip.Addr{}, err
	}
	return c.exchangeWith(ctx, server, op)
}

// exchangeWith sends one request from a fresh socket and waits for the
// reply for Timeout. It returns the public address the server saw and the
// local address the request left from.
func (c *client) exchangeWith(ctx context.Context, server netip.Addr, op string) (public, from netip.Addr, err error) {
	addr := net.JoinHostPort(server.String(), strconv.Itoa(c.s.o.Port))
	var d net.Dialer
	conn, err := d.DialContext(ctx, "udp", addr)
	if err != nil {
		return public, from, fmt.Errorf("open udp socket to cloud server %s: %w", addr, err)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	from = conn.LocalAddr().(*net.UDPAddr).AddrPort().Addr().Unmap()
	_ = conn.SetDeadline(time.Now().Add(c.s.o.Timeout))
	if _, err := conn.Write(Request(op, c.s.o.Serial)); err != nil {
		return public, from, fmt.Errorf("send %s to cloud server %s: %w", op, addr, err)
	}
	buf := make([]byte, 1500)
	for {
		n, err := conn.Read(buf)
		if err != nil {
			return public, from, fmt.Errorf("read the reply of cloud server %s to %s: %w", addr, op, err)
		}
		public, err = ParseReply(buf[:n])
		if err != nil && !errors.Is(err, ErrRejected) {
			continue // not the stand-in's answer: wait for the real one
		}
		return public, from, err
	}
}
