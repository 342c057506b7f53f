package check

import (
	"slices"
	"strings"
	"testing"
)

// A forward accept written for the Ethernet port under the PPPoE client
// (in-interface=ether1) never sees the forward, which arrives on
// pppoe-out1, and the drop below takes it: both are named, and the fix
// rebinds the user's accept to the PPPoE interface instead of adding a
// second accept. It named only the drop and added an accept.
func TestForwardAcceptOnPortUnderPPPoE(t *testing.T) {
	const rsc = `# by RouterOS 6.49.10
/interface bridge
add name=bridge
/interface pppoe-client
add add-default-route=yes disabled=no interface=ether1 name=pppoe-out1 user=me password=x
/interface bridge port
add bridge=bridge interface=ether2
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
/ip firewall filter
add action=accept chain=forward connection-state=established,related
add action=accept chain=forward comment="port forwards" connection-nat-state=dstnat in-interface=ether1
add action=drop chain=forward in-interface=pppoe-out1
/ip firewall nat
add action=masquerade chain=srcnat out-interface=pppoe-out1
add action=dst-nat chain=dstnat dst-port=8443 in-interface=pppoe-out1 protocol=tcp to-addresses=192.168.88.40 to-ports=443
`
	p := importText(t, rsc)
	found, _ := p.Diagnose()
	if !slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == FilterPortUnder && f.Line == 12 && f.Path == "internet" }) {
		t.Fatalf("findings: %+v", found)
	}
	all := strings.Join(p.Propose(found).Lines, "\n")
	if !strings.Contains(all, `/ip firewall filter set [ find where comment="port forwards" ] in-interface=pppoe-out1`) ||
		strings.Contains(all, "comment=\"accept port forwards\"") {
		t.Errorf("fix:\n%s", all)
	}
}
