package export

import (
	"strings"
	"testing"
)

// TestUnterminatedQuoteColumn (rc30 C5): a stray second quote after a
// quoted interface name, on a line that continues, was reported at the
// line's column 1, where validate says the quote's column (22:60 in
// site-b-7143). Read leniently, the unreadable line names the quote's
// column now. Control: a quote that opens on a continuation line keeps
// the command's line and column.
func TestUnterminatedQuoteColumn(t *testing.T) {
	const head, tail = "/ip address\n", "add address=10.0.1.1/24 interface=ether1\n"
	for _, tc := range []struct {
		name, text, want string
	}{
		{"stray quote", head + "add address=172.16.0.2/30 interface=\"[VLAN100] - RO-SITE-A\"\" network=\\\n    172.16.0.0\n" + tail, "x.rsc:2:60: unterminated quoted string"},
		{"quote on the continuation line (control)", head + "add address=10.0.0.1/24 interface=ether1 \\\n    comment=\"open\n" + tail, "x.rsc:2:1: unterminated quoted string"},
	} {
		f, err := ReadLenient("x.rsc", []byte(tc.text))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if len(f.Unreadable) != 1 || !strings.Contains(f.Unreadable[0].Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, f.Unreadable, tc.want)
		}
	}
}
