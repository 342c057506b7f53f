package config

import (
	"context"
	"strings"
	"testing"
)

// TestWireguardStoredInterface: addresses, routes, list members and rules
// may name a WireGuard interface as in a real export; the kernel gets none
// of its addresses or routes, and NotEnforced says so.
func TestWireguardStoredInterface(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, `/interface wireguard add name=wg0 private-key="aGlzIGlzIGEgdGVzdCBrZXkgb2YgMzIgYnl0ZXMhISE="
/interface list add name=VPN
/interface list member add interface=wg0 list=VPN
/ip address add address=10.66.0.1/24 interface=wg0
/ip address add address=192.168.88.1/24 interface=ether2
/ip route add dst-address=10.77.0.0/16 gateway=wg0
/ip route add dst-address=10.78.0.0/16 gateway=10.66.0.2%wg0
/ip route add gateway=192.168.88.254
/ip firewall filter add chain=input in-interface=wg0 action=accept`)
	s := r.State()
	if len(s.Addresses) != 1 || s.Addresses[0].Interface != "ether2" {
		t.Errorf("kernel addresses = %+v, want only ether2's", s.Addresses)
	}
	if len(s.Routes) != 1 || s.Routes[0].Gateway != "192.168.88.254" {
		t.Errorf("kernel routes = %+v, want only the default route", s.Routes)
	}
	if got := strings.Join(s.InterfaceLists["VPN"], ","); got != "wg0" {
		t.Errorf("VPN list = %q", got)
	}
	got := map[string]int{}
	for _, n := range r.NotEnforced() {
		got[n.Path+" "+n.Property] = n.Count
	}
	if got["/ip address interface"] != 1 || got["/ip route gateway"] != 2 || got["/interface wireguard "] != 1 {
		t.Errorf("not enforced = %v", got)
	}
	// Negative controls: an unknown interface is still refused, and a
	// WireGuard interface cannot take a port's name.
	for src, want := range map[string]string{
		"/ip address add address=10.9.9.1/24 interface=wg9":                                               "input does not match any value of interface",
		`/interface wireguard add name=ether3 private-key="aGlzIGlzIGEgdGVzdCBrZXkgb2YgMzIgYnl0ZXMhISE="`: "failure: already have interface with such name",
		"/interface ethernet set ether3 name=wg0":                                                         "failure: already have interface with such name",
	} {
		if _, err := r.Run(context.Background(), src); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", src, err, want)
		}
	}
}
