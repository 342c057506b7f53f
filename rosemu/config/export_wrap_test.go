package config

import (
	"strings"
	"testing"
)

// TestWrapLikeRouterOS: commands of real exports laid out as RouterOS laid
// them out. rosemu broke one column later than RouterOS (an 80-character
// line, "... name=vlan-810-METRO-CERES vlan-id=\", where a 6.48.4
// CCR1036 writes "... name=vlan-810-METRO-CERES \" and "vlan-id=810" on
// the next line) and wrote a long unquoted value unbroken past the margin,
// where RouterOS quotes it and breaks inside the quotes (a 6.48.6 WISP's
// user group policy) (realcheck32 D6).
func TestWrapLikeRouterOS(t *testing.T) {
	for _, c := range []struct {
		tokens []string
		want   string
	}{
		// 6.48.4 CCR1036: the token goes to the next line whole.
		{[]string{"interface=ether3-METRO-2020239391-BACKUP", "name=vlan-810-METRO-CERES", "vlan-id=810"},
			"add interface=ether3-METRO-2020239391-BACKUP name=vlan-810-METRO-CERES \\\n    vlan-id=810\n"},
		// The same router: a break right after name=.
		{[]string{"limit-at=8M", "max-limit=50M", "name=orange_hr_ceres", "packet-mark=orange_hr_ceres", `parent="Download CERES"`, "queue=default"},
			"add limit-at=8M max-limit=50M name=orange_hr_ceres packet-mark=\\\n    orange_hr_ceres parent=\"Download CERES\" queue=default\n"},
		// 6.47.10 RB4011: no break after name= that would end the line
		// at the 78th column.
		{[]string{"action=accept", "chain=forward", `comment="VPN Users policies"`, "dst-address-list=Main_Lan_addresses", "src-address-list=Full_Access_VPN_Address"},
			"add action=accept chain=forward comment=\"VPN Users policies\" \\\n    dst-address-list=Main_Lan_addresses src-address-list=\\\n    Full_Access_VPN_Address\n"},
		// 7.16 CCR: a quoted value breaks before the 79th column.
		{[]string{"name=monitoring", `policy="local,read,winbox,!telnet,!ssh,!ftp,!reboot,!write,!policy,!test,!password,!web,!sniff,!sensitive,!api,!romon,!rest-api"`},
			"add name=monitoring policy=\"local,read,winbox,!telnet,!ssh,!ftp,!reboot,!write\\\n    ,!policy,!test,!password,!web,!sniff,!sensitive,!api,!romon,!rest-api\"\n"},
		// 6.48.6 WISP: rosemu keeps a policy list unquoted; too long
		// for a line, it is quoted and broken as RouterOS writes it.
		{[]string{"name=bacasaja", "policy=read,winbox,romon,!local,!telnet,!ssh,!ftp,!reboot,!write,!policy,!test,!password,!web,!sniff,!sensitive,!api,!dude,!tikapp"},
			"add name=bacasaja policy=\"read,winbox,romon,!local,!telnet,!ssh,!ftp,!reboot,!\\\n    write,!policy,!test,!password,!web,!sniff,!sensitive,!api,!dude,!tikapp\"\n"},
	} {
		if got := wrap("add", c.tokens); got != c.want {
			t.Errorf("wrap(%q):\n%s\nwant\n%s", strings.Join(c.tokens, " "), got, c.want)
		}
	}
}
