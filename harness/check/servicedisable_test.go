package check

import (
	"strings"
	"testing"
)

// TestServiceDisableVerb (realcheck26 D6): "/ip service disable [find
// name=ssh]", "disable telnet" and "disable ftp,www" turn the services off
// as "set ssh disabled=yes" does: check --offline warns of WinBox only.
// Control: a later "enable" turns one back on, and is warned of again.
func TestServiceDisableVerb(t *testing.T) {
	const base = `# 2025-01-01 00:00:00 by RouterOS 7.19.4
/ip address
add address=192.168.1.1/24 interface=ether2
/ip dhcp-client
add interface=ether1
/ip firewall nat
add chain=srcnat out-interface=ether1 action=masquerade
/ip service disable [find name=ssh]
/ip service disable [find name=www]
/ip service
disable telnet
`
	w := strings.Join(importText(t, base).OfflineServiceWarnings(), "\n")
	if !strings.Contains(w, "WinBox (8291)") || strings.Contains(w, "SSH") || strings.Contains(w, "WebFig") {
		t.Errorf("warnings:\n%s", w)
	}
	w = strings.Join(importText(t, base+"enable ssh\n").OfflineServiceWarnings(), "\n")
	if !strings.Contains(w, "SSH (22)") || strings.Contains(w, "WebFig") {
		t.Errorf("enabled again: warnings:\n%s", w)
	}
}
