package check

import (
	"strings"
	"testing"
)

// TestLongRuleQuoted (chk61 C5): a verbose export's rule of 700
// characters (a paragraph of comment, a log prefix, a long list of
// ports) was quoted whole in every finding that named it, on
// the terminal and in check.json. It is quoted by its line and its
// essential arguments now (chain, action, matchers, translation), the long value cut
// short, and says it is abridged. Control: a rule of ordinary length is
// quoted as written.
func TestLongRuleQuoted(t *testing.T) {
	long := `add action=dst-nat chain=dstnat comment="` + strings.Repeat("port forward for the camera system of the warehouse, ask Bob before changing; ", 7) + `" dst-address=192.168.88.104 dst-port=8000,` + strings.Repeat("9000,", 20) + `9001 log=yes log-prefix="cam-fwd" protocol=tcp to-addresses=192.168.88.20 to-ports=80`
	for _, tt := range []struct {
		name, rule string
		abridged   bool
	}{
		{"long", long, true},
		{"short (control)", "add action=dst-nat chain=dstnat dst-address=192.168.88.104 dst-port=8000 protocol=tcp to-addresses=192.168.88.20 to-ports=80", false},
	} {
		text := wan6 + "add action=masquerade chain=srcnat out-interface=ether1\n" + tt.rule + "\n"
		p := importText(t, text)
		found, _ := p.Diagnose()
		lan := withCause(found, LANDstAddress)
		if len(lan) == 0 {
			t.Fatalf("%s: no finding: %v", tt.name, found)
		}
		doc := importText(t, text).OfflineDocument()
		var quoted []string
		for _, fw := range doc.Forwards {
			for _, f := range fw.Findings {
				quoted = append(quoted, f.Rule)
			}
		}
		quoted = append(quoted, lan[0].String())
		for _, q := range quoted {
			if !tt.abridged && !strings.Contains(q, tt.rule) {
				t.Errorf("%s: not quoted whole: %s", tt.name, q)
			}
			if tt.abridged && (len(q) > 600 || strings.Contains(q, "ask Bob") || strings.Contains(q, "cam-fwd") ||
				!strings.Contains(q, "add action=dst-nat chain=dstnat dst-address=192.168.88.104 dst-port=8000,9000,9000,9000,9000,9000,9000,9000… protocol=tcp to-addresses=192.168.88.20 to-ports=80 (abridged: ")) {
				t.Errorf("%s: %d characters: %s", tt.name, len(q), q)
			}
		}
	}
	// Over the length but with nothing to leave out (pcc-forwards-own's
	// PCC rule, 204 characters of matchers): quoted whole, unmarked.
	pcc := "add action=mark-connection chain=prerouting connection-mark=no-mark dst-address-type=!local in-interface-list=LAN new-connection-mark=ISP1_conn passthrough=yes per-connection-classifier=both-addresses:2/0"
	if q := ruleQuote(pcc); q != pcc {
		t.Errorf("all matchers: %s", q)
	}
}

// TestEditNoteAbridged (chk62 C): a note that quotes an edit line by its
// text (a set by a number beyond the menu's items, which check does not
// follow) quoted it whole, a paragraph of comment and all, after chk61
// abridged the findings' rules. It is abridged the same way now, its menu
// path, verb and target kept as written. Control: a short edit line is
// quoted whole.
func TestEditNoteAbridged(t *testing.T) {
	para := strings.Repeat("blocks the scanner that hit the camera last spring, ask Bob before changing; ", 5)
	for _, tt := range []struct {
		name, edit, want string
		abridged         bool
	}{
		{"long", `set 7 action=drop comment="` + para + `" log=yes log-prefix=scan src-address-list=scanners`,
			"line 21 (/ip firewall filter set 7 action=drop src-address-list=scanners (abridged: ", true},
		{"short (control)", "set 7 action=drop src-address-list=scanners", "line 21 (/ip firewall filter set 7 action=drop src-address-list=scanners)", false},
	} {
		p := importText(t, wan6+"add action=masquerade chain=srcnat out-interface=ether1\n/ip firewall filter\nadd action=accept chain=input connection-state=established,related\n"+tt.edit+"\n")
		notes := strings.Join(p.Notes, "\n")
		if !strings.Contains(notes, tt.want) || tt.abridged && strings.Contains(notes, "ask Bob") {
			t.Errorf("%s: %s", tt.name, notes)
		}
	}
	// A set's target is kept whole, "where" clause and all.
	long := `/ip firewall filter set [ find where comment="wan in" ] comment="` + para + `" action=drop`
	if q := ruleQuote(long); !strings.HasPrefix(q, `/ip firewall filter set [ find where comment="wan in" ] action=drop (abridged: `) {
		t.Errorf("a set with a find: %s", q)
	}
}
