package config

import "testing"

type flushDNS struct {
	fakeDNS
	flushed int
}

func (f *flushDNS) Flush() { f.flushed++ }

// /ip dns cache flush (console and terse forms) empties the running DNS
// service's cache; without a service it is still taken.
func TestDNSCacheFlush(t *testing.T) {
	f := &flushDNS{}
	r := New(Options{Ports: ports, DNS: f})
	run(t, r, "/ip dns cache flush")
	run(t, r, "/ip/dns/cache/flush")
	if f.flushed != 2 {
		t.Errorf("flushed %d times, want 2", f.flushed)
	}
	run(t, New(Options{Ports: ports}), "/ip dns cache flush\n/ip dns cache print")
}
