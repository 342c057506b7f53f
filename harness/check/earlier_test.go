package check

import (
	"strings"
	"testing"
)

// A port range forwarded above one of its ports takes that port: the fix
// moves the single port's forward above the range. Two forwards of the
// same port get no move (one of them is lost either way).
func TestEarlierRangeMoved(t *testing.T) {
	text := strings.Replace(noDestination,
		`add action=dst-nat chain=dstnat comment=nas dst-port=80 protocol=tcp to-addresses=192.168.88.10`,
		`add action=dst-nat chain=dstnat comment="nvr range" dst-port=12560-12570 in-interface-list=WAN protocol=tcp to-addresses=192.168.88.10
add action=dst-nat chain=dstnat comment=camera dst-port=12566 in-interface-list=WAN protocol=tcp to-addresses=192.168.88.12`, 1)
	p := importText(t, text)
	found, _ := p.Diagnose()
	got := withCause(found, EarlierRule)
	if len(got) != 1 || got[0].Forward != 1 || got[0].Path != "internet" || got[0].Line != 18 {
		t.Fatalf("findings: %+v", got)
	}
	all := strings.Join(p.Propose(found).Lines, "\n")
	if !strings.Contains(all, `/ip firewall nat move [ find where comment=camera ] destination=[ find where comment="nvr range" ]`) {
		t.Errorf("fix lines:\n%s", all)
	}
	p = importText(t, strings.Replace(text, "dst-port=12560-12570", "dst-port=12566", 1))
	found, _ = p.Diagnose()
	if all := strings.Join(p.Propose(found).Lines, "\n"); strings.Contains(all, " move ") {
		t.Errorf("same port moved:\n%s", all)
	}
}

func TestPortCount(t *testing.T) {
	for v, want := range map[string]int{"": 0, "!80": 0, "80": 1, "80,443": 2, "12560-12570": 11, "21,5000-5009": 11} {
		if got := portCount(v); got != want {
			t.Errorf("portCount(%q) = %d, want %d", v, got, want)
		}
	}
}
