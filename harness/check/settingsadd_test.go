package check

import (
	"strings"
	"testing"
)

// TestSettingsAddRefused (rc32 C4): an add under /system routerboard
// settings (a scheduler's line whose menu line went missing) was set
// aside unseen as "RouterBOARD settings: a lab router is not a
// RouterBOARD". A settings menu has no add: it is among the refused lines
// now. Controls: the menu's set stays hardware, and so does an add under
// a hardware menu that has items (a wireless security profile).
func TestSettingsAddRefused(t *testing.T) {
	p := loadText(t, `# by RouterOS 7.16
/ip address
add address=192.168.88.1/24 interface=ether2
/ip dhcp-client
add interface=ether1
/interface wireless security-profiles
add name=guest mode=dynamic-keys
/system routerboard settings
set enter-setup-on=delete-key
add interval=1w name=sched-weekly on-event="/system backup save name=weekly"
`)
	hw, refused := splitAside(p.Aside)
	reasons := map[int]string{}
	for _, a := range hw {
		reasons[a.Line] = "hw: " + a.Reason
	}
	for _, a := range refused {
		reasons[a.Line] = "refused: " + a.Reason
	}
	if r := reasons[10]; !strings.HasPrefix(r, "refused: ") || !strings.Contains(r, "settings menu: it has set and no add") {
		t.Errorf("line 10 (add under settings): %q", r)
	}
	if r := reasons[9]; !strings.HasPrefix(r, "hw: RouterBOARD settings") {
		t.Errorf("control, line 9 (set): %q", r)
	}
	if r := reasons[7]; !strings.HasPrefix(r, "hw: wireless") {
		t.Errorf("control, line 7 (add under a hardware menu with items): %q", r)
	}
}
