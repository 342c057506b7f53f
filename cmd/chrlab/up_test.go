package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A case for a range without the default version runs a version of its
// range, and chrlab up checks its configuration as that version before
// any container starts, as chrlab lab does: a line that version refuses
// fails here with its position, and the same case without it loads.
func TestUpArgsChecksRangeVersion(t *testing.T) {
	dir := t.TempDir()
	write := func(name, router string) string {
		p := filepath.Join(dir, name)
		text := "name: " + strings.TrimSuffix(name, ".yaml") + "\ntitle: t\nlab: hairpin\nrouteros: \"<7\"\nrouter: |\n" + router +
			"steps:\n  - {probe: tcp, from: client1, to: \"server:12566\", expect: {result: ok}}\n"
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.yaml", "  /ip route add gateway=203.0.113.1 routing-mark=isp1\n")
	bad := write("bad.yaml", "  /ip route add gateway=203.0.113.1 routing-mark=isp1 bogus=1\n")
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	var errOut bytes.Buffer
	s, v, code := upArgs(root, "", good, "", nil, &errOut)
	if code != 0 || s == nil || !strings.HasPrefix(v, "6.") {
		t.Fatalf("good case: code %d, version %q; want 0 and a RouterOS 6 version\n%s", code, v, errOut.String())
	}
	errOut.Reset()
	if _, _, code := upArgs(root, "", bad, "", nil, &errOut); code != 2 || !strings.Contains(errOut.String(), bad+":6:55: the router would refuse the configuration: expected end of command") {
		t.Fatalf("bad case: code %d; want 2 and the refused line's position\n%s", code, errOut.String())
	}
}
