package script

import (
	"context"
	"strings"
	"testing"
)

// A line continuation between two words, with the next line indented,
// separates them as a blank does: a public 7.x module breaks its commands
// so 119 times ("/ip/dhcp-server/network/print\" then "    as-value\"
// then "    where\" ...). rosemu glued the words and refused
// "bad command name printas-valueproplist=addresswhereaddress" (f73 D1).
// An export's breaks keep their meaning: after "name=" and inside a
// string the indentation vanishes, and a break without indentation still
// joins the two halves of a word.
func TestContinuationSeparatesWords(t *testing.T) {
	rec := &recorder{}
	got, err := runStrict(":local x\\\n    5\n:put $x\n/ip address print\\\n    count-only\\\n    where\\\n      address=1.2.3.4/24\n:put \"ab\\\n   cd\"\n:put [:len \"abc\\\n  \\_d\"]\n:local y\\\n7\n:put $y7\n/ip address add comment=\\\n    \"c1\" address=\\\n    10.0.0.1/24", nil, rec, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got != "5\nabcd\n5\n\n" {
		t.Errorf("got %q", got)
	}
	var calls []string
	for _, c := range rec.calls {
		calls = append(calls, describe(c))
	}
	if want := "/ip address print count-only|/ip address add comment=c1 address=10.0.0.1/24"; strings.Join(calls, "|") != want {
		t.Fatalf("calls %q, want %q", strings.Join(calls, "|"), want)
	}
	for addr, want := range map[string]bool{"1.2.3.4/24": true, "1.2.3.5/24": false} {
		ok, err := rec.calls[0].Where(func(name string) (Value, bool) { return Str(addr), name == "address" })
		if err != nil || ok != want {
			t.Errorf("where address=1.2.3.4/24 on %s: %v, %v", addr, ok, err)
		}
	}
}

// :toarray takes delimiter= from RouterOS 7.21 (eworm's scripts use it
// from that version on, their commit cae039ef: "The new delimiter=
// parameter for :toarray with introduced in RouterOS 7.21"). rosemu
// refused it everywhere ("expected end of command"), so eworm's
// netwatch-dns and check-health did not compile on 7.21 (f73 D2). Before
// 7.21 it stays refused at the name, as any unknown parameter.
func TestToarrayDelimiter(t *testing.T) {
	src := ":local a [:toarray delimiter=\":\" \"ISRG-Root-X1:ISRG-Root-X2\"]\n:put [:len $a]\n:put ($a->1)\n:put [:len [:toarray delimiter=\".\" value=\"7.21.3\"]]\n:put ([:toarray \"a,3\"]->0)\n:put [:typeof ([:toarray delimiter=\".\" \"7.21\"]->1)]"
	for _, v := range []string{"7.21", "7.21.3", "7.22rc1", ""} {
		b, err := ParseWith(src, ParseOptions{Schema: testTree(), Strict: true, Version: v})
		if err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		in := NewInterp(&recorder{})
		if err := in.Run(context.Background(), b); err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		if got := in.Out.String(); got != "2\nISRG-Root-X2\n3\na\nnum\n" {
			t.Errorf("%s: got %q", v, got)
		}
	}
	for _, v := range []string{"7.20.8", "6.49.18"} {
		_, err := ParseWith(src, ParseOptions{Schema: testTree(), Strict: true, Version: v})
		if err == nil || err.Error() != "expected end of command (line 1 column 20)" {
			t.Errorf("%s: %v, want expected end of command (line 1 column 20)", v, err)
		}
	}
}
