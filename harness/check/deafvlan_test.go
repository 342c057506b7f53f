package check

import (
	"strings"
	"testing"
)

// deafVLAN is a switch-router of the shape of a CRS309 export: a
// VLAN-filtering bridge whose own pvid is 20, the servers' VLAN 20 with the
// bridge as an untagged member (so the router gets VLAN 20 untagged, on the
// bridge, and its VLAN interface vlan-server hears nothing), the trusted
// VLAN 10 with no bridge in its entry at all, and a forward to a server in
// VLAN 20. The lab (rosemu's bridge is Linux's, which behaves so) timed out
// on every path while offline predicted they worked.
const deafVLAN = `# 2026-01-10 10:00:00 by RouterOS 7.23.2
/interface bridge
add name=bridge1 pvid=20 vlan-filtering=yes
/interface vlan
add interface=bridge1 name=vlan-server vlan-id=20
add interface=bridge1 name=vlan-trusted vlan-id=10
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge1 interface=ether2 pvid=20
add bridge=bridge1 interface=ether3 pvid=10
/interface bridge vlan
add bridge=bridge1 tagged=ether4 untagged=ether3 vlan-ids=10
add bridge=bridge1 tagged=ether4 untagged=ether2,bridge1 vlan-ids=20
/interface list member
add interface=ether1 list=WAN
add interface=vlan-server list=LAN
add interface=vlan-trusted list=LAN
/ip address
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
add address=10.10.20.1/24 interface=vlan-server network=10.10.20.0
add address=10.10.10.1/24 interface=vlan-trusted network=10.10.10.0
/ip route
add gateway=203.0.113.1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=masquerade chain=srcnat dst-address=10.10.20.0/24 src-address=10.10.0.0/16
add action=dst-nat chain=dstnat dst-address-type=local dst-port=443 protocol=tcp to-addresses=10.10.20.50
`

func TestVLANNotOnBridge(t *testing.T) {
	p := importText(t, deafVLAN)
	found, _ := p.Diagnose()
	var all, trusted *Finding
	for i, f := range found {
		if f.Cause != VLANNotOnBridge {
			continue
		}
		switch f.Path {
		case "all":
			all = &found[i]
		case "hairpin:vlan-trusted":
			trusted = &found[i]
		default:
			t.Errorf("unexpected finding on %s: %s", f.Path, f)
		}
	}
	if all == nil || all.Line != 15 || !strings.Contains(all.Detail, "vlan-server is VLAN 20 on bridge bridge1") {
		t.Fatalf("server's VLAN: %+v (findings %v)", all, found)
	}
	if trusted == nil || trusted.Line != 14 {
		t.Fatalf("trusted VLAN: %+v", trusted)
	}
	text := strings.Join(p.Propose(found).Lines, "\n")
	for _, want := range []string{
		"/interface bridge vlan set [ find where bridge=bridge1 and vlan-ids=20 ] tagged=ether4,bridge1 untagged=ether2",
		"/interface bridge vlan set [ find where bridge=bridge1 and vlan-ids=10 ] tagged=ether4,bridge1",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the fix lacks %s:\n%s", want, text)
		}
	}
	// Offline predicts what the lab sees: every path fails.
	d := p.OfflineDocument()
	if len(d.Forwards) != 1 || len(d.Forwards[0].Paths) == 0 {
		t.Fatalf("forwards %+v", d.Forwards)
	}
	for _, pd := range d.Forwards[0].Paths {
		if pd.Before == nil || pd.Before.OK {
			t.Errorf("path %s: %+v, want fails (predicted)", pd.Path, pd.Before)
		}
	}
	// Control: the bridge tagged in both VLANs (and VLAN 20 untagged on
	// ether2 only) hears both; no finding, and the internet path works.
	ok := strings.Replace(deafVLAN, "tagged=ether4 untagged=ether3 vlan-ids=10", "tagged=ether4,bridge1 untagged=ether3 vlan-ids=10", 1)
	ok = strings.Replace(ok, "tagged=ether4 untagged=ether2,bridge1 vlan-ids=20", "tagged=ether4,bridge1 untagged=ether2 vlan-ids=20", 1)
	q := importText(t, ok)
	found, _ = q.Diagnose()
	for _, f := range found {
		if f.Cause == VLANNotOnBridge {
			t.Errorf("bridge tagged: %s", f)
		}
	}
	for _, pd := range q.OfflineDocument().Forwards[0].Paths {
		if pd.Path == "internet" && (pd.Before == nil || !pd.Before.OK) {
			t.Errorf("bridge tagged, internet: %+v, want works", pd.Before)
		}
	}
}
