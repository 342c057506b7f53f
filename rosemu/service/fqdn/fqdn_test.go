package fqdn_test

import (
	"context"
	"net/netip"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/service/dns"
	"github.com/chrlab/chrlab/rosemu/service/dns/dnstest"
	"github.com/chrlab/chrlab/rosemu/service/fqdn"
)

// clock is a time the test moves by hand, shared by the resolver's cache
// and the service, so that TTLs run out without waiting.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// zone is the loopback upstream's data, changed while the router runs.
type zone struct {
	mu    sync.Mutex
	addrs map[string][]netip.Addr
}

func (z *zone) set(name string, addrs ...string) {
	z.mu.Lock()
	defer z.mu.Unlock()
	if addrs == nil {
		delete(z.addrs, name)
		return
	}
	var as []netip.Addr
	for _, a := range addrs {
		as = append(as, netip.MustParseAddr(a))
	}
	z.addrs[name] = as
}

func (z *zone) answer(name string) ([]netip.Addr, uint32, bool) {
	z.mu.Lock()
	defer z.mu.Unlock()
	a, ok := z.addrs[name]
	return a, 30, ok
}

func list(r *config.Router, name string) []string {
	var out []string
	for _, e := range r.State().AddressLists[name] {
		out = append(out, e.Prefix.Addr().String())
	}
	slices.Sort(out)
	return out
}

// eventually polls cond until it holds; the bound only keeps a broken
// service from hanging the test, nothing is timed.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestResolveFollowsTTL(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clk := &clock{now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	z := &zone{addrs: map[string][]netip.Addr{}}
	z.set("host.test", "198.51.100.1", "198.51.100.2")
	port := dnstest.Start(t, z.answer)
	resolver := dns.New("127.0.0.1:0", nil)
	resolver.SetUpstreamPort(port)
	resolver.SetClock(clk.Now)
	svc := fqdn.New(fqdn.Options{Now: clk.Now})
	r := config.New(config.Options{Ports: []string{"ether1"}, DNS: resolver, FQDN: svc})
	go svc.Run(ctx, r, resolver)
	poke := func() { svc.Update(r.FQDNEntries()) }

	if _, err := r.Run(ctx, "/ip dns set servers=127.0.0.1\n/ip firewall address-list add list=hosts address=host.test"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "both A records as children", func() bool {
		return slices.Equal(list(r, "hosts"), []string{"198.51.100.1", "198.51.100.2"})
	})

	// The upstream changes; until the TTL runs out the router's cache still
	// has the old answer, afterwards the children follow the new one.
	z.set("host.test", "198.51.100.3")
	clk.advance(10 * time.Second)
	if a, _, _ := resolver.LookupIP(ctx, "host.test", false); len(a) != 2 {
		t.Fatalf("the cache lost the answer before its TTL: %v", a)
	}
	clk.advance(21 * time.Second)
	poke()
	eventually(t, "the children to follow the new answer", func() bool {
		return slices.Equal(list(r, "hosts"), []string{"198.51.100.3"})
	})

	// NXDOMAIN removes the children.
	z.set("host.test")
	clk.advance(31 * time.Second)
	poke()
	eventually(t, "the children to vanish on NXDOMAIN", func() bool { return len(list(r, "hosts")) == 0 })
	if _, ok := r.State().AddressLists["hosts"]; !ok {
		t.Error("the list itself vanished with its children")
	}

	// The name resolving again brings them back after Retry.
	z.set("host.test", "198.51.100.4")
	clk.advance(5 * time.Second)
	poke()
	eventually(t, "the children to return", func() bool {
		return slices.Equal(list(r, "hosts"), []string{"198.51.100.4"})
	})
	// Disabling the entry removes them at once.
	if _, err := r.Run(ctx, "/ip firewall address-list disable [find where address=host.test]"); err != nil {
		t.Fatal(err)
	}
	if got := list(r, "hosts"); len(got) != 0 {
		t.Errorf("disabled entry keeps %v", got)
	}
}

// TestNoServers: without /ip dns servers a name never resolves, and no
// lookup goes to the host's resolver.
func TestNoServers(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	resolver := dns.New("127.0.0.1:0", nil)
	done := make(chan struct{})
	svc := fqdn.New(fqdn.Options{})
	r := config.New(config.Options{Ports: []string{"ether1"}, DNS: resolver, FQDN: svc})
	if _, err := r.Run(ctx, "/ip firewall address-list add list=hosts address=localhost"); err != nil {
		t.Fatal(err)
	}
	go func() { svc.Run(ctx, r, resolver); close(done) }()
	if a, _, err := resolver.LookupIP(ctx, "localhost", false); err == nil || len(a) != 0 {
		t.Errorf("resolved localhost without servers: %v %v", a, err)
	}
	if got := list(r, "hosts"); len(got) != 0 {
		t.Errorf("children without servers: %v", got)
	}
	cancel()
	<-done
}

func list6(r *config.Router, name string) []string {
	var out []string
	if v6 := r.State().IPv6; v6 != nil {
		for _, e := range v6.AddressLists[name] {
			out = append(out, e.Prefix.Addr().String())
		}
	}
	slices.Sort(out)
	return out
}

// TestResolveAAAA (forum30 D5): a name in an IPv6 address list is asked
// as AAAA through the router's resolver and its children follow the
// answer's TTL as an IPv4 list's do. The control: the same name in an
// IPv4 list gets the A records only.
func TestResolveAAAA(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clk := &clock{now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	z := &zone{addrs: map[string][]netip.Addr{}}
	z.set("host.test", "198.51.100.1", "3fff:100::50")
	port := dnstest.Start(t, z.answer)
	resolver := dns.New("127.0.0.1:0", nil)
	resolver.SetUpstreamPort(port)
	resolver.SetClock(clk.Now)
	svc := fqdn.New(fqdn.Options{Now: clk.Now})
	r := config.New(config.Options{Ports: []string{"ether1"}, DNS: resolver, FQDN: svc})
	go svc.Run(ctx, r, resolver)
	poke := func() { svc.Update(r.FQDNEntries()) }

	if _, err := r.Run(ctx, `/ip dns set servers=127.0.0.1
/ipv6 address add address=3fff:88::1/64 interface=ether1
/ipv6 firewall address-list add list=hosts6 address=host.test
/ip firewall address-list add list=hosts address=host.test`); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the AAAA record as a child of the IPv6 list", func() bool {
		return slices.Equal(list6(r, "hosts6"), []string{"3fff:100::50"})
	})
	eventually(t, "the A record as a child of the IPv4 list", func() bool {
		return slices.Equal(list(r, "hosts"), []string{"198.51.100.1"})
	})
	z.set("host.test", "198.51.100.1", "3fff:100::51", "3fff:100::52")
	clk.advance(31 * time.Second)
	poke()
	eventually(t, "the IPv6 children to follow the new answer", func() bool {
		return slices.Equal(list6(r, "hosts6"), []string{"3fff:100::51", "3fff:100::52"})
	})
	z.set("host.test")
	clk.advance(31 * time.Second)
	poke()
	eventually(t, "the IPv6 children to vanish on NXDOMAIN", func() bool { return len(list6(r, "hosts6")) == 0 })
}
