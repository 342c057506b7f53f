package config

import (
	"strings"
	"testing"
)

// TestLogRoutedWhenLogged: a script's :log entry goes to the log actions
// by the rules in force when it was logged: "before" is kept in memory
// although the same text then drops script entries from rule 0, and
// "after" is not. The control: without the change both are kept.
func TestLogRoutedWhenLogged(t *testing.T) {
	for _, change := range []bool{true, false} {
		r := New(Options{Ports: ports})
		src := ":log info \"before-change\"\n"
		if change {
			src += "/system logging set 0 topics=info,!script\n"
		}
		src += ":log info \"after-change\"\n"
		run(t, r, src)
		out := run(t, r, "/log print")
		if !strings.Contains(out, "before-change") {
			t.Errorf("change=%v: before-change not kept:\n%s", change, out)
		}
		if strings.Contains(out, "after-change") == change {
			t.Errorf("change=%v: after-change kept=%v:\n%s", change, !change, out)
		}
	}
}
