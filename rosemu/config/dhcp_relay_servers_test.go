package config

import (
	"context"
	"strings"
	"testing"
)

// TestDHCPServersPerRelay: several servers may share an interface when
// each serves its own relay (a 7.19 CCR2004 export); a server for a relay
// is not offered to the lab's clients on the interface; two servers for
// the same relay on one interface are still refused.
func TestDHCPServersPerRelay(t *testing.T) {
	r := New(Options{Ports: []string{"ether1", "ether2"}, Version: "7.19.4"})
	run(t, r, `/ip pool add name=p1 ranges=10.1.3.50-10.1.3.200
/ip pool add name=p2 ranges=10.1.4.50-10.1.4.200
/ip address add address=172.16.0.1/24 interface=ether2
/ip dhcp-server add address-pool=p1 interface=ether2 name=users relay=10.1.3.1
/ip dhcp-server add address-pool=p2 interface=ether2 name=vms relay=10.1.4.1
/ip dhcp-server add interface=ether2 name=direct`)
	srv := r.DHCPServers()
	if len(srv) != 1 || srv[0].Name != "direct" {
		t.Errorf("servers offered to the lab = %+v, want only direct", srv)
	}
	if _, err := r.Run(context.Background(), "/ip dhcp-server add interface=ether2 name=again relay=10.1.4.1"); err == nil {
		t.Errorf("a second server for relay 10.1.4.1 on ether2 was taken")
	}
}

// TestDHCPServerFramedClassless: use-framed-as-classless is taken in 6
// and 7, stored away from its default and exported.
func TestDHCPServerFramedClassless(t *testing.T) {
	for _, v := range []string{"6.49.10", "7.18.2"} {
		r := runShape(t, v, []string{"ether1"}, "/ip dhcp-server\nadd interface=ether1 name=d1 use-framed-as-classless=no\n")
		if exp := body(r.Export()); !strings.Contains(exp, "use-framed-as-classless=no") {
			t.Errorf("%s export:\n%s", v, exp)
		}
	}
}

// TestLeaseSameMACOtherClientID: a static lease by client-id and one by MAC
// alone may share the MAC (a 7.18 export); two by MAC alone may not.
func TestLeaseSameMACOtherClientID(t *testing.T) {
	r := New(Options{Ports: []string{"ether1"}, Version: "7.18"})
	run(t, r, `/ip dhcp-server add interface=ether1 name=lan
/ip dhcp-server lease add address=10.2.10.4 client-id=host-wired mac-address=00:30:93:00:12:38 server=lan
/ip dhcp-server lease add address=10.2.10.8 mac-address=00:30:93:00:12:38 server=lan`)
	if _, err := r.Run(context.Background(), "/ip dhcp-server lease add address=10.2.10.9 mac-address=00:30:93:00:12:38 server=lan"); err == nil || !strings.Contains(err.Error(), "lease for this mac-address already exists") {
		t.Errorf("a second lease by MAC alone: %v", err)
	}
}
