package check

import (
	"slices"
	"testing"
)

// distRouter is rc34's 7.21.5 CHR distribution router cut down: two /30
// links to the core, two LANs at .3, no NAT rule.
const distRouter = `# by RouterOS 7.21.5
/ip address add address=10.0.0.18/30 comment=to-CORE-1 interface=ether1 network=10.0.0.16
/ip address add address=10.0.0.26/30 comment=to-CORE-2 interface=ether2 network=10.0.0.24
/ip address add address=192.168.10.3/24 comment=LAN-USERS interface=ether3 network=192.168.10.0
/ip address add address=192.168.20.3/24 comment=LAN-SERVERS interface=ether4 network=192.168.20.0
/ip dhcp-client add interface=ether1
`

// casePaths are the paths c probes in the phase before the fix.
func casePaths(c *Case) []string {
	var out []string
	for _, pr := range c.Probes {
		if pr.Phase == "before" {
			out = append(out, pr.Path)
		}
	}
	return out
}

// TestTransferLinkNotProbed (rc34 C2): ether2, a /30 to the core, was
// noted "taken as a transfer link ... (not probed)", then its way out was
// probed first (✗ with and without the fix, which adds no masquerade for
// it), and a note said the LANs ether3 and ether4 "leave by the same
// srcnat rule" as it, on a router with none, although each is probed on
// its own for its missing masquerade. The transfer link is no longer
// probed and the stand-in note is gone. Control: with a masquerade
// the /30 is a LAN again (managementLink), probed, and stands for the
// others.
func TestTransferLinkNotProbed(t *testing.T) {
	p := loadText(t, distRouter)
	found, _ := p.Diagnose()
	fx := p.Propose(found)
	c, err := p.labCase(found, nil, &fx)
	if err != nil {
		t.Fatal(err)
	}
	paths := casePaths(c)
	if slices.Contains(paths, lanReachPrefix+"ether2") {
		t.Errorf("the transfer link's way out is probed: %q", paths)
	}
	for _, seg := range []string{"ether3", "ether4"} {
		if !slices.Contains(paths, lanInternetPrefix+seg) {
			t.Errorf("LAN %s's missing masquerade is not probed: %q", seg, paths)
		}
	}
	if !hasNote(p.Notes, "ether2 (10.0.0.26/30) is taken as a transfer link") || hasNote(p.Notes, "leave by the same srcnat rule") {
		t.Errorf("notes disagree with the probes: %q", p.Notes)
	}

	masq := distRouter + "/ip firewall nat add action=masquerade chain=srcnat out-interface=ether1\n"
	p = loadText(t, masq)
	found, _ = p.Diagnose()
	fx = p.Propose(found)
	if c, err = p.labCase(found, nil, &fx); err != nil {
		t.Fatal(err)
	}
	paths = casePaths(c)
	if !slices.Contains(paths, lanReachPrefix+"ether2") || hasNote(p.Notes, "transfer link") {
		t.Errorf("control with a masquerade: ether2 is a LAN, want its way out probed: %q %q", paths, p.Notes)
	}
	if !hasNote(p.Notes, "probed from ether2", "ether3 (192.168.10.0/24), ether4 (192.168.20.0/24) leave by the same srcnat rule") {
		t.Errorf("control with a masquerade: no stand-in note: %q", p.Notes)
	}
}
