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
