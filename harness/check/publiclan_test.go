package check

import (
	"strings"
	"testing"
)

const routedOnPort = "# 2026-11-28 09:14:51 by RouterOS 7.16.2\n" + homeBridge + `add interface=ether5 list=LAN
add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
add address=192.0.2.9/29 interface=ether5 network=192.0.2.8
/ip firewall filter
add action=accept chain=forward comment="defconf: accept established,related, untracked" connection-state=established,related,untracked
%s
add action=drop chain=forward comment="defconf: drop all from WAN not DSTNATed" connection-nat-state=!dstnat connection-state=new in-interface-list=WAN
/ip firewall nat
%s
add action=masquerade chain=srcnat comment="defconf: masquerade" ipsec-policy=out,none out-interface-list=WAN
/ip route
add dst-address=0.0.0.0/0 gateway=203.0.113.1
`

// A routed public /29 on ether5 under defconf's firewall: the note names
// the masquerade that rewrites its hosts and the drop that keeps the
// internet out, with the lines that exempt it. With both exemptions in the
// export, no note.
func TestPublicLANNotes(t *testing.T) {
	p := importText(t, strings.Replace(strings.Replace(routedOnPort, "%s\n", "", 1), "%s\n", "", 1))
	notes := strings.Join(p.Notes, "\n")
	if !strings.Contains(notes, "ether5 holds the public subnet 192.0.2.8/29") ||
		!strings.Contains(notes, `/ip firewall nat add chain=srcnat action=accept src-address=192.0.2.8/29 out-interface=ether1`) ||
		!strings.Contains(notes, `/ip firewall filter add chain=forward action=accept dst-address=192.0.2.8/29 in-interface=ether1`) {
		t.Errorf("notes: %s", notes)
	}
	fixed := strings.Replace(routedOnPort, "%s", "add action=accept chain=forward dst-address=192.0.2.8/29 dst-port=443 protocol=tcp in-interface-list=WAN", 1)
	fixed = strings.Replace(fixed, "%s", "add action=accept chain=srcnat src-address=192.0.2.8/29", 1)
	p = importText(t, fixed)
	if n := strings.Join(p.Notes, "\n"); strings.Contains(n, "public subnet") {
		t.Errorf("notes with the exemptions: %s", n)
	}
}
