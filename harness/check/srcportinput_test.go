package check

import (
	"strings"
	"testing"
)

// TestSrcPortInputRules (realcheck27 D13): input rules that let the
// internet in by source port (src-port=80,443, "the web's replies") left
// every service after them unjudged and got no word: the WinBox a later
// rule accepts from the whole WAN was not reported, nor the back door
// itself. Control: without the src-port rule the WinBox warning stands
// and no src-port warning is given.
func TestSrcPortInputRules(t *testing.T) {
	const head = `# 2023-08-01 10:00:00 by RouterOS 7.10.1
/interface list
add name=WAN
/interface list member
add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip dhcp-client
add interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
/ip firewall filter
add action=accept chain=input connection-state=established,related
`
	const srcPort = "add action=jump chain=input in-interface-list=WAN jump-target=AcceptInput protocol=tcp src-port=80,443\n"
	const tail = `add action=jump chain=input dst-port=8291 in-interface-list=WAN jump-target=AcceptInput protocol=tcp
add action=drop chain=input in-interface-list=WAN
add action=accept chain=AcceptInput
`
	w := strings.Join(importText(t, head+srcPort+tail).OfflineServiceWarnings(), "\n")
	for _, want := range []string{"the router's WinBox (8291) would be open to the internet", "line 14 admits connections from the internet by their source port (src-port=80,443)", "WebFig (tcp 80)"} {
		if !strings.Contains(w, want) {
			t.Errorf("warnings lack %q:\n%s", want, w)
		}
	}
	if !strings.Contains(w, "SSH (tcp 22)") {
		t.Errorf("the back door's warning should name SSH too:\n%s", w)
	}
	lab := strings.Join(importText(t, head+srcPort+tail).LabServiceWarnings(nil, ""), "\n")
	if !strings.Contains(lab, "src-port=80,443") || !strings.Contains(lab, "(predicted from the rules: the lab does not probe it)") {
		t.Errorf("lab warnings lack the back door:\n%s", lab)
	}
	w = strings.Join(importText(t, head+tail).OfflineServiceWarnings(), "\n")
	if !strings.Contains(w, "WinBox (8291) would be open") || strings.Contains(w, "source port") {
		t.Errorf("control:\n%s", w)
	}
}

// TestUnjudgedServiceIsSaid (realcheck27 D13): a service whose fate rests
// on a rule the reading cannot weigh (a raw drop of a list that rules
// fill at run time) is said to be unjudged, not left out in silence; a
// service the input chain drops anyway is not named. Control: without
// the raw rule WinBox is predicted open outright.
func TestUnjudgedServiceIsSaid(t *testing.T) {
	const base = `# 2023-08-01 10:00:00 by RouterOS 7.10.1
/ip address
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip dhcp-client
add interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=add-src-to-address-list address-list=BAN chain=input connection-state=new dst-port=8291 protocol=tcp
add action=accept chain=input dst-port=8291 protocol=tcp
add action=drop chain=input in-interface=ether1
`
	const raw = "/ip firewall raw\nadd action=drop chain=prerouting src-address-list=BAN\n"
	w := strings.Join(importText(t, base+raw).OfflineServiceWarnings(), "\n")
	if !strings.Contains(w, "the router's WinBox (8291) may be open to the internet") || !strings.Contains(w, "line 14 decides it") {
		t.Errorf("WinBox not said unjudged:\n%s", w)
	}
	if strings.Contains(w, "SSH") {
		t.Errorf("SSH, dropped by the input chain, named:\n%s", w)
	}
	w = strings.Join(importText(t, base).OfflineServiceWarnings(), "\n")
	if !strings.Contains(w, "the router's WinBox (8291) would be open to the internet") {
		t.Errorf("control:\n%s", w)
	}
}
