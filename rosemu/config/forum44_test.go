package config

import "testing"

// forum44 triage: RouterOS syntax as users paste it.

// [find comment~...] matches bytes (D1): a 6.x export's Windows-1251
// comment, written with \XX escapes, is found by a pattern of the same
// escapes (was refused: "invalid regular expression"). Control: an ASCII
// pattern still finds its rule, and one that matches nothing finds none.
func TestForum44FindRegexpBytes(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, `/ip firewall filter
add action=accept chain=forward comment="\D0\E0\E7\F0\E5\F8\E0\E5\EC \EF\F0\EE\E1\F0\EE\F1"
add action=drop chain=forward comment="drop rest"`)
	got := putLines(t, r, `/ip firewall filter
:put ([:len [find comment~"^\D0\E0\E7"]] . " " . [:len [find comment~"\EF\F0\EE"]] . " " . [:len [find comment~"^drop"]] . " " . [:len [find comment~"^\EF"]])`)
	if got != "1 1 1 0" {
		t.Errorf("got %q, want 1 1 1 0", got)
	}
}
