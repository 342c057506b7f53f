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
// export, no exemption, and a note that the accept is not probed.
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
	// No exemption is offered; the accept is named as not probed.
	if n := strings.Join(p.Notes, "\n"); strings.Contains(n, "routes to the router; not probed):") || !strings.Contains(n, "line 19 lets the internet's connections in to 192.0.2.8/29, a host's own address (no dst-nat); not probed") {
		t.Errorf("notes with the exemptions: %s", n)
	}
}

// TestPublicLANBehindPrivateWAN (realcheck21 D3): a LAN in a public range
// behind a private WAN address (192.168.13.77/24, a router in front) is
// no block the ISP routes to the router: the note says its hosts need the
// masquerade (line 10 keeps them online) and offers no no-NAT exemption,
// which would cut them off. Without the masquerade it offers one. The
// control is TestPublicLANNotes: behind a public WAN the routed-block
// note and its exemptions stay.
func TestPublicLANBehindPrivateWAN(t *testing.T) {
	const m3 = `# by RouterOS 6.48.6
/interface bridge
add name=bridge
/interface bridge port
add bridge=bridge interface=ether2
/ip address
add address=192.168.13.77/24 interface=ether1 network=192.168.13.0
add address=30.40.40.254/24 interface=bridge network=30.40.40.0
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
/ip route
add distance=1 gateway=192.168.13.254
`
	p := importText(t, m3)
	n := strings.Join(p.Notes, "\n")
	if strings.Contains(n, "a block the ISP routes") || strings.Contains(n, "no NAT") || strings.Contains(n, "action=accept") ||
		!hasNote(p.Notes, "bridge uses the public range 30.40.40.0/24", "192.168.13.77", "no ISP routes that range to this router", "line 10 translates them: keep it") {
		t.Errorf("notes:\n%s", n)
	}
	p = importText(t, strings.Replace(m3, "add action=masquerade chain=srcnat out-interface=ether1\n", "", 1))
	if !hasNote(p.Notes, "bridge uses the public range 30.40.40.0/24", "/ip firewall nat add chain=srcnat action=masquerade src-address=30.40.40.0/24 out-interface=ether1") {
		t.Errorf("without the masquerade, notes:\n%s", strings.Join(p.Notes, "\n"))
	}
}
