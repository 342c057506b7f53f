package config

import (
	"context"
	"strings"
	"testing"
)

// TestSSTPPFSRequired: RouterOS 7's SSTP server and client take
// pfs=required (ECDHE only, the SSTP page of the manual) beside yes and
// no; it was refused as "invalid value for argument pfs", and a 7.x
// server written with it lost its whole line. The value is exported as
// written and taken again; RouterOS 6 and a word of neither kind stay
// refused.
func TestSSTPPFSRequired(t *testing.T) {
	src := `/interface sstp-server server
set enabled=yes pfs=required tls-version=only-1.2
/interface sstp-client
add connect-to=192.0.2.44 name=sstp-out pfs=required user=u
`
	r := runShape(t, "7.18.2", []string{"ether1"}, src)
	exp := body(r.Export())
	for _, want := range []string{"set enabled=yes pfs=required tls-version=only-1.2\n", "pfs=required"} {
		if !strings.Contains(exp, want) {
			t.Errorf("export lacks %q:\n%s", want, exp)
		}
	}
	if got := body(runShape(t, "7.18.2", []string{"ether1"}, exp).Export()); got != exp {
		t.Errorf("re-import:\n%s\nwant\n%s", got, exp)
	}
	for _, tt := range []struct{ version, line string }{
		{"6.49.10", "/interface sstp-server server set pfs=required"},
		{"7.18.2", "/interface sstp-server server set pfs=always"},
	} {
		c := New(Options{Ports: []string{"ether1"}, Version: tt.version})
		if _, err := c.Run(context.Background(), tt.line); err == nil || !strings.Contains(err.Error(), "invalid value for argument pfs") {
			t.Errorf("%s %q: err %v, want invalid value for argument pfs", tt.version, tt.line, err)
		}
	}
}
