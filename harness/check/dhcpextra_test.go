package check

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// dhcpExtra is a DHCP WAN that also holds a static public address of its
// own (a 1:1 NAT's, 203.0.113.10) on ether1, with the 1:1 netmap pair for
// one LAN host and the host's outbound netmap written below defconf's
// masquerade (forum53).
const dhcpExtra = `# 2026-12-01 10:00:00 by RouterOS 7.16.2
` + etherLists + `/ip address
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
add address=203.0.113.10/24 interface=ether1 network=203.0.113.0
/ip dhcp-client
add interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat comment=masq out-interface-list=WAN
add action=netmap chain=dstnat comment=in dst-address=203.0.113.10 to-addresses=192.168.88.50
add action=netmap chain=srcnat comment=out src-address=192.168.88.50 to-addresses=203.0.113.10
`

// TestDHCPExtraSrcNATShadowed: on a DHCP WAN the masquerade takes the
// lease's address (NAT page: masquerade uses the outgoing interface's
// address, https://help.mikrotik.com/docs/spaces/ROS/pages/3211299/NAT),
// which the export does not write, so the host's own netmap below it is
// shadowed, not "a duplicate, harmless" because the static address is the
// only one the export puts on ether1 (forum53 D2). The control: a static
// WAN whose only address is the rule's is still a duplicate.
func TestDHCPExtraSrcNATShadowed(t *testing.T) {
	p := importText(t, dhcpExtra)
	found, _ := p.Diagnose()
	got := withCause(found, ShadowedSrcNAT)
	if len(got) != 1 || got[0].Path != "srcnat:192.168.88.50" || got[0].Line != 14 {
		t.Fatalf("shadowed: %+v (notes %q)", got, p.Notes)
	}
	if slices.ContainsFunc(p.Notes, func(n string) bool { return strings.Contains(n, "a duplicate, harmless") }) {
		t.Errorf("called a duplicate: %q", p.Notes)
	}
	want := `/ip firewall nat move [ find where comment=out ] destination=[ find where comment=masq ]`
	if fx := p.Propose(found); !slices.Contains(fx.Lines, want) {
		t.Errorf("fix %q, want %s", fx.Lines, want)
	}
	static := strings.Replace(dhcpExtra, "/ip dhcp-client\nadd interface=ether1\n", "/ip route\nadd gateway=203.0.113.1\n", 1)
	p = importText(t, static)
	found, _ = p.Diagnose()
	if got := withCause(found, ShadowedSrcNAT); len(got) != 0 {
		t.Errorf("static WAN whose only address is the rule's: %+v", got)
	}
}

// TestDHCPExtraNotLiteral: a dst-nat or netmap naming a static address the
// export puts on the DHCP WAN does not name the lease: a renumbering
// leaves it in place, so it is no LiteralWAN, and the fix must not widen
// the 1:1 netmap to dst-address-type=local, which would send every port
// of every router address, WinBox included, to the host (forum53 D3). The
// control: a forward naming an address the export does not hold on the
// WAN (the lease of the day) is still LiteralWAN.
func TestDHCPExtraNotLiteral(t *testing.T) {
	p := importText(t, dhcpExtra)
	found, _ := p.Diagnose()
	if got := withCause(found, LiteralWAN); len(got) != 0 {
		t.Errorf("a static address called the lease: %+v", got)
	}
	if fx := p.Propose(found); slices.ContainsFunc(fx.Lines, func(l string) bool {
		return strings.Contains(l, "comment=in") && strings.Contains(l, "dst-address-type=local")
	}) {
		t.Errorf("the 1:1 netmap widened to every local address: %q", fx.Lines)
	}
	// The lab leases the router another address of that subnet, not the
	// 1:1 address (two routers' worth of one address on ether1), and
	// probes the forward at the 1:1 address, before and after the
	// renumbering.
	if a := p.WANAddr(p.WANs[0], p.Forwards[0]); a.String() == "203.0.113.10" || !strings.HasPrefix(a.String(), "203.0.113.") {
		t.Errorf("lease %s", a)
	}
	c, err := p.Case(p.Propose(found))
	if err != nil {
		t.Fatal(err)
	}
	for _, ph := range []string{"before", "renumbered"} {
		if !slices.ContainsFunc(c.Probes, func(pr Probe) bool {
			return pr.Path == "internet" && pr.Phase == ph && strings.HasPrefix(pr.To, "203.0.113.10:")
		}) {
			t.Errorf("no %s probe of 203.0.113.10: %+v", ph, c.Probes)
		}
	}
	lease := strings.Replace(dhcpExtra, "add address=203.0.113.10/24 interface=ether1 network=203.0.113.0\n", "", 1)
	p = importText(t, lease)
	found, _ = p.Diagnose()
	if got := withCause(found, LiteralWAN); len(got) != 1 || got[0].Line != 14 {
		t.Errorf("the lease's address written literally: %+v", got)
	}
}

// TestNetmapEveryPortNotWidened: a 1:1 netmap with no port, bound to the
// WAN's port (a DMZ written as netmap), takes every port the WAN receives;
// the fix widened it to !in-interface dst-address-type=local, which also
// hands the LAN's connections to the router's public address, its WinBox
// and SSH included, to the host. A dst-nat of every port is never widened
// so (realcheck26 D2); a netmap now is not either (forum53 D5). The
// finding stands. Control: the same netmap of one port is widened.
func TestNetmapEveryPortNotWidened(t *testing.T) {
	// dhcpExtra with the DMZ netmap in place of the 1:1 pair.
	pair := "add action=netmap chain=dstnat comment=in dst-address=203.0.113.10 to-addresses=192.168.88.50\nadd action=netmap chain=srcnat comment=out src-address=192.168.88.50 to-addresses=203.0.113.10\n"
	export := strings.Replace(dhcpExtra, pair, "add action=netmap chain=dstnat comment=dmz in-interface=ether1%s to-addresses=192.168.88.50\n", 1)
	for _, tt := range []struct {
		port  string
		widen bool
	}{{"", false}, {" dst-port=8080 protocol=tcp", true}} {
		p := importText(t, fmt.Sprintf(export, tt.port))
		found, _ := p.Diagnose()
		if len(withCause(found, BoundToWAN)) == 0 {
			t.Errorf("%q: findings %+v", tt.port, found)
		}
		widened := slices.ContainsFunc(p.Propose(found).Lines, func(l string) bool {
			return strings.Contains(l, "comment=dmz") && strings.Contains(l, "dst-address-type=local")
		})
		if widened != tt.widen {
			t.Errorf("%q: widened %v, want %v: %q", tt.port, widened, tt.widen, p.Propose(found).Lines)
		}
	}
}
