package config

import (
	"context"
	"testing"
	"time"
)

// TestRAInterfaces: what the router advertises. The bridge's address is
// advertised with the default lifetimes and the /ipv6 nd prefix entry of
// the bridge; the DNS server is /ip dns's IPv6 one; the WAN address has
// advertise=no; ether3's own nd entry is disabled, so nothing goes out
// there (the controls); the nd settings of the built-in entry apply.
func TestRAInterfaces(t *testing.T) {
	r := New(Options{Ports: []string{"ether1", "ether2", "ether3"}, Version: "7.16.2"})
	run(t, r, `/interface bridge add name=bridge
/interface bridge port add bridge=bridge interface=ether2
/ip dns set servers=198.51.100.53,3fff:100::53
/ipv6 address add address=3fff:88::1/64 interface=bridge
/ipv6 address add address=3fff:113::2/64 interface=ether1 advertise=no
/ipv6 address add address=3fff:77::1/64 interface=ether3
/ipv6 nd set [find default=yes] ra-interval=20s-1m ra-lifetime=10m mtu=1480 other-configuration=yes
/ipv6 nd add interface=ether3 disabled=yes
/ipv6 nd prefix add interface=bridge prefix=fd00:cafe::/64 autonomous=no valid-lifetime=infinity
/ipv6 nd prefix default set preferred-lifetime=1d`)
	ras := raInterfaces(r.begin(false))
	if len(ras) != 1 {
		t.Fatalf("advertised on %d interfaces, want the bridge only: %+v", len(ras), ras)
	}
	ra := ras[0]
	if ra.Interface != "bridge" || ra.MinInterval != 20*time.Second || ra.MaxInterval != time.Minute || ra.Lifetime != 10*time.Minute || ra.MTU != 1480 || !ra.Other || ra.Managed {
		t.Errorf("settings %+v", ra)
	}
	if len(ra.DNS) != 1 || ra.DNS[0].String() != "3fff:100::53" {
		t.Errorf("DNS %v", ra.DNS)
	}
	if len(ra.Prefixes) != 2 {
		t.Fatalf("prefixes %+v", ra.Prefixes)
	}
	p, q := ra.Prefixes[0], ra.Prefixes[1]
	if p.Prefix.String() != "3fff:88::/64" || !p.Autonomous || !p.OnLink || p.Preferred != 24*time.Hour || p.Valid != 30*24*time.Hour {
		t.Errorf("address prefix %+v", p)
	}
	if q.Prefix.String() != "fd00:cafe::/64" || q.Autonomous || q.Valid != raInfinity {
		t.Errorf("nd prefix %+v", q)
	}
	// IPv6 disabled: nothing is advertised.
	if _, err := r.Run(context.Background(), "/ipv6 settings set disable-ipv6=yes"); err != nil {
		t.Fatal(err)
	}
	if ras := raInterfaces(r.begin(false)); len(ras) != 0 {
		t.Errorf("with IPv6 disabled: %+v", ras)
	}
}
