package check

import (
	"net/netip"
	"strings"
	"testing"
)

// TestLANAliasProbed (chk62 A): a LAN alias (chk61 C1: a portless
// dst-nat from an address of a LAN subnet to a LAN host) was a note and
// nothing more: the lab had no server at its target and no probe of it,
// so the report could not say whether it works. The lab now serves at
// the target and each LAN's client connects to the alias; the report
// warns of the LANs it fails from and notes where it works. On rosemu
// (chrlab check of this export) the alias reached 192.168.88.20 from
// ether3 and timed out from bridge (the target's own subnet: no hairpin
// masquerade) and ether4 (the alias's own subnet: the router does not
// hold 192.168.2.50, so ARP for it goes unanswered), as the note says.
// Control: a portless dst-nat with in-interface is a forward, not probed
// as an alias.
func TestLANAliasProbed(t *testing.T) {
	const export = wan6 + aliasRule + aliasSubnets
	p, c := aliasCase(t, export)
	target := netip.MustParseAddr("192.168.88.20")
	if _, ok := c.Servers[target]; !ok {
		t.Fatalf("no server at the alias's target: %v", c.Servers)
	}
	var probes []Probe
	for _, pr := range c.Probes {
		if strings.HasPrefix(pr.Path, aliasPrefix) {
			probes = append(probes, pr)
		}
	}
	if len(probes) != 3 || strings.Count(c.YAML, "to: 192.168.2.50:80") != 3 {
		t.Fatalf("alias probes %+v\n%s", probes, c.YAML)
	}
	var outs []Outcome
	for _, pr := range probes {
		o := Outcome{Probe: pr, Result: "timeout"}
		if pr.Path == "alias:19:ether3" {
			o.Result, o.By = "ok", c.Servers[target]
		}
		outs = append(outs, o)
	}
	warns, notes := p.AliasResults(c, outs)
	if len(warns) != 1 || !strings.Contains(warns[0], "the LAN alias of line 19 (192.168.2.50 for 192.168.88.20) does not reach 192.168.88.20 on TCP port 80 (no forward of the export names a port of 192.168.88.20) from LAN bridge (192.168.88.0/24) (timeout, answered by nobody), ether4 (192.168.2.0/24) (timeout, answered by nobody); it does from ether3 (192.168.1.0/24)") || len(notes) != 0 {
		t.Errorf("warnings %q notes %q", warns, notes)
	}
	for i := range outs {
		outs[i].Result, outs[i].By = "ok", c.Servers[target]
	}
	if warns, notes := p.AliasResults(c, outs); len(warns) != 0 || len(notes) != 1 || !strings.Contains(notes[0], "the LAN alias of line 19 works") {
		t.Errorf("every LAN reached it: warnings %q notes %q", warns, notes)
	}
	// Control: bound to an interface, the rule is a forward.
	q := importText(t, strings.Replace(export, "dst-address=192.168.2.50 to-addresses", "dst-address=192.168.2.50 in-interface=ether1 to-addresses", 1))
	if len(q.aliases) != 0 {
		t.Errorf("a forward read as an alias: %+v", q.aliases)
	}
}

// TestLANAliasPort (chk63 c): the alias's probe connected to port 80
// whatever the target serves, and the report did not say which port it
// tried. A forward of the export to the target names the port the target
// serves (a NAS's 5001): the lab serves and probes it there, and the
// report says the port and why. Control: without such a forward, port 80,
// said so.
func TestLANAliasPort(t *testing.T) {
	p, c := aliasCase(t, wan6+aliasRule+`add action=dst-nat chain=dstnat dst-port=5001 in-interface=ether1 protocol=tcp to-addresses=192.168.88.20 to-ports=5001
`+aliasSubnets)
	if n := strings.Count(c.YAML, "to: 192.168.2.50:5001"); n != 3 || strings.Contains(c.YAML, "192.168.2.50:80") {
		t.Fatalf("%d alias probes on 5001, want 3 and none on 80:\n%s", n, c.YAML)
	}
	var outs []Outcome
	for _, pr := range c.Probes {
		if strings.HasPrefix(pr.Path, aliasPrefix) {
			outs = append(outs, Outcome{Probe: pr, Result: "ok", By: c.Servers[netip.MustParseAddr("192.168.88.20")]})
		}
	}
	if _, notes := p.AliasResults(c, outs); len(notes) != 1 || !strings.Contains(notes[0], "a connection to 192.168.2.50:5001 (the port line 20 forwards to 192.168.88.20)") {
		t.Errorf("notes %q", notes)
	}
}

// aliasRule is a masquerade and the portless dst-nat of 192.168.2.50 to
// the LAN host 192.168.88.20; aliasSubnets the two LAN segments beside
// the bridge that the alias is probed from.
const (
	aliasRule = `add action=masquerade chain=srcnat out-interface=ether1
add action=dst-nat chain=dstnat dst-address=192.168.2.50 to-addresses=192.168.88.20
`
	aliasSubnets = `/ip address
add address=192.168.1.1/24 interface=ether3 network=192.168.1.0
add address=192.168.2.1/24 interface=ether4 network=192.168.2.0
`
)

// aliasCase imports export and builds its lab case.
func aliasCase(t *testing.T, export string) (*Plan, *Case) {
	t.Helper()
	p := importText(t, export)
	c, err := p.Case(Fix{})
	if err != nil {
		t.Fatal(err)
	}
	return p, c
}
