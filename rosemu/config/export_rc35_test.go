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
