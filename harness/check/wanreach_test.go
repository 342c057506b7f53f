package check

import (
	"strings"
	"testing"
)

// staticWANNoMask is forum45's static-wan mini cut down: the WAN address
// typed without a mask, a gateway outside it, and a resolver with no
// server while the DHCP network hands the router out as DNS.
const staticWANNoMask = `# 2025-03-02 12:00:00 by RouterOS 7.16.2
/interface bridge
add name=bridge
/interface bridge port
add bridge=bridge interface=ether2
/interface list
add name=WAN
add name=LAN
/interface list member
add interface=bridge list=LAN
add interface=ether1 list=WAN
/ip pool
add name=default-dhcp ranges=192.168.88.10-192.168.88.254
/ip dhcp-server
add address-pool=default-dhcp interface=bridge name=defconf
/ip address
add address=192.168.88.1/24 interface=bridge
add address=WANADDR interface=ether1
/ip dhcp-server network
add address=192.168.88.0/24 dns-server=192.168.88.1 gateway=192.168.88.1
/ip dns
set allow-remote-requests=yes servers=SERVERS
/ip route
add gateway=203.0.113.1
/ip firewall filter
add action=accept chain=input connection-state=established,related,untracked
add action=drop chain=input comment="defconf: drop all not coming from LAN" in-interface-list=!LAN
ACCEPT
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
`

func wanReach(t *testing.T, addr, servers, accept string) ([]Finding, []string) {
	t.Helper()
	text := strings.NewReplacer("WANADDR", addr, "SERVERS", servers, "ACCEPT", accept).Replace(staticWANNoMask)
	p := loadText(t, text)
	found, _ := p.Diagnose()
	var out []Finding
	for _, f := range found {
		if f.Cause == GatewayOffLink || f.Cause == NoUpstreamDNS || f.Cause == InputAcceptBelowDrop {
			out = append(out, f)
		}
	}
	return out, p.Propose(found).Lines
}

// TestGatewayOffLink (forum45 D7): the WAN address without a mask leaves
// the gateway off-link: a finding on the address line, and the fix gives
// it a mask that holds the gateway. Control: with /24 no finding.
func TestGatewayOffLink(t *testing.T) {
	found, lines := wanReach(t, "203.0.113.2", "198.51.100.53", "")
	if len(found) != 1 || found[0].Cause != GatewayOffLink || found[0].Line != 18 || !strings.Contains(found[0].Detail, "gateway 203.0.113.1 is outside it") {
		t.Fatalf("want a GatewayOffLink finding on line 18, got %v", found)
	}
	if want := `/ip address set [ find where address="203.0.113.2/32" interface=ether1 ] address=203.0.113.2/30`; !strings.Contains(strings.Join(lines, "\n"), want) {
		t.Errorf("fix lines:\n%s\nwant %s", strings.Join(lines, "\n"), want)
	}
	if found, _ := wanReach(t, "203.0.113.2/24", "198.51.100.53", ""); len(found) != 0 {
		t.Errorf("with the mask: %v", found)
	}
}

// TestNoUpstreamDNS (forum45 D7): servers="" on a static WAN while the
// DHCP network hands out the router as DNS is a finding on the /ip dns
// line. Control: with a server, none.
func TestNoUpstreamDNS(t *testing.T) {
	found, _ := wanReach(t, "203.0.113.2/24", `""`, "")
	if len(found) != 1 || found[0].Cause != NoUpstreamDNS || found[0].Line != 22 || !strings.Contains(found[0].Detail, "line 20 hands out 192.168.88.1") {
		t.Fatalf("want a NoUpstreamDNS finding on line 22, got %v", found)
	}
}

// TestInputAcceptBelowDrop (forum45 D7): an SSH accept from the WAN
// appended below the drop is a finding, fixed by moving it above the
// drop; placed above with place-before (control), none.
func TestInputAcceptBelowDrop(t *testing.T) {
	accept := `add action=accept chain=input comment="ssh from office" dst-port=22 in-interface-list=WAN protocol=tcp src-address=198.51.100.50`
	found, lines := wanReach(t, "203.0.113.2/24", "198.51.100.53", accept)
	if len(found) != 1 || found[0].Cause != InputAcceptBelowDrop || found[0].Line != 28 {
		t.Fatalf("want an InputAcceptBelowDrop finding on line 28, got %v", found)
	}
	if want := `/ip firewall filter move [ find where comment="ssh from office" ] destination=[ find where comment="defconf: drop all not coming from LAN" ]`; !strings.Contains(strings.Join(lines, "\n"), want) {
		t.Errorf("fix lines:\n%s\nwant %s", strings.Join(lines, "\n"), want)
	}
	if found, _ := wanReach(t, "203.0.113.2/24", "198.51.100.53", accept+" place-before=1"); len(found) != 0 {
		t.Errorf("placed above the drop: %v", found)
	}
}
