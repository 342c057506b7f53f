package check

import (
	"slices"
	"strings"
	"testing"
)

// A "normally closed" firewall in raw (accept a few ports from the WAN,
// drop the rest before connection tracking) drops a forward whose port it
// does not accept: found on the drop's line, and the fix accepts the
// forward's public port from where the drop takes it, above the drop. It
// had the finding and no fix line.
func TestRawDropFix(t *testing.T) {
	const rsc = `# by RouterOS 6.49.10
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
/ip dhcp-client
add disabled=no interface=ether1
/ip firewall raw
add action=accept chain=prerouting in-interface-list=LAN
add action=accept chain=prerouting dst-port=1024-65535 in-interface-list=WAN protocol=tcp
add action=drop chain=prerouting comment=closed in-interface-list=WAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address-type=local dst-port=80 protocol=tcp to-addresses=192.168.88.10
add action=masquerade chain=srcnat dst-address=192.168.88.10 src-address=192.168.88.0/24
`
	p := importText(t, rsc)
	found, _ := p.Diagnose()
	if !slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == RawDrops && f.Line == 19 && f.Path == "internet" }) {
		t.Fatalf("findings: %+v", found)
	}
	all := strings.Join(p.Propose(found).Lines, "\n")
	want := `/ip firewall raw add chain=prerouting action=accept in-interface-list=WAN protocol=tcp dst-port=80 comment="accept port forward 80" place-before=[ find where comment=closed ]`
	if !strings.Contains(all, want) {
		t.Errorf("fix:\n%s", all)
	}
}
