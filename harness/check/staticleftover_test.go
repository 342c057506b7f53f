package check

import (
	"strings"
	"testing"
)

// staticLeftover is rc31's C1 (a 6.49.7 export): ether1 holds a static
// public /28 and the default route goes by its gateway, with the defconf
// DHCP client left enabled beside it. check took the WAN for a DHCP one;
// the lab leased it 203.0.113.2 while the static route kept its gateway
// 200.108.198.177, which nobody answered, and the verdict was "broken,
// cause not identified".
const staticLeftover = `# nov/03/2022 20:25:11 by RouterOS 6.49.7
/interface bridge
add name=bridge
/interface bridge port
add bridge=bridge interface=ether2
/interface list
add name=WAN
add name=LAN
/interface list member
add interface=bridge list=LAN
add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=200.108.198.182/28 interface=ether1 network=200.108.198.176
/ip dhcp-client
add disabled=no interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
/ip route
add distance=1 gateway=200.108.198.177
`

// TestStaticWANBesideLeftoverClient: the static route no further than the
// client's makes the WAN a static line at the route's gateway, with a note
// naming the client's, the address's and the route's lines. Control: the
// static route at distance 5 is the client's backup, and the WAN stays a
// DHCP one without the note.
func TestStaticWANBesideLeftoverClient(t *testing.T) {
	p := importNamed(t, "c1.rsc", []byte(staticLeftover))
	if len(p.WANs) != 1 || p.WANs[0].Kind != "static" || p.WANs[0].Address.String() != "200.108.198.182/28" || p.WANs[0].Gateway.String() != "200.108.198.177" {
		t.Fatalf("WANs %+v, want ether1 static 200.108.198.182/28 by 200.108.198.177", p.WANs)
	}
	if !hasNote(p.Notes, "DHCP client (line 16)", "(line 14)", "line 20", "200.108.198.177", "as a static line") {
		t.Errorf("no note of the static line beside the client: %q", p.Notes)
	}
	c, err := p.Case(Fix{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(c.YAML, "address: 200.108.198.177}") {
		t.Errorf("no lab node at the default route's gateway 200.108.198.177:\n%s", c.YAML)
	}

	p = importNamed(t, "c1.rsc", []byte(strings.Replace(staticLeftover, "add distance=1 gateway=", "add distance=5 gateway=", 1)))
	if len(p.WANs) != 1 || p.WANs[0].Kind != "dhcp" {
		t.Fatalf("WANs %+v, want ether1 a DHCP WAN when the static route is its backup", p.WANs)
	}
	if hasNote(p.Notes, "as a static line") {
		t.Errorf("a backup static route is noted as the line: %q", p.Notes)
	}
}
