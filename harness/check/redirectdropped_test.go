package check

import (
	"strings"
	"testing"
)

// The LAN list's DNS redirect takes a guest VLAN's queries to the router,
// whose input chain drops that VLAN whole: the guests resolve nothing.
// The finding names the drop, and the fix accepts the VLAN's DNS above
// it; with the VLAN's DNS accepted first there is none.
func TestRedirectInputDropped(t *testing.T) {
	text := `# 2025-03-10 10:00:00 by RouterOS 7.16
/interface list
add name=WAN
add name=LAN
/interface list member
add interface=ether2 list=LAN
add interface=ether3 list=LAN
add interface=ether1 list=WAN
/ip address
add address=10.0.10.1/24 interface=ether2 network=10.0.10.0
add address=10.0.99.1/24 interface=ether3 network=10.0.99.0
/ip dhcp-client
add interface=ether1
/ip dns
set allow-remote-requests=yes servers=9.9.9.9
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=drop chain=input in-interface=ether3
add action=drop chain=input in-interface-list=!LAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=redirect chain=dstnat dst-port=53 protocol=udp in-interface-list=LAN to-ports=53
`
	p := importText(t, text)
	found, _ := p.Diagnose()
	var got []Finding
	for _, f := range found {
		if f.Cause == RedirectInputDropped {
			got = append(got, f)
		}
	}
	if len(got) != 1 || got[0].Path != "lan-dns:ether3" || got[0].Line != 18 {
		t.Fatalf("findings: %+v", found)
	}
	fix := strings.Join(p.Propose(found).Lines, "\n")
	if !strings.Contains(fix, "action=accept in-interface=ether3 protocol=udp dst-port=53") {
		t.Errorf("fix:\n%s", fix)
	}
	p = importText(t, strings.Replace(text, "add action=drop chain=input in-interface=ether3\n", "add action=accept chain=input in-interface=ether3 protocol=udp dst-port=53\nadd action=drop chain=input in-interface=ether3\n", 1))
	found, _ = p.Diagnose()
	for _, f := range found {
		if f.Cause == RedirectInputDropped {
			t.Errorf("with the DNS accepted: %+v", f)
		}
	}
}
