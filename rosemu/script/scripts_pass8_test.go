package script

import (
	"context"
	"testing"
	"time"
)

// A global declared without a value adds as nothing: public counters
// start with ":global failCount; :set failCount ($failCount + 1)" (a
// sector-swap check) and hold 1 after the first run. Was "cannot apply +
// to nothing and num", so the counter never started. Other operators and
// other kinds still fail.
func TestNothingPlusNumber(t *testing.T) {
	got, err := runStrict(`:global failCount
:set failCount ($failCount + 1)
:put $failCount
:global n2
:put ((1 + $n2) . " " . ($n2 - 2) . " " . ($n2 + 1h))`, nil, &resolverHost{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got != "1\n1 -2 01:00:00\n" {
		t.Errorf("got %q", got)
	}
	for _, src := range []string{":global n3\n:put ($n3 * 2)", ":global n3\n:put ($n3 + \"x\")"} {
		if _, err := runStrict(src, nil, &resolverHost{}, nil); err == nil {
			t.Errorf("%q: no error", src)
		}
	}
}

// ":log warn" names the level warning as an unambiguous beginning names
// any command; public scripts write it. Was "bad command name warn". A
// word that begins no level is still refused.
func TestLogLevelPrefix(t *testing.T) {
	b, err := ParseWith(":log warn \"w\"\n:log i \"i\"\n:log err \"e\"", ParseOptions{Schema: testTree()})
	if err != nil {
		t.Fatal(err)
	}
	in := NewInterp(&recorder{})
	if err := in.Run(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	var topics []string
	for _, e := range in.Log {
		topics = append(topics, e.Topics+" "+e.Msg)
	}
	if len(topics) != 3 || topics[0] != "script,warning w" || topics[1] != "script,info i" || topics[2] != "script,error e" {
		t.Errorf("log = %q", topics)
	}
	if _, err := runStrict(`:log warnings "x"`, nil, &recorder{}, nil); err == nil || err.Error() != "bad command name warnings (line 1 column 1)" {
		t.Errorf("err = %v", err)
	}
}

// A decimal count of a unit is a time: ":delay 0.5s" in public LED, backup
// and FTP scripts. Was a string, and :delay refused it ("invalid value
// for argument delay-time"). A dot with no digits after it stays no time.
func TestDecimalTimeUnit(t *testing.T) {
	for _, c := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"0.5s", 500 * time.Millisecond, true},
		{"1.5s", 1500 * time.Millisecond, true},
		{"1.25h", 75 * time.Minute, true},
		{"1d1.5h", 25*time.Hour + 30*time.Minute, true},
		{"2.5w", 17*24*time.Hour + 12*time.Hour, true},
		{"1.s", 0, false},
		{"1.5", 0, false}, // ParseLiteral reads it as seconds, ParseTime not
		{"1.5x", 0, false},
	} {
		d, ok := ParseTime(c.in)
		if ok != c.ok || d != c.want {
			t.Errorf("ParseTime(%q) = %v, %v; want %v, %v", c.in, d, ok, c.want, c.ok)
		}
	}
	got, err := runStrict(":delay 0.01s\n:put [:typeof 0.5s]\n:put 1.5s", nil, &recorder{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got != "time\n00:00:01.500\n" {
		t.Errorf("got %q", got)
	}
}

// A variable declared without a value adds no element to an array built
// with ',': ":local ids; :set ids ($ids, $x)" holds $x alone, as a public
// DHCP-to-DNS script needs (it reads two such arrays by index from 0).
// Was a nil first element, so [:len] counted one too many and index 0 was
// nil. An empty string still is an element.
func TestCommaSkipsNothing(t *testing.T) {
	got, err := runStrict(`:local ids
:global names
:foreach x in={"a";"b"} do={ :set ids ($ids, $x); :set names ($names, ($x . "1")) }
:put ([:len $ids] . " " . ($ids->0) . " " . ($names->1) . " " . [:len $names])
:local s ""
:put [:len ($s, 1)]`, nil, &resolverHost{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got != "2 a b1 2\n2\n" {
		t.Errorf("got %q", got)
	}
}
