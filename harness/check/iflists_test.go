package check

import (
	"slices"
	"strings"
	"testing"
)

// A WAN interface list that holds ether1 only through include= (the ISP
// lists a dual-WAN config keeps apart): the forward on in-interface-list=WAN
// matches the internet's connections and the masquerade on
// out-interface-list=WAN takes the LAN's. Before, the list read as empty:
// the internet path was "bound to an interface the traffic does not arrive
// on" and the fix added a masquerade the router already had.
func TestInterfaceListInclude(t *testing.T) {
	const text = `# 2026-12-01 18:40:02 by RouterOS 7.16.2
/interface bridge
add name=bridge
/interface list
add name=WAN
add name=LAN
add name=ISP-FIBRE
add name=ISP-LTE
/interface list
set WAN include=ISP-FIBRE,ISP-LTE
/interface bridge port
add bridge=bridge interface=ether2
/interface list member
add interface=bridge list=LAN
add interface=ether1 list=ISP-FIBRE
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
/ip dhcp-client
add interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-port=8443 in-interface-list=WAN protocol=tcp to-addresses=192.168.88.180
add action=masquerade chain=srcnat dst-address=192.168.88.180 src-address=192.168.88.0/24
`
	p := importText(t, text)
	found, _ := p.Diagnose()
	if slices.ContainsFunc(found, func(f Finding) bool { return f.Path == "internet" || f.Cause == NoMasquerade }) {
		t.Errorf("findings: %+v", found)
	}
	if !slices.ContainsFunc(found, func(f Finding) bool { return f.Path == "hairpin:bridge" && f.Line == 22 }) {
		t.Errorf("no hairpin finding for the forward bound to WAN: %+v", found)
	}
	lines := p.Propose(found).Lines
	if slices.ContainsFunc(lines, func(l string) bool {
		return strings.Contains(l, "masquerade src-address=192.168.88.0/24 out-interface=ether1")
	}) {
		t.Errorf("fix adds a masquerade the router has:\n%s", strings.Join(lines, "\n"))
	}
	// exclude= takes a member out again; the excluded list's own
	// members stay out of WAN, but its static members are WAN's.
	q := importText(t, strings.Replace(text, "set WAN include=ISP-FIBRE,ISP-LTE", "set [ find name=WAN ] include=ISP-FIBRE,ISP-LTE exclude=ISP-FIBRE", 1))
	if found, _ := q.Diagnose(); !slices.ContainsFunc(found, func(f Finding) bool { return f.Path == "internet" }) {
		t.Errorf("excluded list: the forward should not match on ether1: %+v", found)
	}
}

// A list that includes the built-in all holds every interface: a forward
// on it matches from the internet (realcheck17 D2, FoxDen's zone-local).
// Control: the same list without all does not hold the WAN port.
func TestInterfaceListIncludeAll(t *testing.T) {
	const text = `# 2025-01-01 00:00:00 by RouterOS 7.18
/interface bridge add name=bridge
/interface bridge port add bridge=bridge interface=ether2
/interface list add name=WAN
/interface list add name=iface-lan
/interface list add include=iface-lan,all name=zone-local
/interface list member add interface=ether1 list=WAN
/interface list member add interface=bridge list=iface-lan
/ip address add address=192.168.1.1/24 interface=bridge network=192.168.1.0
/ip dhcp-client add interface=ether1
/ip firewall nat add action=masquerade chain=srcnat out-interface-list=WAN
/ip firewall nat add action=dst-nat chain=dstnat dst-port=8080 in-interface-list=zone-local protocol=tcp to-addresses=192.168.1.10
`
	internet := func(text string) bool {
		found, _ := importText(t, text).Diagnose()
		return slices.ContainsFunc(found, func(f Finding) bool { return f.Path == "internet" })
	}
	if internet(text) {
		t.Errorf("include=all: the forward was said not to match from the internet")
	}
	if !internet(strings.Replace(text, "include=iface-lan,all", "include=iface-lan", 1)) {
		t.Errorf("control without all: the forward should not match on ether1")
	}
}

// A jump that fails on its dst-address is named by it, not by its
// interface list, which holds the interface (realcheck17 D2): on a static
// WAN the address is not the router's; on a dynamic one the lab leases it,
// as it does a forward's own literal address. Control: a jump whose list
// lacks the WAN is bound to it.
func TestJumpBlamesWhatFails(t *testing.T) {
	const text = `# 2025-01-01 00:00:00 by RouterOS 7.18
/interface bridge add name=bridge
/interface bridge port add bridge=bridge interface=ether2
/interface list add name=WAN
/interface list add name=iface-lan
/interface list add include=iface-lan name=zone-local
/interface list member add interface=ether1 list=WAN
/interface list member add interface=bridge list=iface-lan
/interface list member add interface=ether1 list=zone-local
/ip address add address=192.168.1.1/24 interface=bridge network=192.168.1.0
/ip address add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
/ip route add gateway=203.0.113.1
/ip firewall nat add action=masquerade chain=srcnat out-interface-list=WAN
/ip firewall nat add action=jump chain=dstnat dst-address=55.53.53.53 in-interface-list=zone-local jump-target=pf
/ip firewall nat add action=dst-nat chain=pf dst-port=8080 protocol=tcp to-addresses=192.168.1.10
`
	internet := func(text string) (*Plan, []Finding) {
		p := importText(t, text)
		found, _ := p.Diagnose()
		return p, slices.DeleteFunc(found, func(f Finding) bool { return f.Path != "internet" })
	}
	_, got := internet(text)
	if len(got) != 1 || got[0].Cause != DstAddressGone || got[0].Line != 14 || !strings.Contains(got[0].Detail, "dst-address=55.53.53.53") {
		t.Errorf("jump failing on dst-address: %+v", got)
	}
	dyn := strings.Replace(text, "/ip address add address=203.0.113.2/24 interface=ether1 network=203.0.113.0\n/ip route add gateway=203.0.113.1\n", "/ip dhcp-client add interface=ether1\n", 1)
	p, got := internet(dyn)
	if len(got) != 0 || len(p.Forwards) != 1 || p.WANAddr(p.WANs[0], p.Forwards[0]).String() != "55.53.53.53" {
		t.Errorf("dynamic WAN: findings %+v; the lab leases %v", got, p.WANAddr(p.WANs[0], p.Forwards[0]))
	}
	_, got = internet(strings.Replace(text, "dst-address=55.53.53.53 in-interface-list=zone-local", "in-interface-list=iface-lan", 1))
	if len(got) != 1 || got[0].Cause != BoundToWAN || got[0].Line != 14 || !strings.Contains(got[0].Detail, "in-interface-list=iface-lan, traffic arrives on ether1") {
		t.Errorf("control, jump bound to the LAN list: %+v", got)
	}
}

// A 1:1 NAT of an address in a block the export blackholes (routed to the
// router) is not the lease of a dynamic WAN: the lab leases its own, the
// forward is not probed from the internet, and it takes none of the WAN's
// ports (realcheck17 D4). Control: without the blackhole route the literal
// is taken for the lease, as before.
func TestBlockNotLease(t *testing.T) {
	const text = `# 2025-01-01 00:00:00 by RouterOS 7.18
/interface bridge add name=bridge
/interface bridge port add bridge=bridge interface=ether2
/interface list add name=WAN
/interface list member add interface=ether1 list=WAN
/ip address add address=192.168.1.1/24 interface=bridge network=192.168.1.0
/ip dhcp-client add interface=ether1
/ip firewall filter add action=accept chain=input protocol=tcp dst-port=80,22
/ip firewall nat add action=masquerade chain=srcnat out-interface-list=WAN
/ip firewall nat add action=dst-nat chain=dstnat dst-address=55.69.1.1 to-addresses=192.168.1.9
/ip route add blackhole dst-address=55.69.0.0/16
`
	p := importText(t, text)
	if a := p.WANAddr(p.WANs[0], p.Forwards[0]); a.String() == "55.69.1.1" || !p.blockOnDynamic(p.Forwards[0]) || len(p.internetWANs(p.Forwards[0])) != 0 {
		t.Errorf("block address: lease %v, internet WANs %v", a, p.internetWANs(p.Forwards[0]))
	}
	if len(p.takesServices()) != 0 || len(p.blockNotes()) != 1 {
		t.Errorf("takes %+v, notes %q", p.takesServices(), p.blockNotes())
	}
	q := importText(t, strings.Replace(text, "/ip route add blackhole dst-address=55.69.0.0/16\n", "", 1))
	if a := q.WANAddr(q.WANs[0], q.Forwards[0]); a.String() != "55.69.1.1" || q.blockOnDynamic(q.Forwards[0]) {
		t.Errorf("control without the block: lease %v", a)
	}
}
