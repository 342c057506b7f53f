package check

import (
	"strings"
	"testing"
)

// mgmtEqualDefaults is realcheck23's mini m8 (reduced from an RB2011
// CAP's 6.46.6 export): vlan31's 172.16.31.3/24 is a management address
// on the bridge the WAN vlan30 is on, a DHCP client on ether1 ties with
// the static default route, and no NAT rule is enabled.
const mgmtEqualDefaults = `# jun/08/2020 17:03:34 by RouterOS 6.46.6
/interface bridge
add name=BR_MAIN
/interface vlan
add interface=BR_MAIN name=vlan30 vlan-id=30
add interface=BR_MAIN name=vlan31 vlan-id=31
/interface bridge port
add bridge=BR_MAIN interface=ether2
add bridge=BR_MAIN interface=ether3
/ip address
add address=192.168.30.3/24 interface=vlan30 network=192.168.30.0
add address=172.16.31.3/24 interface=vlan31 network=172.16.31.0
/ip dhcp-client
add disabled=no interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat disabled=yes out-interface=ether1
/ip route
add distance=1 gateway=192.168.30.1
`

// routedTwoClients is R01.BRL of a containerlab README (6.47.9): two DHCP
// clients, /30 transfer links, static routes to the neighbours' LANs and
// no NAT rule: a routed network.
const routedTwoClients = `# dec/10/2023 16:32:36 by RouterOS 6.47.9
/ip pool
add name=pool3 ranges=192.168.30.10-192.168.30.254
/ip dhcp-server
add address-pool=pool3 disabled=no interface=ether4 name=dhcp3
/ip address
add address=172.31.255.30/30 interface=ether1 network=172.31.255.28
add address=10.10.1.2/30 interface=ether2 network=10.10.1.0
add address=10.10.3.2/30 interface=ether3 network=10.10.3.0
add address=192.168.30.1/24 interface=ether4 network=192.168.30.0
/ip dhcp-client
add disabled=no interface=ether1
add disabled=no interface=ether2
/ip route
add distance=1 dst-address=192.168.10.0/24 gateway=10.10.1.1
add distance=1 dst-address=192.168.20.0/24 gateway=10.10.3.1
`

// TestEqualDefaultNotesExempt: the equal-distance (and backup) default
// route notes advised "add ... masquerade" for segments the same report
// had set apart: a management address, a /30 transfer link, a routed
// network's segments "untranslated by design" (realcheck23 D3). They now
// take the exemptions of the main WAN's finding. The control
// (TestEqualDefaultsNoBackup) keeps the note for a LAN.
func TestEqualDefaultNotesExempt(t *testing.T) {
	p := importText(t, mgmtEqualDefaults)
	p.Diagnose()
	notes := strings.Join(p.Notes, "\n")
	if !strings.Contains(notes, "vlan31 (172.16.31.3/24) is taken as a management address") {
		t.Fatalf("no management note:\n%s", notes)
	}
	if strings.Contains(notes, "vlan31 (172.16.31.0/24) leaving by") {
		t.Errorf("a masquerade advised for the management address:\n%s", notes)
	}

	p = importText(t, routedTwoClients)
	p.Diagnose()
	notes = strings.Join(p.Notes, "\n")
	if !strings.Contains(notes, "leave untranslated by design") {
		t.Fatalf("no routed-network note:\n%s", notes)
	}
	if strings.Contains(notes, "one of the default routes of equal distance") || strings.Contains(notes, "the backup default route") {
		t.Errorf("a masquerade advised for the routed network's segments:\n%s", notes)
	}

	// Control: a LAN at .1 beside the same tie keeps its note.
	p = importText(t, strings.Replace(mgmtEqualDefaults, "add address=172.16.31.3/24 interface=vlan31", "add address=172.16.31.1/24 interface=vlan31", 1))
	found, _ := p.Diagnose()
	all := strings.Join(p.Notes, "\n")
	for _, f := range found {
		all += "\n" + f.Path + " " + f.Detail
	}
	if !strings.Contains(all, "172.16.31.0/24 leaving by") {
		t.Errorf("control: the LAN at .1 has no masquerade note or finding:\n%s", all)
	}
}
