package check

import (
	"strings"
	"testing"
)

// A router that translates nothing behind a PPPoE client, or behind a
// static public address with the default route, faces the internet: its
// WinBox, SSH and WebFig are judged there. It was read as an access point
// ("pppoe-out1 faces a LAN") and its open services got no word
// (realcheck22 D2). The control: the same shapes behind a private static
// "WAN" (an access point's uplink on the LAN) stay quiet.
func TestServicesOfPPPoEOrPublicWANWithoutNAT(t *testing.T) {
	for _, c := range []struct {
		name, rsc string
		want      bool
	}{
		{"pppoe", `# by RouterOS 6.48.3
/interface bridge
add name=bridge1
/interface pppoe-client
add add-default-route=yes disabled=no interface=ether1 name=pppoe-out1 user=u@isp
/interface bridge port
add bridge=bridge1 interface=ether2
/ip address
add address=81.187.180.129/29 interface=bridge1 network=81.187.180.128
`, true},
		{"public static", `# by RouterOS 7.16.1
/interface bridge
add name=bridge1
/interface bridge port
add bridge=bridge1 interface=ether2
/ip address
add address=144.202.81.146/23 interface=ether1 network=144.202.80.0
add address=81.187.180.129/29 interface=bridge1 network=81.187.180.128
/ip route
add gateway=144.202.80.1
`, true},
		{"private static (control)", `# by RouterOS 7.16.1
/interface bridge
add name=bridge1
/interface bridge port
add bridge=bridge1 interface=ether2
/ip address
add address=192.168.10.2/24 interface=ether1 network=192.168.10.0
add address=81.187.180.129/29 interface=bridge1 network=81.187.180.128
/ip route
add gateway=192.168.10.1
`, false},
	} {
		p := importText(t, c.rsc)
		got := strings.Join(p.OfflineServiceWarnings(), "\n")
		if has := strings.Contains(got, "WinBox (8291) would be open to the internet"); has != c.want {
			t.Errorf("%s: WinBox warning %v, want %v: %q", c.name, has, c.want, got)
		}
		if p.isGateway() != c.want {
			t.Errorf("%s: isGateway %v, want %v", c.name, !c.want, c.want)
		}
	}
}
