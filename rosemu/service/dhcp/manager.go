// Package dhcp is rosemu's DHCP client service: for every enabled
// /ip dhcp-client entry it runs a real DHCPv4 client (insomniacslk/dhcp
// nclient4, a raw packet socket on the interface) and reports the lease to
// the configuration engine, which turns it into a dynamic address and
// route, then runs the entry's lease script (docs/routeros.md).
package dhcp

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/guard"
	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/script"
	"github.com/chrlab/chrlab/rosemu/service/internal/doorbell"
	"github.com/chrlab/chrlab/rosemu/service/internal/reconcile"
)

// Engine is the part of the router the manager drives; *config.Router
// implements it.
type Engine interface {
	DHCPClients() []config.DHCPClient
	SetLease(iface string, l *config.Lease) error
	SetDHCPStatus(iface, status string) error
	RunScript(ctx context.Context, name, src string, vars map[string]script.Value) error
}

// Manager runs one DHCP client per enabled /ip dhcp-client entry. It is the
// engine's config.DHCPService: hand it to config.Options.DHCP, then call Run
// with the router.
type Manager struct {
	// Netns names the router's network namespace (/run/netns/<name>) in
	// which the clients open their sockets; empty means this process's
	// namespace, as in the rosemu container.
	Netns string
	// Log receives the clients' events; nil discards them.
	Log *slog.Logger
	// Retransmit is how long a client waits for an answer before it sends
	// a message again (default 2 s). RFC 2131 suggests 4 s doubling up to
	// 64 s; a lab wants a lost packet to cost little.
	Retransmit time.Duration

	mu   sync.Mutex
	want doorbell.Latest[[]config.DHCPClient]
	// byIface are the running clients by interface, for the release and
	// renew commands.
	byIface map[string]*client
}

var _ config.DHCPCommander = (*Manager)(nil)

// DHCPClientCommand implements config.DHCPCommander: /ip dhcp-client
// release or renew reaches the interface's client without blocking (a
// command already waiting is not doubled). No client runs on a disabled
// entry or before Run starts one: the command is dropped.
func (m *Manager) DHCPClientCommand(iface, cmd string) {
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

// New returns a manager for the router's own namespace.
func New(log *slog.Logger) *Manager {
	return &Manager{Log: log}
}

// Update implements config.DHCPService: it records the entries and wakes
// Run, without blocking, since the engine calls it under its lock.
func (m *Manager) Update(cs []config.DHCPClient) {
	m.want.Set(append([]config.DHCPClient(nil), cs...))
}

// Run starts and stops clients as the entries change until ctx ends, then
// stops them all (each releases its lease) and returns nil.
func (m *Manager) Run(ctx context.Context, e Engine) error {
	if m.Log == nil {
		m.Log = slog.New(slog.DiscardHandler)
	}
	m.want.Seed(e.DHCPClients())
	running := map[string]*client{}
	defer func() {
		for _, c := range running {
			c.stop()
		}
		m.mu.Lock()
		m.byIface = nil
		m.mu.Unlock()
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-m.want.C():
		}
		want := m.want.Get()
		wanted := map[string]config.DHCPClient{}
		for _, w := range want {
			if !w.Disabled {
				// A client is identified by entry and interface: moving
				// an entry to another interface starts a fresh client.
				wanted[w.ID+"@"+w.Interface] = w
			}
		}
		reconcile.Apply(running, wanted,
			func(w config.DHCPClient) *client { return m.start(ctx, e, w) },
			func(c *client, w config.DHCPClient) { c.setScript(w.Script) },
			(*client).stop)
		byIface := map[string]*client{}
		for _, c := range running {
			byIface[c.iface] = c
		}
		m.mu.Lock()
		m.byIface = byIface
		m.mu.Unlock()
	}
}

func (m *Manager) start(ctx context.Context, e Engine, w config.DHCPClient) *client {
	cctx, cancel := context.WithCancel(ctx)
	c := &client{m: m, e: e, iface: w.Interface, script: w.Script, cancel: cancel, done: make(chan struct{}), kick: make(chan string, 1)}
	go func() {
		defer close(c.done)
		// A panic ends this client only (logged with its stack); the
		// router and its other services stay up.
		_ = guard.Do(m.Log, "DHCP client "+w.Interface, func() error { c.run(cctx); return nil })
	}()
	return c
}

func (m *Manager) retransmit() time.Duration {
	if m.Retransmit > 0 {
		return m.Retransmit
	}
	return 2 * time.Second
}

// inNetns runs fn on an OS thread in the router's namespace
// (kernel.InNetns), so that the sockets it opens and the interfaces it
// looks up are the router's; without Netns fn runs where the daemon is.
func (m *Manager) inNetns(fn func() error) error {
	if m.Netns == "" {
		return fn()
	}
	return kernel.InNetns(m.Netns, fn)
}
