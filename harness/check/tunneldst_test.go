package check

import (
	"slices"
	"strings"
	"testing"
)

// TestTunnelSubnetDstNat (chk57 D1, an ISP edge's export): dst-nat rules
// keyed on addresses of a WireGuard interface's subnet (172.30.50.39:80
// and 172.30.50.96:80 to two servers) serve the tunnel's peers, who route
// that subnet to the router. They were read as internet forwards with
// "the dst-nat names a LAN address", and the fix set
// dst-address-type=local in place of each dst-address: both port-80 rules
// then took port 80 of every router address and the peers lost their
// hosts. They are notes now, and the fix leaves them alone. Controls: the
// same rule on an address of an Ethernet LAN's subnet keeps its finding,
// and the export's internet forward is still probed.
func TestTunnelSubnetDstNat(t *testing.T) {
	const base = `# 2025-03-01 10:00:00 by RouterOS 7.22
` + etherLists + `/interface wireguard
add listen-port=13231 name=wg1
/ip address
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
add address=172.30.50.1/24 interface=wg1 network=172.30.50.0
/ip route
add gateway=203.0.113.1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-port=443 in-interface-list=WAN protocol=tcp to-addresses=192.168.88.10
add action=dst-nat chain=dstnat dst-address=%s dst-port=80 protocol=tcp to-addresses=192.168.88.20
add action=dst-nat chain=dstnat dst-address=%s dst-port=80 protocol=tcp to-addresses=192.168.88.30
`
	read := func(a, b string) (*Plan, []Finding, Fix) {
		p := importText(t, strings.Replace(strings.Replace(base, "%s", a, 1), "%s", b, 1))
		found, _ := p.Diagnose()
		return p, found, p.Propose(found)
	}

	p, found, fx := read("172.30.50.39", "172.30.50.96")
	if len(p.Forwards) != 1 || p.Forwards[0].DstPort != 443 {
		t.Fatalf("forwards: %+v", p.Forwards)
	}
	n := 0
	for _, note := range p.Notes {
		if strings.Contains(note, "of wg1's subnet 172.30.50.0/24") && strings.Contains(note, "serves the tunnel's peers") {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d tunnel notes, want 2: %q", n, p.Notes)
	}
	if len(withCause(found, LANDstAddress)) != 0 || slices.ContainsFunc(fx.Lines, func(l string) bool {
		return strings.Contains(l, "172.30.50.39") || strings.Contains(l, "172.30.50.96") || strings.Contains(l, "192.168.88.20")
	}) {
		t.Errorf("tunnel rules diagnosed or rewritten: %+v\nfix %q", found, fx.Lines)
	}

	// Control: the same rules on addresses of the Ethernet LAN's subnet
	// stay forwards with the LAN-address finding.
	p, found, _ = read("192.168.88.39", "192.168.88.96")
	if len(p.Forwards) != 3 || len(withCause(found, LANDstAddress)) == 0 {
		t.Errorf("control: forwards %d, findings %+v", len(p.Forwards), found)
	}
}
