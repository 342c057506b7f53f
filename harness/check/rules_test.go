package check

import (
	"net/netip"
	"testing"
)

// TestFixedAddressList: an address outside a list whose entries the export
// states whole is not in it (a forward filter accept for src-address-list=
// office does not take the LAN's hairpin, so the drop below it does); a
// list that a rule, a script or a DNS name can fill stays unknown.
func TestFixedAddressList(t *testing.T) {
	p := importNamed(t, "x.rsc", []byte(`/ip address
add address=192.168.88.1/24 interface=ether2
add address=203.0.113.2/24 interface=ether1
/ip route
add gateway=203.0.113.1
/ip firewall address-list
add address=198.51.100.50 list=office
add address=198.51.100.0/24 list=knocked
add address=example.net list=byname
/ip firewall filter
add action=add-src-to-address-list address-list=knocked chain=input dst-port=7000 protocol=tcp
`))
	m := newMatcher(p.export, p.keeper(p.export))
	lan := netip.MustParseAddr("192.168.88.20")
	for list, want := range map[string]tri{"office": no, "knocked": unknown, "byname": unknown} {
		if got := m.list(list, lan); got != want {
			t.Errorf("list %s: %v, want %v", list, got, want)
		}
	}
	if got := m.list("office", netip.MustParseAddr("198.51.100.50")); got != yes {
		t.Errorf("office holds its entry: %v", got)
	}
}
