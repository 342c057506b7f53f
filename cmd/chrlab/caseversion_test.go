package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// caseVersion takes scenario.RunVersion's choice and says it: a case whose
// configuration names its version (the export header) runs that version,
// one whose range leaves out the default runs a version of its range and
// is checked again as it, and any other case runs the default ("", no
// line).
func TestCaseVersion(t *testing.T) {
	dir := t.TempDir()
	steps := "steps:\n  - {probe: tcp, from: client1, to: \"server:12566\", expect: {result: ok}}\n"
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("name: "+strings.TrimSuffix(name, ".yaml")+"\ntitle: t\nlab: hairpin\n"+body+steps), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	header := write("header.yaml", "routeros: \">=6.49\"\nrouter: |\n  # jan/02/2024 10:00:00 by RouterOS 6.49.13\n  /ip route add gateway=203.0.113.1 routing-mark=isp1\n")
	ranged := write("ranged.yaml", "routeros: \"6.49.x\"\nrouter: |\n  /ip route add gateway=203.0.113.1 routing-mark=isp1\n")
	plain := write("plain.yaml", "router: |\n  /ip route add gateway=203.0.113.1\n")
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		file, want, line string
	}{
		{header, "6.49.13", "chrlab: running RouterOS 6.49.13 (the router configuration: its header; --routeros to choose)\n"},
		{ranged, "6.49.18", "chrlab: running RouterOS 6.49.18 (the case is for RouterOS 6.49.x; --routeros to choose)\n"},
		{plain, "", ""},
	} {
		s, err := loadCase(root, c.file, "", nil)
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		var errOut bytes.Buffer
		got, v, err := caseVersion(root, c.file, "", s, &errOut, "chrlab")
		if err != nil || got == nil || v != c.want || errOut.String() != c.line {
			t.Errorf("%s: version %q, %v, said %q; want %q and %q", filepath.Base(c.file), v, err, errOut.String(), c.want, c.line)
		}
		if rv, _ := got.RunVersion(); rv != v {
			t.Errorf("%s: caseVersion %q, RunVersion %q", filepath.Base(c.file), v, rv)
		}
	}
}
