package check

import (
	"strings"
	"testing"
)

// TestAccessPointServicesNotProbedFromInternet: an access point (a DHCP
// client on its own bridge, no source NAT, no forward) is no gateway to
// the internet; its services on that uplink are not probed from the lab's
// internet, where they read "open to the internet" while offline, by the
// same rule, said nothing. Control: with a masquerade the router is a
// gateway, and they are probed.
func TestAccessPointServicesNotProbedFromInternet(t *testing.T) {
	ap := "# by RouterOS 7.18.2\n/interface bridge\nadd name=bridge\n/interface bridge port\nadd bridge=bridge interface=ether2\n/ip address\nadd address=192.168.70.1/24 interface=bridge\n/ip dhcp-client\nadd interface=ether1\n"
	yaml := func(text string) (string, []string) {
		t.Helper()
		p := importText(t, text)
		c, err := p.Case(Fix{})
		if err != nil {
			t.Fatal(err)
		}
		return c.YAML, p.Notes
	}
	y, notes := yaml(ap)
	if strings.Contains(y, "router.wan:8291") || strings.Contains(y, "router.wan:22") {
		t.Errorf("an access point's services are probed from the internet:\n%s", y)
	}
	if !hasNote(notes, "translates nothing", "not probed as open to the internet") {
		t.Errorf("no note: %q", notes)
	}
	y, _ = yaml(ap + "/ip firewall nat\nadd action=masquerade chain=srcnat out-interface=ether1\n")
	if !strings.Contains(y, "router.wan:8291") {
		t.Errorf("control: a gateway's WinBox is not probed from the internet:\n%s", y)
	}
}
