package config

import (
	"net/netip"
	"strings"
	"testing"
)

// TestDNSStaticMappedAAAA: an AAAA entry whose address is an IPv4-mapped
// IPv6 address. A 7.10rc5 CCR2004 export carries 123 of them, written by
// its DHCP lease script (`/ip/dns/static/add type=AAAA name=$hostname
// address=("::ffff:" . ($dhcpent->"address"))`): RouterOS took them and
// exported them as written. rosemu read the address as the IPv4 address
// inside it and refused every line, `invalid value for argument address`
// (realcheck31 D1).
func TestDNSStaticMappedAAAA(t *testing.T) {
	r := New(Options{Ports: ports, Version: "7.10"})
	run(t, r, "/ip dns static add address=::ffff:10.2.1.1 name=router.foxden.network ttl=5m type=AAAA\n"+
		"/ip dns static add address=::ffff:10.2.1.3 name=backup.foxden.network")
	st := r.DNS().Static
	if len(st) != 2 {
		t.Fatalf("static entries = %+v", st)
	}
	for i, want := range []string{"::ffff:10.2.1.1", "::ffff:10.2.1.3"} {
		if st[i].Type != "AAAA" || st[i].Address != netip.MustParseAddr(want) {
			t.Errorf("entry %d = %s %v, want AAAA %s", i, st[i].Type, st[i].Address, want)
		}
	}
	exp := body(r.Export())
	for _, line := range []string{
		"add address=::ffff:10.2.1.1 name=router.foxden.network ttl=5m type=AAAA\n",
		"add address=::ffff:10.2.1.3 name=backup.foxden.network type=AAAA\n",
	} {
		if !strings.Contains(exp, line) {
			t.Errorf("export lacks %q:\n%s", line, exp)
		}
	}
	if got := run(t, r, ":put [/ip dns static get [find name=router.foxden.network] address]"); got != "::ffff:10.2.1.1\n" {
		t.Errorf("get address = %q", got)
	}
	// The family is the one written: type=A with the mapped form is
	// refused as type=A with any IPv6 address is.
	if _, err := r.Run(t.Context(), "/ip dns static add address=::ffff:10.2.1.9 name=x.foxden.network type=A"); err == nil ||
		!strings.Contains(err.Error(), "invalid value for argument address") {
		t.Errorf("type=A with a mapped address: err = %v", err)
	}
}
