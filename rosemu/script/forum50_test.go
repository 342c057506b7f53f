package script

import "testing"

// A global command given one value more than it takes is refused at that
// value, "expected end of command", as RouterOS refuses ":log info "WAN IP
// is " $ip" (forum50 D1: the parentheses of a concatenation left out).
// rosemu logged "WAN IP is " and dropped the rest. Values inside their
// count, a concatenation in parentheses and a function's positional
// arguments still run.
func TestExtraUnnamedArgument(t *testing.T) {
	for _, tc := range []struct{ src, err string }{
		{":local ip 1.2.3.4\n:log info \"WAN IP is \" $ip", "expected end of command (line 2 column 24)"},
		{":local ip 1.2.3.4\n:log info \"WAN IP is \" . $ip", "expected end of command (line 2 column 24)"},
		{":put \"a\" \"b\"", "expected end of command (line 1 column 10)"},
		{":local a 1 2", "expected end of command (line 1 column 12)"},
		{":put [:pick \"abcdef\" 1 3 5]", "expected end of command (line 1 column 26)"},
		{":put [:typeof 1 2]", "expected end of command (line 1 column 17)"},
		{":error \"a\" \"b\"", "expected end of command (line 1 column 12)"},
	} {
		if _, err := runStrict(tc.src, nil, &resolverHost{}, nil); err == nil || err.Error() != tc.err {
			t.Errorf("%q: err = %v, want %s", tc.src, err, tc.err)
		}
	}
	got, err := runStrict(`:local ip 1.2.3.4
:log info ("WAN IP is " . $ip)
:put [:pick "abcdef" 1 3]
:put [:find "abcabc" "b" 1]
:global f do={ :return ($1 . $2 . $3) }
:put [$f a b c]
:local s "x"; :set s "y"; :put $s`, nil, &resolverHost{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got != "bc\n4\nabc\ny\n" {
		t.Errorf("got %q", got)
	}
}
