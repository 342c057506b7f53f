package check

import (
	"strings"
	"testing"
)

// TestPPPoEServerNote (rc29 C2): an enabled PPPoE server's clients are a
// LAN the lab does not make: a note says they are not probed. Control: a
// disabled server gets none.
func TestPPPoEServerNote(t *testing.T) {
	const export = `# jan/02/2025 10:00:00 by RouterOS 7.18.2
/interface ethernet
set [ find default-name=ether2 ] name="ether2-pppoe server"
/ip pool
add name=pool1 ranges=10.60.60.2-10.60.60.254
/ppp profile
add local-address=10.60.60.1 name=PPPoE-profile remote-address=pool1
/interface pppoe-server server
add default-profile=PPPoE-profile disabled=%s interface="ether2-pppoe server" service-name=PPPoE-LAB
/ip dhcp-client
add interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
`
	for _, tt := range []struct {
		disabled string
		want     bool
	}{{"no", true}, {"yes", false}} {
		p := importText(t, strings.Replace(export, "%s", tt.disabled, 1))
		got := strings.Contains(strings.Join(p.Notes, "\n"), `line 9 runs a PPPoE server on "ether2-pppoe server" (service PPPoE-LAB): its clients dial in`)
		if got != tt.want {
			t.Errorf("disabled=%s: note %v, want %v: %v", tt.disabled, got, tt.want, p.Notes)
		}
	}
}
