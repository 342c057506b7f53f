package agentcmd

import (
	"flag"
	"slices"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/rosemu/service/pppoe"
)

// TestPPPoEAuthFlag: the lab ISP asks for PAP alone unless --pppoe-auth
// names other protocols, and refuses a list it cannot speak.
func TestPPPoEAuthFlag(t *testing.T) {
	for _, c := range []struct {
		args    []string
		want    []pppoe.Auth
		wantErr string
	}{
		{args: nil, want: []pppoe.Auth{pppoe.PAP}},
		{args: []string{"--pppoe-auth", "chap,mschap2"}, want: []pppoe.Auth{pppoe.CHAP, pppoe.MSCHAPv2}},
		{args: []string{"--pppoe-auth", "pap,eap"}, wantErr: `unknown protocol "eap"`},
		{args: []string{"--pppoe-auth", ""}, wantErr: "allows no protocol"},
	} {
		var f pppoeFlags
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		f.register(fs)
		base := []string{"--pppoe-subnet", "100.64.0.0/24", "--pppoe-offer", "100.64.0.2", "--pppoe-user", "home"}
		if err := fs.Parse(append(base, c.args...)); err != nil {
			t.Fatal(err)
		}
		o, err := f.options()
		switch {
		case c.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("%v: err = %v, want %q", c.args, err, c.wantErr)
			}
		case err != nil:
			t.Errorf("%v: %v", c.args, err)
		case !slices.Equal(o.auth, c.want):
			t.Errorf("%v: auth %v, want %v", c.args, o.auth, c.want)
		}
	}
}
