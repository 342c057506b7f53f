package script

import "testing"

// An IPv6 mask written as a literal that starts with a letter, and & on
// two ip6 values, as eworm's ipv6-update keeps a prefix's /64:
// "[ :toip6 ... ] & ffff:ffff:ffff:ffff::". The literal was a syntax
// error (read as the word ffff) and & of ip6 values "cannot apply".
// A word with one colon or none stays a word.
func TestIP6MaskLiteral(t *testing.T) {
	got, err := runStrict(`:local p ([:toip6 "2001:db8:1:2:a:b:c:d"] & ffff:ffff:ffff:ffff::)
:put $p
:put [:typeof $p]
:put (abcd:: | ::1)
:local add "x"
:put $add`, nil, &resolverHost{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got != "2001:db8:1:2::\nip6\nabcd::1\nx\n" {
		t.Errorf("got %q", got)
	}
}
