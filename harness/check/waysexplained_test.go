package check

import (
	"bytes"
	"strings"
	"testing"
)

// hotspotLAN is a home router whose LAN bridge holds a hotspot server
// (rc32 C2, cut down to what the reading needs).
const hotspotLAN = `# by RouterOS 7.16
/interface bridge add name=bridge
/interface bridge port add bridge=bridge interface=ether3
/ip hotspot profile add hotspot-address=10.5.50.1 login-by=http-chap name=hsprof1
/ip pool add name=hs-pool ranges=10.5.50.10-10.5.50.254
/ip hotspot add address-pool=hs-pool interface=bridge name=hotspot1 profile=hsprof1
/ip address add address=10.5.50.1/24 interface=bridge network=10.5.50.0
/ip dhcp-client add interface=ether1
/ip firewall nat add action=masquerade chain=srcnat out-interface=ether1
`

// labRun is what a lab run of p says when its LAN bridge's way out ended
// in result: the verdict and the console's diagnosis.
func labRun(t *testing.T, p *Plan, result string) (code int, verdict, console string) {
	t.Helper()
	found, _ := p.Diagnose()
	fx := p.Propose(found)
	outs := []Outcome{{Probe: Probe{Forward: -1, Path: lanReachPrefix + "bridge", Phase: "before", From: "client1", To: "peer:12566"}, Result: result}}
	if result == "ok" {
		outs[0].By = "peer"
	}
	_, verdict, code = p.LabVerdict(found, fx, outs)
	var b bytes.Buffer
	PrintLabFindings(&b, p, found, fx, outs)
	return code, verdict, b.String() + strings.Join(p.LabWarnings(&Result{Outcomes: outs}), "\n")
}

// TestHotspotWayOutNotJudged (rc32 C2): the lab's host on a hotspot LAN
// never logs in, so the hotspot refuses its way out; the lab read that as
// "broken, cause not identified", exit 1, for every hotspot router. It is
// now not judged, with the hotspot's line, exit 0. Control: the same LAN
// without the hotspot is still broken with no cause.
func TestHotspotWayOutNotJudged(t *testing.T) {
	code, verdict, console := labRun(t, loadText(t, hotspotLAN), "refused")
	if code != 0 || strings.Contains(verdict+console, "cause not identified") {
		t.Errorf("a hotspot's refused way out is counted broken (exit %d): %s\n%s", code, verdict, console)
	}
	for _, want := range []string{"not logged in to the hotspot hotspot1 (line 6)", "not judged"} {
		if !strings.Contains(verdict, want) || !strings.Contains(console, want) {
			t.Errorf("verdict or console lacks %q:\n%s\n%s", want, verdict, console)
		}
	}
	noHotspot := strings.Replace(hotspotLAN, "/ip hotspot add address-pool=hs-pool interface=bridge name=hotspot1 profile=hsprof1\n", "", 1)
	code, verdict, console = labRun(t, loadText(t, noHotspot), "refused")
	if code != 1 || !strings.Contains(verdict, "cause not identified") || strings.Contains(verdict+console, "hotspot") {
		t.Errorf("control without a hotspot: want broken, cause not identified (exit 1), got %d: %s\n%s", code, verdict, console)
	}
}

// equalDefaults is chk57's t/dual.rsc: two DHCP WANs whose default
// routes tie, a masquerade on ether1 only.
const equalDefaults = `# by RouterOS 7.16
/interface bridge add name=bridge
/interface bridge port add bridge=bridge interface=ether3
/ip address add address=192.168.88.1/24 interface=bridge network=192.168.88.0
/ip dhcp-client add interface=ether1
/ip dhcp-client add interface=ether2
/ip firewall nat add action=masquerade chain=srcnat out-interface=ether1
`

// TestEqualDefaultWayOutExplained (chk57 D4 left): the lab's LAN probe
// failed as the warning on the equal-distance route without srcnat
// predicts, and the verdict read "broken, cause not identified" under
// it, the warning itself "the lab ran no probe of it". The verdict now
// names the warning's cause (still broken, exit 1). Controls: the way
// out that worked says nothing of it; a masquerade on both WANs (no
// warning) leaves a failed way out unexplained.
func TestEqualDefaultWayOutExplained(t *testing.T) {
	code, verdict, console := labRun(t, loadText(t, equalDefaults), "timeout")
	if code != 1 || strings.Contains(verdict+console, "cause not identified") || !strings.Contains(verdict, "the warning above names the cause") {
		t.Errorf("want broken with the warning's cause (exit 1), got %d: %s\n%s", code, verdict, console)
	}
	if !strings.Contains(console, "the lab's way out from bridge failed (timeout), as this predicts") || strings.Contains(console, "the lab ran no probe of it") {
		t.Errorf("the warning does not say the lab showed it:\n%s", console)
	}
	code, verdict, console = labRun(t, loadText(t, equalDefaults), "ok")
	if code != 0 || strings.Contains(verdict+console, "names the cause") || strings.Contains(console, "as this predicts") {
		t.Errorf("control, the way out worked: got %d: %s\n%s", code, verdict, console)
	}
	both := equalDefaults + "/ip firewall nat add action=masquerade chain=srcnat out-interface=ether2\n"
	code, verdict, _ = labRun(t, loadText(t, both), "timeout")
	if code != 1 || !strings.Contains(verdict, "cause not identified") {
		t.Errorf("control, both WANs masqueraded: want cause not identified, got %d: %s", code, verdict)
	}
}
