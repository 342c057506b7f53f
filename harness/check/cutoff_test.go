package check

import (
	"context"
	"strings"
	"testing"
)

// TestCutOffExport: an export copied from a terminal that stopped in the
// middle of a dst-nat read as "no problem found" with the forward quietly
// lost. Cut after a continuation backslash, or without a line end inside
// a command that is then set aside, it now says it looks cut off. A whole
// export without a final line end (the control) says nothing.
func TestCutOffExport(t *testing.T) {
	const head = "# 2024-11-03 14:22:10 by RouterOS 7.16.1\n" + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
/ip dhcp-client
add interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
`
	for _, tt := range []struct {
		name, tail, want string
	}{
		{"continuation", "add action=dst-nat chain=dstnat dst-port=443 \\\n", "ends in the middle of the command at line 18"},
		{"no line end", "add action=dst-nat chain=dstnat dst-port=443 protocol=tcp to-addr", "ends without a line end, inside the command at line 18"},
		{"whole, no line end", "add action=dst-nat chain=dstnat dst-port=443 protocol=tcp to-addresses=192.168.88.10", ""},
	} {
		p := importNamed(t, "cut.rsc", []byte(head+tt.tail))
		p.Refusals(context.Background())
		got := strings.Join(p.Notes, "\n")
		if tt.want == "" && strings.Contains(got, "cut off") || tt.want != "" && !strings.Contains(got, tt.want) {
			t.Errorf("%s: notes\n%s", tt.name, got)
		}
	}
}
