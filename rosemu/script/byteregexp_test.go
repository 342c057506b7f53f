package script

import "testing"

// ~ matches bytes (forum44 D1): a pattern with bytes that are not UTF-8
// (\CF, a Windows-1251 letter) was refused as "invalid regular
// expression", and "." matched a whole UTF-8 character while :len counts
// its two bytes. Control: ASCII patterns and a UTF-8 literal still match
// as before, and a broken pattern is still refused.
func TestRegexpOverBytes(t *testing.T) {
	got, err := runStrict(`:put ("\CF\F0" ~ "^\CF")
:put ([:len "\D0\9F"] . " " . ("\D0\9F" ~ "^..\$") . " " . ("\D0\9F" ~ "^.\$"))
:put ("\D0\E0\E7\F0" ~ "^\D0[\E0-\E7]+")
:put ("abc" ~ "^a.c\$")
:put ("Проброс" ~ "роб")
:put ("Проброс" ~ "^П............\$")`, nil, &recorder{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := "true\n2 true false\ntrue\ntrue\ntrue\ntrue\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if _, err := runStrict(`:put ("a" ~ "(")`, nil, &recorder{}, nil); err == nil {
		t.Error("an unbalanced pattern is accepted")
	}
}
