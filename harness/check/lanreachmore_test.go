package check

import (
	"strings"
	"testing"
)

// TestLANReachSecondSubnet (rc31 C2): a bridge with two subnets gets a lab
// host on each, and only the first one's way out was probed, with nothing
// said of the second. A masquerade narrowed to the first subnet leaves
// the second out: its way out is probed now. With one masquerade for both
// (the control), the first probe stands for the second, and a note says
// so.
func TestLANReachSecondSubnet(t *testing.T) {
	const text = "# 2025-12-11 17:53:00 by RouterOS 7.20.5\n" + homeBridge + `add interface=ether1 list=WAN
/interface bridge port
add bridge=bridge interface=ether3
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=192.168.89.1/24 interface=bridge network=192.168.89.0
/ip dhcp-client
add interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN%s
`
	for _, tt := range []struct {
		name, masq string
		probes     int
		note       bool
	}{
		{"masquerade of the first subnet only", " src-address=192.168.88.0/24", 2, false},
		{"one masquerade for both (control)", "", 1, true},
	} {
		p := importText(t, fill(text, tt.masq))
		c, err := p.Case(Fix{})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, pr := range c.Probes {
			if pr.Phase == "before" && strings.HasPrefix(pr.Path, lanReachPrefix) {
				n++
			}
		}
		note := strings.Contains(strings.Join(p.Notes, "\n"), "LAN segment(s) bridge (192.168.89.0/24) leave by the same srcnat rule")
		if n != tt.probes || note != tt.note {
			t.Errorf("%s: %d way-out probe(s), want %d; stand-in note %v, want %v:\n%s", tt.name, n, tt.probes, note, tt.note, strings.Join(p.Notes, "\n"))
		}
	}
	// A rule the reading cannot weigh for the second subnet (on a
	// connection mark) before the masquerade: not probed, and the note
	// must not say it leaves by the same rule, as it did (rc31 C2).
	p := importText(t, strings.Replace(fill(text, ""), "/ip firewall nat\n", "/ip firewall nat\nadd action=masquerade chain=srcnat connection-mark=wan2 src-address=192.168.89.0/24\n", 1))
	if _, err := p.Case(Fix{}); err != nil {
		t.Fatal(err)
	}
	notes := strings.Join(p.Notes, "\n")
	if strings.Contains(notes, "bridge (192.168.89.0/24) leave by the same srcnat rule") || !strings.Contains(notes, "LAN segment(s) bridge (192.168.89.0/24) are not probed on their own, and check cannot tell") {
		t.Errorf("connection-marked rule: notes:\n%s", notes)
	}
}
