package check

import (
	"strings"
	"testing"
)

// TestStaticWANBesideRoutingDHCPClient (rc31 C1): a static /28 on ether1 with
// the default route by the /28's gateway, and defconf's DHCP client left
// on ether1 (adding its default route, as by default). check read the WAN
// as DHCP: the lab leased it an address, the route by .177 found nobody,
// and the lab read "broken, cause not identified". The WAN is the static
// line now, with a note. Controls: the same client without the static
// default route stays a DHCP WAN, and add-default-route=no keeps the note
// it had.
func TestStaticWANBesideRoutingDHCPClient(t *testing.T) {
	const text = "# nov/03/2022 20:25:11 by RouterOS 6.49.7\n" + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=200.108.198.182/28 interface=ether1 network=200.108.198.176
/ip dhcp-client
add disabled=no interface=ether1%s
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
%s`
	const route = "/ip route\nadd distance=1 gateway=200.108.198.177\n"
	for _, tt := range []struct {
		name, client, route, kind, note string
	}{
		{"client adds its route", "", route, "static", "has a DHCP client (line 16) beside its static address 200.108.198.182/28 (line 14), and the default route at line 20 goes by 200.108.198.177"},
		{"no static default route (control)", "", "", "dhcp", ""},
		{"client adds no route (control)", " add-default-route=no", route, "static", "DHCP client adds no default route (line 16)"},
	} {
		p := importText(t, fill(text, tt.client, tt.route))
		notes := strings.Join(p.Notes, "\n")
		if len(p.WANs) != 1 || p.WANs[0].Kind != tt.kind || tt.note != "" && !strings.Contains(notes, tt.note) {
			t.Errorf("%s: WANs %+v, want %s; notes:\n%s", tt.name, p.WANs, tt.kind, notes)
		}
		if tt.kind == "static" && p.WANs[0].Gateway.String() != "200.108.198.177" {
			t.Errorf("%s: gateway %s", tt.name, p.WANs[0].Gateway)
		}
	}
}
