package config

import (
	"errors"
	"net/netip"
	"testing"
)

// TestDHCPPoolOffSubnet: a pool left on an old subnet (the interface
// renumbered to 192.168.70.1/24, pool and network on 192.168.66.0/24)
// hands out nothing, whether the client asks for an address of it or not;
// before, an address asked for (DISCOVER with a requested address, an
// INIT-REBOOT REQUEST) was granted off the subnet. The control: the same
// pool on the interface's subnet grants the asked address.
func TestDHCPPoolOffSubnet(t *testing.T) {
	r := New(Options{Ports: ports})
	runOK(t, r, `/ip address add address=192.168.70.1/24 interface=ether2
/ip pool add name=dhcp ranges=192.168.66.10-192.168.66.254
/ip dhcp-server add name=defconf interface=ether2 address-pool=dhcp
/ip dhcp-server network add address=192.168.66.0/24 gateway=192.168.66.1`)
	c := DHCPClientID{MAC: "02:00:00:00:00:01"}
	want := netip.MustParseAddr("192.168.66.20")
	if o, err := r.Offer("defconf", c, netip.Addr{}); !errors.Is(err, ErrNoLease) {
		t.Errorf("offer from a pool off the subnet: %+v %v", o, err)
	}
	if o, err := r.Offer("defconf", c, want); !errors.Is(err, ErrNoLease) {
		t.Errorf("offer of an asked address off the subnet: %+v %v", o, err)
	}
	if o, err := r.Request("defconf", c, want); !errors.Is(err, ErrNoLease) {
		t.Errorf("request of an address off the subnet: %+v %v", o, err)
	}

	ok := New(Options{Ports: ports})
	runOK(t, ok, `/ip address add address=192.168.66.1/24 interface=ether2
/ip pool add name=dhcp ranges=192.168.66.10-192.168.66.254
/ip dhcp-server add name=defconf interface=ether2 address-pool=dhcp
/ip dhcp-server network add address=192.168.66.0/24 gateway=192.168.66.1`)
	if o, err := ok.Request("defconf", c, want); err != nil || o.Address != want {
		t.Errorf("request on the subnet: %+v %v", o, err)
	}
}
