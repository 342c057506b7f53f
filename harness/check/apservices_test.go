package check

import (
	"strings"
	"testing"
)

// TestAccessPointServicesNotProbedFromInternet: a device that is no
// gateway to the internet (no source NAT, no forward, and its LAN routed
// by its neighbours: a static route to a private network by a next hop on
// its uplink's own link) has its services on that uplink not probed from
// the lab's internet, where they read "open to the internet" while
// offline, by the same rule, said nothing; the note says whom the uplink
// faces. A LAN segment that leaves untranslated with no such neighbour is
// a finding the lab proves with its ISP dropping the private sources: the
// uplink is the internet there, its services are probed, and no note says
// it faces a LAN (realcheck18 D4 had both in one output). Control: with a
// masquerade the router is a gateway, and they are probed.
func TestAccessPointServicesNotProbedFromInternet(t *testing.T) {
	ap := "# by RouterOS 7.18.2\n/interface bridge\nadd name=bridge\n/interface bridge port\nadd bridge=bridge interface=ether2\n/ip address\nadd address=192.168.70.1/24 interface=bridge\n/ip dhcp-client\nadd interface=ether1\n"
	routed := ap + "/ip address\nadd address=10.1.1.2/30 interface=ether1\n/ip route\nadd dst-address=192.168.100.0/24 gateway=10.1.1.1\n"
	yaml := func(text string) (string, []string, []Finding) {
		t.Helper()
		p := importText(t, text)
		found, _ := p.Diagnose()
		c, err := p.Case(Fix{})
		if err != nil {
			t.Fatal(err)
		}
		return c.YAML, p.Notes, found
	}
	y, notes, found := yaml(routed)
	if strings.Contains(y, "router.wan:8291") || strings.Contains(y, "router.wan:22") {
		t.Errorf("a routed network's services are probed from the internet:\n%s", y)
	}
	if !hasNote(notes, "translates nothing", "faces the routed network's neighbours") || len(withCause(found, NoMasquerade)) != 0 {
		t.Errorf("routed: notes %q, findings %+v", notes, found)
	}
	y, notes, found = yaml(ap)
	if len(withCause(found, NoMasquerade)) != 1 || !strings.Contains(y, "router.wan:8291") || hasNote(notes, "translates nothing", "faces") {
		t.Errorf("no NAT, no neighbour: findings %+v, notes %q\n%s", found, notes, y)
	}
	y, _, _ = yaml(ap + "/ip firewall nat\nadd action=masquerade chain=srcnat out-interface=ether1\n")
	if !strings.Contains(y, "router.wan:8291") {
		t.Errorf("control: a gateway's WinBox is not probed from the internet:\n%s", y)
	}
}
