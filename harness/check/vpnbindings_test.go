package check

import "testing"

// TestVPNDNSStaticBindings (chk54): road warriors told to ask the
// router's DNS, each secret with a static binding (/interface l2tp-server
// add name=l2tp-alice user=alice) that is a member of LAN: their queries
// come in on l2tp-alice, which defconf's "drop all not coming from LAN"
// lets through. check walked a dynamic interface in no list and said the
// queries are dropped. Controls: the binding in no list, and a second
// secret without a binding, keep the finding.
func TestVPNDNSStaticBindings(t *testing.T) {
	text := fill(vpnDNSExport, "192.168.88.1", "", "yes", "") + `/ppp secret
add name=alice password=pw profile=vpn service=l2tp
%s/interface l2tp-server
add name=l2tp-alice user=alice
%s`
	const member = "/interface list member\nadd interface=l2tp-alice list=LAN\n"
	for _, tt := range []struct {
		name, secret, member string
		want                 bool
	}{
		{"binding in LAN", "", member, false},
		{"binding in no list (control)", "", "", true},
		{"a secret without binding (control)", "add name=bob password=pw profile=vpn service=l2tp\n", member, true},
	} {
		p := importText(t, fill(text, tt.secret, tt.member))
		found, _ := p.Diagnose()
		if got := withCause(found, VPNDNSDropped); (len(got) > 0) != tt.want {
			t.Errorf("%s: findings %+v", tt.name, found)
		}
	}
}
