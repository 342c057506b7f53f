package runner

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/lab"
)

// TestListsCovering: a pasted bogon list that holds the lab's internet
// (198.51.100.0/24) or WAN (203.0.113.0/24) is named once, with the
// internet's peer before the ISP; a list of private ranges only, a
// disabled entry, a DNS name and a range that misses are not.
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
	got := listsCovering(rows, publicAddrs(spec))
	if len(got) != 2 {
		t.Fatalf("notes:\n%s", strings.Join(got, "\n"))
	}
	if !strings.HasPrefix(got[0], `address list "bogons" holds 198.51.100.0/24, which covers 198.51.100.53 (dns)`) {
		t.Errorf("first note: %s", got[0])
	}
	if !strings.HasPrefix(got[1], `address list "wan" holds 203.0.113.2, which covers 203.0.113.2`) {
		t.Errorf("second note: %s", got[1])
	}
}
