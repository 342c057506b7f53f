package check

import (
	"slices"
	"strings"
	"testing"
)

const wwwMoved = `# oct/14/2025 21:03:44 by RouterOS 6.49.18
/interface list
add name=WAN
add name=LAN
/interface list member
add interface=ether2 list=LAN
add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
/ip route
add gateway=203.0.113.1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=masquerade chain=srcnat comment=hairpin dst-address=192.168.88.10 out-interface=ether2 src-address=192.168.88.0/24
add action=dst-nat chain=dstnat comment=web dst-address-type=local dst-port=80,443 protocol=tcp to-addresses=192.168.88.10
/ip service
set www port=8080
set [ find name=ssh ] disabled=yes
`

// WebFig moved to 8080 (/ip service set www port=8080): the forward of 80
// with dst-address-type=local takes nothing of the router's, and the lab
// asks WebFig on 8080; a disabled SSH is not probed.
func TestServicePortsFromExport(t *testing.T) {
	p := importText(t, wwwMoved)
	found, _ := p.Diagnose()
	for _, f := range found {
		if f.Cause == TakesOwnAddress {
			t.Errorf("finding for a port the router no longer serves: %+v", f)
		}
	}
	c, err := p.Case(Fix{})
	if err != nil {
		t.Fatal(err)
	}
	var tos []string
	for _, pr := range c.Probes {
		if pr.Forward < 0 {
			tos = append(tos, pr.Path+" "+pr.To)
		}
	}
	if !slices.Contains(tos, "service:www@ether2 192.168.88.1:8080") || !slices.Contains(tos, "service:www@wan router.wan:8080") {
		t.Errorf("WebFig not probed on 8080: %q", tos)
	}
	if slices.ContainsFunc(tos, func(s string) bool { return strings.HasPrefix(s, "service:ssh") }) {
		t.Errorf("disabled SSH probed: %q", tos)
	}
	// With WebFig on 80 the same forward takes the router's page.
	p = importText(t, strings.Replace(wwwMoved, "set www port=8080\n", "", 1))
	found, _ = p.Diagnose()
	if !slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == TakesOwnAddress }) {
		t.Errorf("no finding with WebFig on 80: %+v", found)
	}
}
