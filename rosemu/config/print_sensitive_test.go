package config

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// TestPrintHidesSecretsFrom721: from RouterOS 7.21 print leaves out the
// secrets export hides (a PPP secret's password, the e-mail password)
// unless show-sensitive is given, in the console, as-value and the API;
// get still reads them. Before 7.21 (the control, 7.20 and 6.49) print
// shows them, as it did on 7.21 too before this change, and refuses
// show-sensitive, a word it did not have yet.
func TestPrintHidesSecretsFrom721(t *testing.T) {
	const setup = "/ppp secret add name=u password=pw-one\n/tool e-mail set password=pw-mail\n"
	for _, c := range []struct {
		version string
		hides   bool
	}{{"7.21", true}, {"7.22.1", true}, {"7.20.2", false}, {"6.49.10", false}} {
		r := New(Options{Ports: ports, Version: c.version})
		run(t, r, setup)
		for _, cmd := range []string{"/ppp secret print detail", "/tool e-mail print", ":put [/ppp secret print as-value]"} {
			out := run(t, r, cmd)
			if shown := strings.Contains(out, "pw-"); shown == c.hides {
				t.Errorf("%s: %s shows the password %v, want %v:\n%s", c.version, cmd, shown, !c.hides, out)
			}
			withFlag := strings.Replace(cmd, "print", "print show-sensitive", 1)
			if !c.hides {
				// 7.21 brought print's show-sensitive: an older
				// version refuses the word where it stands.
				col := strings.Index(withFlag, "show-sensitive") + 1
				want := fmt.Sprintf("expected end of command (line 1 column %d)", col)
				if _, err := r.Run(context.Background(), withFlag); err == nil || err.Error() != want {
					t.Errorf("%s: %s: %v, want %q", c.version, withFlag, err, want)
				}
				continue
			}
			if out := run(t, r, withFlag); !strings.Contains(out, "pw-") {
				t.Errorf("%s: %s show-sensitive hides the password:\n%s", c.version, cmd, out)
			}
		}
		rows, _, err := r.Command(context.Background(), "/ppp/secret/print", nil)
		if err != nil || len(rows) != 1 {
			t.Fatalf("%s: API print: %v %v", c.version, rows, err)
		}
		if _, shown := rows[0].Get("password"); shown == c.hides {
			t.Errorf("%s: API print shows the password %v, want %v", c.version, shown, !c.hides)
		}
		if got := run(t, r, ":put [/ppp secret get u password]"); got != "pw-one\n" {
			t.Errorf("%s: get password = %q", c.version, got)
		}
	}
}
