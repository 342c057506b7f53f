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

// itemsHost answers find and print as-value from a fixed list of items,
// testing each with the command's where clause.
type itemsHost struct{ items []map[string]Value }

func (h *itemsHost) Call(_ context.Context, c *Call) (Value, error) {
	var out []Value
	for i, it := range h.items {
		if c.Where != nil {
			ok, err := c.Where(func(name string) (Value, bool) { v, ok := it[name]; return v, ok })
			if err != nil {
				return Value{}, err
			}
			if !ok {
				continue
			}
		}
		out = append(out, ID("*"+string(rune('1'+i))))
	}
	return ArrayOf(out...), nil
}

// In a where clause a variable used without being declared is the
// tested item's property of that name, also inside a command
// substitution there, and a substitution is one more condition joined by
// "and": a public 7.x module filters "print as-value proplist=from-pool
// where !disabled !invalid [:len $\"from-pool\"] interface~$re". rosemu
// refused it: the substitution was "expected end of command" at '[',
// and $"from-pool" a syntax error (f73 D3). Outside a where clause an
// undeclared variable is still a syntax error, and a declared one keeps
// its value in a where clause.
func TestWhereItemVariables(t *testing.T) {
	h := &itemsHost{items: []map[string]Value{
		{"comment": Str("abc"), "interface": Str("ether1"), "from-pool": Str("p1")},
		{"comment": Str(""), "interface": Str("ether2"), "from-pool": Str("")},
		{"comment": Str("x"), "interface": Str("wg0"), "from-pool": Str("p2")},
	}}
	got, err := runStrict(`:local re "^eth"
:put [:len [/ip address find where [:len $"from-pool"] interface~$re]]
:put [:len [/ip address find where ([:len $comment] > 0)]]
:put [:len [/ip address find where "$comment"="x"]]
{ :local comment "abc"; :put [:len [/ip address find where comment=$comment]] }`, nil, h, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got != "1\n2\n1\n1\n" {
		t.Errorf("got %q", got)
	}
	for src, want := range map[string]string{
		":put [:len $comment]":                               "syntax error (line 1 column 13)",
		"/ip address add comment=$comment":                   "syntax error (line 1 column 26)",
		":put [:len [/ip address find where $c=1]]\n:put $c": "syntax error (line 2 column 7)",
	} {
		if _, err := runStrict(src, nil, h, nil); err == nil || err.Error() != want {
			t.Errorf("%q: %v, want %s", src, err, want)
		}
	}
}

// A string that reads as a number adds to nothing as that number, as a
// number does: a public startup-delay script computes
// ([:pick $timeNow 0 2] + $deltaH) in a function called without deltaH=
// and was refused "cannot apply + to str and nothing" (f73 D4). A string
// that is no number still fails.
func TestNumericStringPlusNothing(t *testing.T) {
	got, err := runStrict(`:local Delay do={
  :local timeNow "09:41:07"
  :local timeH ([:pick $timeNow 0 2] + $deltaH)
  :local timeM ([:pick $timeNow 3 5] + $a)
  :return ($timeH . ":" . $timeM . " " . [:typeof $timeH])
}
:put [$Delay a=10]
:global n
:put ($n - "5")`, nil, &recorder{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got != "9:51 num\n-5\n" {
		t.Errorf("got %q", got)
	}
	if _, err := runStrict(":global n\n:put (\"ab\" + $n)", nil, &recorder{}, nil); err == nil || !strings.Contains(err.Error(), "cannot apply + to str and nothing") {
		t.Errorf("a string that is no number: %v", err)
	}
}
