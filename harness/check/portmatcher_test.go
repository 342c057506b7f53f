package check

import (
	"strings"
	"testing"
)

// TestPortMatcherIsOnePort (realcheck27 D4): a dst-nat written with
// port=6000 (source or destination port 6000) takes tcp/6000, not every
// port. It was read as "no dst-port": a note said it took every tcp port,
// a finding said it took WinBox from the router, and the WinBox the input
// chain opens to the internet got no warning. Control: the same forward
// with no port at all still takes every port.
func TestPortMatcherIsOnePort(t *testing.T) {
	const head = `# 2025-03-01 10:00:00 by RouterOS 7.16.2
/interface list
add name=WAN
/interface list member
add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip dhcp-client
add interface=ether1
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=accept chain=input dst-port=8291 protocol=tcp
add action=drop chain=input in-interface-list=WAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
`
	read := func(fwd string) (notes, found, warns string) {
		p := importText(t, head+fwd)
		fs, _ := p.Diagnose()
		var b strings.Builder
		for _, f := range fs {
			b.WriteString(string(f.Cause) + " " + f.Detail + "\n")
		}
		return strings.Join(p.Notes, "\n"), b.String(), strings.Join(p.OfflineServiceWarnings(), "\n")
	}
	notes, found, warns := read("add action=dst-nat chain=dstnat in-interface-list=WAN port=6000 protocol=tcp to-addresses=192.168.88.10 to-ports=6000\n")
	if strings.Contains(notes, "takes every tcp port") || strings.Contains(found, string(TakesRouterService)) {
		t.Errorf("port=6000 read as every port:\n%s\n%s", notes, found)
	}
	if !strings.Contains(warns, "WinBox (8291) would be open to the internet") {
		t.Errorf("no WinBox warning:\n%s", warns)
	}
	notes, found, _ = read("add action=dst-nat chain=dstnat in-interface-list=WAN protocol=tcp to-addresses=192.168.88.10 to-ports=6000\n")
	if !strings.Contains(notes, "takes every tcp port") || !strings.Contains(found, string(TakesRouterService)) {
		t.Errorf("control: no port at all is every port:\n%s\n%s", notes, found)
	}
}
