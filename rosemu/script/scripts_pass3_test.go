package script

import "testing"

// An IPv4 address shifted by a number of bits is an address (the v2.9
// manual's operators: "shifts IP address by a given amount of bits ...
// the result is an IP address"): scripts build a netmask from a prefix
// length with (255.255.255.255 << (32 - $bits)). Was "cannot apply << to
// ip and num". A shift of 32 or more leaves no bits.
func TestIPShift(t *testing.T) {
	got, err := runStrict(`:local bits 27
:local mask (255.255.255.255 << (32 - $bits))
:put $mask
:put [:typeof $mask]
:put (192.0.2.77 & $mask)
:put (192.168.88.77 >> 24)
:put (10.0.0.1 << 32)
:put (1 << 4)`, nil, &resolverHost{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got != "255.255.255.224\nip\n192.0.2.64\n0.0.0.192\n0.0.0.0\n16\n" {
		t.Errorf("got %q", got)
	}
	if _, err := runStrict(`:put (10.0.0.1 << -1)`, nil, &resolverHost{}, nil); err == nil {
		t.Errorf("a negative shift: want cannot apply")
	}
}

// A command inside ( ) is its value, as inside [ ] (the manual: "Single
// command inside (), [] or {} does not require any end of command
// character"); ":set i (:totime "15m")" was a syntax error. ( ::1 ) stays
// an address.
func TestCommandInParens(t *testing.T) {
	got, err := runStrict(`:local i (:totime "15m")
:put [:typeof $i]
:put ((:len "abcd") * 2)
:put (::1)`, nil, &resolverHost{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got != "time\n8\n::1\n" {
		t.Errorf("got %q", got)
	}
}

// A global declared without a value that was never set is "nothing", as
// public scripts test their unset settings (":global SendEMail2; :if
// ([ :typeof $SendEMail2 ] = "nothing")"); it was nil, so their defaults
// were never set. A :local without a value stays nil; a global set
// before keeps its value.
func TestGlobalDeclaredNothing(t *testing.T) {
	got, err := runStrict(`:global unsetSetting
:put [:typeof $unsetSetting]
:if ([:typeof $unsetSetting] = "nothing") do={ :set unsetSetting 5 }
:global unsetSetting
:put $unsetSetting
:local l
:put [:typeof $l]`, nil, &resolverHost{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got != "nothing\n5\nnil\n" {
		t.Errorf("got %q", got)
	}
}

// :tonum reads a hexadecimal string as a number literal is read:
// [:tonum "0xFF85"] is 65413 (was nil); what is no number stays nil.
func TestToNumHex(t *testing.T) {
	got, err := runStrict(`:put [:tonum "0xFF85"]
:put ([:tonum "0x1f"] + 1)
:put [:typeof [:tonum "0xZZ"]]`, nil, &resolverHost{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got != "65413\n32\nnil\n" {
		t.Errorf("got %q", got)
	}
}
