// Package vrrp is rosemu's VRRP service: for every /interface vrrp entry
// the engine runs (rosemu/config/vrrp.go) it speaks VRRP version 2 or 3
// for IPv4 on the entry's interface, elects the master with the other
// routers of the virtual router (RFC 5798 6.4), and reports the state to
// the engine, which brings the virtual router's link up or down; then it
// runs the entry's on-master or on-backup script.
package vrrp

import (
	"context"
	"log/slog"
	"strconv"
	"sync"

	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/guard"
	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/service/internal/doorbell"
	"github.com/chrlab/chrlab/rosemu/service/internal/reconcile"
)

// Engine is the part of the router the manager drives; *config.Router
// implements it.
type Engine interface {
	VRRPs() []config.VRRP
	SetVRRPState(id string, master bool) error
	RunVRRPScript(ctx context.Context, name, src string) error
}

// Manager runs one speaker per VRRP entry the engine runs.
type Manager struct {
	// Netns names the namespace (/run/netns/<name>) the speakers open
	// their sockets in; empty for this process's, as in rosemu.
	Netns string
	// Log receives the speakers' events; nil discards them.
	Log *slog.Logger

	bell doorbell.Bell
}

// New returns a manager for the router's own namespace.
func New(log *slog.Logger) *Manager { return &Manager{Log: log} }

// Wake tells the manager the entries may have changed; it never blocks
// (the engine calls it after every commit, under its lock).
func (m *Manager) Wake() { m.bell.Ring() }

// Run starts and stops speakers as the entries change until ctx ends,
// then stops them all (a master sends its priority 0 advertisement).
func (m *Manager) Run(ctx context.Context, e Engine) error {
	if m.Log == nil {
		m.Log = slog.New(slog.DiscardHandler)
	}
	running := map[string]*speaker{}
	defer func() {
		for _, s := range running {
			s.stop()
		}
	}()
	m.Wake()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-m.bell.C():
		}
		wanted := map[string]config.VRRP{}
		for _, v := range e.VRRPs() {
			if v.Disabled {
				continue
			}
			// Where it runs, which virtual router it is and the group
			// it follows are the key: a change of them starts afresh,
			// as backup; priority,
			// interval, addresses and scripts change under a running
			// speaker.
			wanted[v.ID+"@"+v.Parent+"@"+strconv.Itoa(v.VRID)+"@"+strconv.Itoa(v.Version)+"@"+v.Link+"@"+v.Follows] = v
		}
		reconcile.Apply(running, wanted,
			func(v config.VRRP) *speaker { return m.start(ctx, e, v) },
			(*speaker).update,
			(*speaker).stop)
	}
}

func (m *Manager) start(ctx context.Context, e Engine, v config.VRRP) *speaker {
	sctx, cancel := context.WithCancel(ctx)
	s := &speaker{m: m, e: e, cfg: v, cancel: cancel, done: make(chan struct{}), changed: make(chan struct{}, 1)}
	go func() {
		defer close(s.done)
		_ = guard.Do(m.Log, "VRRP "+v.Name, func() error { s.run(sctx); return nil })
	}()
	return s
}

func (m *Manager) inNetns(fn func() error) error {
	if m.Netns == "" {
		return fn()
	}
	return kernel.InNetns(m.Netns, fn)
}

// speaker is the VRRP state machine of one virtual router.
type speaker struct {
	m       *Manager
	e       Engine
	cancel  context.CancelFunc
	done    chan struct{}
	changed chan struct{}

	mu  sync.Mutex
	cfg config.VRRP
}

func (s *speaker) update(v config.VRRP) {
	s.mu.Lock()
	s.cfg = v
	s.mu.Unlock()
	select {
	case s.changed <- struct{}{}:
	default:
	}
}

func (s *speaker) config() config.VRRP {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cfg
}

func (s *speaker) stop() {
	s.cancel()
	<-s.done
}
