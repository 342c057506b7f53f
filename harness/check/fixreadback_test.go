package check

import (
	"strings"
	"testing"
)

// TestFixReadBack (chk57 D2): check names the rules its fix edits with
// "[ find where a=b and c=d ]" (and k!=v), which its own reader of edit
// lines refused. An export with the fix pasted at its end, checked again
// (what a user sends back), still had every finding and got the same fix
// a second time: rb2011's export, fixed, gave its six "a masquerade hides
// internet clients" and added the other WAN's masquerade and the hairpin
// rules again. Now the fixed export has no finding and no fix. Control:
// a find with another operator (~) is still left alone, with its note.
func TestFixReadBack(t *testing.T) {
	const export = `# 2024-01-01 12:00:00 by RouterOS 7.16
` + etherLists + `/ip address
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip route
add gateway=203.0.113.1
/ip firewall nat
add action=masquerade chain=srcnat
add action=dst-nat chain=dstnat dst-port=8080 in-interface-list=WAN protocol=tcp to-addresses=192.168.88.10
`
	p := importText(t, export)
	found, _ := p.Diagnose()
	fx := p.Propose(found)
	if len(found) == 0 || !strings.Contains(strings.Join(fx.Lines, "\n"), " and ") {
		t.Fatalf("the export's findings %+v, fix %q: no fix naming rules with and", found, fx.Lines)
	}
	fixed := export + strings.Join(fx.Lines, "\n") + "\n"
	p = importText(t, fixed)
	if again, _ := p.Diagnose(); len(again) != 0 {
		t.Errorf("with the fix pasted: findings %+v\nnotes %q", again, p.Notes)
	} else if fx2 := p.Propose(again); len(fx2.Lines) != 0 {
		t.Errorf("with the fix pasted: fix again %q", fx2.Lines)
	}
	if strings.Contains(strings.Join(p.Notes, "\n"), "does not read") {
		t.Errorf("notes: %q", p.Notes)
	}

	// The fix places an accept with place-before=[ find where ... and
	// ... ]: read as where RouterOS puts it, not at the chain's end.
	const dropAll = export + `/ip firewall filter
add action=accept chain=forward connection-state=established,related
add action=drop chain=forward in-interface-list=WAN
`
	p = importText(t, dropAll)
	found, _ = p.Diagnose()
	fx = p.Propose(found)
	if !strings.Contains(strings.Join(fx.Lines, "\n"), "place-before=[ find where action=drop and ") {
		t.Fatalf("drop all: fix %q", fx.Lines)
	}
	p = importText(t, dropAll+strings.Join(fx.Lines, "\n")+"\n")
	if again, _ := p.Diagnose(); len(again) != 0 {
		t.Errorf("drop all, with the fix pasted: findings %+v", again)
	}

	// != names a rule by what it is not; ~ is still not read.
	p = importText(t, export+"/ip firewall nat\nset [ find where action=masquerade and out-interface!=ether2 ] out-interface=ether1\n")
	if again, _ := p.Diagnose(); len(withCause(again, HidesClients)) != 0 {
		t.Errorf("!=: findings %+v\nnotes %q", again, p.Notes)
	}
	p = importText(t, export+"/ip firewall nat\nset [ find where action=masquerade and comment~\"x\" ] out-interface=ether1\n")
	if !strings.Contains(strings.Join(p.Notes, "\n"), "does not read") {
		t.Errorf("~: notes %q", p.Notes)
	}
}
