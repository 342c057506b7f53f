package config

import (
	"context"
	"strings"
	"testing"
)

// TestIPv6State: what the data plane gets of /ipv6. Addresses on a bridge
// and on a renamed port, a default route, an address list, the defconf
// firewall and a NAT66 rule are handed on; an address from a pool that
// does not exist is not assigned (RouterOS shows it invalid); a route of
// another table and a rule with a matcher rosemu does not render
// stay behind and are reported. Without an address or route, or with IPv6
// disabled, the router has no IPv6 at all (the control).
func TestIPv6State(t *testing.T) {
	src := `/interface ethernet set [ find default-name=ether1 ] name=wan
/interface bridge add name=bridge
/interface bridge port add bridge=bridge interface=ether2
/interface list add name=LAN
/interface list member add interface=bridge list=LAN
/ipv6 address add address=fd88::1 interface=bridge
/ipv6 address add address=3fff:113::2/64 interface=wan advertise=no
/ipv6 address add address=::1 from-pool=pd interface=bridge
/ipv6 route add gateway=fe80::1%wan
/ipv6 route add dst-address=fd99::/64 gateway=3fff:113::9 routing-table=other
/ipv6 firewall address-list add address=2001:db8::/32 list=bad_ipv6
/ipv6 firewall filter add action=drop chain=forward src-address-list=bad_ipv6
/ipv6 firewall filter add action=accept chain=input headers=hop protocol=icmpv6
/ipv6 firewall filter add action=drop chain=input in-interface=!bridge
/ipv6 firewall nat add action=masquerade chain=srcnat out-interface=wan`
	r := New(Options{Ports: []string{"ether1", "ether2"}, Version: "7.16.2"})
	// A routing table the second route names.
	if _, err := r.Run(context.Background(), "/routing table add name=other fib\n"+src); err != nil {
		t.Fatal(err)
	}
	t.Run("state", func(t *testing.T) {
		tx := r.begin(false)
		v6 := buildState(tx, nil).IPv6
		if v6 == nil {
			t.Fatal("no IPv6 state")
		}
		var addrs []string
		for _, a := range v6.Addresses {
			addrs = append(addrs, a.Prefix.String()+"@"+a.Interface)
		}
		// The renamed port is the kernel's ether1.
		if got := strings.Join(addrs, " "); got != "fd88::1/64@bridge 3fff:113::2/64@ether1" {
			t.Errorf("addresses %s", got)
		}
		if len(v6.Routes) != 1 || v6.Routes[0].Gateway != "fe80::1%ether1" || v6.Routes[0].Dst.String() != "::/0" {
			t.Errorf("routes %+v; want the default route through fe80::1%%ether1 only", v6.Routes)
		}
		if len(v6.Filter) != 2 || v6.Filter[1].Props["in-interface"] != "!bridge" || len(v6.NAT) != 1 || v6.NAT[0].Props["out-interface"] != "ether1" {
			t.Errorf("filter %+v nat %+v", v6.Filter, v6.NAT)
		}
		if len(v6.AddressLists["bad_ipv6"]) != 1 || !v6.Forward {
			t.Errorf("lists %+v forward %v", v6.AddressLists, v6.Forward)
		}
	})
	got := map[string]int{}
	for _, n := range r.NotEnforced() {
		if strings.HasPrefix(n.Path, "/ipv6") {
			got[n.Path+": "+strings.SplitN(n.Reason, ":", 2)[0]] += n.Count
		}
	}
	for k, want := range map[string]int{
		"/ipv6 route: routing-table":     1,
		"/ipv6 firewall filter: headers": 1,
	} {
		if got[k] != want {
			t.Errorf("%s reported %d times, want %d (all: %v)", k, got[k], want, got)
		}
	}

	for _, c := range []string{
		"/ipv6 settings set disable-ipv6=yes\n" + src,
		"/ipv6 firewall filter add action=drop chain=forward",
	} {
		r := New(Options{Ports: []string{"ether1", "ether2"}, Version: "7.16.2"})
		if _, err := r.Run(context.Background(), "/routing table add name=other fib\n"+c); err != nil {
			t.Fatal(err)
		}
		if v6 := buildState(r.begin(false), nil).IPv6; v6 != nil {
			t.Errorf("%q: IPv6 state %+v, want none", c[:40], v6)
		}
	}
}

// TestIPv6MetersEnforced: an /ipv6 firewall rule with connection-limit,
// dst-limit or packet-size reaches the IPv6 state and is not reported as
// not enforced (f72: each was stored and never matched, so a pinhole's
// per-/64 connection limit let every connection in); a netmask beyond 128
// is refused at its position.
func TestIPv6MetersEnforced(t *testing.T) {
	src := `/ipv6 address add address=fd88::1/64 interface=ether2
/ipv6 firewall filter add action=drop chain=forward connection-limit=2,64 protocol=udp
/ipv6 firewall filter add action=accept chain=input dst-limit=10,5,src-address/1m protocol=icmpv6
/ipv6 firewall filter add action=drop chain=input packet-size=!0-1000 protocol=icmpv6`
	r := New(Options{Ports: []string{"ether1", "ether2"}, Version: "7.16.2"})
	if _, err := r.Run(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	v6 := buildState(r.begin(false), nil).IPv6
	if v6 == nil || len(v6.Filter) != 3 {
		t.Fatalf("IPv6 filter rules in the state: %+v, want all 3", v6)
	}
	for _, n := range r.NotEnforced() {
		if strings.HasPrefix(n.Path, "/ipv6 firewall") {
			t.Errorf("reported as not enforced: %s: %s", n.Path, n.Reason)
		}
	}
	for _, c := range []struct{ line, want string }{
		{"/ipv6 firewall filter add chain=forward connection-limit=2,129", "invalid value for argument connection-limit (line 1 column 41)"},
		{"/ipv6 firewall filter add chain=forward packet-size=70000", "invalid value for argument packet-size (line 1 column 41)"},
	} {
		r := New(Options{Ports: []string{"ether1", "ether2"}, Version: "7.16.2"})
		_, err := r.Run(context.Background(), c.line)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.line, err, c.want)
		}
	}
}
