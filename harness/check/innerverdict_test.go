package check

import (
	"strings"
	"testing"
)

// TestInnerRouterVerdict: an inner router's forward on a public address
// it holds behind a private uplink is what the rules cannot judge (the
// router in front may route it here), and its path from the internet
// meets the lab's own ISP router, which routes nothing behind a private
// WAN. The console said so, but the verdict still counted that path: "1
// path(s) broken and no fix on this router", exit 1. It is now not
// judged, and said (exit 0). Controls: a failed hairpin path is still
// broken; a forward the rules read unreachable (a public address the
// router neither holds nor has a subnet of: NoPublicAddress) still makes
// the verdict unfixable, exit 1.
func TestInnerRouterVerdict(t *testing.T) {
	run := func(dst, hairpin string) (string, int) {
		t.Helper()
		p := loadText(t, strings.Replace(innerRouter, "dst-address=DST", dst, 1)+
			"/ip firewall nat add action=masquerade chain=srcnat src-address=192.168.69.0/24 dst-address=192.168.69.91 out-interface=bridge_local\n")
		found, _ := p.Diagnose()
		outs := []Outcome{
			{Probe: Probe{Forward: 0, Path: "internet", Phase: "before", From: "peer", To: "cpe1.public:80", NoPublic: true}, Result: "timeout"},
			{Probe: Probe{Forward: 0, Path: "hairpin:ether3", Phase: "before", From: "client2", To: "160.22.181.18:80"}, Result: hairpin, Saw: "client"},
		}
		_, text, code := p.LabVerdict(found, p.Propose(found), outs)
		return text, code
	}
	text, code := run("dst-address=160.22.181.18", "ok")
	if code != 0 || strings.Contains(text, "broken") || !strings.Contains(text, "1 path(s) from the internet to a public address behind the private WAN not judged") || strings.Contains(text, "every forward works") {
		t.Errorf("the inner router's internet path is judged (exit %d): %s", code, text)
	}
	if text, code = run("dst-address=160.22.181.18", "timeout"); code != 1 || !strings.Contains(text, "1 path(s) broken") {
		t.Errorf("control, a failed hairpin: want 1 path broken (exit 1), got %d: %s", code, text)
	}
	if text, code = run("dst-address=203.0.113.77", "ok"); code != 1 || strings.Contains(text, "not judged") {
		t.Errorf("control, NoPublicAddress: want unfixable (exit 1), got %d: %s", code, text)
	}
}
