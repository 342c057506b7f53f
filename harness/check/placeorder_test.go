package check

import (
	"strings"
	"testing"
)

// rdpForward is a home router forwarding the WAN's port 3389 (or 8080, to
// the server's 3389) to 192.168.88.41, with the forward chain FILTER.
const rdpForward = `# 2026-12-02 12:30:00 by RouterOS 7.16
` + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address=203.0.113.2 dst-port=PORT protocol=tcp to-addresses=192.168.88.41 to-ports=3389
/ip route
add gateway=203.0.113.1
/ip firewall filter
add action=accept chain=forward connection-state=established,related
FILTER`

func rdpPlan(t *testing.T, port, filter string) *Plan {
	t.Helper()
	return importText(t, strings.NewReplacer("PORT", port, "FILTER", filter).Replace(rdpForward))
}

// TestPlaceBeforeBelow (a reader of the rules below one, lateAccept): the
// drop is added last with place-before=1, above the RDP accept written
// before it in the file; the accept is below the drop in the router's
// order, so the finding names it as the late accept (line 22). Read in
// file order the accept was above the drop and Late stayed 0.
func TestPlaceBeforeBelow(t *testing.T) {
	p := rdpPlan(t, "3389", `add action=accept chain=forward comment="rdp in" dst-address=192.168.88.41 dst-port=3389 protocol=tcp
add action=drop chain=forward comment="drop all from WAN" in-interface-list=WAN place-before=1
`)
	found, _ := p.Diagnose()
	got := withCause(found, ForwardDropsWAN)
	if len(got) != 1 || got[0].Line != 23 || got[0].Late != 22 {
		t.Fatalf("findings %+v, want the drop at line 23 with the late accept at line 22", got)
	}
}

// TestPlaceBeforeAbove (a reader of the rules above one, disabledFix): a
// disabled accept for the forward added with place-before= above the drop
// is the rule to enable (Enable 23); without place-before (control) it is
// below the drop and enabling it would not help (Enable 0).
func TestPlaceBeforeAbove(t *testing.T) {
	for _, tt := range []struct {
		place string
		want  int
	}{{` place-before=[ find comment="drop all from WAN" ]`, 23}, {"", 0}} {
		p := rdpPlan(t, "3389", `add action=drop chain=forward comment="drop all from WAN" in-interface-list=WAN
add action=accept chain=forward comment="rdp in" disabled=yes dst-address=192.168.88.41 dst-port=3389 protocol=tcp`+tt.place+"\n")
		found, _ := p.Diagnose()
		got := withCause(found, ForwardDropsWAN)
		if len(got) != 1 || got[0].Enable != tt.want {
			t.Errorf("%q: findings %+v, want Enable %d", tt.place, got, tt.want)
		}
	}
}

// TestPlaceBeforePair (a reader that compares two rules, the public port's
// accept): the accept of the public port 8080, placed above the drop, is
// the rule written for the wrong port (FilterPublicPort: the forward chain
// sees 3389); read in file order it came after the drop and was no
// finding. Control: with the server's port the accept above the drop lets
// the connection through, no finding.
func TestPlaceBeforePair(t *testing.T) {
	filter := func(port string) string {
		return `add action=drop chain=forward comment="drop all from WAN" in-interface-list=WAN
add action=accept chain=forward dst-port=` + port + ` protocol=tcp place-before=1
`
	}
	found, _ := rdpPlan(t, "8080", filter("8080")).Diagnose()
	if got := withCause(found, FilterPublicPort); len(got) != 1 || got[0].Line != 23 {
		t.Errorf("public port above the drop: findings %+v, want FilterPublicPort at line 23", found)
	}
	found, _ = rdpPlan(t, "8080", filter("3389")).Diagnose()
	if got := append(withCause(found, FilterPublicPort), withCause(found, ForwardDropsWAN)...); len(got) != 0 {
		t.Errorf("server's port above the drop: %+v, want none", got)
	}
}

// TestPlaceBeforeWalk (a reader that walks on to the later rules,
// limitAcceptNotes): an unlimited accept placed between a limited accept
// and the drop of its leftover takes that leftover: noted, naming line
// 23; read in file order the drop came first and the note was missing.
// Control: without place-before the drop takes the leftover, no note.
func TestPlaceBeforeWalk(t *testing.T) {
	const rules = "add action=accept chain=input comment=flood limit=2,2:packet protocol=icmp\n" +
		"add action=drop chain=input comment=icmpdrop protocol=icmp\n" +
		"add action=accept chain=input protocol=icmp"
	p := importText(t, noDestination+"/ip firewall filter\n"+rules+" place-before=[ find comment=icmpdrop ]\n")
	if notes := strings.Join(p.Notes, "\n"); !strings.Contains(notes, "line 21: the accept with a limit") || !strings.Contains(notes, "where line 23 accepts it anyway") {
		t.Errorf("notes %q, want line 23 to take the leftover", p.Notes)
	}
	p = importText(t, noDestination+"/ip firewall filter\n"+rules+"\n")
	if notes := strings.Join(p.Notes, "\n"); strings.Contains(notes, "accept with a limit") {
		t.Errorf("control: noted %q", p.Notes)
	}
}
