package check

import (
	"bytes"
	"strings"
	"testing"
)

// TestSummaryQuotesNamesWithSpaces (D7d): a port renamed "ether2 " (a
// trailing space, as a real RB4011 export has it) is quoted in the ports,
// LAN and host lines, as RouterOS writes it; before it read
// "ether2 →ether2" and "(host on ether2 )". Control: plain names stay bare.
func TestSummaryQuotesNamesWithSpaces(t *testing.T) {
	text := `# by RouterOS 7.17.1
/interface ethernet set [ find default-name=ether2 ] name="ether2 "
/ip address add address=192.168.1.1/24 interface="ether2 "
/ip dhcp-client add interface=ether1
/ip firewall nat add action=masquerade chain=srcnat out-interface=ether1
`
	var b bytes.Buffer
	importText(t, text).Summary(&b)
	out := b.String()
	for _, want := range []string{"ports: ether1 \"ether2 \"→ether2\n", "LAN: \"ether2 \" 192.168.1.1/24 (host on \"ether2 \")", "WAN: ether1 on ether1,"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
}
