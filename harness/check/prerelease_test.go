package check

import (
	"context"
	"strings"
	"testing"
)

// TestPreReleaseHeader: an export of a pre-release build (its header says
// 7.20rc3, 7.20beta4, 7.19rc1) is checked with the menus of the release it
// leads to. Before, the lab router read "20rc3" as no minor number and ran
// as 7.0: a 7.20 DHCP client's name= was refused and check stopped with
// exit 2, "the export cannot be analysed: the WAN ether1's DHCP client at
// line 3 is refused (bad parameter name), as RouterOS refuses it on
// import", and 7.17's OpenVPN server list and 7.12's back-to-home were
// left out of the lab (realcheck23 D1). The controls: the same lines under
// a release header are accepted as before, and under 7.16.2 (before
// 7.20) name= is still refused.
func TestPreReleaseHeader(t *testing.T) {
	const dhcpName = `/ip address add address=192.168.88.1/24 interface=ether2
/ip dhcp-client add interface=ether1 name=client1
/ip firewall nat add action=masquerade chain=srcnat out-interface=ether1
`
	for _, v := range []string{"7.20rc3", "7.20beta4", "7.20.1", "7.21rc1"} {
		p := importNamed(t, "m1b.rsc", []byte("# 2025-09-28 17:46:44 by RouterOS "+v+"\n"+dhcpName))
		p.Refusals(context.Background())
		if why := p.WANRefused(); why != "" {
			t.Errorf("%s: WANRefused = %q, want none (dhcp-client name= is RouterOS 7.20's)", v, why)
		}
		if len(p.Aside) != 0 {
			t.Errorf("%s: lines left out: %+v", v, p.Aside)
		}
	}
	p := importNamed(t, "m1b.rsc", []byte("# 2025-01-28 17:46:44 by RouterOS 7.16.2\n"+dhcpName))
	p.Refusals(context.Background())
	if why := p.WANRefused(); !strings.Contains(why, "expected end of command") {
		t.Errorf("7.16.2: WANRefused = %q, want name= refused (the control)", why)
	}

	const ovpn = `/interface ovpn-server server add mac-address=FE:33:98:AA:F1:63 name=ovpn-server1
/ip cloud set back-to-home-vpn=enabled ddns-enabled=yes
/ip address add address=192.168.88.1/24 interface=ether2
/ip dhcp-client add interface=ether1
/ip firewall nat add action=masquerade chain=srcnat out-interface=ether1
`
	for _, v := range []string{"7.19rc1", "7.20rc3", "7.19.1", "7.17"} {
		p := importNamed(t, "m1.rsc", []byte("# 2026-12-06 by RouterOS "+v+"\n"+ovpn))
		p.Refusals(context.Background())
		for _, a := range p.Aside {
			if strings.Contains(a.Reason, "refuses") {
				t.Errorf("%s: line %d left out: %s", v, a.Line, a.Reason)
			}
		}
	}
}
