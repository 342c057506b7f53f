package check

import (
	"strings"
	"testing"
)

// A WAN on a port the export disables is no WAN: RouterOS runs nothing on a
// disabled interface, so its DHCP client leases nothing. It was taken as a
// working WAN: "no problem found" offline, and the lab waited 30 s for an
// address and failed "router has no address on ether1" with no cause
// (realcheck22 D1). The error names the line and the way to enable it; the
// control (the port enabled again) keeps the WAN.
func TestDisabledWANPort(t *testing.T) {
	const rsc = `# by RouterOS 7.16
/interface bridge
add name=bridge1
/interface ethernet
set [ find default-name=ether1 ] disabled=yes
/interface bridge port
add bridge=bridge1 interface=ether2
/ip address
add address=192.168.1.1/24 interface=bridge1 network=192.168.1.0
/ip dhcp-client
add disabled=no interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
`
	err := importErr(t, rsc)
	if err == nil {
		t.Fatal("a DHCP client on a disabled port was taken as a working WAN")
	}
	for _, want := range []string{"ether1 (DHCP client on ether1) is a port the export disables at line 5", "/interface ethernet set [ find default-name=ether1 ] disabled=no"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	p := importText(t, rsc+"/interface ethernet set [ find default-name=ether1 ] disabled=no\n")
	if len(p.WANs) != 1 || p.WANs[0].Interface != "ether1" || p.WANs[0].Kind != "dhcp" {
		t.Errorf("control: the enabled port's WAN is %+v, want ether1 dhcp", p.WANs)
	}
}

// A second WAN on a disabled port is left out with a note, and the first
// stays the WAN: the lab wires no ISP to a port that carries nothing.
func TestDisabledSecondWANPort(t *testing.T) {
	const rsc = `# by RouterOS 7.16
/interface ethernet
set [ find default-name=ether2 ] disabled=yes
/ip address
add address=192.168.1.1/24 interface=ether3 network=192.168.1.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
add address=198.51.100.2/24 interface=ether2 network=198.51.100.0
/ip route
add gateway=203.0.113.1
add distance=2 gateway=198.51.100.1
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
add action=masquerade chain=srcnat out-interface=ether2
`
	p := importText(t, rsc)
	if len(p.WANs) != 1 || p.WANs[0].Interface != "ether1" {
		t.Fatalf("WANs %+v, want ether1 alone", p.WANs)
	}
	if !strings.Contains(strings.Join(p.Notes, "\n"), "ether2 (a default route (line 10)'s gateway 198.51.100.1 is on it) is a port the export disables at line 3") {
		t.Errorf("no note on the disabled ether2: %q", p.Notes)
	}
}

// A WAN-list member whose only address is disabled has no address: the lab
// leased it one by DHCP ("has no address and no DHCP or PPPoE client"),
// standing for an address RouterOS keeps inactive. Control: enabled, the
// address is the WAN's.
func TestDisabledWANAddress(t *testing.T) {
	const rsc = `# by RouterOS 7.16
/interface list
add name=WAN
/interface list member
add interface=ether1 list=WAN
/ip address
add address=192.168.1.1/24 interface=ether2 network=192.168.1.0
add address=203.0.113.10/24 disabled=%s interface=ether1 network=203.0.113.0
/ip route
add gateway=203.0.113.1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
`
	err := importErr(t, strings.Replace(rsc, "%s", "yes", 1))
	if err == nil || !strings.Contains(err.Error(), "has only a disabled address (line 8") {
		t.Errorf("error %v, want the disabled address named", err)
	}
	p := importText(t, strings.Replace(rsc, "%s", "no", 1))
	if len(p.WANs) != 1 || p.WANs[0].Address.String() != "203.0.113.10/24" {
		t.Errorf("control: WANs %+v", p.WANs)
	}
}
