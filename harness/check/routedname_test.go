package check

import (
	"strings"
	"testing"
)

// routedName is realcheck26's m9: server.example.org names a host behind
// a second router (routed via 172.26.40.2), and a UDP forward goes to a
// LAN host with its hairpin masquerade.
const routedName = `# 2026-09-29 19:27:04 by RouterOS 7.23.2
/interface bridge
add name=bridge
/interface bridge port
add bridge=bridge interface=ether2
/interface list
add name=WAN
add name=LAN
/interface list member
add interface=ether1 list=WAN
add interface=bridge list=LAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=172.26.40.1/30 interface=ether3 network=172.26.40.0
/ip dhcp-client
add interface=ether1
/ip dns
set allow-remote-requests=yes
/ip dns static
add address=172.26.20.249 name=server.example.org type=A
/ip route
add dst-address=172.26.20.0/24 gateway=172.26.40.2
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=drop chain=input in-interface-list=WAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=masquerade chain=srcnat src-address=192.168.88.0/24 dst-address=192.168.88.50 out-interface=bridge
add action=dst-nat chain=dstnat dst-address-type=local dst-address=!192.168.88.1 dst-port=51820 protocol=udp to-addresses=192.168.88.50
`

// TestStaticNameOfRoutedHost (realcheck26 D4): a static name of a host
// reached by a route of the export is no name of the public address: no
// by-name path for the forward. Controls: a static name of a public
// address (not routed, not private) is still used; a name of the
// forward's own server is its method 1 name.
func TestStaticNameOfRoutedHost(t *testing.T) {
	p := importText(t, routedName)
	if len(p.Forwards) != 1 {
		t.Fatalf("forwards %+v", p.Forwards)
	}
	if n, _ := p.byNameTarget(p.Forwards[0]); n != "" {
		t.Errorf("by-name target %q", n)
	}
	// A private address no route names is no public address either.
	p = importText(t, strings.Replace(routedName, "add dst-address=172.26.20.0/24 gateway=172.26.40.2\n", "", 1))
	if n, _ := p.byNameTarget(p.Forwards[0]); n != "" {
		t.Errorf("private, unrouted: by-name target %q", n)
	}
	p = importText(t, strings.Replace(routedName, "address=172.26.20.249 name=server", "address=198.51.100.7 name=server", 1))
	if n, direct := p.byNameTarget(p.Forwards[0]); n != "server.example.org" || direct {
		t.Errorf("public: by-name target %q %v", n, direct)
	}
	p = importText(t, strings.Replace(routedName, "address=172.26.20.249 name=server", "address=192.168.88.50 name=server", 1))
	if n, direct := p.byNameTarget(p.Forwards[0]); n != "server.example.org" || !direct {
		t.Errorf("the server's own: by-name target %q %v", n, direct)
	}
}
