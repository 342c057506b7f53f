package check

import (
	"strings"
	"testing"
)

const upnpPPPoEExport = `# 2025-03-10 10:00:00 by RouterOS 7.16
/interface pppoe-client
add add-default-route=yes disabled=no interface=ether1 name=pppoe-out1 user=u password=p
/ip address
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip firewall nat
add action=masquerade chain=srcnat out-interface=pppoe-out1
/ip upnp
set enabled=yes
/ip upnp interfaces
add interface=ether1 type=external
add interface=ether2 type=internal
`

// UPnP's external interface set to the port under the PPPoE client gets
// a note with the line that names the PPPoE interface; the PPPoE
// interface itself, or UPnP left off, gets none.
func TestUPnPExternalUnderPPPoE(t *testing.T) {
	note := func(text string) string {
		p := importText(t, text)
		for _, n := range p.Notes {
			if strings.Contains(n, "UPnP") {
				return n
			}
		}
		return ""
	}
	if n := note(upnpPPPoEExport); !strings.Contains(n, "line 11 makes ether1 UPnP's external interface") || !strings.Contains(n, "interface=pppoe-out1") || !strings.Contains(n, "not probed by check (a upnp step of chrlab lab shows it") {
		t.Fatalf("note: %q", n)
	}
	if n := note(strings.Replace(upnpPPPoEExport, "add interface=ether1 type=external", "add interface=pppoe-out1 type=external", 1)); n != "" {
		t.Errorf("external on pppoe-out1: %q", n)
	}
	if n := note(strings.Replace(upnpPPPoEExport, "set enabled=yes", "set enabled=no", 1)); n != "" {
		t.Errorf("UPnP off: %q", n)
	}
}
