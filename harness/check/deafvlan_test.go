package check

import (
	"context"
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

// refusedVLANTable is the shape of an RB5009 export (JustinLex/jlh-h5b):
// the guest VLAN 128 on a VLAN-filtering bridge whose table lists the
// bridge as tagged in 128, beside sfp-sfpplus1, whose own line (its name)
// the lab router refuses (here a value it does not take, in the real
// export a continuation line the reader glued). The table's line names
// sfp-sfpplus1 and is refused in its turn (here in mvrp-forbidden=, which
// stands for any parameter the lab cannot take); check then said the
// bridge is not tagged in VLAN 128, which the export's line says it is.
const refusedVLANTable = `# 2022-11-01 10:00:00 by RouterOS 7.6
/interface ethernet
set [ find default-name=sfp-sfpplus1 ] name=sfp-sfpplus1 tx-flow-control=offsfp-rate-select=high
/interface bridge
add name=bridge vlan-filtering=yes
/interface bridge port
add bridge=bridge interface=ether2
add bridge=bridge interface=sfp-sfpplus1
/interface bridge vlan
add bridge=bridge mvrp-forbidden=sfp-sfpplus1 tagged=bridge,ether2 vlan-ids=128
/interface vlan
add interface=bridge name=guest vlan-id=128
/interface list
add name=WAN
/interface list member
add interface=ether1 list=WAN
/ip address
add address=10.0.0.1/16 interface=bridge
add address=10.128.0.1/16 interface=guest
/ip dhcp-client
add interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-port=443 in-interface-list=WAN protocol=tcp to-addresses=10.0.16.1
`

// TestRefusedVLANTableIsTheExports: the lab refuses the table's line, and
// the diagnosis still judges the export's table: the bridge is tagged in
// VLAN 128, so no VLANNotOnBridge and no fix adding it again. Control:
// the same refused line without the bridge in tagged= keeps the finding.
func TestRefusedVLANTableIsTheExports(t *testing.T) {
	deaf := func(text string) (bool, []string) {
		p := importText(t, text)
		p.Refusals(context.Background())
		refused := false
		for _, a := range p.Aside {
			if a.Line == 10 && strings.HasPrefix(a.Reason, refusedPrefix) {
				refused = true
			}
		}
		if !refused {
			t.Fatalf("the lab router takes line 10; the test needs it refused: %+v", p.Aside)
		}
		found, _ := p.Diagnose()
		for _, f := range found {
			if f.Cause == VLANNotOnBridge {
				return true, p.Propose(found).Lines
			}
		}
		return false, p.Propose(found).Lines
	}
	if d, fix := deaf(refusedVLANTable); d {
		t.Errorf("the export's table tags the bridge in VLAN 128; fix %q", fix)
	} else if strings.Contains(strings.Join(fix, "\n"), "/interface bridge vlan") {
		t.Errorf("a fix for the bridge's VLAN table: %q", fix)
	}
	// Control: the bridge left out of the refused line's tagged=.
	if d, _ := deaf(strings.Replace(refusedVLANTable, "tagged=bridge,ether2", "tagged=ether2", 1)); !d {
		t.Error("bridge not tagged in VLAN 128: want VLANNotOnBridge")
	}
}

// TestRefusedVLANMemberCut: the table's line names sfp-sfpplus1 in
// tagged=, and the lab has no interface of that name (its own line was
// refused): the line is kept without that member, so the lab's bridge is
// tagged in VLAN 128 as the export's is, and nothing is diagnosed deaf.
// Before, the line was refused whole and the lab's VLAN 128 had no member.
// Control: a member the lab has (ether2 alone) keeps the line as it is.
func TestRefusedVLANMemberCut(t *testing.T) {
	text := strings.Replace(refusedVLANTable, "mvrp-forbidden=sfp-sfpplus1 tagged=bridge,ether2", "tagged=bridge,ether2,sfp-sfpplus1", 1)
	p := importText(t, text)
	p.Refusals(context.Background())
	var cut *Aside
	for i, a := range p.Aside {
		if a.Line != 10 {
			continue
		}
		if a.Param == "" {
			t.Errorf("line 10 set aside whole: %+v", a)
		}
		cut = &p.Aside[i]
	}
	if cut == nil || cut.Param != "tagged=sfp-sfpplus1" || !strings.Contains(cut.Reason, "sfp-sfpplus1 cut from tagged=") {
		t.Fatalf("line 10: %+v (aside %+v)", cut, p.Aside)
	}
	if !strings.Contains(p.RSC, "/interface bridge vlan add bridge=bridge tagged=bridge,ether2 vlan-ids=128\n") {
		t.Errorf("the lab's table line:\n%s", p.RSC)
	}
	found, _ := p.Diagnose()
	for _, f := range found {
		if f.Cause == VLANNotOnBridge {
			t.Errorf("deaf VLAN: %s", f)
		}
	}
	// The diagnosis reads the export's line, sfp-sfpplus1 included.
	for _, c := range p.export.Commands {
		if c.Line == 10 && c.Value("tagged") != "bridge,ether2,sfp-sfpplus1" {
			t.Errorf("the export's command lost its member: %s", c.Text())
		}
	}
	// Control: every member known, the line is the export's.
	q := importText(t, strings.Replace(text, "tagged=bridge,ether2,sfp-sfpplus1", "tagged=bridge,ether2", 1))
	q.Refusals(context.Background())
	for _, a := range q.Aside {
		if a.Line == 10 {
			t.Errorf("control: line 10 set aside: %+v", a)
		}
	}
	if !strings.Contains(q.RSC, "/interface bridge vlan add bridge=bridge tagged=bridge,ether2 vlan-ids=128\n") {
		t.Errorf("control: the lab's table line:\n%s", q.RSC)
	}
}
