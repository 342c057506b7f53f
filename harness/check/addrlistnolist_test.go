package check

import (
	"context"
	"strings"
	"testing"
)

// TestAddressListEntryWithoutList (realcheck27 D9): an address-list entry
// whose list= a README's hard wrap moved onto the next line made check
// panic (namesToken searched for the empty name and ran past the value's
// end). The entry is refused at its line, in RouterOS's words, as
// validate refuses it; the rest of the export is read. Control: the same
// entry with its list is not refused.
func TestAddressListEntryWithoutList(t *testing.T) {
	const base = `/interface list add name=WAN
/interface list member add interface=ether1 list=WAN
/ip dhcp-client add interface=ether1
/ip address add address=192.168.88.1/24 interface=ether2
/ip firewall nat add action=masquerade chain=srcnat out-interface-list=WAN
`
	refused := func(entry string) string {
		p := importText(t, base+entry)
		p.Refusals(context.Background())
		var b strings.Builder
		for _, a := range p.Aside {
			b.WriteString(a.Reason + "\n")
		}
		if len(p.WANs) != 1 || p.WANs[0].Interface != "ether1" {
			t.Errorf("WANs %v, want ether1", p.WANs)
		}
		return b.String()
	}
	if got := refused("/ip firewall address-list add address=0.0.0.0/8 comment=rfc8690\n"); !strings.Contains(got, "list not specified") {
		t.Errorf("the entry without list= is not refused:\n%s", got)
	}
	if got := refused("/ip firewall address-list add address=0.0.0.0/8 comment=rfc8690 list=bogons\n"); strings.Contains(got, "list not specified") {
		t.Errorf("control: the entry with its list is refused:\n%s", got)
	}
	if namesToken("ether1", "") || !namesToken("list=LAN", "LAN") || namesToken("Bridge-LAN1", "LAN") {
		t.Error("namesToken")
	}
}
