package check

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
)

// The "Building Advanced Firewall" page's raw bogon rules on a defconf
// export with a DHCP WAN drop dst-address-list=bad_ipv4, whose entries
// hold 203.0.113.0/24, where the lab leased the WAN: the forward read as
// "a raw drop rule takes the forward's packets" on line 60, and the fix
// added raw accepts above the user's bogon drops. On the user's real
// address the rule does not match: the lab leases the WAN away from every
// list its drop rules name, says so in a note, and finds nothing. The
// controls are exports whose forward the list really drops: the user's
// own list holds their static WAN's subnet, or the whole internet.
func TestLabAwayFromBogonLists(t *testing.T) {
	text := readTestdata(t, "testdata/advanced-firewall-bogons.rsc")
	const dhcp = "/ip dhcp-client\nadd comment=defconf interface=ether1\n"
	const lists = "/ip firewall address-list\n"
	static := "/ip address\nadd address=85.10.20.66/29 interface=ether1 network=85.10.20.64\n/ip route\nadd gateway=85.10.20.65\n"
	for _, tt := range []struct {
		name       string
		edit       func(string) string
		wantFound  bool
		wantNote   bool
		wantLabWAN string // the prefix the lab's WAN address must be in
	}{
		{"bogons", func(s string) string { return s }, false, true, "11.22.55.0/24"},
		{"own WAN subnet in the list", func(s string) string {
			s = strings.Replace(s, dhcp, static, 1)
			return strings.Replace(s, lists, lists+"add address=85.10.20.64/29 list=bad_ipv4\n", 1)
		}, true, false, "85.10.20.64/29"},
		{"the whole internet in the list", func(s string) string {
			return strings.Replace(s, lists, lists+"add address=0.0.0.0/1 list=bad_ipv4\nadd address=128.0.0.0/1 list=bad_ipv4\n", 1)
		}, true, false, ""},
	} {
		p := importText(t, tt.edit(text))
		found, _ := p.Diagnose()
		var raw []Finding
		for _, f := range found {
			if f.Cause == RawDrops {
				raw = append(raw, f)
			}
		}
		if got := slices.ContainsFunc(raw, func(f Finding) bool { return f.Path == "internet" }); got != tt.wantFound {
			t.Errorf("%s: raw drop from the internet found %v, want %v: %+v", tt.name, got, tt.wantFound, raw)
		}
		fix := strings.Join(p.Propose(found).Lines, "\n")
		if !tt.wantFound && (len(raw) > 0 || strings.Contains(fix, "/ip firewall raw add")) {
			t.Errorf("%s: raw findings %+v, fix:\n%s", tt.name, raw, fix)
		}
		if got := slices.ContainsFunc(p.Notes, func(n string) bool { return strings.Contains(n, "address list bad_ipv4") }); got != tt.wantNote {
			t.Errorf("%s: note %v, want %v: %q", tt.name, got, tt.wantNote, p.Notes)
		}
		if tt.wantLabWAN != "" && len(p.Forwards) > 0 {
			if a := p.WANAddr(p.WANs[0], p.Forwards[0]); !netip.MustParsePrefix(tt.wantLabWAN).Contains(a) {
				t.Errorf("%s: the lab's WAN address %s, want one in %s", tt.name, a, tt.wantLabWAN)
			}
		}
		// The IPv6 bogon rules (bad_ipv6 holds 2001:db8::/32, the
		// server's prefix here) are no finding and in no fix line.
		if slices.ContainsFunc(found, func(f Finding) bool { return strings.Contains(f.Rule, "bad_ipv6") }) || strings.Contains(fix, "/ipv6 firewall raw") {
			t.Errorf("%s: an IPv6 bogon rule is a finding or in the fix: %+v\n%s", tt.name, found, fix)
		}
	}
}
