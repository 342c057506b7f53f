package script

import "testing"

// "! $x" with blanks between the negation and its operand negates it, as
// "!$x" does (a public LTE watchdog: ":if ( ! $lteStatus ) do={"). A "!"
// with nothing after it is still a syntax error. Was a syntax error after
// the "!".
func TestNotApartFromOperand(t *testing.T) {
	got, err := runStrict(`:local up false
:if ( ! $up ) do={ :put "down" }
:put (!  true)`, nil, &resolverHost{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got != "down\nfalse\n" {
		t.Errorf("got %q", got)
	}
	if _, err := runStrict(`:put ( ! )`, nil, &resolverHost{}, nil); err == nil || err.Error() != "syntax error (line 1 column 10)" {
		t.Errorf("a lone ! : err = %v", err)
	}
}
