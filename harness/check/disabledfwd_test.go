package check

import (
	"strings"
	"testing"
)

// The only forward of the export was left disabled=yes while testing: the
// check read "forwards: none ... no problem found". Now a note names its
// line and the command that turns it on. A disabled spare beside an
// enabled forward to the same server and port is no note.
func TestDisabledForwardIsNamed(t *testing.T) {
	const text = `# 2026-12-02 10:40:00 by RouterOS 7.16
` + homeWANMasq + `add action=dst-nat chain=dstnat comment="cam new" disabled=yes dst-port=554 in-interface-list=WAN protocol=tcp to-addresses=192.168.88.65
%s/ip route
add gateway=203.0.113.1
`
	want := `is disabled: it forwards nothing and is not probed; to turn it on: /ip firewall nat enable [ find where comment="cam new" ]`
	p := importText(t, strings.Replace(text, "%s", "", 1))
	if !strings.Contains(strings.Join(p.Notes, "\n"), want) {
		t.Errorf("notes %q", p.Notes)
	}
	p = importText(t, strings.Replace(text, "%s", "add action=dst-nat chain=dstnat comment=cam dst-port=554 in-interface-list=WAN protocol=tcp to-addresses=192.168.88.65\n", 1))
	if strings.Contains(strings.Join(p.Notes, "\n"), "is disabled") {
		t.Errorf("a spare beside the enabled forward: %q", p.Notes)
	}
}
