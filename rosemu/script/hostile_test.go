package script

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestBareGlobalCommands: each global command without the arguments it
// needs is refused when compiled, in the console's words at the command,
// and never panics (issue 13: a bare ":for" killed the router).
func TestBareGlobalCommands(t *testing.T) {
	tests := []struct{ src, want string }{
		{":for", "missing value for argument counter (line 1 column 1)"},
		{":for i", "missing value for argument from (line 1 column 1)"},
		{":for i from=1 to=2", "missing value for argument do (line 1 column 1)"},
		{":foreach", "missing value for argument counter (line 1 column 1)"},
		{":foreach in={1} do={}", "missing value for argument counter (line 1 column 1)"},
		{":foreach x do={}", "missing value for argument in (line 1 column 1)"},
		{":log", "missing value for argument topic (line 1 column 1)"},
		{":log info", "missing value for argument message (line 1 column 1)"},
		{":if", "missing value for argument condition (line 1 column 1)"},
		{":while", "missing value for argument condition (line 1 column 1)"},
		{":do", "missing value for argument command (line 1 column 1)"},
		{":set", "missing value for argument name (line 1 column 1)"},
		{":local", "missing value for argument name (line 1 column 1)"},
		{":global", "missing value for argument name (line 1 column 1)"},
		{":pick", "missing value for argument var (line 1 column 1)"},
		{":find \"abc\"", "missing value for argument arg (line 1 column 1)"},
		{":delay", "missing value for argument delay-time (line 1 column 1)"},
		{":rndnum from=1", "missing value for argument to (line 1 column 1)"},
		{"/ip address add\n  :foreach", "missing value for argument counter (line 2 column 3)"},
		{":put [:log]", "missing value for argument topic (line 1 column 7)"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.src, testTree(), nil)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%q: error = %v, want %q", tt.src, err, tt.want)
		}
	}
	// Negative control: with their arguments, each runs.
	for _, src := range []string{
		":for i from=1 to=2 do={}", ":foreach x in={1} do={}", ":log info \"x\"", ":if (true)",
		":while (false)", ":do {}", ":local a; :set a 1", ":put [:pick \"abc\" 1]", ":put [:find \"abc\" \"b\"]",
		":delay 1ms", ":put [:rndnum from=1 to=2]",
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

// TestStepBound: a source that never ends fails with an error naming the
// bound instead of hanging (issue 13), also with an empty body and with no
// body at all; a long finite loop under the bound runs.
func TestStepBound(t *testing.T) {
	for _, src := range []string{
		":while (true) do={}",
		":while (true)",
		":do {} while=(true)",
		":local f do={ :while (true) do={ :put x } }; $f",
	} {
		b, err := Parse(src, testTree(), nil)
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		in := NewInterp(&recorder{})
		in.MaxSteps = 100_000
		start := time.Now()
		err = in.Run(context.Background(), b)
		if err == nil || !strings.Contains(err.Error(), "more than 100000 steps") {
			t.Errorf("%q: error = %v, want the step bound", src, err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%q: took %v", src, d)
		}
	}
	b, _ := Parse(":local n 0; :for i from=1 to=20000 do={ :set n ($n + 1) }; :put $n", testTree(), nil)
	in := NewInterp(&recorder{})
	in.MaxSteps = 100_000
	if err := in.Run(context.Background(), b); err != nil || in.Out.String() != "20000\n" {
		t.Errorf("finite loop: %q, %v", in.Out.String(), err)
	}
	// The context bounds a run too.
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	b, _ = Parse(":while (true) do={}", testTree(), nil)
	in = NewInterp(&recorder{})
	in.MaxSteps = -1
	if err := in.Run(ctx, b); err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Errorf("deadline: %v", err)
	}
}

// TestMemoryBound: a loop that doubles a string or an array stops with an
// error at the doubling's position once the value passes rosemu's bound,
// long before the step bound (chrlab validate ran out of memory on
// ":for i from=1 to=40 do={ :set s ($s . $s) }"); so does a loop that
// prints a large value, and :log keeps the newest entries only.
func TestMemoryBound(t *testing.T) {
	for _, src := range []string{
		":local s \"x\"\n:for i from=1 to=40 do={ :set s ($s . $s) }",
		":local s \"x\"\n:for i from=1 to=40 do={ :set s \"$s$s\" }",
		":local a {1}\n:for i from=1 to=40 do={ :set a ($a, $a) }",
		// An array of one large string many times, made a string.
		":local s \"x\"\n:for i from=1 to=19 do={ :set s ($s . $s) }; :local a {$s}; :for i from=1 to=12 do={ :set a ($a, $a) }; :local t (\"\" . $a)",
	} {
		b, err := Parse(src, testTree(), nil)
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		in := NewInterp(&recorder{})
		err = in.Run(context.Background(), b)
		// The size bound's error (not the step bound's) says the run
		// stopped at the doubling, long before its steps ran out; no
		// wall-clock limit, which a loaded machine broke.
		var se *Error
		if err == nil || !strings.Contains(err.Error(), "larger than rosemu's bound") || !errors.As(err, &se) || se.Pos.Line != 2 {
			t.Errorf("%q: error = %v, want the size bound on line 2", src, err)
		}
	}
	b, _ := Parse(":local s \"x\"\n:for i from=1 to=20 do={ :set s ($s . $s) }\n:while (true) do={ :put $s }", testTree(), nil)
	in := NewInterp(&recorder{})
	if err := in.Run(context.Background(), b); err == nil || !strings.Contains(err.Error(), "console output") {
		t.Errorf("output loop: %v", err)
	}
	b, _ = Parse(":for i from=1 to=200000 do={ :log info \"x$i\" }", testTree(), nil)
	in = NewInterp(&recorder{})
	if err := in.Run(context.Background(), b); err != nil || len(in.Log) > 2*MaxLog || in.Log[len(in.Log)-1].Msg != "x200000" {
		t.Errorf("log loop: %v, %d entries", err, len(in.Log))
	}
}
