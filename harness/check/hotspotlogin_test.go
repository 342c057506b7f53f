package check

import (
	"strings"
	"testing"
)

// TestHotspotLogin: the lab's host on a hotspot LAN logs in as a user of
// the export's /ip hotspot user before its paths are probed, and its way
// out is judged after the login (chk58 left it "not judged": the host
// never logged in). A hidden password (an export leaves it out) gets the
// lab's own, in a lab line and a note; a password the export holds is
// used as it is. Controls: no user, no login step; a way out the hotspot
// still resets after the login is not judged, with why; one that times
// out after the login is judged (cause not identified, exit 1).
func TestHotspotLogin(t *testing.T) {
	build := func(rsc string) (*Plan, *Case) {
		t.Helper()
		p := loadText(t, rsc)
		found, _ := p.Diagnose()
		fx := p.Propose(found)
		c, err := p.labCase(found, nil, &fx)
		if err != nil {
			t.Fatal(err)
		}
		return p, c
	}
	hidden := hotspotLAN + "/ip hotspot user add name=alice\n"
	p, c := build(hidden)
	login := "  - probe: http\n    from: client1\n    to: 10.5.50.1:80\n    path: /login?password=chrlab-login&username=alice\n"
	i, j := strings.Index(c.YAML, login), strings.Index(c.YAML, "    to: peer:12566\n")
	if i < 0 || j < i {
		t.Errorf("no login before the way out:\n%s", c.YAML)
	}
	if !strings.Contains(p.RSC, `/ip hotspot user set [ find where name=alice ] password=chrlab-login`) {
		t.Errorf("the lab-ready configuration gives alice no password:\n%s", p.RSC)
	}
	if !hasNote(p.Notes, "logs in to the hotspot hotspot1 as its user alice (line 10)", "hides the user's password", "chrlab-login") {
		t.Errorf("no note of the login with the lab's password: %q", p.Notes)
	}

	p, c = build(hotspotLAN + "/ip hotspot user add name=alice password=secret\n")
	if !strings.Contains(c.YAML, "path: /login?password=secret&username=alice\n") || strings.Contains(p.RSC, "chrlab-login") || hasNote(p.Notes, "hides") {
		t.Errorf("the export's password is not used as it is:\n%s\n%q", c.YAML, p.Notes)
	}

	_, c = build(hotspotLAN)
	if strings.Contains(c.YAML, "/login?") {
		t.Errorf("control without a user: a login step:\n%s", c.YAML)
	}

	p = loadText(t, hidden)
	code, verdict, _ := labRun(t, p, "ok")
	if code != 0 || strings.Contains(verdict, "not judged") || strings.Contains(verdict, "not logged in") {
		t.Errorf("logged in, the way out worked: want no problem (exit 0), got %d: %s", code, verdict)
	}
	code, verdict, _ = labRun(t, p, "refused")
	if code != 0 || !strings.Contains(verdict, "not judged") || !strings.Contains(verdict, "the login did not take") {
		t.Errorf("logged in, still reset: want not judged, the login did not take (exit 0), got %d: %s", code, verdict)
	}
	code, verdict, _ = labRun(t, p, "timeout")
	if code != 1 || !strings.Contains(verdict, "cause not identified") {
		t.Errorf("logged in, a timeout: want judged, cause not identified (exit 1), got %d: %s", code, verdict)
	}
}
