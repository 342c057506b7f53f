package check

import (
	"strings"
	"testing"
)

// TestSetNamesALaterItem (f71 C1): a hand-written configuration adds a
// PPP secret, then the profile, then sets the secret's profile. RouterOS
// applies the set at its line, when the profile exists. check applied it
// to the secret's add line, which stayed before the profile's, so the lab
// router refused the secret ("input does not match any value of
// profile") and the lab had no secret at all. The edited item now moves
// to the set's place when its menu's order means nothing; in a menu
// whose order is its meaning (a firewall table) the set is left for the
// lab router to run at its line. Controls: a set naming an item added
// before the edited one is applied in place, as before.
func TestSetNamesALaterItem(t *testing.T) {
	const head = "# by RouterOS 7.16.2\n" + homeWANMasq + `/ip route
add gateway=203.0.113.1
`
	for _, tt := range []struct {
		name, text string
		before     []string // in the lab's configuration, each before the next
		notLab     string
	}{
		{"a secret's profile added after it", `/ppp secret
add name=a password=x service=l2tp
/ppp profile
add local-address=10.10.10.1 name=p remote-address=10.10.10.2
/ppp secret
set a profile=p
`, []string{"name=p", "/ppp secret", "profile=p"}, "set a profile=p"},
		{"a rule's interface added after it", `/ip firewall filter
add action=drop chain=forward comment=guests
add action=accept chain=forward comment=last
/interface vlan
add interface=ether2 name=vlan9 vlan-id=9
/ip firewall filter
set [ find comment=guests ] in-interface=vlan9
`, []string{"comment=guests", "comment=last", "name=vlan9", "set [ find comment=guests ] in-interface=vlan9"}, ""},
		{"a profile added before (control)", `/ppp profile
add local-address=10.10.10.1 name=p remote-address=10.10.10.2
/ppp secret
add name=a password=x service=l2tp
set a profile=p
`, []string{"name=p", "/ppp secret", "profile=p"}, "set a profile=p"},
	} {
		p := importText(t, head+tt.text)
		for _, a := range p.Aside {
			t.Errorf("%s: set aside: %+v", tt.name, a)
		}
		at := 0
		for _, s := range tt.before {
			i := strings.Index(p.RSC[at:], s)
			if i < 0 {
				t.Errorf("%s: %q not found after byte %d of the lab's configuration:\n%s", tt.name, s, at, p.RSC)
				break
			}
			at += i + len(s)
		}
		if tt.notLab != "" && strings.Contains(p.RSC, tt.notLab) {
			t.Errorf("%s: the lab's configuration keeps %q:\n%s", tt.name, tt.notLab, p.RSC)
		}
	}
}
