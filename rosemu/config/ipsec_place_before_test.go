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
