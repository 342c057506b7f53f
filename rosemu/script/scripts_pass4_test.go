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
