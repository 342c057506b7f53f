package check

import (
	"fmt"
	"strings"
	"testing"
)

// TestOtherWANServiceNotes: dual WAN, connection marks route the answers
// of WAN2's forward back through WAN2 (prerouting), and the input chain
// opens SSH on both WANs. The router's own answers on WAN2 are its output,
// which the prerouting mark never takes: a note names it with the
// export's own marks in chain=output. Before, the check only warned that
// SSH is open on the first WAN. The negative controls: the output mark
// present, and SSH not opened on the WAN.
func TestOtherWANServiceNotes(t *testing.T) {
	const export = `# 2026-11-30 18:42:07 by RouterOS 7.16.2
/interface list
add name=WAN
add name=LAN
/routing table
add disabled=no fib name=via-isp2
/interface list member
add interface=ether1 list=WAN
add interface=ether5 list=WAN
add interface=ether2 list=LAN
/ip address
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
add address=198.18.0.2/24 interface=ether5 network=198.18.0.0
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=accept chain=input comment=ssh dst-port=22 in-interface-list=WAN protocol=tcp%s
add action=drop chain=input in-interface-list=!LAN
/ip firewall mangle
add action=mark-connection chain=prerouting connection-state=new in-interface=ether5 new-connection-mark=wan2-in passthrough=yes
add action=mark-routing chain=prerouting connection-mark=wan2-in in-interface-list=LAN new-routing-mark=via-isp2 passthrough=no%s
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-port=12566 in-interface=ether5 protocol=tcp to-addresses=192.168.88.10
/ip route
add gateway=203.0.113.1
add gateway=198.18.0.1 routing-table=via-isp2
`
	const output = "\nadd action=mark-routing chain=output connection-mark=wan2-in new-routing-mark=via-isp2 passthrough=no"
	for _, tt := range []struct {
		name, ssh, mangle string
		want              bool
	}{
		{"prerouting marks only", "", "", true},
		{"output mark", "", output, false},
		{"ssh not opened", " disabled=yes", "", false},
	} {
		p := importNamed(t, "wan2.rsc", []byte(fmt.Sprintf(export, tt.ssh, tt.mangle)))
		var got []string
		for _, n := range p.Notes {
			if strings.Contains(n, "router's own answers") {
				got = append(got, n)
			}
		}
		if !tt.want {
			if len(got) != 0 {
				t.Errorf("%s: %q", tt.name, got)
			}
			continue
		}
		if len(got) != 1 || !strings.Contains(got[0], "SSH (22) on ether5 (198.18.0.2, line 17)") ||
			!strings.Contains(got[0], "/ip firewall mangle add chain=output action=mark-routing connection-mark=wan2-in new-routing-mark=via-isp2 passthrough=no") {
			t.Fatalf("%s: notes %q", tt.name, p.Notes)
		}
	}
}
