package check

import (
	"slices"
	"strings"
	"testing"
)

// A NAT bypass for an IPsec tunnel written for the whole 192.168.0.0/16
// sits above the hairpin masquerade: the hairpinned connection (LAN to
// the server, after dst-nat) is accepted first and never masqueraded. The
// diagnosis names the accept, not "no hairpin rule", and the fix puts a
// hairpin rule above it.
func TestSrcNATAcceptAboveHairpin(t *testing.T) {
	p := importText(t, `# 2026-11-28 09:14:51 by RouterOS 7.16.2
/interface bridge
add name=bridge
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge interface=ether2
/interface list member
add interface=bridge list=LAN
add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
/ip firewall nat
add action=accept chain=srcnat comment="ipsec bypass" dst-address=192.168.0.0/16 src-address=192.168.88.0/24
add action=masquerade chain=srcnat comment="defconf: masquerade" ipsec-policy=out,none out-interface-list=WAN
add action=dst-nat chain=dstnat comment=nas dst-address=203.0.113.2 dst-port=5001 protocol=tcp to-addresses=192.168.88.10
add action=masquerade chain=srcnat comment=hairpin dst-address=192.168.88.10 dst-port=5001 protocol=tcp src-address=192.168.88.0/24
/ip route
add dst-address=0.0.0.0/0 gateway=203.0.113.1
`)
	found, _ := p.Diagnose()
	if !slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == SrcNATAcceptFirst && f.Line == 16 }) ||
		slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == NoHairpin }) {
		t.Errorf("findings: %+v", found)
	}
	all := strings.Join(p.Propose(found).Lines, "\n")
	if !strings.Contains(all, `dst-address=192.168.88.10 out-interface=bridge comment="hairpin to 192.168.88.10" place-before=[ find where comment="ipsec bypass" ]`) {
		t.Errorf("fix:\n%s", all)
	}
}

// Control: the same accept written for the tunnel's subnet only does
// not take the hairpin; the hairpin rule below works.
func TestSrcNATAcceptNarrowKeepsHairpin(t *testing.T) {
	p := importText(t, `# 2026-11-28 09:14:51 by RouterOS 7.16.2
/interface bridge
add name=bridge
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge interface=ether2
/interface list member
add interface=bridge list=LAN
add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
/ip firewall nat
add action=accept chain=srcnat comment="ipsec bypass" dst-address=192.168.100.0/24 src-address=192.168.88.0/24
add action=masquerade chain=srcnat comment="defconf: masquerade" ipsec-policy=out,none out-interface-list=WAN
add action=dst-nat chain=dstnat comment=nas dst-address=203.0.113.2 dst-port=5001 protocol=tcp to-addresses=192.168.88.10
add action=masquerade chain=srcnat comment=hairpin dst-address=192.168.88.10 dst-port=5001 protocol=tcp src-address=192.168.88.0/24
/ip route
add dst-address=0.0.0.0/0 gateway=203.0.113.1
`)
	found, _ := p.Diagnose()
	if slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == SrcNATAcceptFirst || f.Cause == NoHairpin }) {
		t.Errorf("findings: %+v", found)
	}
}
