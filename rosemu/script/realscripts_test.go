package script

import (
	"strings"
	"testing"
)

// Shapes from public RouterOS scripts: global commands written without
// their ':' (a backup mailer's "foreach k in=$mail do={", an address-list
// script's "if (...) do={"), :jobname and :execute.
func TestRealScriptShapes(t *testing.T) {
	tests := []struct {
		name, src, want, wantErr string
	}{
		{name: "bare foreach", src: ":local l {\"a\";\"b\"}\nforeach k in=$l do={ :put $k }", want: "a\nb\n"},
		{name: "bare if, local, set, put", src: "local x 1\nset x ($x + 1)\nif ($x = 2) do={ put \"two\" } else={ put \"other\" }", want: "two\n"},
		{name: "bare global inside a block", src: "{\n  local n 0\n  while ($n < 2) do={ set n ($n + 1) }\n  put $n\n}", want: "2\n"},
		// In a menu, its own command wins: set is /ip address set there.
		{name: "menu set stays the menu's", src: "/ip address\nset 0 comment=x", want: ""},
		// A word that is neither stays an unknown command.
		{name: "unknown bare word", src: "frobnicate 1", wantErr: "bad command name frobnicate (line 1 column 1)"},
		{name: "jobname at the console", src: ":put (\"[\" . [:jobname] . \"]\")", want: "[]\n"},
		{name: "execute runs the job", src: ":global g 0\n:execute script={ :global g; :set g 5 }\n:put $g", want: "5\n"},
		{name: "execute a source string", src: ":global g 0\n:local j [:execute \":global g; :set g 7\"]\n:put ([:typeof $j] . \" \" . $g)", want: "id 7\n"},
		{name: "execute as-string", src: ":local o [:execute script=\":put hi\" as-string]\n:put (\"<\" . $o . \">\")", want: "<hi\n>\n"},
		// The job's variables are its own and its failure is not the
		// caller's.
		{name: "execute failure stays in the job", src: ":local a 1\n:execute script={ :error \"boom\" }\n:put $a", want: "1\n"},
		{name: "onerror catches", src: ":onerror e in={ :error \"failure\" } do={ :put \"Critical $e\" }", want: "Critical failure\n"},
		{name: "onerror value when fine", src: ":put [:onerror e in={ :put ok } do={ :put bad }]", want: "ok\nfalse\n"},
		{name: "onerror in an if", src: ":if ([:onerror e in={ :error x } do={}]) do={ :put handled }", want: "handled\n"},
		{name: "onerror in unnamed", src: ":onerror e { :error \"y\" } do={ :put $e }", want: "y\n"},
		{name: "bare onerror", src: "onerror err in={ :error \"z\" } do={ put (\"got \" . $err) }", want: "got z\n"},
		{name: "log message by name", src: ":log warning message=\"sent\"\n:put ok", want: "ok\n"},
		{name: "log without message", src: ":log warning", wantErr: "missing value for argument message (line 1 column 1)"},
		{name: "execute without script", src: ":execute", wantErr: "missing value for argument script (line 1 column 1)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := runStrict(tc.src, nil, &recorder{}, nil)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if out != tc.want {
				t.Errorf("out = %q, want %q", out, tc.want)
			}
		})
	}
}

// TestJobName: :jobname gives the name the host set for the run.
func TestJobName(t *testing.T) {
	b, err := ParseWith(":log info [:jobname]", ParseOptions{Schema: testTree()})
	if err != nil {
		t.Fatal(err)
	}
	in := NewInterp(&recorder{})
	in.JobName = "backup-mail"
	if err := in.Run(t.Context(), b); err != nil {
		t.Fatal(err)
	}
	if len(in.Log) != 1 || !strings.Contains(in.Log[0].Msg, "backup-mail") {
		t.Errorf("log = %+v, want the job's name", in.Log)
	}
}
