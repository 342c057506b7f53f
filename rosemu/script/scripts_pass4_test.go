package script

import "testing"

// :beep sounds the speaker a CHR does not have: it does nothing, and the
// script goes on (a melody loop, a beep before a reboot); a frequency
// that is no number is refused. Was `bad command name beep`.
func TestBeep(t *testing.T) {
	got, err := runStrict(`:for i from=2000 to=50 step=-400 do={ :beep frequency=$i length=11ms }
:beep frequency=880 length=150ms; :put "after beep"`, nil, &resolverHost{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got != "after beep\n" {
		t.Errorf("got %q", got)
	}
	if _, err := runStrict(`:beep frequency=high length=1s`, nil, &resolverHost{}, nil); err == nil {
		t.Error("frequency=high was taken")
	}
}

// A quoted string holds the value of a command in "$[ ]" and of an
// expression in "$( )" where it stands; "\$[" stays text, and a variable
// inside is checked as anywhere else. Was a syntax error at "$[".
func TestStringEmbedsCommand(t *testing.T) {
	got, err := runStrict(`:local a {"k"="v";"n"=2}
:put "len $[:len $a], k=$($a->"k"), twice $(($a->"n") * 2), $[:pick "abcdef" 1 3]."
:put "cost: \$[x]"
:foreach i,v in={"x";"y"} do={ :put "$i=$v ($[:typeof $v])" }`, nil, &resolverHost{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got != "len 2, k=v, twice 4, bc.\ncost: $[x]\n0=x (str)\n1=y (str)\n" {
		t.Errorf("got %q", got)
	}
	if _, err := runStrict(`:put "n=$[:len $nosuch]"`, nil, &resolverHost{}, nil); err == nil {
		t.Error("an undeclared variable inside $[ ] was taken")
	}
}

// :onerror's variable given by name: ":onerror error=errorName in={...}
// do={...}" (a public script framework) catches as ":onerror errorName
// in=..." does. Was "missing value for argument error".
func TestOnErrorNamedVariable(t *testing.T) {
	got, err := runStrict(`:onerror error=errorName in={ :error "no file" } do={ :put ("caught: " . $errorName) }
:put [:onerror error=e2 in={ :put "fine" } do={ :put $e2 }]`, nil, &resolverHost{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got != "caught: no file\nfine\nfalse\n" {
		t.Errorf("got %q", got)
	}
}
