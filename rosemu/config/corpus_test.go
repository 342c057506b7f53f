package config

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/rosemu/version"
)

// corpusPorts are the ethernet ports the corpus's routers have: enough for
// an RB5009 (ether1-8, sfp-sfpplus1) and the smaller models.
var corpusPorts = []string{"ether1", "ether2", "ether3", "ether4", "ether5", "ether6", "ether7", "ether8", "sfp-sfpplus1"}

// TestExportCorpus applies every export of testdata/exports to a router of
// the export's version, with no kernel, and requires each to be accepted
// whole; the router's own export of the result must be accepted again and
// give the same configuration, and what is stored without being enforced
// must be reported.
func TestExportCorpus(t *testing.T) {
	files, err := filepath.Glob("testdata/exports/*.rsc")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 5 {
		t.Fatalf("corpus has %d exports, want at least 5", len(files))
	}
	// Real exports hold settings rosemu stores without enforcing (clock,
	// NTP, SNMP, ...): the corpus as a whole must show them reported; an
	// export of modelled menus only may report none.
	notEnforced := 0
	defer func() {
		if notEnforced == 0 {
			t.Error("no corpus export reported anything as not enforced")
		}
	}()
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			src, version := corpusExport(t, f)
			r := New(Options{Ports: corpusPorts, Version: version})
			if _, err := r.Run(context.Background(), string(src)); err != nil {
				t.Fatalf("%s (RouterOS %s): %v", f, version, err)
			}
			exp := body(r.Export())
			r2 := New(Options{Ports: corpusPorts, Version: version})
			if _, err := r2.Run(context.Background(), exp); err != nil {
				t.Fatalf("re-import of the export: %v\n%s", err, exp)
			}
			if got := body(r2.Export()); got != exp {
				t.Errorf("re-import differs:\n%s\nwant\n%s", got, exp)
			}
			ne := r.NotEnforced()
			notEnforced += len(ne)
			for _, n := range ne {
				if n.Reason == "" || n.Count < 1 || !strings.HasPrefix(n.Path, "/") {
					t.Errorf("bad report %+v", n)
				}
			}
		})
	}
}

// TestExportCorpusNegative: the corpus test can fail. A line of hardware a
// CHR lacks, appended to a corpus export, makes it refused at that line,
// and the router keeps its configuration.
func TestExportCorpusNegative(t *testing.T) {
	src, err := os.ReadFile("testdata/exports/hap-ac2-home-v7.rsc")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Count(string(src), "\n")
	bad := string(src) + "/interface wireless\nset [ find default-name=wlan1 ] ssid=home\n"
	r := New(Options{Ports: corpusPorts, Version: "7.16"})
	before := body(r.Export())
	_, err = r.Run(context.Background(), bad)
	want := "bad command name wireless (line " + strconv.Itoa(lines+1) + " column 12)"
	if err == nil || err.Error() != want {
		t.Fatalf("error %v, want %q", err, want)
	}
	if body(r.Export()) != before {
		t.Error("a refused export changed the configuration")
	}
}

// corpusExport reads a corpus export and the RouterOS version its header
// names; an export without one fails the test.
func corpusExport(t *testing.T, f string) ([]byte, string) {
	t.Helper()
	src, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	v := version.OfExport(string(src))
	if v == "" {
		t.Fatal("no RouterOS version in the header")
	}
	return src, v
}
