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

// "[[:parse $src]]" runs the parsed code and is worth what it returns,
// as function libraries use it (":set varResult [[:parse $varCommand]]",
// an LTE watchdog's "[[:parse \"/ping $val\"]]->\"status\""). Was the
// code itself, so ":put" showed "(code)" and arithmetic on it failed.
func TestParseRunInBrackets(t *testing.T) {
	got, err := runStrict(`:global g "lo"
:put [[:parse ":global g; :return ([:len \$g] = 0)"]]
:put ([[:parse ":return 3"]] + 1)
:put [:typeof [:parse ":return 3"]]
:put ([[:parse ":return {\"status\"=\"ok\"}"]]->"status")`, nil, &resolverHost{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got != "false\n4\ncode\nok\n" {
		t.Errorf("got %q", got)
	}
}

// "[[:parse $src] name=value]" calls the parsed code with arguments, as a
// stored script is called as a function ("[[:parse [/system script get
// TG source]] Text=$msg]"), the way "($f) arg" does. Was "expected end of
// command" after the "]".
func TestParsedCodeWithArguments(t *testing.T) {
	got, err := runStrict(`:local src ":return (\"<\" . \$Text . \">\")"
:put [[:parse $src] Text="hi"]
:local f [:parse ":put (\$1 + \$2)"]
[:parse ":put (\$0 . \"|\" . \$1)"] one two
:put [[:parse ":return 5"]] # a comment`, nil, &resolverHost{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got != "<hi>\none|two\n5\n" {
		t.Errorf("got %q", got)
	}
}
