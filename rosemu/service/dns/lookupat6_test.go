package dns

import (
	"context"
	"net/netip"
	"strconv"
	"testing"

	"github.com/chrlab/chrlab/rosemu/script"
	"github.com/chrlab/chrlab/rosemu/service/dns/dnstest"
)

// TestResolveIPv6AtServer: ":resolve name type=ipv6 server=address" asks
// that server for AAAA and returns its IPv6 address (it failed as "dns
// server failure" before: rosemu asked one server for A only). Controls:
// the same name without type= gets the A record from that server, and a
// name the server does not have is "dns name does not exist".
func TestResolveIPv6AtServer(t *testing.T) {
	port := dnstest.Start(t, func(name string) ([]netip.Addr, uint32, bool) {
		if name != "nas.example" {
			return nil, 0, false
		}
		return []netip.Addr{netip.MustParseAddr("192.0.2.10"), netip.MustParseAddr("2001:db8::10")}, 60, true
	})
	l := newLab(t, port, `/ip dns set servers=127.0.0.1`)
	l.r.SetServerResolver(func(ctx context.Context, name string, server netip.Addr, p int) (netip.Addr, error) {
		addrs, err := l.srv.LookupIPAt(ctx, server, p, name)
		if err != nil {
			return netip.Addr{}, script.ErrNoSuchName
		}
		return addrs[0], nil
	})
	l.r.SetServerResolver6(func(ctx context.Context, name string, server netip.Addr, p int) (netip.Addr, error) {
		addrs, err := l.srv.LookupIP6At(ctx, server, p, name)
		if err != nil {
			return netip.Addr{}, script.ErrNoSuchName
		}
		return addrs[0], nil
	})
	at := " server=127.0.0.1 port=" + strconv.Itoa(port)
	for _, tt := range []struct{ src, want string }{
		{":put [:resolve nas.example type=ipv6" + at + "]", "2001:db8::10\n"},
		{":put [:resolve nas.example" + at + "]", "192.0.2.10\n"},
	} {
		out, err := l.r.Run(context.Background(), tt.src)
		if err != nil || out != tt.want {
			t.Errorf("%s: %q, %v; want %q", tt.src, out, err, tt.want)
		}
	}
	if _, err := l.r.Run(context.Background(), ":put [:resolve other.example type=ipv6"+at+"]"); err == nil {
		t.Error("a name the server does not have resolved")
	}
	got, err := l.srv.LookupIP6At(context.Background(), netip.MustParseAddr("127.0.0.1"), port, "nas.example")
	if err != nil || len(got) != 1 || got[0] != netip.MustParseAddr("2001:db8::10") {
		t.Errorf("LookupIP6At: %v %v", got, err)
	}
}
