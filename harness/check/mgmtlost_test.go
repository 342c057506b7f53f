package check

import (
	"strings"
	"testing"
)

// TestManagementLostNamesPort: a public dual-WAN script bridges ether3 to
// ether10 "if they exist" in a :foreach; the rules see two ports, the lab
// router's management NIC is ether3 and the loop took it, and check hung.
// The client now stops; check says which port it was and why. The check
// now gives the router the ports a loop over a literal list names
// (ether3..ether10, realcheck19 D6), so the NIC comes after them; a loop
// over what the router finds at run time still takes it.
func TestManagementLostNamesPort(t *testing.T) {
	p := loadText(t, `/interface bridge add name=bridge-lan
:foreach i in=[/interface ethernet find where name!=ether1 and name!=ether2] do={
  /interface bridge port add bridge=bridge-lan interface=$i
}
/ip dhcp-client add interface=ether1
/ip dhcp-client add interface=ether2
/ip address add address=192.168.20.1/24 interface=bridge-lan
/ip firewall nat add chain=srcnat out-interface=ether1 action=masquerade
`)
	got := p.managementLost()
	for _, want := range []string{"after the export's 2 ", "(ether3 ", ":foreach over /interface find"} {
		if !strings.Contains(got, want) {
			t.Errorf("managementLost() = %q, want it to say %q", got, want)
		}
	}
}
