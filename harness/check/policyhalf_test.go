package check

import (
	"slices"
	"strings"
	"testing"
)

// policyHalf routes the upper half of the LAN out through ISP2 by a
// src-address routing mark (RouterOS 6 syntax) and forwards WAN2's port
// to a server in the lower half, which the main table sends out by ISP1.
const policyHalf = `# dec/01/2026 18:40:02 by RouterOS 6.49.10
/interface bridge
add name=bridge
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge interface=ether3
/interface list member
add interface=bridge list=LAN
add interface=ether1 list=WAN
add interface=ether2 list=WAN
/ip address
add address=192.168.40.1/24 interface=bridge network=192.168.40.0
add address=203.0.113.66/29 interface=ether1 network=203.0.113.64
add address=198.51.100.130/29 interface=ether2 network=198.51.100.128
/ip firewall mangle
add action=mark-routing chain=prerouting dst-address-type=!local in-interface=bridge new-routing-mark=to-isp2 passthrough=no src-address=192.168.40.128/25
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address=198.51.100.130 dst-port=8443 protocol=tcp to-addresses=192.168.40.20 to-ports=443
add action=masquerade chain=srcnat dst-address=192.168.40.0/24 src-address=192.168.40.0/24
/ip route
add distance=1 gateway=203.0.113.65
add distance=1 gateway=198.51.100.129 routing-mark=to-isp2
add distance=2 gateway=198.51.100.129
`

// Policy routing that certainly leaves the server's answers to the main
// table (a src-address mark for the other half of the LAN) no longer
// hides that they leave by the main WAN; a mark the reading cannot weigh
// (by connection mark) or a routing rule still keeps it quiet.
func TestPolicyRoutingMissesTheServer(t *testing.T) {
	p := importText(t, policyHalf)
	found, _ := p.Diagnose()
	if !slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == RepliesOtherWAN && f.Path == "internet via ether2" }) {
		t.Errorf("findings: %+v", found)
	}
	for name, text := range map[string]string{
		"server in the marked half": strings.ReplaceAll(policyHalf, "to-addresses=192.168.40.20", "to-addresses=192.168.40.200"),
		"connection-mark routing": strings.Replace(policyHalf, "/ip firewall mangle\n",
			"/ip firewall mangle\nadd action=mark-connection chain=prerouting in-interface=ether2 new-connection-mark=isp2-in passthrough=yes\nadd action=mark-routing chain=prerouting connection-mark=isp2-in in-interface=bridge new-routing-mark=to-isp2 passthrough=no\n", 1),
		"routing rule": policyHalf + "/ip route rule\nadd src-address=192.168.40.20/32 table=to-isp2\n",
	} {
		q := importText(t, text)
		if found, _ := q.Diagnose(); slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == RepliesOtherWAN }) {
			t.Errorf("%s: %+v", name, found)
		}
	}
}
