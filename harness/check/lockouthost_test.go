package check

import (
	"fmt"
	"testing"
)

// TestServiceLockoutHostInList (chk54): WinBox's address= is a /28 of the
// LAN, and the input chain accepts its hosts by a range above the final
// drop. The note walked the /28's network address, which no range of
// hosts holds, met the drop and said the admins are locked out. It walks
// the list's first host now (the router's own address skipped). Control:
// without the accept the note stands.
func TestServiceLockoutHostInList(t *testing.T) {
	const export = svcHead + `%sadd action=drop chain=input
` + svcTail + `set winbox address=192.168.88.0/28
`
	for _, tt := range []struct {
		name, accept, want string
	}{
		{"accepted by a range", "add action=accept chain=input dst-port=8291 protocol=tcp src-address=192.168.88.2-192.168.88.14\n", ""},
		{"not accepted (control)", "", "winbox (tcp 8291) is managed from 192.168.88.0/28 (/ip service address=), but line 13 drops it"},
	} {
		wantOneNote(t, tt.name, importNamed(t, "lockhost.rsc", []byte(fmt.Sprintf(export, tt.accept))), "managed from", tt.want)
	}
}
