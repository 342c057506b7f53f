package check

import (
	"strings"
	"testing"
)

const pppoeMasqEther1 = `# 2025-11-02 21:03:11 by RouterOS 7.16.2
/interface bridge
add name=bridge
/interface pppoe-client
add add-default-route=yes disabled=no interface=ether1 name=pppoe-out1 password=pw user=home
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge interface=ether2
/interface list member
add interface=pppoe-out1 list=WAN
add interface=bridge list=LAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=192.168.90.1/24 interface=ether3 network=192.168.90.0
/ip firewall nat
add action=masquerade chain=srcnat comment=masq out-interface=ether1
`

// A masquerade on the port under the PPPoE client takes none of the LAN's
// connections: each segment is a finding, the fix adds a masquerade on the
// PPPoE interface, and the lab probes the segment's way out before and
// after it.
func TestNoMasquerade(t *testing.T) {
	p := importText(t, pppoeMasqEther1)
	found, _ := p.Diagnose()
	got := withCause(found, NoMasquerade)
	if len(got) != 2 || got[0].Path != "lan-internet:bridge" || !strings.Contains(got[0].Detail, "192.168.88.0/24 leaving by pppoe-out1") || got[1].Path != "lan-internet:ether3" {
		t.Fatalf("findings: %+v", got)
	}
	fx := p.Propose(found)
	all := strings.Join(fx.Lines, "\n")
	if !strings.Contains(all, `/ip firewall nat add chain=srcnat action=masquerade src-address=192.168.88.0/24 out-interface=pppoe-out1 comment="LAN bridge to the internet"`) ||
		!strings.Contains(all, "src-address=192.168.90.0/24 out-interface=pppoe-out1") {
		t.Errorf("fix lines:\n%s", all)
	}
	if n := lanOutProbes(t, p, fx, lanInternetPrefix); n != 4 {
		t.Errorf("%d LAN to internet probes, want 2 segments × before and fixed", n)
	}

	// A masquerade for the WAN list covers both; one for one subnet only
	// leaves the other out.
	p = importText(t, strings.Replace(pppoeMasqEther1, "comment=masq out-interface=ether1", "comment=masq out-interface-list=WAN", 1))
	if found, _ := p.Diagnose(); len(withCause(found, NoMasquerade)) != 0 {
		t.Errorf("WAN list masquerade: %+v", withCause(found, NoMasquerade))
	}
	// A public LAN (a routed block) needs no masquerade.
	p = importText(t, strings.Replace(pppoeMasqEther1, "add address=192.168.90.1/24 interface=ether3 network=192.168.90.0", "add address=198.18.7.1/29 interface=ether3 network=198.18.7.0", 1))
	if found, _ := p.Diagnose(); len(withCause(found, NoMasquerade)) != 1 {
		t.Errorf("public LAN: %+v", withCause(found, NoMasquerade))
	}
	p = importText(t, strings.Replace(pppoeMasqEther1, "comment=masq out-interface=ether1", "comment=masq out-interface=pppoe-out1 src-address=192.168.88.0/24", 1))
	if found, _ := p.Diagnose(); len(withCause(found, NoMasquerade)) != 1 || withCause(found, NoMasquerade)[0].Path != "lan-internet:ether3" {
		t.Errorf("one subnet's masquerade: %+v", withCause(found, NoMasquerade))
	}
}

// The WAN moved to ether5 (a new ISP) and the WAN list still holds
// ether1: defconf's masquerade (out-interface-list=WAN) misses the LAN's
// way out. The finding names the list, and the fix adds ether5 to it
// rather than a masquerade of its own (which would leave the forward's
// in-interface-list=WAN and the defconf drop without the new port).
func TestLANOutWANNotInList(t *testing.T) {
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
add address=203.0.113.2/24 interface=ether5 network=203.0.113.0
/ip firewall nat
add action=masquerade chain=srcnat comment="defconf: masquerade" ipsec-policy=out,none out-interface-list=WAN
/ip route
add dst-address=0.0.0.0/0 gateway=203.0.113.1
`)
	found := p.lanOutFindings()
	if len(found) != 1 || !strings.Contains(found[0].Detail, "line 16 names out-interface-list=WAN, and ether5 is not in that list") {
		t.Fatalf("findings: %+v", found)
	}
	all := strings.Join(p.Propose(found).Lines, "\n")
	if !strings.Contains(all, "/interface list member add interface=ether5 list=WAN") || strings.Contains(all, "action=masquerade") {
		t.Errorf("fix:\n%s", all)
	}
}

// The same with a forward on in-interface-list=WAN: its internet path is
// mended by the same list member (one line for both; the forward's
// rewrite that follows is for the LAN's hairpin path); a forward on
// in-interface-list=LAN gets no member line.
func TestForwardWANNotInList(t *testing.T) {
	const base = "# 2026-11-28 09:14:51 by RouterOS 7.16.2\n" + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.2/24 interface=ether5 network=203.0.113.0
/ip firewall nat
add action=masquerade chain=srcnat comment="defconf: masquerade" ipsec-policy=out,none out-interface-list=WAN
add action=dst-nat chain=dstnat comment=web dst-port=443 in-interface-list=%s protocol=tcp to-addresses=192.168.88.10
/ip route
add dst-address=0.0.0.0/0 gateway=203.0.113.1
`
	p := importText(t, strings.Replace(base, "%s", "WAN", 1))
	found, _ := p.Diagnose()
	fx := p.Propose(found)
	all := strings.Join(fx.Lines, "\n")
	if strings.Contains(fx.Method, "PPPoE") {
		t.Errorf("method: %s", fx.Method)
	}
	if strings.Count(all, "/interface list member add interface=ether5 list=WAN") != 1 {
		t.Errorf("fix:\n%s", all)
	}
	p = importText(t, strings.Replace(base, "%s", "LAN", 1))
	found, _ = p.Diagnose()
	if all := strings.Join(p.Propose(found).Lines, "\n"); strings.Contains(all, "list=LAN") {
		t.Errorf("fix with in-interface-list=LAN:\n%s", all)
	}
}

// lanOutProbes counts the case's probes of a LAN's way to the internet
// (client → the internet's peer, TCP) whose path starts with prefix.
func lanOutProbes(t *testing.T, p *Plan, fx Fix, prefix string) int {
	t.Helper()
	c, err := p.Case(fx)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, pr := range c.Probes {
		if strings.HasPrefix(pr.Path, prefix) && pr.To == "peer:12566" && pr.Kind == "tcp" {
			n++
		}
	}
	return n
}
