package check

import "testing"

// TestHashedByField (review leftover): hashed read "ECMP" in a finding's
// Detail, and RouterOS 7's tie that sends every answer out of one other
// WAN says "ECMP" too: a certain failure counted as one a hash decides.
// The finding carries Hash now. Control: the spread answers' finding
// still counts.
func TestHashedByField(t *testing.T) {
	found := []Finding{
		{Forward: 0, Path: "internet via ether2", Cause: RepliesOtherWAN, Hash: true,
			Detail: "connections come in on ether2; the main table's default routes tie (lines 5 and 6) and RouterOS 7 installs them as one ECMP route: the hash of each answer's source and destination address picks the WAN it leaves by, so some connections are answered through ether1"},
		{Forward: 1, Path: "internet via ether3", Cause: RepliesOtherWAN,
			Detail: "connections come in on ether3; the main table's default routes tie (lines 5 and 6) and RouterOS 7 installs them as one ECMP route, which sends every answer out of one of those WANs, none of them this one"},
	}
	if n := hashed(found); n != 1 {
		t.Errorf("hashed = %d, want 1 (the spread answers only)", n)
	}
	// The diagnosis sets it: RouterOS 7's tied default routes spread the
	// answers of both WANs' forwards (TestTiedDefaultRoutesECMPOnV7).
	p := loadText(t, tieHead("7.15.2")+"add dst-address=0.0.0.0/0 gateway=203.0.113.1\nadd dst-address=0.0.0.0/0 gateway=198.18.7.1\n")
	if got, _ := p.Diagnose(); hashed(got) != 2 {
		t.Errorf("hashed = %d of the tied routes' findings, want 2: %+v", hashed(got), got)
	}
}
