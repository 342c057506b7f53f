package kernel

import (
	"net/netip"
	"os"
	"strings"
	"testing"

	"github.com/vishvananda/netlink"
)

// TestVRRPLink: a virtual router is a MAC VLAN on its interface with the
// virtual router's MAC; while backup it is down and the route through it
// is inactive, as master it is up with its address and route, its parent
// answers ARP only for its own addresses, and it goes when the
// configuration drops it (the control: the port and its address stay).
func TestVRRPLink(t *testing.T) {
	dp, _, _, _, _ := dualDataplane(t)
	st := dualWANState()
	st.Mangle, st.RoutingTables = nil, nil
	st.Routes = st.Routes[:2]
	st.VRRPs = []VRRP{{Name: "vrrp1", Interface: "ether2", VRID: 9, MTU: 1500, ARP: "enabled"}}
	st.Addresses = append(st.Addresses, Address{Prefix: netip.MustParsePrefix("192.168.88.254/32"), Interface: "vrrp1"})
	st.Routes = append(st.Routes, Route{Dst: netip.MustParsePrefix("10.77.0.0/16"), Gateway: "vrrp1", Distance: 1})
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	l, err := dp.nl.LinkByName("vrrp1")
	if err != nil {
		t.Fatalf("no VRRP link: %v", err)
	}
	if l.Type() != "macvlan" || l.Attrs().HardwareAddr.String() != "00:00:5e:00:01:09" || l.Attrs().Flags&1 != 0 {
		t.Errorf("backup: link %s mac %s flags %v; want a down macvlan of 00:00:5e:00:01:09", l.Type(), l.Attrs().HardwareAddr, l.Attrs().Flags)
	}
	if in := dp.InactiveRoutes(); len(in) != 1 || in[0].Gateway != "vrrp1" {
		t.Errorf("backup: inactive routes %v; want the one through the virtual router", in)
	}
	var ignore []byte
	_ = inNetns(dp.ns, func() (err error) {
		ignore, err = os.ReadFile("/proc/sys/net/ipv4/conf/ether2/arp_ignore")
		return err
	})
	if strings.TrimSpace(string(ignore)) != "1" {
		t.Errorf("ether2 arp_ignore %q, want 1", ignore)
	}
	st.VRRPs[0].Master = true
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	l, _ = dp.nl.LinkByName("vrrp1")
	if l == nil || l.Attrs().Flags&1 == 0 {
		t.Fatal("master: the link is down")
	}
	addrs, _ := dp.nl.AddrList(l, netlink.FAMILY_V4)
	if len(addrs) != 1 || addrs[0].IPNet.String() != "192.168.88.254/32" {
		t.Errorf("master: addresses %v", addrs)
	}
	if in := dp.InactiveRoutes(); len(in) != 0 {
		t.Errorf("master: inactive routes %v", in)
	}
	st.VRRPs = nil
	st.Addresses = st.Addresses[:len(st.Addresses)-1]
	st.Routes = st.Routes[:2]
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	if _, err := dp.nl.LinkByName("vrrp1"); err == nil {
		t.Error("the VRRP link outlived its configuration")
	}
	if p, err := dp.nl.LinkByName("ether2"); err != nil || p.Attrs().Flags&1 == 0 {
		t.Errorf("the port went with the VRRP link: %v", err)
	}
	_ = inNetns(dp.ns, func() (err error) {
		ignore, err = os.ReadFile("/proc/sys/net/ipv4/conf/ether2/arp_ignore")
		return err
	})
	if strings.TrimSpace(string(ignore)) != "0" {
		t.Errorf("without its virtual router ether2 arp_ignore %q, want 0", ignore)
	}
}

// TestVRRPOnSmallParent: a virtual router on an interface of mtu=1496 (a
// 6.48 export's printers VLAN; a bridge here, since this kernel may lack
// 802.1Q) takes the interface's MTU, made in the same Apply.
func TestVRRPOnSmallParent(t *testing.T) {
	dp, _, _, _, _ := dualDataplane(t)
	st := dualWANState()
	st.Mangle, st.RoutingTables = nil, nil
	st.Routes = st.Routes[:2]
	st.Bridges = []Bridge{{Name: "BR70-Printers", MTU: 1496, ARP: "enabled"}}
	st.VRRPs = []VRRP{{Name: "VRRP70-Printers", Interface: "BR70-Printers", VRID: 70, MTU: 1500, ARP: "enabled"}}
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	l, err := dp.nl.LinkByName("VRRP70-Printers")
	if err != nil || l.Attrs().MTU != 1496 {
		t.Fatalf("VRRP link %v mtu %d, want 1496", err, l.Attrs().MTU)
	}
}
