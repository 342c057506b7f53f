package check

import (
	"slices"
	"strings"
	"testing"
)

// A forward chain that is only drops between LANs (a 6.47 CRS: no accept of
// established connections at all) takes every packet of a hairpin but the
// first: the fix's accept of DSTNATed connections from the client's LAN
// matches them all (no connection-state=new), else the handshake passed and
// the data timed out in the lab. With defconf's accept of established
// connections on top, the accept keeps connection-state=new.
func TestAcceptDSTNATedWithoutEstablishedAccept(t *testing.T) {
	base := "# jun/23/2020 12:12:45 by RouterOS 6.47\n" + `/interface bridge
add name=LAN2
add name=LAN3
/interface bridge port
add bridge=LAN2 interface=ether2
add bridge=LAN3 interface=ether3
/ip address
add address=10.0.2.1/24 interface=LAN2 network=10.0.2.0
add address=192.168.1.1/24 interface=LAN3 network=192.168.1.0
add address=203.0.113.170/24 interface=ether1 network=203.0.113.0
/ip firewall filter
add action=drop chain=forward dst-address=192.168.1.0/24 src-address=10.0.2.0/24
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
add action=masquerade chain=srcnat dst-address=192.168.1.202 src-address=192.168.1.0/24
add action=dst-nat chain=dstnat dst-address=203.0.113.170 dst-port=3389 protocol=tcp to-addresses=192.168.1.202
/ip route
add gateway=203.0.113.1
`
	accept := func(text string) string {
		p := loadText(t, text)
		found, _ := p.Diagnose()
		lines := p.Propose(found).Lines
		i := slices.IndexFunc(lines, func(l string) bool { return strings.Contains(l, `comment="accept port forwards from LAN2"`) })
		if i < 0 {
			t.Fatalf("no accept of port forwards from LAN2 in the fix:\n%s", strings.Join(lines, "\n"))
		}
		return lines[i]
	}
	if l := accept(base); strings.Contains(l, "connection-state=new") {
		t.Errorf("no accept of established connections, yet the accept takes only new ones: %s", l)
	}
	with := strings.Replace(base, "/ip firewall filter\n", "/ip firewall filter\nadd action=accept chain=forward connection-state=established,related\n", 1)
	if l := accept(with); !strings.Contains(l, "connection-state=new") {
		t.Errorf("with an accept of established connections above, the accept should take new ones only: %s", l)
	}
}
