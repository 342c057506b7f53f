// Package wireguard is rosemu's /interface wireguard service: for every
// enabled interface it runs a user-space WireGuard device (wireguard-go) on
// the interface's TUN link, which the kernel package made with the
// interface's addresses and routes. Its UDP socket is the router's own, in
// the router's namespace, so the handshakes cross the router's input and
// output chains as on RouterOS. What each peer did (last handshake, bytes,
// endpoint) goes back to the configuration engine for print and get.
package wireguard

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/guard"
	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/service/internal/doorbell"
	"github.com/chrlab/chrlab/rosemu/wgdev"
	"github.com/chrlab/chrlab/rosemu/wgkey"
	"github.com/vishvananda/netlink"
	"golang.zx2c4.com/wireguard/device"
)

// Engine is the part of the router the manager drives; *config.Router
// implements it.
type Engine interface {
	WireGuardInterfaces() []config.WireGuardInterface
	SetWireGuardPeer(id string, s config.WireGuardPeerState)
}

// Manager runs one device per enabled interface. Hand it to
// config.Options.WireGuard, then call Run with the router.
type Manager struct {
	Log *slog.Logger
	// Resolve turns an endpoint-address that is a DNS name into an
	// address; nil leaves such peers without an endpoint (they may still
	// connect to the router).
	Resolve func(ctx context.Context, name string) (netip.Addr, error)
	// Poll is how often the peers' state is read back (default 2 s).
	Poll time.Duration

	want doorbell.Latest[[]config.WireGuardInterface]
	// names caches endpoint names (Run's goroutine only): an answer for
	// nameTTL, a failure for nameRetry, so that a configuration change or
	// a poll does not ask the resolver for every peer again, and a name
	// that does not resolve is asked for at most every nameRetry.
	names map[string]nameEntry
}

type nameEntry struct {
	addr netip.Addr // invalid: the last lookup failed
	at   time.Time
}

const (
	nameTTL   = 5 * time.Minute
	nameRetry = 30 * time.Second
)

// New returns a manager for this process's network namespace.
func New(log *slog.Logger) *Manager { return &Manager{Log: log} }

// Update implements config.WireGuardService without blocking: the engine
// calls it under its lock.
func (m *Manager) Update(ws []config.WireGuardInterface) {
	m.want.Set(append([]config.WireGuardInterface(nil), ws...))
}

// running is one interface's device and the configuration it was given.
type running struct {
	dev *device.Device
	// noPeer answers what no peer takes (host unreachable, as Linux's
	// WireGuard does); it is told the allowed addresses of each
	// configuration set.
	noPeer *wgdev.NoPeer
	cfg    *uapiConf // the configuration last set
	// unresolved: an endpoint name did not resolve; the configuration is
	// set again at the next poll.
	unresolved bool
}

// uapiConf is an interface in WireGuard's configuration protocol: the
// device's own lines and one block per peer, by public key (hex).
type uapiConf struct {
	device string
	peers  map[string]string
	order  []string
	ids    map[string]string // public key (hex) to the peer's item id
}

func (c *uapiConf) equal(o *uapiConf) bool {
	if c == nil || o == nil || c.device != o.device || len(c.peers) != len(o.peers) {
		return false
	}
	for k, v := range c.peers {
		if o.peers[k] != v || o.ids[k] != c.ids[k] {
			return false
		}
	}
	return true
}

// full is the whole configuration, replacing whatever the device had.
func (c *uapiConf) full() string {
	var b strings.Builder
	b.WriteString(c.device)
	b.WriteString("replace_peers=true\n")
	for _, k := range c.order {
		b.WriteString(c.peers[k])
	}
	return b.String()
}

// delta is what turns the device configured with old into c without
// touching what stays: a peer whose block is unchanged keeps its session,
// as a RouterOS peer does when another peer or a property of its own
// changes; a changed peer is updated in place (its allowed addresses
// replaced), so its session survives too. A peer whose item id changed
// (removed and added again in one commit, with the same public key) is a
// new peer on RouterOS: the device's peer is removed and made anew, so no
// session, handshake or learned endpoint survives, and the endpoint is the
// one configured (none when its name does not resolve). Updated in place,
// the device would keep the old endpoint, as an omitted endpoint line
// means "unchanged" in WireGuard's configuration protocol.
func (c *uapiConf) delta(old *uapiConf) string {
	var b strings.Builder
	if c.device != old.device {
		b.WriteString(c.device)
	}
	for _, k := range old.order {
		if _, ok := c.peers[k]; !ok || c.replaced(old, k) {
			fmt.Fprintf(&b, "public_key=%s\nremove=true\n", k)
		}
	}
	for _, k := range c.order {
		if old.peers[k] != c.peers[k] || c.replaced(old, k) {
			b.WriteString(c.peers[k])
		}
	}
	return b.String()
}

// replaced: the peer k is in both configurations under different item
// ids, a new item with an old peer's public key.
func (c *uapiConf) replaced(old *uapiConf, k string) bool {
	_, was := old.peers[k]
	_, is := c.peers[k]
	return was && is && old.ids[k] != c.ids[k]
}

// Run starts, reconfigures and stops devices as the interfaces change,
// and reports the peers' state, until ctx ends.
func (m *Manager) Run(ctx context.Context, e Engine) error {
	if m.Log == nil {
		m.Log = slog.New(slog.DiscardHandler)
	}
	poll := m.Poll
	if poll <= 0 {
		poll = 2 * time.Second
	}
	m.want.Seed(e.WireGuardInterfaces())
	devs := map[string]*running{}
	defer func() {
		for _, r := range devs {
			r.dev.Close()
		}
	}()
	tick := time.NewTicker(poll)
	defer tick.Stop()
	for {
		retry := false
		select {
		case <-ctx.Done():
			return nil
		case <-m.want.C():
		case <-tick.C:
			m.report(e, devs)
			for _, r := range devs {
				retry = retry || r.unresolved
			}
			if !retry {
				continue
			}
		}
		want := m.want.Get()
		_ = guard.Do(m.Log, "WireGuard", func() error { m.sync(ctx, want, devs); return nil })
	}
}

// sync brings the devices to want.
func (m *Manager) sync(ctx context.Context, want []config.WireGuardInterface, devs map[string]*running) {
	keep := map[string]bool{}
	for _, w := range want {
		if w.Disabled || w.PrivateKey == "" {
			continue
		}
		log := m.Log.With("interface", w.Name)
		cfg, unresolved := m.uapiConfig(ctx, w, log)
		r := devs[w.Name]
		if r == nil {
			dev, np, err := open(w, log)
			if err != nil {
				log.Warn("wireguard interface not started", "err", err)
				continue
			}
			r = &running{dev: dev, noPeer: np}
			devs[w.Name] = r
		}
		keep[w.Name] = true
		r.unresolved = unresolved
		if cfg.equal(r.cfg) {
			continue
		}
		set := cfg.full()
		if r.cfg != nil {
			set = cfg.delta(r.cfg)
		}
		if err := r.dev.IpcSet(set); err != nil {
			// A listen port another interface holds: RouterOS shows the
			// interface not running; here the device stays down.
			log.Warn("wireguard configuration refused by the device", "err", err)
			r.dev.Close()
			delete(devs, w.Name)
			continue
		}
		r.cfg = cfg
		var peers []wgdev.Peer
		seen := map[string]bool{}
		for _, p := range w.Peers {
			k := wgkey.Hex(p.PublicKey)
			if _, ok := cfg.peers[k]; ok && !seen[k] { // the peers the device has, as uapiConfig took them
				seen[k] = true
				// A responder is given no endpoint, so that it dials
				// nobody; RouterOS shows it with its endpoint-address,
				// so its packets are taken to wait, not answered
				// [verify] on a CHR.
				waits := p.Responder && p.EndpointHost != "" && p.EndpointPort != 0
				peers = append(peers, wgdev.Peer{Key: k, Allowed: p.Allowed, Waits: waits})
			}
		}
		r.noPeer.SetPeers(peers)
		if err := r.dev.Up(); err != nil {
			log.Warn("wireguard device not up", "err", err)
		}
		log.Info("wireguard interface configured", "peers", len(cfg.order))
	}
	for name, r := range devs {
		if !keep[name] {
			r.dev.Close()
			delete(devs, name)
		}
	}
}

// open attaches a WireGuard device to the interface's TUN link, which the
// kernel package made at the commit; a missing link is an error, as the
// device would otherwise make a TUN of its own that Apply does not know.
func open(w config.WireGuardInterface, log *slog.Logger) (*device.Device, *wgdev.NoPeer, error) {
	name := kernel.LinkName(w.Name)
	if _, err := netlink.LinkByName(name); err != nil {
		return nil, nil, fmt.Errorf("find the TUN link %s: %w", name, err)
	}
	return wgdev.Open(name, w.MTU, func(f string, a ...any) { log.Debug("wireguard: " + fmt.Sprintf(f, a...)) })
}

// uapiConfig writes the interface in WireGuard's configuration protocol.
// The psk line is always written (zeros for none), so that removing a
// preshared key from a peer takes it off the device.
func (m *Manager) uapiConfig(ctx context.Context, w config.WireGuardInterface, log *slog.Logger) (*uapiConf, bool) {
	c := &uapiConf{device: fmt.Sprintf("private_key=%s\nlisten_port=%d\n", wgkey.Hex(w.PrivateKey), w.ListenPort),
		peers: map[string]string{}, ids: map[string]string{}}
	unresolved := false
	for _, p := range w.Peers {
		pub := wgkey.Hex(p.PublicKey)
		if pub == "" || c.peers[pub] != "" {
			continue
		}
		var b strings.Builder
		fmt.Fprintf(&b, "public_key=%s\n", pub)
		psk := wgkey.Hex(p.PresharedKey)
		if psk == "" {
			psk = strings.Repeat("0", 64)
		}
		fmt.Fprintf(&b, "preshared_key=%s\n", psk)
		// A responder waits for the peer's handshake: without an
		// endpoint the device starts none, and learns the peer's
		// address from its first packet.
		if p.EndpointHost != "" && p.EndpointPort != 0 && !p.Responder {
			if a, ok := m.endpoint(ctx, p.EndpointHost, log); ok {
				fmt.Fprintf(&b, "endpoint=%s\n", netip.AddrPortFrom(a, uint16(p.EndpointPort)))
			} else {
				unresolved = true
			}
		}
		fmt.Fprintf(&b, "persistent_keepalive_interval=%d\n", int(p.Keepalive/time.Second))
		b.WriteString("replace_allowed_ips=true\n")
		for _, a := range p.Allowed {
			fmt.Fprintf(&b, "allowed_ip=%s\n", a)
		}
		c.peers[pub] = b.String()
		c.order = append(c.order, pub)
		c.ids[pub] = p.ID
	}
	return c, unresolved
}

// endpoint is the address of an endpoint-address: as written, or
// resolved by the router's resolver.
func (m *Manager) endpoint(ctx context.Context, host string, log *slog.Logger) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(host); err == nil {
		return a.Unmap(), true
	}
	if m.Resolve == nil {
		return netip.Addr{}, false
	}
	if e, ok := m.names[host]; ok {
		if e.addr.IsValid() && time.Since(e.at) < nameTTL {
			return e.addr, true
		}
		if !e.addr.IsValid() && time.Since(e.at) < nameRetry {
			return netip.Addr{}, false
		}
	}
	if m.names == nil {
		m.names = map[string]nameEntry{}
	}
	rctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	a, err := m.Resolve(rctx, host)
	if err != nil {
		log.Info("wireguard peer endpoint does not resolve yet", "endpoint", host, "err", err)
		m.names[host] = nameEntry{at: time.Now()}
		return netip.Addr{}, false
	}
	m.names[host] = nameEntry{addr: a, at: time.Now()}
	return a, true
}

// report reads each device's peers and hands their state to the engine.
func (m *Manager) report(e Engine, devs map[string]*running) {
	for _, r := range devs {
		if r.cfg == nil {
			continue
		}
		text, err := r.dev.IpcGet()
		if err != nil {
			continue
		}
		for pub, st := range parsePeers(text) {
			if id, ok := r.cfg.ids[pub]; ok {
				e.SetWireGuardPeer(id, st)
			}
		}
	}
}

// parsePeers reads the peers of a UAPI get: public_key starts a peer.
func parsePeers(text string) map[string]config.WireGuardPeerState {
	out := map[string]config.WireGuardPeerState{}
	var cur string
	var st config.WireGuardPeerState
	var sec int64
	flush := func() {
		if cur != "" {
			if sec > 0 {
				st.LastHandshake = time.Unix(sec, 0)
			}
			out[cur] = st
		}
	}
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if !ok {
			continue
		}
		switch k {
		case "public_key":
			flush()
			cur, st, sec = v, config.WireGuardPeerState{}, 0
		case "endpoint":
			if ap, err := netip.ParseAddrPort(v); err == nil {
				st.Endpoint = ap
			}
		case "last_handshake_time_sec":
			sec, _ = strconv.ParseInt(v, 10, 64)
		case "rx_bytes":
			st.Rx, _ = strconv.ParseUint(v, 10, 64)
		case "tx_bytes":
			st.Tx, _ = strconv.ParseUint(v, 10, 64)
		}
	}
	flush()
	return out
}
