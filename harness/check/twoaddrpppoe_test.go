package check

import (
	"strings"
	"testing"
)

// twoAddrPPPoE is forum69's c05 (a pastebin paste): a PPPoE WAN, a second
// public address 203.0.113.3 put on pppoe-out1, and a web server behind
// each address, told apart only by dst-address. %s is the second address
// line (empty: the control, forward 2's address not the router's).
const twoAddrPPPoE = `# dec/07/2026 07:00:00 by RouterOS 6.49.18
/interface pppoe-client
add add-default-route=yes disabled=no interface=ether1 name=pppoe-out1 password=s3cret use-peer-dns=yes user=home
/interface list
add name=WAN
add name=LAN
/interface list member
add interface=pppoe-out1 list=WAN
add interface=ether2 list=LAN
/ip address
add address=192.168.88.1/24 interface=ether2
%s/ip firewall filter
add action=accept chain=forward connection-state=established,related,untracked
add action=drop chain=forward connection-nat-state=!dstnat connection-state=new in-interface-list=WAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat comment="route web server1" dst-address=203.0.113.2 dst-address-type=local dst-port=80 in-interface=pppoe-out1 protocol=tcp to-addresses=192.168.88.10 to-ports=12566
add action=dst-nat chain=dstnat comment="route web server2" dst-address=203.0.113.3 dst-address-type=local dst-port=80 in-interface=pppoe-out1 protocol=tcp to-addresses=192.168.88.20 to-ports=12566
`

// TestTwoAddressesOnePort (forum69 C1): forward 2 on the second address
// was walked at the lease's address, so check read it as taken by
// forward 1 (line 18), and the fix widened forward 1 to every local
// address, which made it true. Forward 2 is now walked at its own
// address, and the fix leaves it out of forward 1 (dst-address=!). Control:
// without the second address on the router nothing is left out.
func TestTwoAddressesOnePort(t *testing.T) {
	for _, tt := range []struct {
		name, addr string
		second     bool
	}{
		{"second address on pppoe-out1", "add address=203.0.113.3/32 interface=pppoe-out1\n", true},
		{"no second address", "", false},
	} {
		p := loadText(t, strings.Replace(twoAddrPPPoE, "%s", tt.addr, 1))
		found, _ := p.Diagnose()
		taken := false
		for _, f := range found {
			if f.Forward == 1 && f.Cause == EarlierRule {
				taken = true
			}
		}
		fx := strings.Join(p.Propose(found).Lines, "\n")
		excluded := strings.Contains(fx, `[ find where comment="route web server1" ] !in-interface dst-address=!203.0.113.3 dst-address-type=local`)
		if tt.second && (taken || !excluded) {
			t.Errorf("%s: forward 2 read as taken by line 18 %v (want false), forward 2's address left out of the fix %v (want true)\n%v\n%s", tt.name, taken, excluded, found, fx)
		}
		if !tt.second && (excluded || !strings.Contains(fx, `[ find where comment="route web server1" ] !in-interface !dst-address dst-address-type=local`)) {
			t.Errorf("%s: the fix should widen forward 1 with nothing left out:\n%s", tt.name, fx)
		}
	}
}
