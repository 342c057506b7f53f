package check

import (
	"strings"
	"testing"
)

// TestForwardsOnPPPoECarrierList (realcheck27 D14, forum thread 213837):
// the WAN list holds ether1 (with defconf's DHCP client) but not the
// PPPoE client that runs over a VLAN of it and holds the default route.
// The forwards bound to that list were filed as the "second line" ether1's
// and not probed; they are the PPPoE WAN's forwards, broken for the same
// reason as the masquerade. Control: with pppoe-out1 in the list the
// forward's internet path is not found broken.
func TestForwardsOnPPPoECarrierList(t *testing.T) {
	const base = `# 2024-11-01 10:00:00 by RouterOS 7.16.2
/interface vlan
add interface=ether1 name=vlan_isp vlan-id=20
/interface pppoe-client
add add-default-route=yes disabled=no interface=vlan_isp name=pppoe-out1 user=u
/interface list
add name=WAN
/interface list member
add interface=ether1 list=WAN
%s/ip address
add address=192.168.3.1/24 interface=ether2 network=192.168.3.0
/ip dhcp-client
add interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-port=80 in-interface-list=WAN protocol=tcp to-addresses=192.168.3.111
`
	internet := func(extra string) (int, string) {
		p := importText(t, strings.Replace(base, "%s", extra, 1))
		fs, _ := p.Diagnose()
		var b strings.Builder
		for _, f := range fs {
			if f.Forward == 0 && f.Path == "internet" {
				b.WriteString(string(f.Cause) + " " + f.Detail + "\n")
			}
		}
		return len(p.Forwards), b.String()
	}
	n, found := internet("")
	if n != 1 || !strings.Contains(found, "traffic arrives on pppoe-out1") {
		t.Errorf("forwards %d, internet findings:\n%s", n, found)
	}
	n, found = internet("/interface list member\nadd interface=pppoe-out1 list=WAN\n")
	if n != 1 || found != "" {
		t.Errorf("control: forwards %d, internet findings:\n%s", n, found)
	}
}
