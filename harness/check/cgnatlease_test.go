package check

import (
	"slices"
	"strings"
	"testing"
)

// A DHCP WAN whose forward names a lease in the carrier-grade NAT space
// (100.64.0.0/10) is behind the ISP's NAT: the internet path gets "no
// public address" and the CGNAT remedy, not "stops working when the ISP
// renumbers"; a public lease named the same way keeps that finding.
func TestCGNATLeaseOnDHCPWAN(t *testing.T) {
	const text = "# 2026-12-01 18:40:02 by RouterOS 7.16.1\n" + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
/ip dhcp-client
add interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address=100.72.14.9 dst-port=443 protocol=tcp to-addresses=192.168.88.12
add action=masquerade chain=srcnat dst-address=192.168.88.12 out-interface=bridge src-address=192.168.88.0/24
`
	p := importText(t, text)
	found, _ := p.Diagnose()
	if !slices.ContainsFunc(found, func(f Finding) bool {
		return f.Cause == NoPublicAddress && strings.Contains(f.Detail, "100.72.14.9")
	}) || slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == LiteralWAN }) {
		t.Errorf("findings: %+v", found)
	}
	if fx := p.Propose(found); !strings.Contains(fx.None, "carrier-grade NAT") {
		t.Errorf("remedy: %q", fx.None)
	}
	public := importText(t, strings.Replace(text, "100.72.14.9", "198.51.100.9", 1))
	found, _ = public.Diagnose()
	if slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == NoPublicAddress }) ||
		!slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == LiteralWAN }) {
		t.Errorf("public lease: %+v", found)
	}
}
