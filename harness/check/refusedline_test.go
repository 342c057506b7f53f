package check

import (
	"context"
	"strings"
	"testing"
)

// TestRefusedLineNoSegmentNoFix: a 6.49 CHR export renames ether1 to
// ether3 and then names ether1 in an address and a dst-nat, both refused
// (RouterOS refuses an interface it has not, as the lab router does).
// Before, the refused address still made a LAN segment, listed and noted
// as having "no port a lab host can reach it on (untagged, or tagged on
// a trunk)", and the refused dst-nat got a "/ip firewall nat set [ find
// where ... ]" fix for a rule the router does not hold (realcheck20
// D11). The control: ether2's address, accepted, stays a segment.
func TestRefusedLineNoSegmentNoFix(t *testing.T) {
	const export = `# jan/14/2025 17:50:17 by RouterOS 6.49.13
/interface ethernet
set [ find default-name=ether1 ] name=ether3
/ip address
add address=172.21.106.50/24 interface=ether1
add address=192.168.10.254/24 interface=ether2
add address=172.21.108.60/24 interface=ether3
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether3
add action=dst-nat chain=dstnat dst-port=2021 in-interface=ether1 protocol=tcp to-addresses=192.168.10.218 to-ports=22
/ip route
add distance=1 gateway=172.21.108.254
`
	p := importNamed(t, "refused.rsc", []byte(export))
	p.Refusals(context.Background())
	refused := p.refusedLines()
	if _, ok := refused[5]; !ok {
		t.Fatalf("line 5 not refused: %+v", p.Aside)
	}
	if _, ok := refused[10]; !ok {
		t.Fatalf("line 10 not refused: %+v", p.Aside)
	}
	var lan []string
	for _, s := range p.Segments {
		lan = append(lan, s.Interface+" "+s.Prefix.String())
	}
	if strings.Join(lan, ",") != "ether2 192.168.10.254/24" {
		t.Errorf("segments %v, want only ether2's (control kept, refused line 5 none)", lan)
	}
	notes := strings.Join(p.Notes, "\n")
	if strings.Contains(notes, "172.21.106.50/24) has no port") {
		t.Errorf("a refused line's segment noted as unreachable:\n%s", notes)
	}
	if !strings.Contains(notes, "line 5's address 172.21.106.50/24 makes no LAN segment: the lab router refuses the line (input does not match any value of interface)") {
		t.Errorf("no note names line 5's refusal:\n%s", notes)
	}
	for _, n := range p.Notes {
		if strings.HasPrefix(n, "line 10 ") {
			if strings.Contains(n, "/ip firewall nat set") || !strings.Contains(n, "no fix is given: the lab router refuses line 10") {
				t.Errorf("note on the refused line 10: %q", n)
			}
		}
	}
}
