package check

import (
	"strings"
	"testing"
)

// markedWAN2 is the shape of a 6.49.1 dual-WAN export: ether2 leases its
// address by DHCP and holds the main table's default route; ether3 has a
// static address whose only default route is in the table isp2, which a
// mangle rule feeds with half of the LAN. The masquerade names no
// out-interface, so it translates out of either ISP.
const markedWAN2 = `# dec/07/2026 10:00:00 by RouterOS 6.49.1
/interface bridge add name=bridge-lan
/interface list add name=LAN
/ip pool add name=dhcp ranges=192.168.88.10-192.168.88.254
/ip dhcp-server add address-pool=dhcp disabled=no interface=bridge-lan name=dhcp1
/interface bridge port add bridge=bridge-lan interface=ether4
/interface list member add interface=bridge-lan list=LAN
/ip address add address=192.168.88.1/24 interface=bridge-lan network=192.168.88.0
/ip address add address=203.0.113.10/24 interface=ether3 network=203.0.113.0
/ip dhcp-client add disabled=no interface=ether2
/ip firewall filter add action=drop chain=input in-interface-list=!LAN
/ip firewall mangle add action=mark-routing chain=prerouting new-routing-mark=isp2 passthrough=no src-address=192.168.88.128/25
/ip firewall nat add action=masquerade chain=srcnat src-address=192.168.88.0/24
/ip firewall nat add action=dst-nat chain=dstnat dst-port=8080 in-interface=ether3 protocol=tcp to-addresses=192.168.88.20 to-ports=80
/ip route add distance=1 gateway=203.0.113.1 routing-mark=isp2
`

// TestMarkedTableWAN (chk63 a): the second ISP of markedWAN2 was read as a
// LAN ("LAN: ether3 203.0.113.10/24"), since only a masquerade with
// out-interface=ether3 counted as translating out of it, and its forward
// as a LAN's interception. A catch-all masquerade, or one by an
// out-interface-list that holds the port, now makes it the second WAN
// (RouterOS 6's routing-mark and 7's routing-table alike). Controls: a
// DHCP server on ether3 (a LAN behind a LAN router), a masquerade out of
// ether2 only, and one towards the LAN only, leave it a LAN.
func TestMarkedTableWAN(t *testing.T) {
	wans := func(rsc string) string {
		t.Helper()
		p := loadText(t, rsc)
		var out []string
		for _, w := range p.WANs {
			out = append(out, w.Interface)
		}
		return strings.Join(out, ",")
	}
	v7 := strings.NewReplacer("routing-mark=isp2", "routing-table=isp2", "# dec/07/2026 10:00:00 by RouterOS 6.49.1", "# by RouterOS 7.12\n/routing table add fib name=isp2").Replace(markedWAN2)
	noMangle := strings.Replace(markedWAN2, "/ip firewall mangle add action=mark-routing chain=prerouting new-routing-mark=isp2 passthrough=no src-address=192.168.88.128/25\n", "", 1)
	for name, rsc := range map[string]string{
		"6.49.1 catch-all masquerade": markedWAN2,
		"7.12 routing-table":          v7,
		"masquerade by list": strings.Replace(strings.Replace(noMangle, "src-address=192.168.88.0/24", "out-interface-list=ISP", 1),
			"/interface list add name=LAN", "/interface list add name=LAN\n/interface list add name=ISP\n/interface list member add interface=ether3 list=ISP", 1),
	} {
		if got := wans(rsc); got != "ether2,ether3" {
			t.Errorf("%s: WANs %q, want ether2,ether3", name, got)
		}
	}
	for name, rsc := range map[string]string{
		"DHCP server on ether3":         strings.Replace(markedWAN2, "/ip dhcp-client add", "/ip dhcp-server add address-pool=dhcp disabled=no interface=ether3 name=dhcp2\n/ip dhcp-client add", 1),
		"masquerade out of ether2 only": strings.Replace(markedWAN2, "src-address=192.168.88.0/24", "out-interface=ether2", 1),
		"masquerade to the LAN only":    strings.Replace(markedWAN2, "src-address=192.168.88.0/24", "src-address=192.168.88.0/24 dst-address=192.168.88.0/24", 1),
	} {
		if got := wans(rsc); got != "ether2" {
			t.Errorf("control %s: WANs %q, want ether2", name, got)
		}
	}
}
