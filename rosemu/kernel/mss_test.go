package kernel

import (
	"strings"
	"testing"
)

// TestRenderMSSClamps: a session with its MTU clamps both ways; one
// without, the SYNs that leave by it; a tunnel's clamp-tcp-mss, the SYNs
// it receives only; none, no chain.
func TestRenderMSSClamps(t *testing.T) {
	var b strings.Builder
	renderMSSClamps(&b, []MSSClamp{{Link: "pppoe-out1", MTU: 1492}, {Link: "<pppoe-alice>"}, {Link: "gre1", MTU: 1400, Tunnel: true}})
	out := b.String()
	for _, want := range []string{
		`oifname "pppoe-out1" tcp flags syn / syn,rst tcp option maxseg size set rt mtu`,
		`iifname "pppoe-out1" tcp flags syn / syn,rst tcp option maxseg size > 1452 tcp option maxseg size set 1452`,
		`oifname "` + LinkName("<pppoe-alice>") + `" tcp flags syn`,
		`iifname "gre1" tcp flags syn / syn,rst tcp option maxseg size > 1360 tcp option maxseg size set 1360 comment "gre1 clamp-tcp-mss"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	if strings.Count(out, "iifname") != 2 {
		t.Errorf("a session without an MTU clamps the way in:\n%s", out)
	}
	if strings.Contains(out, `oifname "gre1"`) {
		t.Errorf("a tunnel's clamp-tcp-mss clamps the SYNs it sends:\n%s", out)
	}
	b.Reset()
	renderMSSClamps(&b, nil)
	if b.Len() != 0 {
		t.Errorf("no sessions: %q", b.String())
	}
}
