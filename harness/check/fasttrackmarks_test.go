package check

import (
	"os"
	"strings"
	"testing"
)

// A second WAN's forwards answered by a routing mark on the connection's
// mark, with a fasttrack rule that takes marked connections too: the
// answers after the fasttrack rule took the connection skip mangle and
// leave by the main WAN. Found for the TCP forward on the fibre (it fails)
// and the UDP one (one answer may get out first), not for the cable's
// (the main table's WAN), and fixed by connection-mark=no-mark. The
// export as written, with no-mark, has no such finding.
func TestFasttrackLosesMarks(t *testing.T) {
	data, err := os.ReadFile("testdata/dual-wan.rsc")
	if err != nil {
		t.Fatal(err)
	}
	if p := importText(t, string(data)); true {
		found, _ := p.Diagnose()
		for _, f := range found {
			if f.Cause == FasttrackMarks {
				t.Errorf("finding with connection-mark=no-mark on the fasttrack rule: %+v", f)
			}
		}
	}
	broken := strings.Replace(string(data), "comment=\"defconf: fasttrack\" connection-mark=no-mark ", "comment=\"defconf: fasttrack\" ", 1)
	if broken == string(data) {
		t.Fatal("the test export's fasttrack rule changed")
	}
	p := importText(t, broken)
	found, exp := p.Diagnose()
	byPort := map[int]string{}
	for _, f := range found {
		if f.Cause == FasttrackMarks {
			byPort[p.Forwards[f.Forward].DstPort] = f.Path
			if !strings.Contains(f.Rule, "fasttrack-connection") {
				t.Errorf("finding names %q, want the fasttrack rule", f.Rule)
			}
		}
	}
	if byPort[25] != "internet via ether2" || byPort[27015] != "internet via ether2" || byPort[8443] != "" || len(byPort) != 2 {
		t.Fatalf("fasttrack findings by forward port: %v; want 25 and 27015 on ether2 only", byPort)
	}
	// The mail forward is probed once per WAN: through the cable it works,
	// through the fibre it does not.
	var works []bool
	for _, e := range exp {
		if p.Forwards[e.Forward].DstPort == 25 && e.Path == "internet" {
			works = append(works, e.Works)
		}
	}
	if len(works) != 2 || works[0] == works[1] {
		t.Errorf("the TCP forward from the internet, per WAN, works: %v; want one true (cable) and one false (fibre)", works)
	}
	all := strings.Join(p.Propose(found).Lines, "\n")
	if !strings.Contains(all, "/ip firewall filter set [ find where action=fasttrack-connection ] connection-mark=no-mark") {
		t.Errorf("fix:\n%s", all)
	}
}

// PCC of the LAN's own connections with the default fasttrack rule: a
// note names the fasttrack rule, the mark-routing lines and the fix; with
// connection-mark=no-mark on the fasttrack rule there is none.
func TestFasttrackOutNote(t *testing.T) {
	data, err := os.ReadFile("testdata/pcc-fasttrack.rsc")
	if err != nil {
		t.Fatal(err)
	}
	note := func(text string) string { return noteContaining(t, text, "fasttracks marked connections") }
	n := note(string(data))
	for _, want := range []string{"line 21 fasttracks", "lines 26 and 27", "connection-mark=no-mark"} {
		if !strings.Contains(n, want) {
			t.Errorf("note lacks %q: %q", want, n)
		}
	}
	fixed := strings.Replace(string(data), "action=fasttrack-connection chain=forward", "action=fasttrack-connection chain=forward connection-mark=no-mark", 1)
	if n := note(fixed); n != "" {
		t.Errorf("note with connection-mark=no-mark on the fasttrack rule: %q", n)
	}
}

// One LAN host sent into a WireGuard VPN by a routing mark, with the
// defconf fasttrack rule: a note names the fasttrack rule, the
// mark-routing line, the table and its tunnel, and the fix; so with the
// table's route through the peer's tunnel address. None with
// connection-mark=no-mark on the fasttrack rule, nor when the table's
// route leaves by the WAN's gateway (not a tunnel). forum49 D3: the check
// said nothing, while rosemu's lab broke the host's connections.
func TestFasttrackTunnelNote(t *testing.T) {
	data, err := os.ReadFile("testdata/vpn-fasttrack.rsc")
	if err != nil {
		t.Fatal(err)
	}
	note := func(text string) string { return noteContaining(t, text, "into the tunnel") }
	n := note(string(data))
	for _, want := range []string{"line 45 fasttracks", "routing marks of line 50", "table vpn (through wg-vpn)", "action=mark-connection", "connection-mark=no-mark"} {
		if !strings.Contains(n, want) {
			t.Errorf("note lacks %q: %q", want, n)
		}
	}
	edit := func(old, new string) string {
		s := strings.Replace(string(data), old, new, 1)
		if s == string(data) {
			t.Fatalf("the test export lacks %q", old)
		}
		return s
	}
	if n := note(edit("gateway=wg-vpn routing-table=vpn", "gateway=10.66.0.3 routing-table=vpn")); !strings.Contains(n, "(through wg-vpn)") {
		t.Errorf("route through the peer's tunnel address: note %q", n)
	}
	if n := note(edit("action=fasttrack-connection chain=forward", "action=fasttrack-connection chain=forward connection-mark=no-mark")); n != "" {
		t.Errorf("note with connection-mark=no-mark on the fasttrack rule: %q", n)
	}
	if n := note(edit("gateway=wg-vpn routing-table=vpn", "gateway=ether1 routing-table=vpn")); n != "" {
		t.Errorf("note for a table routed out the WAN: %q", n)
	}
}

// noteContaining is the first note of the export text that holds sub, or "".
func noteContaining(t *testing.T, text, sub string) string {
	for _, n := range importText(t, text).Notes {
		if strings.Contains(n, sub) {
			return n
		}
	}
	return ""
}
