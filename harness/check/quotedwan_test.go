package check

import (
	"strings"
	"testing"
)

// TestLanOutFixQuotesWANName: a WAN port named with blanks ("ether1 -
// WAN"): the masquerade the fix adds for a LAN segment without one names
// it quoted. Unquoted, the lab router refused the fix's line ("expected
// end of command") and the run failed.
func TestLanOutFixQuotesWANName(t *testing.T) {
	p := importNamed(t, "blank-wan.rsc", []byte(`/interface ethernet set [ find default-name=ether1 ] name="ether1 - WAN"
/interface list add name=WAN
/interface list add name=LAN
/interface list member add interface="ether1 - WAN" list=WAN
/interface list member add interface=ether2 list=LAN
/interface list member add interface=ether3 list=LAN
/ip address add address=192.168.71.1/24 interface=ether2 network=192.168.71.0
/ip address add address=10.0.72.1/24 interface=ether3 network=10.0.72.0
/ip dhcp-client add interface="ether1 - WAN"
/ip firewall nat add action=masquerade chain=srcnat out-interface="ether1 - WAN" src-address=192.168.71.0/24
`))
	found, _ := p.Diagnose()
	fx := p.Propose(found)
	all := strings.Join(fx.Lines, "\n")
	if !strings.Contains(all, `src-address=10.0.72.0/24 out-interface="ether1 - WAN"`) {
		t.Errorf("fix lines:\n%s", all)
	}
}
