package check

import (
	"slices"
	"strings"
	"testing"
)

// A retired LAN server's address (192.168.88.50) dst-nat'ed to its hosted
// successor on the internet: the LAN's hosts ARP for .50 themselves and
// never reach the router. The diagnosis names that (it said "no route
// leads to the forward's server", though the default route does), and
// the fix gives the router the address.
func TestLANAddrNotHeld(t *testing.T) {
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
add action=masquerade chain=srcnat ipsec-policy=out,none out-interface-list=WAN
add action=dst-nat chain=dstnat comment="old server" dst-address=192.168.88.50 to-addresses=198.51.100.60
/ip route
add dst-address=0.0.0.0/0 gateway=203.0.113.1
`)
	found, _ := p.Diagnose()
	if !slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == LANAddrNotHeld && f.Line == 17 }) ||
		slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == NoRouteToServer }) {
		t.Errorf("findings: %+v", found)
	}
	// The lab probed only the router's services: the verdict still says
	// it is broken (it was "no problem found ..., not probed", exit 0).
	outs := []Outcome{{Probe: Probe{Forward: -1, Path: "service:winbox@wan", Phase: "before", Kind: "port"}, Result: "filtered"}}
	if word, text, code := Verdict(found, Fix{}, outs); word != "broken" || code != 1 || !strings.Contains(text, "the LAN's hosts ask ARP for it themselves") {
		t.Errorf("Verdict = %s, %q, %d", word, text, code)
	}
	if all := strings.Join(p.Propose(found).Lines, "\n"); !strings.Contains(all, `/ip address add address=192.168.88.50/24 interface=bridge comment="taken over for 198.51.100.60"`) {
		t.Errorf("fix:\n%s", all)
	}
}
