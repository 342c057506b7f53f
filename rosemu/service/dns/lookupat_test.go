package dns

import (
	"context"
	"errors"
	"net/netip"
	"testing"
)

// LookupIPAt asks the one server it is given, past the static entries, the
// cache and the router's own servers, as ":resolve name server=" does.
func TestLookupIPAtAsksThatServer(t *testing.T) {
	up := &upstream{ttl: 600, zone: map[string][]netip.Addr{"www.example.com": {netip.MustParseAddr("198.51.100.80")}}}
	corp := &upstream{ttl: 60, zone: map[string][]netip.Addr{"www.example.com": {netip.MustParseAddr("172.16.0.7")}}}
	port := startUpstreams(t, map[string]*upstream{"127.0.0.1": up, "127.0.0.2": corp})
	l := newLab(t, port, `/ip dns set servers=127.0.0.1 query-server-timeout=200ms query-total-timeout=600ms
/ip dns static add name=www.example.com address=192.168.88.11`)
	ctx := context.Background()
	got, err := l.srv.LookupIPAt(ctx, netip.MustParseAddr("127.0.0.2"), 0, "www.example.com")
	if err != nil || len(got) != 1 || got[0] != netip.MustParseAddr("172.16.0.7") {
		t.Fatalf("got %v %v", got, err)
	}
	if up.queries("www.example.com") != 0 || corp.queries("www.example.com") != 1 {
		t.Errorf("queries: router's server %d, asked server %d", up.queries("www.example.com"), corp.queries("www.example.com"))
	}
	if _, err := l.srv.LookupIPAt(ctx, netip.MustParseAddr("127.0.0.2"), 0, "missing.example"); !errors.Is(err, ErrNameError) {
		t.Errorf("missing name: %v", err)
	}
	// Nothing answers on 127.0.0.3: a failure, not the router's answer.
	if got, err := l.srv.LookupIPAt(ctx, netip.MustParseAddr("127.0.0.3"), 0, "www.example.com"); err == nil || errors.Is(err, ErrNameError) {
		t.Errorf("silent server: %v %v", got, err)
	}
}
