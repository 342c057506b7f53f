package check

import (
	"strings"
	"testing"
)

// TestForwardAllowListIsPolicy (realcheck27 D2): a forward filter drop of
// new connections from the WAN "src-address-list=!admin" is an
// allow-list, and was read as a breakage of every forward, with a fix that
// accepted every dst-nat'd connection above it (SSH and camera ports open
// to the internet). Its internet paths are by design now: no finding from
// the internet, no accept, a note, and the lab marks the probes by design.
// Control: the same drop without the negated list stops every forward for
// everyone, and its findings and fix (the drop spares dst-nat'd
// connections) stay.
func TestForwardAllowListIsPolicy(t *testing.T) {
	const accept = "/ip firewall filter add chain=forward action=accept connection-nat-state=dstnat"
	text := readTestdata(t, "testdata/forward-allowlist-admin.rsc")
	p := loadText(t, text)
	found, _ := p.Diagnose()
	for _, f := range found {
		if f.Path == "internet" {
			t.Errorf("a finding on an allow-listed forward's internet path: %s", f)
		}
	}
	if fx := strings.Join(p.Propose(found).Lines, "\n"); strings.Contains(fx, accept) || strings.Contains(fx, "connection-nat-state=!dstnat") {
		t.Errorf("the fix opens the forwards:\n%s", fx)
	}
	if notes := strings.Join(p.Notes, "\n"); !strings.Contains(notes, "line 20 drops new forwarded connections from every source but src-address-list=admin: the internet paths of forward(s) 1, 2 admit only those sources") {
		t.Errorf("notes:\n%s", notes)
	}
	c, err := p.Case(p.Propose(found))
	if err != nil {
		t.Fatal(err)
	}
	for _, pr := range c.Probes {
		if pr.Forward >= 0 && pr.Path == "internet" && !pr.ByDesign {
			t.Errorf("internet probe not by design: %+v", pr)
		}
		if pr.Forward >= 0 && strings.HasPrefix(pr.Path, "hairpin:") && pr.ByDesign {
			t.Errorf("a LAN path is taken by design: %+v", pr)
		}
	}

	q := loadText(t, strings.Replace(text, " \\\n    src-address-list=!admin", "", 1))
	found, _ = q.Diagnose()
	n := 0
	for _, f := range found {
		if f.Path == "internet" && f.Cause == ForwardDropsWAN {
			n++
		}
	}
	if fx := strings.Join(q.Propose(found).Lines, "\n"); n != 2 || !strings.Contains(fx, `/ip firewall filter set [ find where comment="Drop new connections from WAN not from Admin" ] connection-nat-state=!dstnat`) {
		t.Errorf("control: %d internet drop findings, fix:\n%s", n, fx)
	}
}
