package api

import (
	"testing"
)

// TestQueryStack evaluates "?#" operation strings on rows where ?a is true
// and ?b is false, so each case's result follows from API-DOC's rules.
func TestQueryStack(t *testing.T) {
	r := row("a=1")
	for _, tc := range []struct {
		words []string
		want  bool
	}{
		{[]string{"a", "b"}, false},        // implicit AND of what is left
		{[]string{"a", "b", "#|"}, true},   // OR
		{[]string{"a", "b", "#&"}, false},  // AND
		{[]string{"b", "#!"}, true},        // NOT
		{[]string{"a", "b", "#0"}, false},  // index at end: the stack becomes ?b
		{[]string{"a", "b", "#1"}, true},   // index at end: the stack becomes ?a
		{[]string{"b", "a", "#1!"}, false}, // "1!" pushes a copy of ?b and negates it; ?b stays
		{[]string{"a", "b", "#1.|"}, true}, // "1." pushes a copy of ?a; a|b leaves [a, true]
		{[]string{"b", "#0.!|"}, true},     // "0." pushes one copy of ?b (a second would leave a false): [b, !b] -> b|!b
		{[]string{"b", "#.|"}, false},      // '.' duplicates the top: b|b
		{[]string{"b", "#!.&"}, true},      // !b, duplicate, AND
		{[]string{"a", "#99"}, true},       // an index past the values reads the infinite true fill
		{[]string{"b", "#0", "a"}, false},  // after replace, the stack is ?b under ?a
		{[]string{}, true},
	} {
		q, err := compileQuery(tc.words)
		if err != nil {
			t.Fatalf("compile %q: %v", tc.words, err)
		}
		if got := q.match(r); got != tc.want {
			t.Errorf("query %q on a row with a and without b: %v, want %v", tc.words, got, tc.want)
		}
	}
	if _, err := compileQuery([]string{"#0x"}); err == nil {
		t.Error("compile ?#0x succeeded, want an unknown-operation error")
	}
}

func TestCompareValues(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"9", "10", -1},                   // numbers, not bytes
		{"*A", "*10", -1},                 // item ids are hex
		{"10.0.0.9", "10.0.0.10", -1},     // addresses
		{"10.0.0.0/8", "10.0.0.0/16", -1}, // prefixes: address, then length
		{"1m30s", "90s", 0},               // durations
		{"1d00:00:01", "1d", 1},           // clock form with days
		{"500ms", "1s", -1},
		{"ether10", "ether9", -1}, // names stay byte-ordered
		{"", "a", -1},
	} {
		if got := compareValues(tc.a, tc.b); got != tc.want {
			t.Errorf("compareValues(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
