package check

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// A dst-nat on connection-mark=web with no dst-port is probed on the port
// the mangle rule that sets the mark matches; that rule is bound to the
// WAN, so the LAN's connection is never marked: found, and fixed with a
// LAN mark rule and the hairpin rule.
func TestConnectionMarkForward(t *testing.T) {
	data, err := os.ReadFile("testdata/connmark-dstnat.rsc")
	if err != nil {
		t.Fatal(err)
	}
	p := importText(t, string(data))
	if len(p.Forwards) != 1 || p.Forwards[0].DstPort != 8443 || p.Forwards[0].ToPort != 443 || p.Forwards[0].Protocol != "tcp" {
		t.Fatalf("forwards: %+v", p.Forwards)
	}
	found, _ := p.Diagnose()
	if !slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == MarkOnlyWAN && f.Line == 30 }) {
		t.Errorf("findings: %+v", found)
	}
	all := strings.Join(p.Propose(found).Lines, "\n")
	if !strings.Contains(all, "in-interface=bridge dst-address=203.0.113.2 protocol=tcp dst-port=8443 new-connection-mark=web") ||
		!strings.Contains(all, "hairpin to 192.168.88.10") {
		t.Errorf("fix:\n%s", all)
	}
}
