package check

import (
	"slices"
	"strings"
	"testing"
)

// TestAccessPointOneReading (realcheck22 D7): an access point reads the
// same with or without defconf's interface lists: a DHCP client on the
// bridge of the LAN list, and a WAN-listed port of the bridge that holds
// the default route's gateway, are the bridge as the WAN, as the same
// bridges without the lists are (they were refused "cannot tell which
// port is the WAN", once saying there was no DHCP client and then naming
// it). A LAN bridge whose only port is disabled says so. Controls: the
// lists' forms read like the list-less ones; a bridge with a radio port
// is still refused with the radio named; a bridge with an enabled port
// that is no lab port keeps the old words.
func TestAccessPointOneReading(t *testing.T) {
	const dhcpAP = "/interface bridge\nadd name=bridge\n/interface bridge port\nadd bridge=bridge interface=ether1\nadd bridge=bridge interface=ether2\n/ip dhcp-client\nadd interface=bridge\n"
	const lanList = "/interface list\nadd name=WAN\nadd name=LAN\n/interface list member\nadd interface=bridge list=LAN\n"
	for _, text := range []string{"# by RouterOS 7.18.2\n" + dhcpAP, "# by RouterOS 7.18.2\n" + lanList + dhcpAP} {
		p := importText(t, text)
		if len(p.WANs) != 1 || p.WANs[0].Interface != "bridge" || p.WANs[0].Kind != "dhcp" {
			t.Errorf("DHCP AP (lists: %v): WANs %+v", strings.Contains(text, "list=LAN"), p.WANs)
		}
	}
	const staticAP = "/interface bridge\nadd name=bridge\n/interface bridge port\nadd bridge=bridge interface=ether1\nadd bridge=bridge interface=ether2\n/ip address\nadd address=192.168.193.203/24 interface=bridge network=192.168.193.0\n/ip route\nadd dst-address=0.0.0.0/0 gateway=192.168.193.1\n"
	for _, text := range []string{"# by RouterOS 7.8\n" + staticAP, "# by RouterOS 7.8\n" + lanList + "add interface=ether1 list=WAN\n" + staticAP} {
		p := importText(t, text)
		if len(p.WANs) != 1 || p.WANs[0].Interface != "bridge" || p.WANs[0].Kind != "static" || p.WANs[0].Address.String() != "192.168.193.203/24" {
			t.Errorf("static AP (lists: %v): WANs %+v", strings.Contains(text, "list=WAN"), p.WANs)
		}
	}
	sta := "# by RouterOS 7.21\n/interface bridge\nadd name=bridge\n/interface bridge port\nadd bridge=bridge interface=ether2\nadd bridge=bridge interface=wifi2\n/ip dhcp-client\nadd interface=bridge\n/interface list\nadd name=LAN\n/interface list member\nadd interface=bridge list=LAN\n"
	if err := importErr(t, sta); err == nil || !strings.Contains(err.Error(), "default route makes a port a WAN; what comes close: the DHCP client at line 8") {
		t.Errorf("station bridge: %v", err)
	}
	disabled := "# by RouterOS 7.16\n/interface bridge\nadd name=bridge1\n/interface ethernet\nset [ find default-name=ether2 ] disabled=yes\n/interface bridge port\nadd bridge=bridge1 interface=ether2\n/ip address\nadd address=192.168.1.1/24 interface=bridge1 network=192.168.1.0\n/ip dhcp-client\nadd disabled=no interface=ether1\n/ip firewall nat\nadd action=masquerade chain=srcnat out-interface=ether1\n"
	p := importText(t, disabled)
	if !slices.ContainsFunc(p.Notes, func(n string) bool {
		return strings.Contains(n, "LAN segment bridge1 (192.168.1.1/24) has no port a lab host can reach it on: its only port(s) ether2 (line 5) are disabled")
	}) {
		t.Errorf("disabled LAN port: notes %q", p.Notes)
	}
	p = importText(t, strings.Replace(disabled, "set [ find default-name=ether2 ] disabled=yes\n", "", 1))
	if slices.ContainsFunc(p.Notes, func(n string) bool { return strings.Contains(n, "are disabled") }) {
		t.Errorf("enabled LAN port: notes %q", p.Notes)
	}
}
