package check

import (
	"context"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/export"
)

// TestWANVLANOnFilteringBridge: a cAP's DHCP WAN on its management VLAN,
// a VLAN interface of a VLAN-filtering bridge whose one port carries it
// tagged. The lab put the ISP untagged on the port, and the run failed
// "router has no address on bridge-wifi (router.wan)": the WAN is tagged
// in VLAN 33 on ether1, and the lab's ISP sits in that VLAN.
func TestWANVLANOnFilteringBridge(t *testing.T) {
	p := importNamed(t, "cap-mgmt-vlan.rsc", []byte(`/interface bridge add name=br-ap vlan-filtering=yes
/interface vlan add interface=br-ap name=vlan-11-staff vlan-id=11
/interface vlan add interface=br-ap name=vlan-44-mgmt vlan-id=44
/interface bridge port add bridge=br-ap interface=ether1
/interface bridge vlan add bridge=br-ap tagged=br-ap,ether1 vlan-ids=11
/interface bridge vlan add bridge=br-ap tagged=br-ap,ether1 vlan-ids=44
/ip dhcp-client add interface=vlan-44-mgmt
/system identity set name=AP
/ip firewall nat add action=masquerade chain=srcnat out-interface=vlan-44-mgmt
`))
	// The masquerade makes the cAP a gateway whose services the lab
	// probes from its internet: without it the lab probes nothing and is
	// not built (realcheck21 D4, nothingtoprobe_test.go).
	if len(p.WANs) != 1 || p.WANs[0].Interface != "vlan-44-mgmt" || p.WANs[0].Port != "ether1" || p.WANs[0].VLAN != 44 {
		t.Fatalf("WANs %+v, want vlan-44-mgmt tagged 44 on ether1", p.WANs)
	}
	c, err := p.Case(Fix{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(c.YAML, "vlan: 44") {
		t.Errorf("the lab's WAN is not in VLAN 44:\n%s", c.YAML)
	}
}

// TestWANVLANOnAccessPort: a switch whose management VLAN (its WAN, where
// the default route's gateway is) is an access port's pvid, the first
// bridge port being an access port of another VLAN: the lab's ISP goes on
// the access port of the management VLAN, untagged (it went on the first
// port, in the other VLAN, and the run failed: router has no address).
func TestWANVLANOnAccessPort(t *testing.T) {
	p := importNamed(t, "switch-mgmt-vlan.rsc", []byte(`/interface bridge add name=sw vlan-filtering=yes
/interface vlan add interface=sw name=vlan-mgmt vlan-id=77
/interface bridge port add bridge=sw interface=ether1 pvid=300 frame-types=admit-only-untagged-and-priority-tagged
/interface bridge port add bridge=sw interface=ether2 frame-types=admit-only-vlan-tagged
/interface bridge port add bridge=sw interface=ether3 pvid=77
/interface bridge vlan add bridge=sw tagged=sw,ether2 untagged=ether3 vlan-ids=77
/interface bridge vlan add bridge=sw tagged=sw,ether2 untagged=ether1 vlan-ids=300
/ip address add address=10.77.0.2/24 interface=vlan-mgmt
/ip route add gateway=10.77.0.1
`))
	if len(p.WANs) != 1 || p.WANs[0].Interface != "vlan-mgmt" || p.WANs[0].Port != "ether3" || p.WANs[0].VLAN != 0 {
		t.Fatalf("WANs %+v, want vlan-mgmt untagged on ether3", p.WANs)
	}
}

// TestWANVLANOnTrunkOnly: with no access port of the VLAN, a port the
// VLAN table lists as tagged carries the WAN, tagged.
func TestWANVLANOnTrunkOnly(t *testing.T) {
	p := importNamed(t, "switch-mgmt-trunk.rsc", []byte(`/interface bridge add name=sw vlan-filtering=yes
/interface vlan add interface=sw name=vlan-mgmt vlan-id=77
/interface bridge port add bridge=sw interface=ether1 pvid=300
/interface bridge port add bridge=sw interface=ether2 frame-types=admit-only-vlan-tagged
/interface bridge vlan add bridge=sw tagged=sw,ether2 vlan-ids=77
/interface bridge vlan add bridge=sw tagged=sw,ether2 untagged=ether1 vlan-ids=300
/ip address add address=10.77.0.2/24 interface=vlan-mgmt
/ip route add gateway=10.77.0.1
`))
	if len(p.WANs) != 1 || p.WANs[0].Port != "ether2" || p.WANs[0].VLAN != 77 {
		t.Fatalf("WANs %+v, want vlan-mgmt tagged 77 on ether2", p.WANs)
	}
}

// TestSecondAddressOnPort: two subnets on one LAN port. The lab wires one
// network to a port, so the second subnet gets no lab host (its client's
// gateway was on no router port and the lab run failed), and says so.
func TestSecondAddressOnPort(t *testing.T) {
	p := importNamed(t, "two-subnets.rsc", []byte(`/ip address add address=192.168.100.9/24 interface=ether1
/ip address add address=10.20.3.1/24 interface=ether2
/ip address add address=10.20.4.1/24 interface=ether2
/ip route add gateway=192.168.100.1
`))
	ported := 0
	for _, s := range p.Segments {
		if s.Port != "" {
			ported++
		}
	}
	if len(p.Segments) != 2 || ported != 1 || p.Segments[0].Port != "ether2" {
		t.Fatalf("segments %+v: want the first subnet on ether2 and the second with no lab host", p.Segments)
	}
	if !strings.Contains(strings.Join(p.Notes, "\n"), "second address on ether2") {
		t.Errorf("notes do not say so: %v", p.Notes)
	}
	c, err := p.Case(Fix{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(c.YAML, "gateway: 10.20.4.1") {
		t.Errorf("a client behind 10.20.4.1, which no lab network reaches:\n%s", c.YAML)
	}
}

// TestWANAddressOnBridgePort: a cAP whose only address, in the WAN list,
// is on ether1, a port of its bridge. RouterOS marks it invalid, so the
// router has no WAN address: check says so (exit 2, no lab) instead of
// finding no problem offline and failing in the lab "router has no
// address on bridge1 (router.wan)".
func TestWANAddressOnBridgePort(t *testing.T) {
	f, err := export.Read("cap-addr-on-port.rsc", []byte(`/interface bridge add name=bridge1
/interface list add name=WAN
/interface bridge port add bridge=bridge1 interface=ether1
/interface bridge port add bridge=bridge1 interface=ether2
/interface list member add interface=ether1 list=WAN
/ip address add address=172.30.5.30/24 interface=ether1 network=172.30.5.0
/ip route add gateway=172.30.5.50
`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Import(f, Options{})
	if err == nil || !strings.Contains(err.Error(), "port of bridge bridge1, where RouterOS marks it invalid") {
		t.Fatalf("Import: %v, want the address on a bridge port named", err)
	}
}

// TestSecondAddressOnVLAN: two addresses in one VLAN of a trunk port made
// two lab networks of one subnet ("overlaps another network of the lab");
// the second gets no lab host.
func TestSecondAddressOnVLAN(t *testing.T) {
	p := importNamed(t, "two-on-vlan.rsc", []byte(`/interface vlan add interface=ether4 name=v77 vlan-id=77
/ip address add address=192.168.100.9/24 interface=ether1
/ip address add address=10.77.1.1/24 interface=v77
/ip address add address=10.77.1.2/24 interface=v77
/ip route add gateway=192.168.100.1
`))
	if len(p.Segments) != 2 || p.Segments[0].Port != "ether4" || p.Segments[1].Port != "" {
		t.Fatalf("segments %+v: want the first address on ether4 and the second with no lab host", p.Segments)
	}
	if _, err := p.Case(Fix{}); err != nil {
		t.Fatal(err)
	}
}

// TestWANClientRefused: a hand-written export whose PPPoE client names the
// VLAN made two lines later. The router refuses the client, so it has no
// WAN: check says which line and why (the lab failed "router has no
// address on ether1 or vlan7-dsl" after waiting 30 s).
func TestWANClientRefused(t *testing.T) {
	p := importNamed(t, "pppoe-before-vlan.rsc", []byte(`# by RouterOS 7.16.1
/interface bridge add name=bridge
/interface pppoe-client add add-default-route=yes disabled=no interface=vlan9-dsl name=pppoe-out1 user=u password=p
/interface vlan add interface=ether1 name=vlan9-dsl vlan-id=9
/interface bridge port add bridge=bridge interface=ether2
/ip address add address=192.168.77.1/24 interface=bridge
/ip firewall nat add action=masquerade chain=srcnat out-interface=pppoe-out1
`))
	p.Refusals(context.Background())
	why := p.WANRefused()
	if !strings.Contains(why, "pppoe-out1's PPPoE client at line 3 is refused") || !strings.Contains(why, "before the PPPoE client") {
		t.Errorf("WANRefused = %q", why)
	}
}

// TestWANListMemberIsBridgePort: every port, ether1 too, is in the LAN
// bridge, and ether1 stays in the WAN list without address or client (a
// node whose routes come by OSPF). It is no WAN: check says so instead of
// giving the lab a DHCP client on a bridge port (the lab took the bridge's
// address for the WAN's and failed to renumber it).
func TestWANListMemberIsBridgePort(t *testing.T) {
	f, err := export.Read("all-bridged.rsc", []byte(`/interface bridge add name=bridge
/interface list add name=WAN
/interface bridge port add bridge=bridge interface=ether2
/interface bridge port add bridge=bridge interface=ether1
/interface list member add interface=ether1 list=WAN
/ip address add address=44.31.7.66/28 interface=bridge network=44.31.7.64
`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Import(f, Options{})
	if err == nil || !strings.Contains(err.Error(), "is a port of bridge bridge, whose traffic it carries") {
		t.Fatalf("Import: %v, want the bridge port named", err)
	}
}

// TestPPPoEAddedDisabled: a hand-written export adds its PPPoE client
// without disabled=no. RouterOS adds it disabled, so it dials nothing:
// check says so (the lab waited 30 s for an address it never got).
func TestPPPoEAddedDisabled(t *testing.T) {
	f, err := export.Read("pppoe-no-disabled.rsc", []byte(`# by RouterOS 7.16.2
/interface pppoe-client add add-default-route=yes interface=ether1 name=pppoe-fibre user=u password=p
/interface list add name=WAN
/interface list member add interface=pppoe-fibre list=WAN
/ip address add address=192.168.64.1/24 interface=ether2
`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Import(f, Options{})
	if err == nil || !strings.Contains(err.Error(), "adds without disabled=no at line 2") {
		t.Fatalf("Import: %v, want the disabled PPPoE client named", err)
	}
}

// TestRefusedWANLeftOut: of two PPPoE WANs, the one whose client line the
// router refuses (a redacted user= that leaves a stray word) is left out
// of the plan, with a note, and the lab wires the other only: the lab
// wired and probed both, and the refused line's probes ended "no probe:
// router has no address". Control: with the line whole, both stay.
func TestRefusedWANLeftOut(t *testing.T) {
	text := `# by RouterOS 7.16.1
/interface bridge add name=bridge
/interface pppoe-client add add-default-route=yes disabled=no interface=ether1 name=pppoe-main user=u password=p
/interface pppoe-client add add-default-route=yes default-route-distance=2 disabled=no interface=ether3 name=pppoe-backup user= backup@isp password=p
/interface bridge port add bridge=bridge interface=ether2
/ip address add address=192.168.77.1/24 interface=bridge
/ip firewall nat add action=masquerade chain=srcnat out-interface=pppoe-main
/ip firewall nat add action=masquerade chain=srcnat out-interface=pppoe-backup
`
	p := importNamed(t, "two-pppoe.rsc", []byte(text))
	p.Refusals(context.Background())
	if why := p.DropRefusedWANs(); !strings.Contains(why, "pppoe-backup's PPPoE client at line 4 is refused") {
		t.Fatalf("DropRefusedWANs = %q", why)
	}
	if len(p.WANs) != 1 || p.WANs[0].Interface != "pppoe-main" || !hasNote(p.Notes, "left out of the lab") {
		t.Errorf("WANs %+v, notes %q", p.WANs, p.Notes)
	}
	c, err := p.Case(Fix{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(c.YAML, "router.wan2") {
		t.Errorf("the refused WAN is still probed:\n%s", c.YAML)
	}
	q := importNamed(t, "two-pppoe.rsc", []byte(strings.Replace(text, "user= backup@isp", "user=backup@isp", 1)))
	q.Refusals(context.Background())
	if why := q.DropRefusedWANs(); why != "" || len(q.WANs) != 2 {
		t.Errorf("control: %q, WANs %+v", why, q.WANs)
	}
}
