package check

import (
	"strings"
	"testing"
)

// addrOnPVIDPort is realcheck25's m2 (a CCR2004 export cut down): ether2
// is an access port of VLAN 10 on a VLAN-filtering bridge whose VLAN 10
// has its own address on VLAN10, and 192.168.99.1/24 sits on ether2. The
// fix moved the address onto the bridge, which with VLAN filtering is an
// untagged member of its own pvid 1 only: ether2's hosts (VLAN 10) still
// had no router, and check then said "no problem found".
const addrOnPVIDPort = `# 2023-07-11 23:15:42 by RouterOS 7.10.1
/interface bridge add name=BR vlan-filtering=yes
/interface vlan add interface=BR name=VLAN10 vlan-id=10
/interface list add name=WAN
/interface list add name=LAN
/interface bridge port add bridge=BR interface=ether2 pvid=10
/interface bridge port add bridge=BR interface=ether3 pvid=10
/interface bridge vlan add bridge=BR tagged=BR vlan-ids=10
/interface list member add interface=ether1 list=WAN
/interface list member add interface=VLAN10 list=LAN
/interface list member add interface=ether2 list=LAN
/ip address add address=192.168.1.1/24 interface=VLAN10
/ip address add address=192.168.99.1/24 interface=ether2
/ip dhcp-client add interface=ether1
/ip firewall nat add action=masquerade chain=srcnat out-interface-list=WAN
`

func ofCause(found []Finding, c Cause) []Finding {
	var out []Finding
	for _, f := range found {
		if f.Cause == c {
			out = append(out, f)
		}
	}
	return out
}

func TestBridgePortAddrFixVLANFiltering(t *testing.T) {
	p := importText(t, addrOnPVIDPort)
	found, _ := p.Diagnose()
	if len(ofCause(found, AddressOnBridgePort)) != 1 {
		t.Fatalf("findings %v, want the address on a bridge port", found)
	}
	text := strings.Join(p.Propose(found).Lines, "\n")
	if want := "/interface bridge port remove [ find where interface=ether2 bridge=BR ]"; !strings.Contains(text, want) || strings.Contains(text, "interface=BR\n") || strings.HasSuffix(text, "interface=BR") {
		t.Errorf("fix:\n%s\nwant %s and not the address onto BR", text, want)
	}

	// What the old fix left (the address on BR, every port in VLAN 10)
	// is a finding, not "no problem found".
	after := strings.Replace(addrOnPVIDPort, "address=192.168.99.1/24 interface=ether2", "address=192.168.99.1/24 interface=BR", 1)
	q := importText(t, after)
	found, _ = q.Diagnose()
	nf := ofCause(found, VLANNoPort)
	if len(nf) != 1 || nf[0].Forward != -1 || nf[0].Line != 13 || !strings.Contains(nf[0].Detail, "own pvid 1") {
		t.Fatalf("after the old fix: %v, want one VLANNoPort on line 13", found)
	}
	if lines := q.Propose(found).Lines; len(lines) != 0 {
		t.Errorf("no fix is known for an address on a bridge no port reaches, got %v", lines)
	}

	// The port taken out (the new fix applied): no finding at all.
	fixed := strings.Replace(addrOnPVIDPort, "/interface bridge port add bridge=BR interface=ether2 pvid=10\n", "", 1)
	r := importText(t, fixed)
	if found, _ = r.Diagnose(); len(found) != 0 {
		t.Errorf("with the port out of the bridge: %v, want none", found)
	}

	// The port from an interface list (the CCR2004's
	// interface=InterfaceListVlan10): the member leaves the list.
	listed := strings.Replace(addrOnPVIDPort, "/interface bridge port add bridge=BR interface=ether2 pvid=10\n",
		"/interface list add name=V10\n/interface list member add interface=ether2 list=V10\n/interface bridge port add bridge=BR interface=V10 pvid=10\n", 1)
	s := importText(t, listed)
	found, _ = s.Diagnose()
	text = strings.Join(s.Propose(found).Lines, "\n")
	if want := "/interface list member remove [ find where interface=ether2 list=V10 ]"; !strings.Contains(text, want) {
		t.Errorf("port from a list, fix:\n%s\nwant %s", text, want)
	}

	// The VLAN interface of the port's pvid without an address of its
	// own takes the address.
	bare := strings.Replace(addrOnPVIDPort, "/ip address add address=192.168.1.1/24 interface=VLAN10\n", "", 1)
	u := importText(t, bare)
	found, _ = u.Diagnose()
	text = strings.Join(u.Propose(found).Lines, "\n")
	if want := "/ip address set [ find where address=192.168.99.1/24 interface=ether2 ] interface=VLAN10"; !strings.Contains(text, want) {
		t.Errorf("spare VLAN interface, fix:\n%s\nwant %s", text, want)
	}

	// Control: without VLAN filtering the bridge is the port's LAN, and
	// the address moves onto it as before.
	plain := strings.Replace(addrOnPVIDPort, "name=BR vlan-filtering=yes", "name=BR", 1)
	v := importText(t, plain)
	found, _ = v.Diagnose()
	text = strings.Join(v.Propose(found).Lines, "\n")
	if want := "/ip address set [ find where address=192.168.99.1/24 interface=ether2 ] interface=BR"; !strings.Contains(text, want) {
		t.Errorf("no VLAN filtering, fix:\n%s\nwant %s", text, want)
	}
}

// vlanIDTypo is realcheck25's m4: VLAN12 has vlan-id=256 while its access
// port is pvid=12 and the trunk and the bridge are tagged in 12. The fix
// tagged the bridge in 256, which no port carries, and check then said
// "no problem found"; without the forward there was no finding at all,
// though the DHCP server on VLAN12 serves nobody.
const vlanIDTypo = `# 2023-07-11 23:15:42 by RouterOS 7.10.1
/interface bridge add name=BR vlan-filtering=yes
/interface vlan add interface=BR name=VLAN12 vlan-id=256
/interface list add name=WAN
/interface bridge port add bridge=BR interface=ether2 pvid=12
/interface bridge port add bridge=BR interface=ether3 frame-types=admit-only-vlan-tagged
/interface bridge vlan add bridge=BR tagged=BR,ether3 vlan-ids=12
/interface list member add interface=ether1 list=WAN
/ip pool add name=POOL12 ranges=192.168.12.101-192.168.12.249
/ip dhcp-server add address-pool=POOL12 interface=VLAN12 name=dhcp3
/ip dhcp-server network add address=192.168.12.0/24 dns-server=192.168.12.1 gateway=192.168.12.1
/ip address add address=192.168.12.1/24 interface=VLAN12
/ip dhcp-client add interface=ether1
/ip firewall nat add action=masquerade chain=srcnat out-interface-list=WAN
/ip firewall nat add action=dst-nat chain=dstnat in-interface-list=WAN dst-port=8080 protocol=tcp to-addresses=192.168.12.50 to-ports=80
`

func TestVLANNoPort(t *testing.T) {
	const fix = "/interface vlan set [ find where name=VLAN12 ] vlan-id=12"
	for _, tc := range []struct {
		name, text string
		forward    int
	}{
		{"with the forward", vlanIDTypo, 0},
		{"without a forward", strings.Replace(vlanIDTypo, "/ip firewall nat add action=dst-nat chain=dstnat in-interface-list=WAN dst-port=8080 protocol=tcp to-addresses=192.168.12.50 to-ports=80\n", "", 1), -1},
		// The old fix applied: still no port carries 256.
		{"bridge tagged in 256", vlanIDTypo + "/interface bridge vlan add bridge=BR tagged=BR vlan-ids=256\n", 0},
	} {
		p := importText(t, tc.text)
		found, _ := p.Diagnose()
		nf := ofCause(found, VLANNoPort)
		if len(nf) != 1 || nf[0].Forward != tc.forward || nf[0].Line != 12 || !strings.Contains(nf[0].Detail, "the ports carry VLAN 12") {
			t.Errorf("%s: %v, want one VLANNoPort of forward %d on line 12", tc.name, found, tc.forward)
			continue
		}
		if d := ofCause(found, VLANNotOnBridge); len(d) != 0 {
			t.Errorf("%s: %v, the bridge tagged in 256 would change nothing", tc.name, d)
		}
		text := strings.Join(p.Propose(found).Lines, "\n")
		if !strings.Contains(text, fix) || strings.Contains(text, "vlan-ids=256") {
			t.Errorf("%s: fix\n%s\nwant %s and no tag in 256", tc.name, text, fix)
		}
	}
	// Control: the fix applied, VLAN12 is VLAN 12, which ports carry.
	p := importText(t, strings.Replace(vlanIDTypo, "vlan-id=256", "vlan-id=12", 1))
	found, _ := p.Diagnose()
	if nf := ofCause(found, VLANNoPort); len(nf) != 0 {
		t.Errorf("vlan-id=12: %v, want no VLANNoPort", nf)
	}
	// Control: two spare VLANs, no guess: the finding stays, without a
	// fix line for it.
	two := strings.Replace(vlanIDTypo, "vlan-ids=12", "vlan-ids=12,13", 1)
	q := importText(t, two)
	found, _ = q.Diagnose()
	if len(ofCause(found, VLANNoPort)) != 1 {
		t.Fatalf("two spare VLANs: %v", found)
	}
	if text := strings.Join(q.Propose(found).Lines, "\n"); strings.Contains(text, "/interface vlan set") || strings.Contains(text, "vlan-ids=256") {
		t.Errorf("two spare VLANs, fix:\n%s\nwant none for VLAN12", text)
	}
}
