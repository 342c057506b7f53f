package config

import (
	"strings"
	"testing"
)

// TestExportEscapesQuestionMark: RouterOS writes a "?" in a quoted value as
// "\?" (a "?" typed at its console asks for help, so an export pasted
// there must not carry a bare one): all 93 question marks of the 224 real
// exports of realcheck27-35 are written so, in script sources (a 7.20.1
// cAP XL's "/tool fetch url=\"https://api.telegram.org/bot\\$tToken/
// sendMessage\\\?chat_id=\\$tGroupID\"") and regexps alike (a 7.21
// RB5009's "regexp=\".*(ro)\?blo(x|ks).*\""), none bare. rosemu wrote
// them bare (realcheck35 D3).
func TestExportEscapesQuestionMark(t *testing.T) {
	src := "/system script add name=tg source=\"/tool fetch url=\\\"https://example.com/send\\\\\\?chat_id=1\\\"\"\n" +
		"/ip firewall filter add chain=input comment=\"why?\" action=accept\n"
	for _, v := range []string{"7.20.1", "6.49.7"} {
		r := exportOf(t, v, src, `send\\\?chat_id=1`, `comment="why\?"`)
		if exp := body(r.Export()); strings.Contains(strings.ReplaceAll(exp, `\?`, ""), "?") {
			t.Errorf("%s: export writes a bare question mark:\n%s", v, exp)
		}
	}
}

// TestExportBareTildeAngleHashAmp: RouterOS leaves "~", "<", ">", "#" and
// "&" unquoted: the 224 real exports of realcheck27-35 write 119 values
// with "~" (a 7.10 CHR's "log-prefix=~~~SMB", 6.48.6 to 7.21), 86 with "<"
// and 78 with ">" (a 6.48.1 CCR's "name=sfp28-1<-PCSS", a 7.13.3 hAP ac2's
// "/tool e-mail set from=<>"), 12 with "#" (a 7.10 CHR's
// "log-prefix=#VPN") and 5 with "&" (a 7.20 CCR1036's IPsec secret), none
// in quotes unless a long value is broken across lines. rosemu quoted
// them (realcheck35 D2). "[" and "]" stay quoted: three verbose exports
// write default-mount-point-template="[slot]".
func TestExportBareTildeAngleHashAmp(t *testing.T) {
	src := "/interface bridge add name=br<-up->x\n" +
		"/ip firewall filter add action=accept chain=input log-prefix=~~~SMB\n" +
		"/ip firewall filter add action=accept chain=input comment=a&b log-prefix=#VPN\n"
	for _, v := range []string{"7.10", "6.48.1"} {
		exportOf(t, v, src, "name=br<-up->x", "log-prefix=~~~SMB", "comment=a&b log-prefix=#VPN")
	}
	exportOf(t, "7.13.3", "/tool e-mail set from=<router@example.com>\n", "set from=<router@example.com>")
	exportOf(t, "7.19.6", "/ip firewall filter add action=accept chain=forward comment=\"[slot]\"\n", `comment="[slot]"`)
}
