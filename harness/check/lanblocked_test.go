package check

import (
	"strings"
	"testing"
)

// TestLANForwardDropped (rc28 D1): an office LAN whose srcnat takes its
// connections out, but whose forward chain accepts established
// connections, a tunnel and a tower list, then drops everything: check
// said "no problem found" offline and in the lab, where the LAN client
// timed out towards the internet. Now a finding names the LAN and the
// drop, with no fix line. Control: an accept of the LAN to the WAN above
// the drop leaves no such finding.
func TestLANForwardDropped(t *testing.T) {
	text := `# dec/06/2026 10:00:00 by RouterOS 7.19.3
/interface bridge
add name=BR-LAN
/interface bridge port
add bridge=BR-LAN interface=ether2
/interface list
add name=LIST-WAN
/interface list member
add interface=ether1 list=LIST-WAN
/ip address
add address=10.0.2.7/24 interface=ether1 network=10.0.2.0
add address=192.168.37.1/24 interface=BR-LAN network=192.168.37.0
/ip firewall address-list
add address=10.20.0.0/24 list=TOWERS
/ip firewall filter
add action=accept chain=forward connection-state=established,related
add action=accept chain=forward out-interface-list=LIST-WAN src-address-list=TOWERS
add action=drop chain=forward comment="Bloqueo preventivo"
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=LIST-WAN
/ip route
add gateway=10.0.2.1
`
	dropped := func(p *Plan) []Finding {
		found, _ := p.Diagnose()
		return withCause(found, LANForwardDropped)
	}
	p := loadText(t, text)
	got := dropped(p)
	if len(got) != 1 || got[0].Path != lanOutPath("BR-LAN") || got[0].Line != 18 || !strings.Contains(got[0].Rule, "Bloqueo preventivo") {
		t.Fatalf("findings %+v, want one for BR-LAN naming line 18", got)
	}
	found, _ := p.Diagnose()
	for _, l := range p.Propose(found).Lines {
		if strings.Contains(l, "chain=forward") {
			t.Errorf("a fix line for a block only the user can judge: %s", l)
		}
	}

	// The report's summary promised "the fix below" where there is no
	// line (chk57 D10).
	if d := loadText(t, text).OfflineDocument(); len(d.Fix.Lines) != 0 || !strings.Contains(d.Summary, "no fix proposed") {
		t.Errorf("summary %q without a fix line", d.Summary)
	}

	q := loadText(t, strings.Replace(text, "add action=drop chain=forward", "add action=accept chain=forward in-interface=BR-LAN out-interface-list=LIST-WAN\nadd action=drop chain=forward", 1))
	if got := dropped(q); len(got) != 0 {
		t.Errorf("control: findings %+v with the LAN accepted above the drop", got)
	}
}
