package check

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestSrcAddressOfServer: a dst-nat written with src-address=<the server>
// (read as "the device the port is for") never matches: the sender is the
// client. Before, the internet's path was blamed on in-interface-list=WAN,
// though ether1 is in that list. The controls: a forward admitted only
// from an office (src-address outside the LAN) keeps its "admits only"
// note and gets no such finding; a rule whose list does not hold the
// interface still is bound to it.
func TestSrcAddressOfServer(t *testing.T) {
	const export = `# 2026-12-01 21:17:44 by RouterOS 7.16.2
` + etherLists + `/ip address
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat comment=nas dst-port=12566 in-interface-list=%s protocol=tcp src-address=%s to-addresses=192.168.88.10
/ip route
add gateway=203.0.113.1
`
	for _, tt := range []struct {
		name, list, src string
		want            bool
	}{
		{"src-address of the server", "WAN", "192.168.88.10", true},
		{"office only", "WAN", "198.18.7.7", false},
	} {
		p := importNamed(t, "src.rsc", []byte(fmt.Sprintf(export, tt.list, tt.src)))
		found, _ := p.Diagnose()
		var internet []Finding
		for _, f := range found {
			if f.Path == "internet" {
				internet = append(internet, f)
			}
		}
		got := withCause(internet, SrcAddressLAN)
		if tt.want != (len(got) == 1) {
			t.Errorf("%s: internet findings %+v", tt.name, internet)
		}
		if tt.want {
			if len(withCause(internet, BoundToWAN)) != 0 {
				t.Errorf("%s: the internet's path is blamed on in-interface-list=WAN, which holds ether1: %+v", tt.name, internet)
			}
			if fx := p.Propose(found); !slices.Contains(fx.Lines, `/ip firewall nat set [ find where comment=nas ] !src-address`) {
				t.Errorf("%s: fix %q", tt.name, fx.Lines)
			}
		} else if !slices.ContainsFunc(p.Notes, func(n string) bool { return strings.Contains(n, "admits only src-address=198.18.7.7") }) {
			t.Errorf("%s: notes %q", tt.name, p.Notes)
		}
	}
}
