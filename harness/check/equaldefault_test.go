package check

import (
	"strings"
	"testing"
)

// tieBackup: a DHCP client's default route (distance 1 by default) and a
// static one of distance 1 by another WAN, a LAN and no NAT (realcheck18
// D7, a 6.46 lab router's export cut down).
const tieBackup = `# 2020-05-14 21:26:00 by RouterOS 6.46.6
/ip address
add address=192.168.30.3/24 interface=ether2 network=192.168.30.0
add address=172.16.31.3/24 interface=ether3 network=172.16.31.0
/ip dhcp-client
add disabled=no interface=ether1
/ip route
add distance=1 gateway=192.168.30.1
`

// TestEqualDefaultsNoBackup: default routes of equal distance are no
// backups. Each WAN was called "the backup default route" in a note, and
// the LAN, which nothing translates on either, was never probed. It is a
// finding the lab probes, whose fix masquerades on both WANs; with one of
// them translated, the other is a note that says the routes are of equal
// distance, a warning offline (chk57 D4). Control: with distance=2 on the
// static route it is the backup, and the note says so.
func TestEqualDefaultsNoBackup(t *testing.T) {
	p := importText(t, tieBackup)
	found, _ := p.Diagnose()
	got := withCause(found, NoMasquerade)
	if len(got) != 1 || got[0].Path != "lan-internet:ether3" || !strings.Contains(got[0].Detail, "line 6 by ether1, line 8 by ether2") {
		t.Fatalf("findings: %+v", found)
	}
	notes := strings.Join(p.Notes, "\n")
	if strings.Contains(notes, "the backup default route") {
		t.Errorf("notes call a WAN a backup:\n%s", notes)
	}
	fx := p.Propose(found)
	all := strings.Join(fx.Lines, "\n")
	if !strings.Contains(all, "src-address=172.16.31.0/24 out-interface=ether1") || !strings.Contains(all, "src-address=172.16.31.0/24 out-interface=ether2") {
		t.Errorf("fix lines:\n%s", all)
	}
	if n := lanOutProbes(t, p, fx, "lan-internet:ether3"); n != 2 {
		t.Errorf("%d LAN to internet probes, want before and fixed", n)
	}

	// One WAN translated: no finding, and a note on the other that names
	// the equal routes.
	p = importText(t, tieBackup+"/ip firewall nat\nadd action=masquerade chain=srcnat out-interface=ether1\n")
	found, _ = p.Diagnose()
	if got := withCause(found, NoMasquerade); len(got) != 0 {
		t.Errorf("one WAN translated: findings %+v", got)
	}
	notes = strings.Join(p.Notes, "\n")
	if !strings.Contains(notes, "leaving by ether2, one of the default routes of equal distance") || strings.Contains(notes, "the backup default route") || strings.Contains(notes, "leaving by ether1") {
		t.Errorf("one WAN translated: notes\n%s", notes)
	}
	// Offline it is a warning (chk57 D4: "no problem found", exit 0,
	// for the classic half-translated dual WAN), and no longer a note.
	p.WarnFailoverGaps()
	if w := strings.Join(p.OfflineWarnings(nil), "\n"); !strings.Contains(w, "leaving by ether2, one of the default routes of equal distance") || strings.Contains(strings.Join(p.Notes, "\n"), "of equal distance") {
		t.Errorf("one WAN translated, offline: warnings\n%s\nnotes %q", w, p.Notes)
	}

	// Control: a larger distance makes the static route the backup.
	p = importText(t, strings.Replace(tieBackup, "distance=1 gateway", "distance=2 gateway", 1))
	found, _ = p.Diagnose()
	if got := withCause(found, NoMasquerade); len(got) != 1 || !strings.Contains(got[0].Detail, "172.16.31.0/24 leaving by ether1") {
		t.Errorf("control: findings %+v", got)
	}
	if notes := strings.Join(p.Notes, "\n"); !strings.Contains(notes, "leaving by ether2, the backup default route") {
		t.Errorf("control: notes\n%s", notes)
	}
}

// twoISPs: two ISPs' private next hops on ether1 and ether2, a LAN on
// ether5 and a masquerade on each WAN; the tests add the routes.
const twoISPs = `# by RouterOS 6.47.9
/ip address
add address=192.168.1.2/24 interface=ether1
add address=192.168.2.2/24 interface=ether2
add address=192.168.10.1/24 interface=ether5
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
add action=masquerade chain=srcnat out-interface=ether2
`

// TestFailoverWhyEachReason: the note on an untested failover gives the
// reason that holds: default routes of equal distance, or none in the
// main table (a PCC export whose every default route has a routing mark
// was told "two or more share the least distance, or none leads to a WAN
// the lab wires", realcheck18 D11). Control: a backup of a larger
// distance leaves nothing to explain.
func TestFailoverWhyEachReason(t *testing.T) {
	pcc := twoISPs + `/ip route
add distance=1 gateway=192.168.1.1 routing-mark=to_isp1
add distance=1 gateway=192.168.2.1 routing-mark=to_isp2
`
	why := func(text string) string {
		t.Helper()
		_, _, w := importText(t, text).failoverWhy()
		return w
	}
	if w := why(pcc); !strings.Contains(w, "the main table has no default route (each is in a routing table of its own") {
		t.Errorf("PCC: %q", w)
	}
	tie := pcc + "add distance=1 gateway=192.168.1.1\nadd distance=1 gateway=192.168.2.1\n"
	if w := why(tie); !strings.Contains(w, "share the least distance (line 12 by ether1, line 13 by ether2)") {
		t.Errorf("tie: %q", w)
	}
	if w := why(strings.Replace(tie, "add distance=1 gateway=192.168.2.1\n", "add distance=2 gateway=192.168.2.1\n", 1)); w != "" {
		t.Errorf("control: %q", w)
	}
}
