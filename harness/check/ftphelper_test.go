package check

import (
	"strings"
	"testing"
)

const ftpForwardExport = `# 2025-03-10 10:00:00 by RouterOS 6.49.10
/ip address
add address=198.51.100.2/30 interface=ether1 network=198.51.100.0
add address=192.168.1.1/24 interface=ether2 network=192.168.1.0
/ip route
add gateway=198.51.100.1
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
add action=dst-nat chain=dstnat dst-port=2121 in-interface=ether1 protocol=tcp to-addresses=192.168.1.40 to-ports=21
/ip firewall service-port
set ftp disabled=yes
`

// An FTP forward with the ftp helper turned off gets a note naming both
// lines; with the helper on (RouterOS's default) or a forward that is not
// to the helper's port, none.
func TestFTPHelperOffNote(t *testing.T) {
	note := func(text string) string {
		p := importText(t, text)
		for _, n := range p.Notes {
			if strings.Contains(n, "ftp helper") {
				return n
			}
		}
		return ""
	}
	n := note(ftpForwardExport)
	if !strings.Contains(n, "line 9 forwards FTP (tcp 2121 to 192.168.1.40:21) while line 11") || !strings.Contains(n, "service-port set ftp disabled=no") {
		t.Fatalf("note: %q", n)
	}
	if n := note(strings.Replace(ftpForwardExport, "set ftp disabled=yes", "set ftp disabled=no", 1)); n != "" {
		t.Errorf("helper on: %q", n)
	}
	if n := note(strings.Replace(ftpForwardExport, "to-ports=21", "to-ports=22", 1)); n != "" {
		t.Errorf("SSH forward: %q", n)
	}
	if n := note(strings.Replace(ftpForwardExport, "set ftp disabled=yes", "set ftp disabled=yes ports=2121", 1)); n != "" {
		t.Errorf("helper on 2121 only, server on 21: %q", n)
	}
}
