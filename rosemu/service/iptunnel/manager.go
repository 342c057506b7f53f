// Package iptunnel is rosemu's /interface gre, ipip and eoip service:
// for every enabled tunnel it runs a user-space tunnel (rosemu/iptun) on
// the interface's TUN link (a TAP for EoIP, possibly a bridge port),
// which the kernel package made with the interface's addresses and
// routes. Its raw socket is the
// router's own, in the router's namespace, so the outer packets cross the
// router's output and input chains as on RouterOS. Keepalive takes the
// link's carrier away when it fails, so /interface shows the tunnel not
// running and the routes through it go inactive.
package iptunnel

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/guard"
	"github.com/chrlab/chrlab/rosemu/iptun"
	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/service/internal/doorbell"
	"github.com/vishvananda/netlink"
)

// Engine is the part of the router the manager reads; *config.Router
// implements it.
type Engine interface {
	IPTunnels() []config.IPTunnel
}

// Manager runs one tunnel per enabled GRE, IPIP or EoIP interface. Hand it to
// config.Options.IPTunnels, then call Run with the router.
type Manager struct {
	Log *slog.Logger
	// Retry is how often a tunnel whose link or socket could not be
	// opened is tried again (default 1 s): the link is made at the
	// commit, which may come after the service hears of it.
	Retry time.Duration

	want doorbell.Latest[[]config.IPTunnel]
}

// New returns a manager for this process's network namespace.
func New(log *slog.Logger) *Manager { return &Manager{Log: log} }

// Update implements config.IPTunnelService without blocking: the engine
// calls it under its lock.
func (m *Manager) Update(ts []config.IPTunnel) {
	m.want.Set(append([]config.IPTunnel(nil), ts...))
}

type running struct {
	cfg config.IPTunnel
	tun *iptun.Tunnel
}

// Run starts, restarts and stops tunnels as the interfaces change, until
// ctx ends.
func (m *Manager) Run(ctx context.Context, e Engine) error {
	if m.Log == nil {
		m.Log = slog.New(slog.DiscardHandler)
	}
	retry := m.Retry
	if retry <= 0 {
		retry = time.Second
	}
	m.want.Seed(e.IPTunnels())
	tuns := map[string]*running{}
	defer func() {
		for _, r := range tuns {
			r.tun.Close()
		}
	}()
	tick := time.NewTicker(retry)
	defer tick.Stop()
	missing := false
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-m.want.C():
		case <-tick.C:
			if !missing {
				continue
			}
		}
		want := m.want.Get()
		_ = guard.Do(m.Log, "GRE/IPIP/EoIP", func() error { missing = m.sync(want, tuns); return nil })
	}
}

// sync brings the tunnels to want; it reports whether one could not be
// started (to be tried again).
func (m *Manager) sync(want []config.IPTunnel, tuns map[string]*running) (missing bool) {
	keep := map[string]bool{}
	for _, w := range want {
		if w.Disabled || !w.Remote.Is4() {
			continue
		}
		keep[w.Name] = true
		if r := tuns[w.Name]; r != nil {
			if r.cfg == w {
				continue
			}
			// Only the keepalive changed: in place, with a fresh count. A
			// restart would drop the link's carrier for a moment, and what
			// the LAN sent then would leave by the default route.
			same := r.cfg
			same.Keepalive, same.Retries = w.Keepalive, w.Retries
			if same == w {
				r.tun.SetKeepalive(w.Keepalive, w.Retries)
				r.cfg = w
				log := m.Log.With("interface", w.Name)
				log.Info("tunnel keepalive changed", "keepalive", w.Keepalive, "retries", w.Retries)
				continue
			}
			// Another remote, local address or tunnel id: a new tunnel.
			r.tun.Close()
			delete(tuns, w.Name)
		}
		log := m.Log.With("interface", w.Name)
		link := kernel.LinkName(w.Name)
		// Attach only to the link the kernel package made: opening a
		// missing one would make a TUN Apply does not know.
		if _, err := netlink.LinkByName(link); err != nil {
			missing = true
			continue
		}
		proto := iptun.GRE
		if w.Kind == "ipip" {
			proto = iptun.IPIP
		}
		t, err := iptun.Start(iptun.Config{Link: link, Proto: proto, EoIP: w.Kind == "eoip", TunnelID: uint16(w.TunnelID), Local: w.Local, Remote: w.Remote,
			Keepalive: w.Keepalive, Retries: w.Retries,
			OnRunning: func(up bool) { log.Info("tunnel running changed by keepalive", "running", up) },
			Logf:      func(f string, a ...any) { log.Info(fmt.Sprintf(f, a...)) }})
		if err != nil {
			log.Warn("tunnel not started", "err", err)
			missing = true
			continue
		}
		tuns[w.Name] = &running{cfg: w, tun: t}
		log.Info("tunnel started", "kind", w.Kind, "remote", w.Remote, "local", w.Local, "keepalive", w.Keepalive, "retries", w.Retries)
	}
	for name, r := range tuns {
		if !keep[name] {
			r.tun.Close()
			delete(tuns, name)
		}
	}
	return missing
}
