package script

import (
	"context"
	"testing"
)

// TestGlobalUnknownParams: a global command given a named parameter it
// does not have is refused when compiled, "bad parameter <name>" at the
// parameter, as menu commands refuse one (forum35 D4: each was ignored,
// and ":resolve name=nas.lan" failed at run time as a DNS failure).
func TestGlobalUnknownParams(t *testing.T) {
	tests := []struct{ src, want string }{
		{`:log info "x" bogus=1`, "expected end of command (line 1 column 15)"},
		{`:log info message="x" topics=script`, "expected end of command (line 1 column 23)"},
		{`:delay 1s x=`, "expected end of command (line 1 column 11)"},
		{`:put [:len "abc" bogus=1]`, "expected end of command (line 1 column 18)"},
		{`:put [:typeof "abc" foo=1]`, "expected end of command (line 1 column 21)"},
		{`:foreach i in={1} do={} else={}`, "expected end of command (line 1 column 25)"},
		{`:for i from=1 to=2 do={} stop=3`, "expected end of command (line 1 column 26)"},
		{`:while (false) do={} on-error={}`, "expected end of command (line 1 column 22)"},
		{`:do {} else={}`, "expected end of command (line 1 column 8)"},
		{`:put [:rndnum from=1 to=2 step=1]`, "expected end of command (line 1 column 27)"},
		{`:put [:resolve name=nas.lan]`, "expected end of command (line 1 column 16)"},
		{`:onerror e in={} do={} else={}`, "expected end of command (line 1 column 24)"},
		{`:retry command={} max=2 every=1s`, "expected end of command (line 1 column 25)"},
		{":local a 1\n:if ($a = 1) do={} else={} when=1", "expected end of command (line 2 column 28)"},
		// :put, :pick and :find (task 2 of forum35's leftovers).
		{`:put "x" bogus=1`, "expected end of command (line 1 column 10)"},
		{`:put [:pick "abc" 0 1 extra=1]`, "expected end of command (line 1 column 23)"},
		{`:put [:find "abc" "b" start=0]`, "expected end of command (line 1 column 23)"},
		{`:execute script={} bogus=1`, "expected end of command (line 1 column 20)"},
		{`:beep frequency=100 tone=1`, "expected end of command (line 1 column 21)"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.src, testTree(), nil)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%q: error = %v, want %q", tt.src, err, tt.want)
		}
	}
	// Control: each command's own parameters, named as the Scripting
	// manual names them, compile and run.
	for _, src := range []string{
		`:log info message="x"`, `:delay delay-time=1ms`, `:put [:len value="abc"]`,
		`:foreach i in={1} do={}`, `:for i from=1 to=3 step=2 do={}`, `:while (false) do={}`,
		`:do {} on-error={}`, `:local n 0; :do {:set n ($n+1)} while=($n < 2)`,
		`:put [:rndnum from=1 to=2]`, `:onerror e in={} do={}`, `:onerror error=e in={} do={}`,
		`:retry command={} delay=1ms max=2 on-error={}`, `:if (true) do={} else={}`,
		`:put [:typeof value=1]`, `:put [:tostr value=1]`, `:put [:toarray value="a,b"]`,
		`:global f do={:return 1}`, `:local g do={:return 2}`,
		`:put message="x"`, `:put [:pick "abc" 0 1]`, `:put [:find "abc" "b" 0]`,
		`:beep frequency=100 length=1ms`,
	} {
		b, err := Parse(src, testTree(), nil)
		if err != nil {
			t.Errorf("%q: %v", src, err)
			continue
		}
		if err := NewInterp(&recorder{}).Run(context.Background(), b); err != nil {
			t.Errorf("%q: run: %v", src, err)
		}
	}
}

// TestPutMessage: ":put message=..." prints the message, as public
// scripts use it (it printed an empty line).
func TestPutMessage(t *testing.T) {
	b, err := Parse(`:put message="hello"`, testTree(), nil)
	if err != nil {
		t.Fatal(err)
	}
	in := NewInterp(&recorder{})
	if err := in.Run(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	if got := in.Out.String(); got != "hello\n" {
		t.Errorf("output %q, want \"hello\\n\"", got)
	}
}
