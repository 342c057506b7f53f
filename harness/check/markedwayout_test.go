package check

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestMarkedWayOut (rc28 D6): a 6.43 router whose VLAN 10 is marked by
// mangle (line 57, new-routing-mark=a_WAN1) to a table whose default route
// goes by 192.168.101.254 on eth1_vlan101, a WAN VLAN the lab leaves out.
// The check took the DHCP clients on the trunk port and on the LAN bridge
// local as the WANs and pasted masquerades out of both, one out of a LAN
// bridge the LAN never leaves by. Now the LAN's way out is a note naming
// the marked route, no finding and no fix; the router stays a gateway
// whose open services are warned of. Control: without the mangle rules
// the finding and its fix stand as before.
func TestMarkedWayOut(t *testing.T) {
	data, err := os.ReadFile("testdata/rb-6438-vrrp-pbr.rsc")
	if err != nil {
		t.Fatal(err)
	}
	unmarked := regexp.MustCompile(`(?s)/ip firewall mangle\n.*?/ip route\n`).ReplaceAllString(string(data), "/ip route\n")
	if unmarked == string(data) {
		t.Fatal("the control export still has its mangle rules")
	}
	for _, tt := range []struct {
		name, text string
		marked     bool
	}{
		{"marked", string(data), true},
		{"unmarked", unmarked, false},
	} {
		p := importText(t, tt.text)
		found, _ := p.Diagnose()
		fx := p.Propose(found)
		masq := len(withCause(found, NoMasquerade))
		fix := strings.Join(fx.Lines, "\n")
		notes := strings.Join(p.Notes, "\n")
		note := strings.Contains(notes, "line 57 gives its connections to the internet the routing mark a_WAN1, whose default route (line 64) goes by 192.168.101.254 on eth1_vlan101")
		warned := strings.Contains(strings.Join(p.OfflineServiceWarnings(), "\n"), "WinBox (8291) would be open")
		if tt.marked && (masq != 0 || strings.Contains(fix, "out-interface=local") || !note || !warned || strings.Contains(notes, "out-interface=local")) {
			t.Errorf("%s: %d no-masquerade finding(s), fix %q, note %v, WinBox warned %v\n%s", tt.name, masq, fix, note, warned, notes)
		}
		if !tt.marked && (masq != 1 || !strings.Contains(fix, "out-interface=local") || note || !warned) {
			t.Errorf("%s: %d no-masquerade finding(s), fix %q, note %v, WinBox warned %v", tt.name, masq, fix, note, warned)
		}
	}
}
