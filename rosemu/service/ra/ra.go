// Package ra is rosemu's router advertisement service (/ipv6 nd): on each
// interface where the router has an address to advertise it sends router
// advertisements with the interface's prefixes, router lifetime, flags,
// MTU and DNS servers, answers router solicitations at once, and says
// goodbye (a router lifetime of 0) when an interface stops advertising.
// A change of an interface's settings restarts its advertiser without a
// goodbye: the interface goes on advertising.
// Its packets are the router's own ICMPv6, in the router's namespace, so
// hosts in the lab take SLAAC addresses and a default route from it as
// from a RouterOS router.
package ra

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/netip"
	"reflect"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mdlayher/ndp"
	"golang.org/x/net/ipv6"

	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/guard"
	"github.com/chrlab/chrlab/rosemu/service/internal/doorbell"
)

// initial are the delays of the first advertisements after an interface
// starts advertising, before the ra-interval pace: hosts that asked
// before the router was configured need not wait minutes (RFC 4861 allows
// up to three initial advertisements at shorter intervals).
var initial = []time.Duration{0, time.Second, 3 * time.Second}

// settle is how long a new or changed advertiser waits before its first
// advertisement, answering solicitations only then: a configuration
// applied in steps (a lab's base, then the case's own /ipv6 nd settings)
// reaches the hosts as its last step has it. Sent at once, the base's
// advertisement (autonomous=yes) gave a host a SLAAC address the case's
// autonomous=no could no longer take back (forum24). RFC 4861 lets a
// router delay its answer to a solicitation (MAX_RA_DELAY_TIME) and its
// first advertisements.
var settle = time.Second

// Manager runs one advertiser per interface. Hand it to config.Options.RA
// and call Run.
type Manager struct {
	Log *slog.Logger

	mu   sync.Mutex
	want []config.RAInterface
	bell doorbell.Bell
}

// New returns a manager for this process's network namespace.
func New(log *slog.Logger) *Manager { return &Manager{Log: log} }

// Update implements config.RAService without blocking.
func (m *Manager) Update(ras []config.RAInterface) {
	m.mu.Lock()
	m.want = append([]config.RAInterface(nil), ras...)
	m.mu.Unlock()
	m.bell.Ring()
}

type running struct {
	cfg    config.RAInterface
	cancel context.CancelFunc
	done   chan struct{}
	// changed is set before a stop that restarts the advertiser with
	// new settings: it sends no goodbye.
	changed atomic.Bool
}

// Run keeps one advertiser per wanted interface until ctx ends; a changed
// interface's advertiser is restarted with its new settings.
func (m *Manager) Run(ctx context.Context) {
	live := map[string]*running{}
	stop := func(r *running) {
		r.cancel()
		<-r.done
	}
	defer func() {
		for _, r := range live {
			stop(r)
		}
	}()
	for {
		m.mu.Lock()
		want := m.want
		m.mu.Unlock()
		seen := map[string]bool{}
		for _, w := range want {
			seen[w.Interface] = true
			if r, ok := live[w.Interface]; ok {
				if reflect.DeepEqual(r.cfg, w) {
					continue
				}
				r.changed.Store(true)
				stop(r)
			}
			rctx, cancel := context.WithCancel(ctx)
			r := &running{cfg: w, cancel: cancel, done: make(chan struct{})}
			live[w.Interface] = r
			go func() {
				defer close(r.done)
				_ = guard.Do(m.Log, "router advertisements on "+w.Interface, func() error { m.advertise(rctx, w, r.changed.Load); return nil })
			}()
		}
		for name, r := range live {
			if !seen[name] {
				stop(r)
				delete(live, name)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-m.bell.C():
		}
	}
}

// advertise sends ra's advertisements on its interface until ctx ends,
// then, unless changed says the interface goes on advertising with new
// settings, a last one with a router lifetime of 0 and the prefixes
// deprecated, so that hosts stop using the router at once.
func (m *Manager) advertise(ctx context.Context, ra config.RAInterface, changed func() bool) {
	var c *ndp.Conn
	var ifi *net.Interface
	// The link may be made or get its link-local address a moment after
	// the commit: try for a while.
	for i := 0; ; i++ {
		var err error
		ifi, err = net.InterfaceByName(ra.Interface)
		if err == nil {
			c, _, err = ndp.Listen(ifi, ndp.LinkLocal)
		}
		if err == nil {
			break
		}
		if i == 20 {
			m.Log.Warn("router advertisements", "interface", ra.Interface, "error", err.Error())
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(250 * time.Millisecond):
		}
	}
	defer c.Close()
	var f ipv6.ICMPFilter
	f.SetAll(true)
	f.Accept(ipv6.ICMPTypeRouterSolicitation)
	if err := c.SetICMPFilter(&f); err != nil {
		m.Log.Warn("router advertisements", "interface", ra.Interface, "error", err.Error())
	}
	if err := c.JoinGroup(netip.MustParseAddr("ff02::2")); err != nil {
		m.Log.Warn("router advertisements: join all-routers", "interface", ra.Interface, "error", err.Error())
	}
	msg := message(ra, ifi.HardwareAddr)
	send := func(m2 *ndp.RouterAdvertisement) {
		if err := c.WriteTo(m2, nil, netip.IPv6LinkLocalAllNodes()); err != nil {
			m.Log.Debug("router advertisement", "interface", ra.Interface, "error", err.Error())
		}
	}
	m.Log.Info("router advertisements", "interface", ra.Interface, "prefixes", len(ra.Prefixes), "lifetime", ra.Lifetime.String())

	// Solicitations are answered from a reader of their own.
	solicited := make(chan struct{}, 1)
	go func() {
		for {
			msg, _, _, err := c.ReadFrom()
			if err != nil {
				return // closed
			}
			if _, ok := msg.(*ndp.RouterSolicitation); ok {
				select {
				case solicited <- struct{}{}:
				default:
				}
			}
		}
	}()
	select {
	case <-ctx.Done():
		return // nothing sent: no goodbye either
	case <-time.After(settle):
	}
	n := 0
	next := time.NewTimer(initial[0])
	defer next.Stop()
	for {
		select {
		case <-ctx.Done():
			if changed() {
				return
			}
			bye := *msg
			bye.RouterLifetime = 0
			bye.Options = goodbyeOptions(msg.Options)
			send(&bye)
			return
		case <-solicited:
			send(msg)
		case <-next.C:
			send(msg)
			n++
			if n < len(initial) {
				next.Reset(initial[n] - initial[n-1])
			} else {
				next.Reset(pace(ra.MinInterval, ra.MaxInterval))
			}
		}
	}
}

// pace is the delay to the next unsolicited advertisement: uniform in
// [lo, hi], as RFC 4861 asks.
func pace(lo, hi time.Duration) time.Duration {
	if lo <= 0 || hi < lo {
		lo, hi = 200*time.Second, 600*time.Second
	}
	return lo + time.Duration(rand.Int64N(int64(hi-lo)+1))
}

// message builds the advertisement of ra.
func message(ra config.RAInterface, mac net.HardwareAddr) *ndp.RouterAdvertisement {
	msg := &ndp.RouterAdvertisement{
		CurrentHopLimit:      uint8(ra.HopLimit),
		ManagedConfiguration: ra.Managed,
		OtherConfiguration:   ra.Other,
		RouterLifetime:       ra.Lifetime,
		ReachableTime:        ra.ReachableTime,
		RetransmitTimer:      ra.RetransmitTimer,
	}
	switch ra.Preference {
	case "high":
		msg.RouterSelectionPreference = ndp.High
	case "low":
		msg.RouterSelectionPreference = ndp.Low
	}
	if ra.AdvertiseMAC && len(mac) == 6 {
		msg.Options = append(msg.Options, &ndp.LinkLayerAddress{Direction: ndp.Source, Addr: mac})
	}
	if ra.MTU > 0 {
		msg.Options = append(msg.Options, ndp.NewMTU(uint32(ra.MTU)))
	}
	for _, p := range ra.Prefixes {
		msg.Options = append(msg.Options, &ndp.PrefixInformation{
			PrefixLength: uint8(p.Prefix.Bits()), OnLink: p.OnLink, AutonomousAddressConfiguration: p.Autonomous,
			ValidLifetime: p.Valid, PreferredLifetime: min(p.Preferred, p.Valid), Prefix: p.Prefix.Addr(),
		})
	}
	if len(ra.DNS) > 0 {
		// RFC 8106: a lifetime of at least three times the longest
		// interval between advertisements.
		msg.Options = append(msg.Options, &ndp.RecursiveDNSServer{Lifetime: 3 * max(ra.MaxInterval, 600*time.Second), Servers: ra.DNS})
	}
	return msg
}

// goodbyeOptions are the options of the last advertisement: the prefixes
// deprecated (preferred lifetime 0) and the DNS servers withdrawn.
func goodbyeOptions(opts []ndp.Option) []ndp.Option {
	var out []ndp.Option
	for _, o := range opts {
		switch x := o.(type) {
		case *ndp.PrefixInformation:
			p := *x
			p.PreferredLifetime = 0
			out = append(out, &p)
		case *ndp.RecursiveDNSServer:
			d := *x
			d.Lifetime = 0
			out = append(out, &d)
		default:
			out = append(out, o)
		}
	}
	return out
}
