package check

import (
	"strings"
	"testing"
)

// TestEditLines (chk54): a hand-written configuration that adds a
// forward and then edits it (set [ find ... ], set <number>, disable,
// remove). check's reader walked the add alone: a forward the script
// removed or disabled was still judged, a port it moved stayed the old
// one. It reads them as RouterOS applies them now, and says so; a line it
// cannot follow is named. Controls: edits of built-in items (/ip service
// set www; /queue type set 7, where the print numbers the built-in types
// first) change nothing and say nothing.
func TestEditLines(t *testing.T) {
	const head = "# by RouterOS 7.16.2\n" + homeWANMasq + `add action=dst-nat chain=dstnat comment=cam dst-port=8000 in-interface-list=WAN protocol=tcp to-addresses=192.168.88.20
/ip route
add gateway=203.0.113.1
`
	for _, tt := range []struct {
		name, edit string
		forwards   int // the forwards read
		toPort     int // the first forward's to-port
		note       string
		lab        string // in the lab's configuration ("" none asked)
		notLab     string // not in it
	}{
		{"set by find", "/ip firewall nat\nset [ find comment=cam ] to-ports=8080\n", 1, 8080, "line 21 sets to-ports=8080 on line(s) 17", "to-ports=8080", "set [ find comment=cam ]"},
		{"set by find where, quoted", "/ip firewall nat\nset [ find where comment=\"cam\" ] disabled=yes\n", 0, 0, "line 21 sets disabled=yes on line(s) 17", "", ""},
		{"disable by find", "/ip firewall nat\ndisable [ find comment=cam ]\n", 0, 0, "line 21 disables line(s) 17", "", ""},
		{"remove by number", "/ip firewall nat\nremove 1\n", 0, 0, "line 21 removes line(s) 17", "", "dst-port=8000"},
		{"remove by find", "/ip firewall nat\nremove [ find dst-port=8000 ]\n", 0, 0, "line 21 removes line(s) 17", "", "dst-port=8000"},
		{"a number beyond the list", "/ip firewall nat\nset 5 disabled=yes\n", 1, 8000, "check does not read (a find with operators, or a number beyond the menu's items): line 21 (/ip firewall nat set 5 disabled=yes)", "", ""},
		{"a find with an operator (control)", "/ip firewall nat\nset [ find comment~\"ca\" ] disabled=yes\n", 1, 8000, "check does not read", "", ""},
		{"a built-in item (control)", "/ip service\nset www disabled=yes\n", 1, 8000, "", "/ip service set www disabled=yes", ""},
		// rc30's hAP ax3 export: the print numbers /queue type's built-in
		// types first, and the export sets two of them by number.
		// The print puts a dynamic "special dummy rule to show fasttrack
		// counters" first once a fasttrack rule exists: remove 1 there is
		// the fasttrack rule, not the second added (the accept).
		{"a number in a filter with fasttrack", "/ip firewall filter\nadd action=fasttrack-connection chain=forward connection-state=established,related\nadd action=accept chain=forward comment=keep\nremove 1\n", 1, 8000, "a number in a table whose print puts dynamic rules first: the fasttrack counters' rule, a hotspot's rules, UPnP's mappings): line 23 (/ip firewall filter remove 1)", "remove 1", ""},
		// A hotspot puts its dynamic rules in the NAT table's print: remove
		// 1 need not be the dst-nat.
		{"a number in the NAT of a router with a hotspot", "/ip hotspot\nadd interface=ether2 name=hs1\n/ip firewall nat\nremove 1\n", 1, 8000, "a hotspot's rules, UPnP's mappings): line 23 (/ip firewall nat remove 1)", "/ip firewall nat remove 1", ""},
		// UPnP puts a dynamic dst-nat per mapped port in the NAT (chk57
		// D9): disable 1 need not be the dst-nat, wherever the upnp line
		// stands; the filter's numbers stay read.
		{"a number in the NAT of a router with UPnP", "/ip firewall nat\ndisable 1\n/ip upnp\nset enabled=yes\n", 1, 8000, "UPnP's mappings): line 21 (/ip firewall nat disable 1)", "/ip firewall nat disable 1", ""},
		{"a number in the filter of a router with UPnP (control)", "/ip firewall filter\nadd action=accept chain=forward comment=keep\nremove 0\n/ip upnp\nset enabled=yes\n", 1, 8000, "line 22 removes line(s) 21", "", "comment=keep"},
		{"UPnP off (control)", "/ip firewall nat\ndisable 1\n/ip upnp\nset enabled=no\n", 0, 0, "line 21 disables line(s) 17", "", ""},
		// The print of /ipv6 address numbers the interfaces' dynamic
		// link-local addresses too: 0 need not be the added address.
		{"a number in a menu with dynamic items (control)", "/ipv6 address\nadd address=2001:db8::1/64 interface=ether2\nremove 0\n", 1, 8000, "", "/ipv6 address remove 0", ""},
		{"a built-in item by number (control)", "/queue type\nadd kind=pcq name=pcq-guest pcq-rate=5M\nset 7 pcq-rate=300M\n", 1, 8000, "", "/queue type set 7 pcq-rate=300M", ""},
	} {
		p := importText(t, head+tt.edit)
		notes := strings.Join(p.Notes, "\n")
		switch {
		case len(p.Forwards) != tt.forwards:
			t.Errorf("%s: %d forward(s), want %d", tt.name, len(p.Forwards), tt.forwards)
		case tt.forwards > 0 && p.Forwards[0].ToPort != tt.toPort:
			t.Errorf("%s: to port %d, want %d", tt.name, p.Forwards[0].ToPort, tt.toPort)
		case tt.note != "" && !strings.Contains(notes, tt.note):
			t.Errorf("%s: no note says %q:\n%s", tt.name, tt.note, notes)
		case tt.note == "" && strings.Contains(notes, "edit items the export added"):
			t.Errorf("%s: a note on edits:\n%s", tt.name, notes)
		case tt.lab != "" && !strings.Contains(p.RSC, tt.lab), tt.notLab != "" && strings.Contains(p.RSC, tt.notLab):
			t.Errorf("%s: the lab's configuration, want %q and not %q:\n%s", tt.name, tt.lab, tt.notLab, p.RSC)
		}
	}
}
