package config

import (
	"context"
	"strings"
	"testing"
)

// TestIPsecXAuthUsers: /ip ipsec user (the XAuth users of a road-warrior
// peer) is a list in 6 and 7; it was refused as "bad command name add",
// so a v6 IKEv1 road warrior's users were lost (forum54). The users are
// stored, exported and taken again, and a name taken twice is refused;
// 6's /ip ipsec user settings still works.
func TestIPsecXAuthUsers(t *testing.T) {
	src := `/ip ipsec user
add name=vpnuser password=pw
add address=10.10.10.50 name=boss password=pw2
`
	for _, v := range []string{"6.49.10", "7.18.2"} {
		r := runShape(t, v, []string{"ether1"}, src)
		exp := body(r.Export())
		if !strings.Contains(exp, "/ip ipsec user\nadd name=vpnuser password=pw\nadd address=10.10.10.50 name=boss password=pw2\n") {
			t.Errorf("%s export:\n%s", v, exp)
		}
		if got := body(runShape(t, v, []string{"ether1"}, exp).Export()); got != exp {
			t.Errorf("%s re-import:\n%s\nwant\n%s", v, got, exp)
		}
		c := New(Options{Ports: []string{"ether1"}, Version: v})
		if _, err := c.Run(context.Background(), src+"add name=vpnuser password=x\n"); err == nil || !strings.Contains(err.Error(), "user with such name already exists") {
			t.Errorf("%s: a second vpnuser: %v", v, err)
		}
	}
	if _, err := New(Options{Ports: []string{"ether1"}, Version: "6.49.10"}).Run(context.Background(), "/ip ipsec user settings set xauth-use-radius=no"); err != nil {
		t.Errorf("6.49.10 user settings: %v", err)
	}
}
