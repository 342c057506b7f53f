package check

import (
	"bytes"
	"strings"
	"testing"
)

// TestByNameDroppedBetweenSegments: a static DNS name leads the LAN to the
// server's own address (method 1), but the forward chain lets only the
// server's neighbours' segment reach it (an inter-VLAN allow, then reject
// everything else): from the other segment the name works no better than
// the public address. Offline said "by name works" and the lab expected it,
// then waited out a rejected probe per segment and phase (check timed out).
func TestByNameDroppedBetweenSegments(t *testing.T) {
	p := importNamed(t, "byname-drop.rsc", []byte(`/interface list add name=WAN
/interface list add name=LAN
/interface list member add interface=ether1 list=WAN
/interface list member add interface=ether2 list=LAN
/interface list member add interface=ether3 list=LAN
/interface list member add interface=ether4 list=LAN
/ip address add address=192.168.51.1/24 interface=ether2 network=192.168.51.0
/ip address add address=192.168.52.1/24 interface=ether3 network=192.168.52.0
/ip address add address=192.168.53.1/24 interface=ether4 network=192.168.53.0
/ip dhcp-client add disabled=no interface=ether1
/ip dns set allow-remote-requests=yes
/ip dns static add address=192.168.53.10 name=files.home.arpa
/ip firewall filter add action=accept chain=forward connection-state=established,related
/ip firewall filter add action=accept chain=forward in-interface-list=LAN out-interface-list=WAN
/ip firewall filter add action=accept chain=forward in-interface=ether2 out-interface=ether4
/ip firewall filter add action=accept chain=forward connection-nat-state=dstnat
/ip firewall filter add action=reject chain=forward reject-with=icmp-admin-prohibited
/ip firewall nat add action=masquerade chain=srcnat out-interface-list=WAN
/ip firewall nat add action=dst-nat chain=dstnat dst-port=80 in-interface=ether1 protocol=tcp to-addresses=192.168.53.10 to-ports=80
`))
	if len(p.Forwards) != 1 || len(p.Segments) != 3 {
		t.Fatalf("forwards %d segments %+v", len(p.Forwards), p.Segments)
	}
	found, _ := p.Diagnose()
	var b bytes.Buffer
	PrintFindings(&b, p, found, p.Propose(found))
	out := b.String()
	if strings.Contains(out, "from the LAN by files.home.arpa works") || !strings.Contains(out, "the forward chain drops it from ether3 (line") {
		t.Errorf("by-name note:\n%s", out)
	}
	c, err := p.Case(Fix{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, pr := range c.Probes {
		if pr.Kind == "resolve-then-connect" {
			seen[pr.Path] = true
		}
	}
	if seen["byname:ether3"] || !seen["byname:ether2"] {
		t.Errorf("by-name probes on %v, want ether2 and not ether3", seen)
	}
}
