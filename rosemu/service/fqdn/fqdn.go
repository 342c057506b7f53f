// Package fqdn resolves address-list entries whose address is a DNS name
// (docs/routeros.md). After every commit the engine hands it the enabled entries; it
// resolves each name with the router's own resolver (rosemu/service/dns,
// which asks /ip dns servers, never the host's resolver) and reports the A
// records (AAAA for an entry of /ipv6 firewall address-list) to the engine, which shows them as dynamic child entries. It
// resolves a name again when the answer's TTL runs out.
//
// Choices where RouterOS's behaviour is not documented ([verify] in docs/routeros.md):
//   - A TTL below MinInterval (1 s by default, also for TTL 0) is raised to
//     it, so that a zero TTL does not make the router ask in a loop.
//   - When a name stops resolving (NXDOMAIN, no A record, or no answer from
//     any server), its children are removed at once, as they would expire
//     with their TTL, and the name is asked again after Retry (5 s).
package fqdn

import (
	"context"
	"log/slog"
	"net/netip"
	"sync"
	"time"

	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/guard"
	"github.com/chrlab/chrlab/rosemu/service/internal/doorbell"
)

// Options configures the service; zero values take the defaults.
type Options struct {
	// MinInterval is the shortest time between two lookups of a name that
	// resolved (default 1 s).
	MinInterval time.Duration
	// Retry is the time before a name that did not resolve is asked again
	// (default 5 s).
	Retry time.Duration
	// Timeout bounds one lookup (default 15 s, above the resolver's own
	// query-total-timeout of 10 s).
	Timeout time.Duration
	// Now replaces time.Now in tests.
	Now func() time.Time
	Log *slog.Logger
}

// Router is the engine as the service uses it; *config.Router implements it.
type Router interface {
	FQDNEntries() []config.FQDNEntry
	SetFQDNAddresses(id, name string, addrs []netip.Addr) error
}

// Resolver resolves names with the router's own DNS;
// *rosemu/service/dns.Server implements it.
type Resolver interface {
	LookupIP(ctx context.Context, name string, ipv6 bool) ([]netip.Addr, time.Duration, error)
}

// Service resolves the FQDN entries of one router. It implements
// config.FQDNService: pass it as config.Options.FQDN, then call Run.
type Service struct {
	o       Options
	mu      sync.Mutex
	entries []config.FQDNEntry
	changed doorbell.Bell
}

// New returns the service with the defaults filled in.
func New(o Options) *Service {
	if o.MinInterval <= 0 {
		o.MinInterval = time.Second
	}
	if o.Retry <= 0 {
		o.Retry = 5 * time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = 15 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return &Service{o: o}
}

// Options returns the options in effect, defaults included.
func (s *Service) Options() Options { return s.o }

// Update takes the enabled FQDN entries (config.FQDNService).
func (s *Service) Update(e []config.FQDNEntry) {
	s.mu.Lock()
	s.entries = e
	s.mu.Unlock()
	s.changed.Ring()
}

func (s *Service) current() []config.FQDNEntry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.entries
}

// key identifies what was resolved: an entry with the name it had, and
// whether it is an IPv6 list's (AAAA) or an IPv4 list's (A).
type key struct {
	id, name string
	ipv6     bool
}

// result is one finished lookup.
type result struct {
	k     key
	addrs []netip.Addr
	ttl   time.Duration
	err   error
}

// scheduler holds when each entry is due; Run owns it.
type scheduler struct {
	s        *Service
	r        Router
	dns      Resolver
	due      map[key]time.Time
	inflight map[key]bool
	done     chan result
}

// Run works until ctx ends and returns nil then.
func (s *Service) Run(ctx context.Context, r Router, dns Resolver) error {
	s.Update(r.FQDNEntries())
	sc := &scheduler{s: s, r: r, dns: dns, due: map[key]time.Time{}, inflight: map[key]bool{}, done: make(chan result)}
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		sc.sync()
		next := sc.startDue(ctx)
		timer.Reset(next)
		select {
		case <-ctx.Done():
			return nil
		case <-s.changed.C():
		case res := <-sc.done:
			sc.finish(res)
		case <-timer.C:
		}
	}
}

// sync follows the engine's entries: new ones are due now, gone ones are
// forgotten (the engine already removed their children).
func (sc *scheduler) sync() {
	live := map[key]bool{}
	for _, e := range sc.s.current() {
		k := key{e.ID, e.Name, e.IPv6}
		live[k] = true
		if _, ok := sc.due[k]; !ok {
			sc.due[k] = sc.s.o.Now()
		}
	}
	for k := range sc.due {
		if !live[k] {
			delete(sc.due, k)
		}
	}
}

// startDue starts the lookups that are due and returns the time until the
// next one.
func (sc *scheduler) startDue(ctx context.Context) time.Duration {
	now := sc.s.o.Now()
	wait := time.Hour
	for k, at := range sc.due {
		if sc.inflight[k] {
			continue
		}
		if !now.Before(at) {
			sc.inflight[k] = true
			go sc.lookup(ctx, k)
			continue
		}
		wait = min(wait, at.Sub(now))
	}
	return wait
}

func (sc *scheduler) lookup(ctx context.Context, k key) {
	lctx, cancel := context.WithTimeout(ctx, sc.s.o.Timeout)
	var addrs []netip.Addr
	var ttl time.Duration
	err := guard.Do(sc.s.o.Log, "FQDN lookup of "+k.name, func() (err error) {
		addrs, ttl, err = sc.dns.LookupIP(lctx, k.name, k.ipv6)
		return err
	})
	cancel()
	select {
	case sc.done <- result{k, addrs, ttl, err}:
	case <-ctx.Done():
	}
}

// finish reports a lookup to the engine and schedules the next one.
func (sc *scheduler) finish(res result) {
	delete(sc.inflight, res.k)
	if _, live := sc.due[res.k]; !live {
		return // the entry went while its name was being resolved
	}
	next := max(res.ttl, sc.s.o.MinInterval)
	if res.err != nil || len(res.addrs) == 0 {
		sc.s.o.Log.Debug("fqdn: name does not resolve", "name", res.k.name, "err", res.err)
		res.addrs, next = nil, sc.s.o.Retry
	}
	if err := sc.r.SetFQDNAddresses(res.k.id, res.k.name, res.addrs); err != nil {
		sc.s.o.Log.Debug("fqdn: report addresses", "name", res.k.name, "err", err)
	}
	sc.due[res.k] = sc.s.o.Now().Add(next)
}
