package script

import "testing"

// TestUnquote: one quoted string decoded with the console's escapes, as
// the parser reads it; a variable or embedded command is refused.
func TestUnquote(t *testing.T) {
	for q, want := range map[string]string{
		`"scan\$"`:    "scan$",
		`"a\_b"`:      "a b",
		`"q\"q"`:      `q"q`,
		`"\C3\A9"`:    "é",
		`""`:          "",
		`"x\\\?"`:     `x\?`,
		`"tab\there"`: "tab\there",
	} {
		got, err := Unquote(q)
		if err != nil || got != want {
			t.Errorf("Unquote(%s) = %q, %v; want %q", q, got, err, want)
		}
	}
	for _, q := range []string{`"a$x"`, `"$[:put 1]"`, `"open`, `"a"b`, `x`, `"\z"`} {
		if got, err := Unquote(q); err == nil {
			t.Errorf("Unquote(%s) = %q, want an error", q, got)
		}
	}
}
