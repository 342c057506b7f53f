package check

import (
	"strings"
	"testing"
)

// TestUplinkSegmentNotJudged (rc30 C2): a port the router masquerades
// another network out of (out-interface=ether2 src-address=<LAN>), with
// no DHCP server of its own, is an uplink: check said its own hosts had
// "no way out" since the forward chain drops them. It is set apart with a
// note now. Controls: a LAN the router serves DHCP on, masqueraded into
// for VPN clients, and a hairpin rule on the port, keep the finding.
func TestUplinkSegmentNotJudged(t *testing.T) {
	const text = `# 2024-05-01 10:00:00 by RouterOS 6.49.2
/ip pool
add name=lan ranges=192.168.88.10-192.168.88.200
/ip dhcp-server
add address-pool=lan disabled=no interface=ether3 name=lan
/ip address
add address=192.168.22.253/24 interface=ether1 network=192.168.22.0
add address=192.168.146.253/24 interface=ether2 network=192.168.146.0
add address=192.168.88.1/24 interface=ether3 network=192.168.88.0
/ip dhcp-server network
add address=192.168.88.0/24 gateway=192.168.88.1
/ip firewall filter
add action=accept chain=forward connection-state=established,related
add action=accept chain=forward in-interface=ether3 out-interface=ether1
add action=accept chain=forward in-interface=ether3 out-interface=ether2
add action=drop chain=forward
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
add action=masquerade chain=srcnat out-interface=ether2 src-address=192.168.88.0/24
/ip route
add gateway=192.168.22.254
`
	const uplink = "out-interface=ether2 src-address=192.168.88.0/24"
	for _, tc := range []struct {
		name, text, seg string
		finding         bool
	}{
		{"masquerade out of ether2", text, "ether2", false},
		{"hairpin rule on ether2 (control)", strings.Replace(text, uplink, "out-interface=ether2 src-address=192.168.146.0/24 dst-address=192.168.146.10", 1), "ether2", true},
		{"VPN masquerade into the DHCP LAN (control)", strings.Replace(strings.Replace(text, uplink, "out-interface=ether3 src-address=10.8.0.0/24", 1), "add action=accept chain=forward in-interface=ether3 out-interface=ether1\n", "", 1), "ether3", true},
	} {
		p := loadText(t, tc.text)
		found, _ := p.Diagnose()
		got := false
		for _, f := range found {
			if f.Path == lanOutPath(tc.seg) && f.Cause != "" {
				got = true
			}
		}
		noted := strings.Contains(strings.Join(p.Notes, "\n"), tc.seg+" (192.168.146.0/24) is taken as an uplink")
		if got != tc.finding || noted == tc.finding {
			t.Errorf("%s: finding on %s %v (want %v), uplink note %v: %+v\n%q", tc.name, tc.seg, got, tc.finding, noted, found, p.Notes)
		}
	}
}
