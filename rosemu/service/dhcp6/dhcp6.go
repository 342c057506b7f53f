// Package dhcp6 is rosemu's DHCPv6 client service: for every enabled
// /ipv6 dhcp-client entry it runs a DHCPv6 client (RFC 8415) on the
// interface, asking for a delegated prefix (IA_PD), an address (IA_NA) or
// both, and reports what it holds to the configuration engine, which
// turns it into a dynamic pool, the addresses taken from it and the
// routes (rosemu/config/ipv6_dhcp.go), then runs the entry's script.
//
// The messages are built with insomniacslk/dhcp's dhcpv6 package; the
// exchange is this package's own, because the client must know the
// address a reply came from (the gateway of the default route), which
// nclient6 does not tell.
package dhcp6

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/guard"
	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/service/internal/doorbell"
	"github.com/chrlab/chrlab/rosemu/service/internal/reconcile"
)

// Engine is the part of the router the manager drives; *config.Router
// implements it.
type Engine interface {
	DHCP6Clients() []config.DHCP6Client
	SetLease6(iface string, l *config.Lease6) error
	SetDHCP6Status(iface, status string) error
	RunLease6Script(ctx context.Context, iface, src string, l *config.Lease6) error
}

// Manager runs one client per enabled /ipv6 dhcp-client entry; it is the
// engine's config.DHCP6Service.
type Manager struct {
	// Netns names the namespace (/run/netns/<name>) the clients open
	// their sockets in; empty for this process's, as in rosemu.
	Netns string
	// Log receives the clients' events; nil discards them.
	Log *slog.Logger
	// Retransmit is how long a client waits for an answer before it
	// sends again (default 1 s, RFC 8415's SOL_TIMEOUT; a lab wants a
	// lost packet to cost little, so it does not back off).
	Retransmit time.Duration

	mu      sync.Mutex
	want    doorbell.Latest[[]config.DHCP6Client]
	byIface map[string]*client
}

var _ config.DHCP6Commander = (*Manager)(nil)

// New returns a manager for the router's own namespace.
func New(log *slog.Logger) *Manager { return &Manager{Log: log} }

// Update implements config.DHCP6Service without blocking.
func (m *Manager) Update(cs []config.DHCP6Client) {
	m.want.Set(append([]config.DHCP6Client(nil), cs...))
}

// DHCP6ClientCommand implements config.DHCP6Commander: release or renew
// reaches the interface's client without blocking.
func (m *Manager) DHCP6ClientCommand(iface, cmd string) {
	m.mu.Lock()
	c := m.byIface[iface]
	m.mu.Unlock()
	if c == nil {
		return
	}
	select {
	case c.kick <- cmd:
	default:
	}
}

// Run starts and stops clients as the entries change until ctx ends, then
// stops them all (each releases what it holds).
func (m *Manager) Run(ctx context.Context, e Engine) error {
	if m.Log == nil {
		m.Log = slog.New(slog.DiscardHandler)
	}
	m.want.Seed(e.DHCP6Clients())
	running := map[string]*client{}
	defer func() {
		for _, c := range running {
			c.stop()
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-m.want.C():
		}
		want := m.want.Get()
		wanted := map[string]config.DHCP6Client{}
		for _, w := range want {
			if w.Disabled || (!w.Address && !w.Prefix) {
				continue
			}
			// What it asks for is part of the key: a changed request
			// starts a fresh client.
			key := w.ID + "@" + w.Interface + "@" + w.PrefixHint.String()
			if w.Address {
				key += "+na"
			}
			if w.Prefix {
				key += "+pd"
			}
			wanted[key] = w
		}
		reconcile.Apply(running, wanted,
			func(w config.DHCP6Client) *client { return m.start(ctx, e, w) },
			func(c *client, w config.DHCP6Client) { c.setScript(w.Script) },
			(*client).stop)
		byIface := map[string]*client{}
		for _, c := range running {
			byIface[c.w.Interface] = c
		}
		m.mu.Lock()
		m.byIface = byIface
		m.mu.Unlock()
	}
}

func (m *Manager) start(ctx context.Context, e Engine, w config.DHCP6Client) *client {
	cctx, cancel := context.WithCancel(ctx)
	c := &client{m: m, e: e, w: w, script: w.Script, cancel: cancel, done: make(chan struct{}), kick: make(chan string, 1)}
	go func() {
		defer close(c.done)
		_ = guard.Do(m.Log, "DHCPv6 client "+w.Interface, func() error { c.run(cctx); return nil })
	}()
	return c
}

func (m *Manager) retransmit() time.Duration {
	if m.Retransmit > 0 {
		return m.Retransmit
	}
	return time.Second
}

func (m *Manager) inNetns(fn func() error) error {
	if m.Netns == "" {
		return fn()
	}
	return kernel.InNetns(m.Netns, fn)
}
