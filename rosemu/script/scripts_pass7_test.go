package script

import "testing"

// Blanks may stand between ':' and the command's name, as between '/' and
// a menu: a public backup script names its file with "[: pick [/system
// clock get date] 4 6]". Was a syntax error at the blank, so the script
// did not compile. A ':' with no name after it is still refused where the
// name should be.
func TestColonBlankBeforeCommand(t *testing.T) {
	got, err := runStrict(`:local d "jun/28/2022"
:local f ("BACKUP-" . [: pick $d 4 6] . [:  pick $d 0 3] . [:	pick $d 7 11])
: put $f`, nil, &resolverHost{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got != "BACKUP-28jun2022\n" {
		t.Errorf("got %q", got)
	}
	if _, err := runStrict(":put 1\n:  \n", nil, &resolverHost{}, nil); err == nil || err.Error() != "syntax error (line 2 column 4)" {
		t.Errorf("bare colon: err = %v", err)
	}
}

// $0 is the function's name as the call wrote it, "$Fun1": the example of
// a study of RouterOS functions (habr.com/en/articles/650795) prints
// "result $Fun1 1 4 3 22", and a Telegram bot library cuts the '$' off
// with "[:pick $0 1 [:len $0]]". Was "Fun1".
func TestDollarZeroIsCalledName(t *testing.T) {
	got, err := runStrict(`:global Fun1 do={ :return "result $0 $1 $var1 $2 $var2" }
:put [$Fun1 1 var2=22 "3" var1="4"]
:global tlgrm do={ :return [:pick $0 1 [:len $0]] }
:put [$tlgrm help]`, nil, &resolverHost{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got != "result $Fun1 1 4 3 22\ntlgrm\n" {
		t.Errorf("got %q", got)
	}
}
