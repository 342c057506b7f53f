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

// TestWrapNewlinesLikeRouterOS: a quoted value with newlines (a script, a
// routing filter rule, a comment) is broken before each "\n" as RouterOS
// writes it, even when it would fit on the line. rosemu wrote such a value
// on one line, breaking it only at the margin (realcheck32 D7).
func TestWrapNewlinesLikeRouterOS(t *testing.T) {
	for _, c := range []struct {
		cmd    string
		tokens []string
		want   string
	}{
		// 7.22.1 CHR.
		{"set [ find default-name=ether1 ]", []string{`comment="WAN - UTM shared Network\n"`},
			"set [ find default-name=ether1 ] comment=\"WAN - UTM shared Network\\\n    \\n\"\n"},
		// 7.22.1 core router.
		{"add", []string{"chain=out.ospf-main", `rule="if (dst == 10.10.10.0/24) {reject}\nif (dst == 10.80.80.0/24) {reject}\nif (dst == 10.90.90.0/29) {reject}\n accept;"`},
			"add chain=out.ospf-main rule=\"if (dst == 10.10.10.0/24) {reject}\\\n    \\nif (dst == 10.80.80.0/24) {reject}\\\n    \\nif (dst == 10.90.90.0/29) {reject}\\\n    \\n accept;\"\n"},
		// 7.22.3 CRS310: a script.
		{"add", []string{"dont-require-permissions=no", "name=backup-nightly-export", "owner=admin", "policy=ftp,read,write,policy,test,sensitive", `source="\r\n    /export file=\"nightly\"\r\n    :log info \"Nightly config export written: nightly.rsc\"\r\n"`},
			"add dont-require-permissions=no name=backup-nightly-export owner=admin \\\n    policy=ftp,read,write,policy,test,sensitive source=\"\\r\\\n    \\n    /export file=\\\"nightly\\\"\\r\\\n    \\n    :log info \\\"Nightly config export written: nightly.rsc\\\"\\r\\\n    \\n\"\n"},
	} {
		if got := wrap(c.cmd, c.tokens); got != c.want {
			t.Errorf("wrap(%q):\n%s\nwant\n%s", strings.Join(c.tokens, " "), got, c.want)
		}
	}
}

// TestTerseNewlinesLikeRouterOS: a terse export keeps each command on one
// line but breaks a quoted value before each "\n", as a 7.23.1 RB4011's
// terse export writes its netwatch scripts (realcheck32 D7).
func TestTerseNewlinesLikeRouterOS(t *testing.T) {
	got := terseLine("tool netwatch", "add", []string{"disabled=no", `down-script="/interface wireguard peer disable 0\r\n:delay 5\r\n/interface wireguard peer enable 0"`, "host=10.255.1.2", "interval=1m", "timeout=1s", "type=simple"})
	want := "/tool netwatch add disabled=no down-script=\"/interface wireguard peer disable 0\\r\\\n    \\n:delay 5\\r\\\n    \\n/interface wireguard peer enable 0\" host=10.255.1.2 interval=1m timeout=1s type=simple\n"
	if got != want {
		t.Errorf("terse line:\n%s\nwant\n%s", got, want)
	}
}
