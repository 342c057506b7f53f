package check

import (
	"fmt"
	"strings"
	"testing"
)

// TestRedirectAsForward: a "port forward" written as action=redirect
// to-ports=12566 on the WAN: the router itself takes it, and none of its
// services listens there. The note says a forward to a LAN host is
// dst-nat; before, it offered an input accept for the redirected port,
// which opens nothing. The negative control: a redirect of 2222 to the
// router's SSH keeps the input-drop note.
func TestRedirectAsForward(t *testing.T) {
	const export = `# 2026-11-30 18:42:07 by RouterOS 7.16.2
` + etherLists + `/ip address
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=drop chain=input in-interface-list=!LAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=redirect chain=dstnat comment=fwd dst-port=%d in-interface=ether1 protocol=tcp to-ports=%d
/ip route
add gateway=203.0.113.1
`
	for _, tt := range []struct {
		name     string
		from, to int
		want     string
	}{
		{"redirect as a forward", 12566, 12566, "none of the router's services listens on 12566: if a LAN host serves it, a port forward is action=dst-nat"},
		{"redirect to SSH", 2222, 22, "line 13 drops it, so the redirect leads nowhere"},
	} {
		p := importNamed(t, "redirect.rsc", []byte(fmt.Sprintf(export, tt.from, tt.to)))
		n := 0
		for _, note := range p.Notes {
			if strings.Contains(note, "redirect") {
				n++
				if !strings.Contains(note, tt.want) {
					t.Errorf("%s: note %q", tt.name, note)
				}
			}
		}
		if n != 1 {
			t.Errorf("%s: notes %q", tt.name, p.Notes)
		}
	}
}
