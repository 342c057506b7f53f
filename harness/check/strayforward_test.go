package check

import (
	"strings"
	"testing"
)

// A forward written in chain=srcnat below the masquerade, and one in a
// user chain no jump enters: neither forwards anything. The check read
// "forwards: none ... no problem found" (the srcnat one only listed as set
// aside); now a note names each line with the chain=dstnat fix. The same
// user chain entered by a jump from dstnat holds a real forward: no note.
func TestDstNatOutsideDstnat(t *testing.T) {
	const text = `# 2026-12-02 12:10:00 by RouterOS 7.16
` + homeWANMasq + `add action=dst-nat chain=srcnat comment=ssh dst-port=2222 protocol=tcp to-addresses=192.168.88.60 to-ports=22
add action=netmap chain=srcnat src-address=192.168.88.25 to-addresses=203.0.113.25
%sadd action=dst-nat chain=port-fwd comment=web dst-port=443 protocol=tcp to-addresses=192.168.88.25
/ip route
add gateway=203.0.113.1
`
	p := importText(t, strings.Replace(text, "%s", "", 1))
	notes := strings.Join(p.Notes, "\n")
	for _, want := range []string{
		"line 17 is a dst-nat in chain=srcnat: srcnat runs after routing",
		"/ip firewall nat set [ find where comment=ssh ] chain=dstnat",
		"line 19 is a dst-nat in chain=port-fwd: chain port-fwd is entered by no enabled jump from dstnat",
	} {
		if !strings.Contains(notes, want) {
			t.Errorf("no %q in %q", want, p.Notes)
		}
	}
	if strings.Contains(notes, "line 18 ") {
		t.Errorf("a 1:1 netmap in srcnat: %q", p.Notes)
	}
	p = importText(t, strings.Replace(text, "%s", "add action=jump chain=dstnat in-interface-list=WAN jump-target=port-fwd\n", 1))
	if strings.Contains(strings.Join(p.Notes, "\n"), "chain=port-fwd:") {
		t.Errorf("a chain entered by a jump: %q", p.Notes)
	}
}
