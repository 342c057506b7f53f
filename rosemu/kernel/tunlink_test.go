package kernel

import (
	"net/netip"
	"strings"
	"testing"
)

// TestSinkTunLink: a TunLink with Sink (a GRE tunnel rosemu does not
// build) holds its address and the route through it, and drops what is
// routed into it: a LAN client's connection to the internet host through
// it times out, where the host answers the same connection by the default
// route. Negative control: the same link without Sink has no carrier
// (nobody has the TUN open), so rosemu's ignore_routes_with_linkdown makes
// its routes dead and the connection leaves by the default route,
// masqueraded; with the tunnel's route gone it does too.
func TestSinkTunLink(t *testing.T) {
	dp, _, _, _, cli := dualDataplane(t)
	st := dualWANState()
	st.Mangle, st.RoutingTables = nil, nil
	base := []Route{{Dst: netip.MustParsePrefix("0.0.0.0/0"), Gateway: "203.0.113.1", Distance: 1}}
	st.Addresses = append(st.Addresses, Address{Prefix: netip.MustParsePrefix("172.16.0.1/30"), Interface: "gre-siteB"})
	into := Route{Dst: netip.MustParsePrefix("198.51.100.50/32"), Gateway: "172.16.0.2", Distance: 1}
	for _, c := range []struct {
		name  string
		sink  bool
		route bool
		want  string // what the host saw, "" for nothing
	}{
		{"sink", true, true, ""},
		{"no sink (no carrier)", false, true, "203.0.113.2"},
		{"sink, route gone", true, false, "203.0.113.2"},
		{"sink again", true, true, ""},
	} {
		st.TunLinks = []TunLink{{Name: "gre-siteB", MTU: 1476, Sink: c.sink}}
		st.Routes = append([]Route(nil), base...)
		if c.route {
			st.Routes = append(st.Routes, into)
		}
		if err := dp.Apply(st); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		saw, err := dial(cli, "192.168.88.20", "198.51.100.50:12566")
		if c.want == "" && (err == nil || !strings.Contains(err.Error(), "timeout")) {
			t.Errorf("%s: the host saw %q (%v), want a timeout: dropped in the tunnel", c.name, saw, err)
		}
		if c.want != "" && saw != c.want {
			t.Errorf("%s: the host saw %q (%v), want %s", c.name, saw, err, c.want)
		}
	}
}
