package check

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// A hairpin src-nat written with dst-address=<the public address> never
// matches (srcnat sees the server's address): the diagnosis names that
// rule, not "no hairpin rule", and the fix adds the working rule.
func TestHairpinPublicAddress(t *testing.T) {
	data, err := os.ReadFile("testdata/hairpin-public-dst.rsc")
	if err != nil {
		t.Fatal(err)
	}
	p := importText(t, string(data))
	found, _ := p.Diagnose()
	if !slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == HairpinPublicAddress && f.Line == 31 }) ||
		slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == NoHairpin }) {
		t.Errorf("findings: %+v", found)
	}
	if all := strings.Join(p.Propose(found).Lines, "\n"); !strings.Contains(all, "dst-address=192.168.88.10 out-interface=bridge") {
		t.Errorf("fix:\n%s", all)
	}
}
