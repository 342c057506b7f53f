package check

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestPlaceholderExport (realcheck33 C6): hexs-712's author replaced the
// LAN's address and a forward's server and port with words; RouterOS
// refuses those lines, and check said "no problem found" of what was
// left. The note names the placeholders and the diagnosis says the export
// cannot be judged there. Control: the same export with real values, and
// one whose refused value is a mistyped number (a port above 65535, no
// placeholder), keep "no problem found" with no such note.
func TestPlaceholderExport(t *testing.T) {
	const export = `# 2023-11-20 10:00:00 by RouterOS 7.12
/interface bridge
add name=bridge
/interface bridge port
add bridge=bridge interface=ether2
/ip address
add address=%s interface=bridge
/ip dhcp-client
add interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
add action=dst-nat chain=dstnat dst-port=%s in-interface=ether1 protocol=tcp to-addresses=%s
`
	for _, tt := range []struct {
		name, addr, port, server string
		placeholder              bool
	}{
		{"placeholders", "my.LAN.block/24", "port", "Server.IP", true},
		{"real values", "192.168.88.1/24", "8443", "192.168.88.10", false},
		{"mistyped port", "192.168.88.1/24", "84430", "192.168.88.10", false},
	} {
		p := loadText(t, strings.NewReplacer("address=%s", "address="+tt.addr, "dst-port=%s", "dst-port="+tt.port, "to-addresses=%s", "to-addresses="+tt.server).Replace(export))
		p.Refusals(context.Background())
		found, _ := p.Diagnose()
		var b bytes.Buffer
		PrintFindings(&b, p, found, p.Propose(found))
		noted := strings.Contains(strings.Join(p.Notes, "\n"), "the export has placeholders instead of values (line 7 address=my.LAN.block/24, line 12 dst-port=port")
		judged := strings.Contains(b.String(), "the export cannot be judged where it has placeholders instead of values (2 line(s), see the notes)")
		if noted != tt.placeholder || judged != tt.placeholder {
			t.Errorf("%s: placeholders noted %v, diagnosis says so %v (want %v)\n%s\n%v\n%v", tt.name, noted, judged, tt.placeholder, b.String(), p.Notes, p.Aside)
		}
	}
}
