package scenario

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInlineLabErrorColumn (sm60): an error of a case's inline lab (lab:
// as a mapping) names the case file's line and the column of the field
// at fault, as the lab's own file would; only segment-of's errors gave a
// column before. Control: an error that weighs several fields against
// each other once the lab is read (an address outside its network) keeps
// the line alone.
func TestInlineLabErrorColumn(t *testing.T) {
	for _, tc := range []struct{ old, new, want string }{
		{"{network: lan-b, address: 192.168.89.1}", "{network: lan-b, adress: 192.168.89.1}", `case.yaml:13:28: router site-b: interface: unknown field "adress"`},
		{"{name: lan, subnet: 192.168.88.0/24}", "{name: lan, subnet: 192.168.88.1/24}", "case.yaml:17:27: network lan: subnet 192.168.88.1/24 has host bits set"},
		{"forward: true", "forward: maybe", `case.yaml:21:16: node isp: forward: want true or false, got "maybe"`},
		{"{network: lan-b, address: 192.168.89.20}", "{network: lan-b, address: 192.168.90.20}", "case.yaml:27: node client-b: address 192.168.90.20 is not in network lan-b"},
	} {
		text := strings.Replace(routersCase, tc.old, tc.new, 1) + routersStep
		if text == routersCase+routersStep {
			t.Fatalf("%q is not in the case", tc.old)
		}
		file := filepath.Join(t.TempDir(), "case.yaml")
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := LoadFile(file)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.new, err, tc.want)
		}
	}
}
