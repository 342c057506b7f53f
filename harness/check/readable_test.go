package check

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestLatin1Readable (chk61 C3): an export's names and comments in a
// Windows code page, as RouterOS writes them ("c\E2mera do port\E3o"),
// became U+FFFD in check.json ("c\ufffdmera do port\ufffdo") and raw
// bytes, invalid UTF-8, in the terminal's table of forwards. Both show
// the text now; the rule as quoted keeps RouterOS's escapes, which the
// router matches. Control: an export in UTF-8 (RouterOS 7's \C3\A2) reads the
// same.
func TestLatin1Readable(t *testing.T) {
	for _, tt := range []struct{ name, a, o, fix string }{
		{"Latin-1", `\E2`, `\E3`, `c\E2mera do port\E3o`},
		{"UTF-8 (control)", `\C3\A2`, `\C3\A3`, `c\C3\A2mera do port\C3\A3o`},
	} {
		text := "# by RouterOS 7.16.2\n/interface bridge\nadd name=\"ponte-sal" + tt.o + "o\"\n/interface bridge port\nadd bridge=\"ponte-sal" + tt.o + "o\" interface=ether2\n/ip address\nadd address=192.168.88.1/24 interface=\"ponte-sal" + tt.o + "o\" network=192.168.88.0\nadd address=203.0.113.2/24 interface=ether1 network=203.0.113.0\n/ip route\nadd gateway=203.0.113.1\n/ip firewall nat\nadd action=masquerade chain=srcnat out-interface=ether1\nadd action=dst-nat chain=dstnat comment=\"c" + tt.a + "mera do port" + tt.o + "o\" dst-port=8000 in-interface=ether1 protocol=tcp to-addresses=192.168.88.20 to-ports=80\n"
		p := importText(t, text)
		var sum bytes.Buffer
		p.Summary(&sum)
		if !utf8.Valid(sum.Bytes()) || !strings.Contains(sum.String(), "câmera do portão") {
			t.Errorf("%s: the table of forwards:\n%q", tt.name, sum.String())
		}
		dir := t.TempDir()
		if err := importText(t, text).OfflineDocument().Write(dir); err != nil {
			t.Fatal(err)
		}
		j, err := os.ReadFile(filepath.Join(dir, "check.json"))
		if err != nil {
			t.Fatal(err)
		}
		s := string(j)
		if strings.Contains(s, "\ufffd") || !strings.Contains(s, `"comment": "câmera do portão"`) || !strings.Contains(s, "ponte-salão") || !strings.Contains(s, strings.ReplaceAll(tt.fix, `\`, `\\`)) {
			t.Errorf("%s: check.json:\n%s", tt.name, s)
		}
	}
}
