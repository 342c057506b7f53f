package check

import (
	"strings"
	"testing"
)

// vrrpHead is a LAN on ether2 with defconf's lists and a virtual router
// for 192.168.88.254 on it; the input chain comes after.
const vrrpHead = `# by RouterOS 7.18
/interface vrrp
add interface=ether2 name=vrrp1 priority=200 vrid=1
/interface list
add name=WAN
add name=LAN
/interface list member
add interface=ether2 list=LAN
add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
add address=192.168.88.254 interface=vrrp1 network=192.168.88.254
/ip dhcp-client
add interface=ether1
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=drop chain=input comment="defconf: drop all not coming from LAN" in-interface-list=!LAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
`

func vrrpNotesOf(t *testing.T, rsc string) []string {
	t.Helper()
	var out []string
	for _, n := range importText(t, rsc).Notes {
		if strings.HasPrefix(n, "VRRP: ") {
			out = append(out, n)
		}
	}
	return out
}

// TestVRRPListNote: the virtual router outside the LAN list under the
// defconf drop is named with the member to add; in the list (the
// control), or an IPv6 virtual router, or one without addresses, nothing
// is said.
func TestVRRPListNote(t *testing.T) {
	n := vrrpNotesOf(t, vrrpHead)
	if len(n) != 1 || !strings.Contains(n[0], "line 3 (vrrp1, address 192.168.88.254) runs on ether2") ||
		!strings.Contains(n[0], "/interface list member add interface=vrrp1 list=LAN") {
		t.Fatalf("notes %q", n)
	}
	if n := vrrpNotesOf(t, vrrpHead+"/interface list member\nadd interface=vrrp1 list=LAN\n"); len(n) != 0 {
		t.Errorf("vrrp1 in LAN: %q", n)
	}
	if n := vrrpNotesOf(t, strings.Replace(vrrpHead, "vrid=1", "vrid=1 v3-protocol=ipv6", 1)); len(n) != 0 {
		t.Errorf("IPv6 virtual router: %q", n)
	}
	if n := vrrpNotesOf(t, strings.Replace(vrrpHead, "add address=192.168.88.254 interface=vrrp1 network=192.168.88.254\n", "", 1)); len(n) != 0 {
		t.Errorf("no virtual address: %q", n)
	}
}
