package check

import (
	"strings"
	"testing"
)

// TestCaptiveStaticNotPublic (realcheck23 D8, a hAP ac2 hotspot's 7.20rc3
// export): static entries that point google.com and
// connectivitycheck.gstatic.com at the hotspot's own LAN address 10.5.50.1
// are captive-portal detection for the router's clients, not its public
// names. Before, they were served by the lab's public DNS as the router's
// WAN address and IP Cloud was turned on for them. Controls: a name that
// points at a forward's server and one that points at a public address
// stay names of the export.
func TestCaptiveStaticNotPublic(t *testing.T) {
	const text = `# 2025-09-28 17:46:44 by RouterOS 7.16.2
/ip address add address=10.5.50.1/24 interface=ether2
/ip dhcp-client add interface=ether1
/ip firewall nat add action=masquerade chain=srcnat out-interface=ether1
/ip firewall nat add action=dst-nat chain=dstnat dst-port=8080 in-interface=ether1 protocol=tcp to-addresses=10.5.50.20 to-ports=80
/ip dns static add address=10.5.50.1 name=google.com
/ip dns static add address=10.5.50.1 name=connectivitycheck.gstatic.com
/ip dns static add address=10.5.50.20 name=cam.example.net
/ip dns static add address=198.51.100.7 name=home.example.org
`
	p := importText(t, text)
	var got []string
	for _, n := range p.Names() {
		got = append(got, n.Name)
	}
	if s := strings.Join(got, ","); s != "cam.example.net,home.example.org" {
		t.Errorf("names %q, want the forward's server's and the public one only", s)
	}
}
