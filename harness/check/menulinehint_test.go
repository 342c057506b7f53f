package check

import (
	"context"
	"strings"
	"testing"
)

// TestRefusedMenuCitesMenuLine: a command under a menu the lab router
// does not have is listed at its own line and now names the menu line
// validate reports (rc31 C3: check said line 15, validate 14:2). Control:
// the same menu written on the command's line gets no such hint.
func TestRefusedMenuCitesMenuLine(t *testing.T) {
	const export = `# 2025-12-11 17:53:00 by RouterOS 7.20.5
/ip address
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip dhcp-client
add interface=ether1
/foobar baz
add name=x
`
	reason := func(text string) string {
		p := importNamed(t, "c3.rsc", []byte(text))
		p.Refusals(context.Background())
		for _, a := range p.Aside {
			if a.Line == 7 {
				return a.Reason
			}
		}
		t.Fatalf("line 7 not refused: %+v", p.Aside)
		return ""
	}
	if r := reason(export); !strings.Contains(r, "bad command name foobar (the menu line 6, /foobar baz, where chrlab validate reports it)") {
		t.Errorf("reason %q", r)
	}
	if r := reason(strings.Replace(export, "/foobar baz\nadd name=x\n", "\n/foobar baz add name=x\n", 1)); strings.Contains(r, "menu line") {
		t.Errorf("control: reason %q", r)
	}
}
