package check

import (
	"strings"
	"testing"
)

// TestFixEnablesNameListCopy: the fix enables a disabled LAN copy of a
// forward on an address list holding only the router's IP Cloud name; after
// the lab renumbered the DHCP WAN, the copy matches only once the list
// follows the name to the new address. The lab probed the hairpin at once
// and read it still broken with the fix (where by name, a step later, it
// worked): the fixed phase now gives it the renumbered phase's time.
func TestFixEnablesNameListCopy(t *testing.T) {
	p := importNamed(t, "fix-namelist.rsc", []byte(`/interface bridge add name=bridge
/interface bridge port add bridge=bridge interface=ether2
/interface list add name=WAN
/interface list add name=LAN
/interface list member add interface=bridge list=LAN
/interface list member add interface=ether1 list=WAN
/ip address add address=192.168.77.1/24 interface=bridge network=192.168.77.0
/ip dhcp-client add interface=ether1
/ip dns set allow-remote-requests=yes
/ip firewall address-list add address=0123456789ab.sn.mynetname.net list=PUBLIC-IP
/ip firewall nat add action=masquerade chain=srcnat out-interface-list=WAN
/ip firewall nat add action=dst-nat chain=dstnat dst-port=443 in-interface-list=WAN protocol=tcp to-addresses=192.168.77.30
/ip firewall nat add action=dst-nat chain=dstnat disabled=yes dst-address-list=PUBLIC-IP dst-port=443 in-interface-list=LAN protocol=tcp to-addresses=192.168.77.30
/ip firewall nat add action=masquerade chain=srcnat dst-address=192.168.77.30 src-address=192.168.77.0/24
/ip cloud set ddns-enabled=yes
`))
	found, _ := p.Diagnose()
	fx := p.Propose(found)
	if !strings.Contains(strings.Join(fx.Lines, "\n"), "dst-address-list=PUBLIC-IP") {
		t.Fatalf("fix %q does not enable the copy on PUBLIC-IP", fx.Lines)
	}
	c, err := p.Case(fx)
	if err != nil {
		t.Fatal(err)
	}
	_, fixed, ok := strings.Cut(c.YAML, "  - action: configure\n")
	if !ok || !strings.Contains(c.YAML, "action: renumber-wan") {
		t.Fatalf("no renumbering and fix phase in\n%s", c.YAML)
	}
	if !strings.Contains(fixed, "to: router.wan:443\n    expect: {result: ok, within: 30s}") {
		t.Errorf("the fixed phase's hairpin does not wait for the name list:\n%s", fixed)
	}
}
