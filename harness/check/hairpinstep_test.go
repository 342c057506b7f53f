package check

import (
	"strings"
	"testing"
)

// TestHairpinGapOneStep (chk57 D6): three forwards bound to the WAN, two
// of them to one server, on a router with two LAN subnets. Each gap's
// warning carried the whole hairpin fix, so the two list entries came
// three times and the server's masquerade twice. The lines now come once,
// as one step in the last gap's warning, which the others point to.
// Control: one gap keeps its lines in its own warning.
func TestHairpinGapOneStep(t *testing.T) {
	const export = "# 2024-11-03 14:22:10 by RouterOS 7.16.1\n" + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=192.168.89.1/24 interface=ether3 network=192.168.89.0
/ip dhcp-client
add interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat comment=web in-interface-list=WAN dst-port=80 protocol=tcp to-addresses=192.168.88.50
`
	const more = `add action=dst-nat chain=dstnat comment=tls in-interface-list=WAN dst-port=443 protocol=tcp to-addresses=192.168.88.50
add action=dst-nat chain=dstnat comment=game in-interface-list=WAN dst-port=27015 protocol=udp to-addresses=192.168.88.60
`
	warnings := func(text string) []string {
		p := importText(t, text)
		found, _ := p.Diagnose()
		_, gaps := p.SplitHairpinGaps(found)
		return p.HairpinGapWarnings(gaps)
	}
	w := warnings(export + more)
	all := strings.Join(w, "\n")
	if len(w) != 3 || !strings.Contains(w[2], "add the hairpin, for the gaps of forwards 1, 2, 3 at once: one step, each line once") {
		t.Fatalf("want 3 gap warnings, the last with the step:\n%s", all)
	}
	for _, line := range []string{
		"/ip firewall address-list add list=hairpin-lan address=192.168.88.0/24",
		"/ip firewall address-list add list=hairpin-lan address=192.168.89.0/24",
		`comment="hairpin to 192.168.88.50"`,
	} {
		if n := strings.Count(all, line); n != 1 {
			t.Errorf("%q %d times, want once:\n%s", line, n, all)
		}
	}
	for _, g := range w[:2] {
		if strings.Contains(g, "/ip firewall") || !strings.Contains(g, "forward 3's warning gives the lines of every gap") {
			t.Errorf("a gap warning keeps lines of its own, or does not point to the step: %s", g)
		}
	}

	w = warnings(export)
	if len(w) != 1 || !strings.Contains(w[0], "if they should, add the hairpin (method") || strings.Count(w[0], "address-list add") != 2 {
		t.Errorf("control, one gap:\n%s", strings.Join(w, "\n"))
	}
}
