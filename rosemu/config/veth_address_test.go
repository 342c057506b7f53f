package config

import (
	"strings"
	"testing"
)

// TestVethAddressKeepsHost: a veth's address is the container's own
// address with its prefix length (a 7.18 CCR2004 export: "/interface veth
// add address=172.17.1.2/24 gateway=172.17.1.1"; Container page of the
// manual, "add address=172.17.0.2/24 gateway=172.17.0.1"). rosemu read it
// as the network, so print, get and export said 172.17.1.0/24 and the
// exported veth, loaded again, gave the container the network's address
// (realcheck31 D5).
func TestVethAddressKeepsHost(t *testing.T) {
	r := New(Options{Ports: ports, Version: "7.18"})
	run(t, r, "/interface veth add address=172.17.1.2/24,fd00:17::2/64 gateway=172.17.1.1 name=veth-foxdns\n"+
		"/interface veth add address=172.17.9.9 name=veth-bare")
	if got := run(t, r, ":put [/interface veth get veth-foxdns address]"); got != "172.17.1.2/24,fd00:17::2/64\n" {
		t.Errorf("get address = %q", got)
	}
	exportHoldsAndReimports(t, r, "7.18", "add address=172.17.1.2/24,fd00:17::2/64 gateway=172.17.1.1 name=veth-foxdns\n", "add address=172.17.9.9/32 name=veth-bare\n")
	if _, err := r.Run(t.Context(), "/interface veth add address=172.17.300.2/24 name=veth-bad"); err == nil || !strings.Contains(err.Error(), "invalid value for argument address") {
		t.Errorf("a bad address: err = %v", err)
	}
}
