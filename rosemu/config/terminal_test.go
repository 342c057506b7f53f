package config

import (
	"context"
	"strings"
	"testing"
)

// TestTerminalInkey: a script that asks the console for a key (eworm's
// check-routeros-update: "press y to install", "[ /terminal/inkey
// timeout=60 ] % 32 = 25") compiles and runs; no key is pressed in a lab,
// so inkey gives 65535, the script takes its no-key branch and goes on at
// once. The cursor commands run and draw nothing. A bad timeout or count
// is refused, as is a /terminal style the forum's list does not have.
func TestTerminalInkey(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, `/system script add name=ask source={
  :put "Press y to install"
  /terminal cuu count=1
  /terminal el
  :local key [ /terminal/inkey timeout=60 ]
  :if (($key % 32) = 25) do={ :log info "ask: install" } else={ :log info ("ask: not installing, key " . $key) }
}
/system script run ask`)
	if !logHas(r, "ask: not installing, key 65535") || logHas(r, "ask: install") {
		t.Errorf("log %v; want the no-key branch with 65535", r.Log())
	}
	for cmd, want := range map[string]string{
		"/terminal inkey timeout=soon": "invalid value for argument timeout",
		"/terminal cuu count=up":       "invalid value for argument count",
		"/terminal style escape":       "invalid value for argument style",
	} {
		if _, err := r.Run(context.Background(), cmd); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v; want %q", cmd, err, want)
		}
	}
	// A script's print helper that colours its output: the style changes
	// nothing of what :put prints.
	out, err := r.Run(context.Background(), `:global putOK do={ [/terminal style varname-local]; :put $1; /terminal style style=none }
$putOK "done"`)
	if err != nil || strings.TrimSpace(out) != "done" {
		t.Errorf("print helper with /terminal style: %q, %v; want done", out, err)
	}
}
