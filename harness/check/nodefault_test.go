package check

import (
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/export"
)

// With --map ether2=wan on a router that has no default route at all, the
// LAN's connections find no route ("network is unreachable" in the lab):
// the finding is the missing default route, and the fix adds it by the
// other host of the WAN's /30, beside the masquerade. Only the masquerade
// was asked for, "leaving by ether2", and the lab proved it did not help
// (realcheck22 D9). The control: the same router with a default route by
// 15.15.15.2 gets no such finding, and its masquerade finding says
// "leaving by ether2".
func TestNoDefaultRouteMappedWAN(t *testing.T) {
	const rsc = `# by RouterOS 7.16
/ip address
add address=10.10.10.10/24 interface=ether1 network=10.10.10.0
add address=15.15.15.1/30 interface=ether2 network=15.15.15.0
`
	for _, c := range []struct {
		extra string
		want  bool
	}{{"", true}, {"/ip route\nadd gateway=15.15.15.2\n", false}} {
		f, err := export.Read("x.rsc", []byte(rsc+c.extra))
		if err != nil {
			t.Fatal(err)
		}
		p, err := Import(f, Options{Map: map[string]string{"ether2": "wan"}})
		if err != nil {
			t.Fatal(err)
		}
		found, _ := p.Diagnose()
		got := slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == NoDefaultRoute && f.Path == "lan-internet:ether1" })
		if got != c.want {
			t.Errorf("%q: no-default-route finding %v, want %v: %+v", c.extra, got, c.want, found)
		}
		fx := p.Propose(found)
		all := strings.Join(fx.Lines, "\n")
		if has := strings.Contains(all, "/ip route add dst-address=0.0.0.0/0 gateway=15.15.15.2"); has != c.want {
			t.Errorf("%q: the default route in the fix %v, want %v:\n%s", c.extra, has, c.want, all)
		}
		masq := slices.IndexFunc(found, func(f Finding) bool { return f.Cause == NoMasquerade })
		if masq < 0 {
			t.Fatalf("%q: no masquerade finding: %+v", c.extra, found)
		}
		if leaving := strings.Contains(found[masq].Detail, "leaving by ether2"); leaving == c.want {
			t.Errorf("%q: masquerade detail %q", c.extra, found[masq].Detail)
		}
	}
}

// The default route's gateway is the other host of a /30 or /31, sure;
// on a wider subnet the lab's ISP, which the user replaces.
func TestDefaultRouteGateway(t *testing.T) {
	for _, c := range []struct {
		addr, want string
		sure       bool
	}{{"15.15.15.1/30", "15.15.15.2", true}, {"15.15.15.2/30", "15.15.15.1", true}, {"15.15.15.1/31", "15.15.15.0", true}, {"15.15.15.0/31", "15.15.15.1", true}, {"203.0.113.10/24", "203.0.113.1", false}} {
		w := WAN{Address: mustPrefix(c.addr)}
		gw, sure := defaultRouteGateway(w)
		if gw.String() != c.want || sure != c.sure {
			t.Errorf("%s: %s %v, want %s %v", c.addr, gw, sure, c.want, c.sure)
		}
	}
}

func mustPrefix(s string) netip.Prefix { return netip.MustParsePrefix(s) }
