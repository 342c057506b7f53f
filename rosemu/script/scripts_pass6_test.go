package script

import "testing"

// ":set $name value" assigns the declared variable as ":set name value"
// does (public DNS failover and DDNS scripts: ":set $DNSAtual [/ip dns get
// servers]", ":set $dns1 [:resolve ...]"). Was a run-time "syntax error"
// at the :set. An undeclared $name is still refused where it is written.
func TestSetDollarName(t *testing.T) {
	got, err := runStrict(`:local a 1
:global g
:set $a 5
:set $g "x"
:put $a
:put $g`, nil, &resolverHost{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got != "5\nx\n" {
		t.Errorf("got %q", got)
	}
	if _, err := runStrict(`:set $nope 1`, nil, &resolverHost{}, nil); err == nil || err.Error() != "syntax error (line 1 column 7)" {
		t.Errorf("undeclared: err = %v", err)
	}
}

// ":set name" with no value empties the variable and leaves it declared,
// so a loop that clears its state each pass runs every pass (a PPP on-up
// address-list script: ":set IPv4;" at the top of its :foreach body). Was
// "no such variable IPv4" on the second pass: the :set removed it.
func TestSetWithoutValueKeepsVariable(t *testing.T) {
	got, err := runStrict(`:local v "a"
:global g 3
:foreach r in={1;2} do={
  :set v
  :set g
  :put ([:len $v] . [:typeof $v] . [:typeof $g])
  :set v "b"
}`, nil, &resolverHost{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got != "0nothingnothing\n0nothingnothing\n" {
		t.Errorf("got %q", got)
	}
}

// A body may stand apart from its "=": ":if (...) do= {" and "} else=
// {" (a public scripting library, a DHCP-client address watcher, a USB
// power-reset one-liner). Was a syntax error: do= took an empty value and
// the { } was left over. Any other value after "name= " is not taken.
func TestBodyApartFromEquals(t *testing.T) {
	got, err := runStrict(`:local a 1
:if ($a = 1) do= { :put "one" } else= { :put "other" }
:if ($a = 2) do=  {
  :put "two"
} else=	{ :put "not two" }
:do { :error "x" } on-error= { :put "caught" }
:foreach i in={1} do= { :put $i }`, nil, &resolverHost{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got != "one\nnot two\ncaught\n1\n" {
		t.Errorf("got %q", got)
	}
}
