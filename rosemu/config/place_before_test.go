package config

import (
	"context"
	"strings"
	"testing"
)

// TestIPsecPolicyPlaceBefore: an IPsec policy added with place-before
// goes before the policy it names, as move puts it (forum49 D2: add
// refused the argument). Policies are taken in list order, so the
// action=none exemption must come first.
func TestIPsecPolicyPlaceBefore(t *testing.T) {
	r := New(Options{Ports: []string{"ether1", "ether2"}, Version: "7.16.2"})
	src := "/ip ipsec peer add address=203.0.113.9/32 name=site\n" +
		"/ip ipsec policy add src-address=192.168.88.0/24 dst-address=0.0.0.0/0 tunnel=yes peer=site comment=all\n" +
		"/ip ipsec policy add src-address=192.168.88.0/24 dst-address=192.168.88.0/24 action=none place-before=[find comment=all] comment=lan\n"
	if _, err := r.Run(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	out, err := r.Run(context.Background(), ":foreach p in=[/ip ipsec policy find where !template] do={:put [/ip ipsec policy get $p comment]}")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Fields(out); strings.Join(got, " ") != "lan all" {
		t.Errorf("policies in order %v, want lan before all", got)
	}
}

// TestHotspotListsPlaceBefore: the hotspot's ordered lists (walled garden,
// its IP list, IP bindings) take place-before on add, as the firewall
// tables do; they refused it as an unknown parameter.
func TestHotspotListsPlaceBefore(t *testing.T) {
	for _, c := range []struct{ menu, first, second string }{
		{"/ip hotspot walled-garden", "dst-host=a.example", "dst-host=b.example"},
		{"/ip hotspot walled-garden ip", "dst-address=192.0.2.4", "dst-address=192.0.2.5"},
		{"/ip hotspot ip-binding", "address=10.0.0.9", "address=10.0.0.8"},
	} {
		r := New(Options{Ports: []string{"ether1"}, Version: "7.16.2"})
		src := c.menu + " add " + c.first + " comment=one\n" + c.menu + " add " + c.second + " comment=two place-before=0\n"
		if _, err := r.Run(context.Background(), src); err != nil {
			t.Errorf("%s: %v", c.menu, err)
			continue
		}
		out, err := r.Run(context.Background(), ":foreach i in=["+c.menu+" find] do={:put ["+c.menu+" get $i comment]}")
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(strings.Fields(out), " "); got != "two one" {
			t.Errorf("%s: order %q, want two one", c.menu, got)
		}
	}
}
