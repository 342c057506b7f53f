package runner

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/report"
)

// TestListsCovering: a pasted bogon list that holds the lab's internet
// (198.51.100.0/24) or WAN (203.0.113.0/24) and that a drop rule matches is
// named once, with the internet's peer before the ISP; a list of private
// ranges only, a disabled entry, a DNS name and a range that misses are
// not. Neither is a list no drop rule uses positively (forum29 D4): an
// allow list holding an internet host, a WAN-IP list holding the router's
// own address that only a dst-nat uses, a list a disabled drop or a
// negated drop names.
func TestListsCovering(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "labs", "hairpin.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	spec, err := lab.Parse("hairpin.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	rows := []map[string]string{
		{"list": "lan", "address": "192.168.88.0/24"},
		{"list": "bogons", "address": "10.0.0.0/8"},
		{"list": "bogons", "address": "198.51.100.0/24"},
		{"list": "bogons", "address": "203.0.113.0/24"},
		{"list": "off", "address": "198.51.100.0/24", "disabled": "true"},
		{"list": "names", "address": "example.com"},
		{"list": "range", "address": "198.51.100.60-198.51.100.70"},
		{"list": "wan", "address": "203.0.113.2"},
	}
	rules := []map[string]string{
		{"chain": "input", "action": "drop", "src-address-list": "bogons"},
		{"chain": "prerouting", "action": "drop", "dst-address-list": "wan-dropped"},
		{"chain": "forward", "action": "accept", "src-address-list": "allowed-rdp"},
		{"chain": "forward", "action": "drop", "src-address-list": "!allowed-rdp"},
		{"chain": "input", "action": "drop", "src-address-list": "off-rule", "disabled": "true"},
		{"chain": "input", "action": "drop", "src-address-list": "lan"},
	}
	rows = append(rows,
		map[string]string{"list": "wan-dropped", "address": "203.0.113.2"},
		map[string]string{"list": "allowed-rdp", "address": "198.51.100.50"},
		map[string]string{"list": "off-rule", "address": "198.51.100.50"})
	got := listsCovering(rows, publicAddrs(spec), droppedLists(rules))
	if len(got) != 2 {
		t.Fatalf("notes:\n%s", strings.Join(got, "\n"))
	}
	if !strings.HasPrefix(got[0], `address list "bogons" holds 198.51.100.0/24, which covers 198.51.100.53 (dns)`) {
		t.Errorf("first note: %s", got[0])
	}
	// One address is the lab's on purpose, no bogon range: the note says
	// the rule drops it, without the bogon explanation (f72).
	if !strings.HasPrefix(got[1], `address list "wan-dropped" holds 203.0.113.2, which is 203.0.113.2 (router's WAN address) itself: the rule that drops this list drops that lab address`) || strings.Contains(got[1], "bogon") {
		t.Errorf("second note: %s", got[1])
	}
}

// TestNoteOnce: a run's note (the bogon-list note) reaches its output once:
// the progress and the table after the run go to the same log (and both
// stay on a terminal), and the note was in each (forum29 D4).
func TestNoteOnce(t *testing.T) {
	var out strings.Builder
	progress := func(format string, args ...any) { fmt.Fprintf(&out, format+"\n", args...) }
	rep := &report.Report{Scenario: "note-once"}
	note := `address list "bogons" holds 198.51.100.0/24, which covers 198.51.100.53 (dns): the lab's public side uses documentation and benchmarking ranges`
	keepNotes(progress, rep, []string{note})
	rep.Table(&out)
	if n := strings.Count(out.String(), note); n != 1 {
		t.Errorf("the note is printed %d times:\n%s", n, out.String())
	}
	if !strings.Contains(out.String(), "note: "+note) {
		t.Errorf("the summary lacks the note:\n%s", out.String())
	}
}

// TestAsideOnce: a line set aside for hardware reaches the run's output
// once: it was printed as progress and again by the summary table, which
// go to the same log (the bogon note's cause, forum29 D4).
func TestAsideOnce(t *testing.T) {
	var out strings.Builder
	progress := func(format string, args ...any) { fmt.Fprintf(&out, format+"\n", args...) }
	rep := &report.Report{Scenario: "aside-once"}
	line := "line 12 /interface wireless: wireless: a lab router has no radio"
	keepAside(progress, rep, []string{line})
	rep.Table(&out)
	if n := strings.Count(out.String(), line); n != 1 {
		t.Errorf("the set-aside line is printed %d times:\n%s", n, out.String())
	}
	if !strings.Contains(out.String(), "set aside (hardware a lab router lacks): "+line) {
		t.Errorf("the summary lacks the line:\n%s", out.String())
	}
}
