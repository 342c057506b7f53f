package kernel

import (
	"net"
	"net/netip"
	"testing"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// TestTunLink: a WireGuard interface's TUN link is made in the router's
// namespace with its MTU, carries its address and the route through it,
// goes down when disabled, and is deleted when the configuration drops it
// (the control: a port and its address stay).
func TestTunLink(t *testing.T) {
	dp, _, _, _, _ := dualDataplane(t)
	st := dualWANState()
	st.Mangle, st.RoutingTables = nil, nil
	st.Routes = st.Routes[:2]
	st.TunLinks = []TunLink{{Name: "wireguard1", MTU: 1400}}
	st.Addresses = append(st.Addresses, Address{Prefix: netip.MustParsePrefix("10.66.0.1/24"), Interface: "wireguard1"})
	st.Routes = append(st.Routes, Route{Dst: netip.MustParsePrefix("10.77.0.0/16"), Gateway: "wireguard1", Distance: 1})
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	l, err := dp.nl.LinkByName("wireguard1")
	if err != nil {
		t.Fatalf("no TUN link: %v", err)
	}
	if l.Type() != "tuntap" || l.Attrs().MTU != 1400 || l.Attrs().Flags&1 == 0 {
		t.Errorf("link %s mtu %d flags %v; want an up tuntap of mtu 1400", l.Type(), l.Attrs().MTU, l.Attrs().Flags)
	}
	addrs, _ := dp.nl.AddrList(l, netlink.FAMILY_V4)
	if len(addrs) != 1 || addrs[0].IPNet.String() != "10.66.0.1/24" {
		t.Errorf("addresses %v", addrs)
	}
	routes, _ := dp.nl.RouteList(l, netlink.FAMILY_V4)
	found := false
	for _, r := range routes {
		found = found || (r.Dst != nil && r.Dst.String() == "10.77.0.0/16")
	}
	if !found {
		t.Errorf("routes through the link %v; want 10.77.0.0/16", routes)
	}
	st.TunLinks[0].Disabled = true
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	if l, _ := dp.nl.LinkByName("wireguard1"); l == nil || l.Attrs().Flags&1 != 0 {
		t.Errorf("disabled: the link is still up")
	}
	if in := dp.InactiveRoutes(); len(in) != 1 || in[0].Gateway != "wireguard1" {
		t.Errorf("disabled: inactive routes %v; want the one through the link", in)
	}
	st.TunLinks = nil
	st.Addresses = st.Addresses[:len(st.Addresses)-1]
	st.Routes = st.Routes[:2]
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	if _, err := dp.nl.LinkByName("wireguard1"); err == nil {
		t.Error("the link outlived its interface")
	}
	if _, err := dp.nl.LinkByName("ether2"); err != nil {
		t.Errorf("a port went with it: %v", err)
	}
}

// TestPortStates: a disabled port is set down and its routes go inactive;
// arp=disabled turns ARP off on it; enabled again it is up with ARP on
// (the control: the other ports never change).
func TestPortStates(t *testing.T) {
	dp, _, _, _, _ := dualDataplane(t)
	st := dualWANState()
	st.Mangle, st.RoutingTables = nil, nil
	st.Routes = st.Routes[:2]
	st.Routes = append(st.Routes, Route{Dst: netip.MustParsePrefix("10.77.0.0/16"), Gateway: "198.18.0.1", Distance: 1})
	st.PortStates = map[string]PortState{"ether3": {Disabled: true}, "ether2": {ARP: "disabled"}}
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	flags := func(n string) (up, noarp bool) {
		l, err := dp.nl.LinkByName(n)
		if err != nil {
			t.Fatal(err)
		}
		return l.Attrs().Flags&net.FlagUp != 0, l.Attrs().RawFlags&unix.IFF_NOARP != 0
	}
	if up, _ := flags("ether3"); up {
		t.Error("disabled ether3 is up")
	}
	if up, noarp := flags("ether2"); !up || !noarp {
		t.Errorf("ether2 up %v noarp %v; want up without ARP", up, noarp)
	}
	if up, noarp := flags("ether1"); !up || noarp {
		t.Errorf("ether1 up %v noarp %v; want as it was", up, noarp)
	}
	inactive := false
	for _, r := range dp.InactiveRoutes() {
		inactive = inactive || r.Gateway == "198.18.0.1"
	}
	if !inactive {
		t.Errorf("the route through disabled ether3 is active: inactive %v", dp.InactiveRoutes())
	}
	st.PortStates = nil
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"ether1", "ether2", "ether3"} {
		if up, noarp := flags(n); !up || noarp {
			t.Errorf("enabled again: %s up %v noarp %v", n, up, noarp)
		}
	}
}
