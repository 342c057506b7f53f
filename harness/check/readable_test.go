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

// TestRawCodePageLineLoads (chk62 B): a file saved in a Windows code page
// holds its comments and names as raw Latin-1 bytes, not RouterOS's \XX.
// Such a line was set aside whole ("the line is not UTF-8 text"), and a
// forward with an accented comment was neither shown nor probed. RouterOS
// keeps a value's bytes, so the line loads: the forward is read, its
// comment shown as text, and the lab-ready configuration carries the bytes
// as \XX (valid UTF-8 for the case's YAML); a script's quoted string too.
// Controls: raw bytes in a parameter's or a menu's name are refused as
// RouterOS refuses them, and a bare word of a script line stays aside.
func TestRawCodePageLineLoads(t *testing.T) {
	text := "# by RouterOS 7.16.2\n/ip address\nadd address=192.168.88.1/24 interface=ether2 network=192.168.88.0\nadd address=203.0.113.2/24 interface=ether1 network=203.0.113.0\n/ip route\nadd gateway=203.0.113.1\n/ip firewall nat\nadd action=masquerade chain=srcnat out-interface=ether1\n" +
		"add action=dst-nat chain=dstnat comment=\"c\xe2mera do port\xe3o\" dst-port=8000 in-interface=ether1 protocol=tcp to-addresses=192.168.88.20 to-ports=80\n" + // line 9
		"add action=dst-nat chain=dstnat comment=escrit\xf3rio dst-port=8001 in-interface=ether1 protocol=tcp to-addresses=192.168.88.21 to-ports=80\n" + // 10
		"/system identity\nset name=\"Escrit\xf3rio\"\n" + // 12
		":local greeting \"ol\xe1\"\n" + // 13
		"/ip firewall filter\nadd chain=input c\xf3mment=x\n" + // 15
		"/ip firewall f\xedlter add chain=input\n" + // 16
		":local bare ol\xe1\n" // 17
	p := importText(t, text)
	if len(p.Forwards) != 2 || p.Forwards[0].Line != 9 || p.Forwards[1].Line != 10 {
		t.Fatalf("forwards %+v; aside %+v", p.Forwards, p.Aside)
	}
	var sum bytes.Buffer
	p.Summary(&sum)
	if !utf8.Valid(sum.Bytes()) || !strings.Contains(sum.String(), "câmera do portão") || !strings.Contains(sum.String(), "escritório") {
		t.Errorf("summary:\n%s", sum.String())
	}
	if !utf8.ValidString(p.RSC) {
		t.Errorf("the lab-ready configuration is not UTF-8:\n%q", p.RSC)
	}
	for _, want := range []string{`comment="c\E2mera do port\E3o"`, `comment="escrit\F3rio"`, `set name="Escrit\F3rio"`, `:local greeting "ol\E1"`} {
		if !strings.Contains(p.RSC, want) {
			t.Errorf("the lab-ready configuration lacks %s:\n%s", want, p.RSC)
		}
	}
	why := map[int]string{}
	for _, a := range p.Aside {
		why[a.Line] = a.Reason
	}
	for line, want := range map[int]string{
		15: "cómment= holds bytes that are not text",
		16: "(RouterOS: bad command name)",
		17: "not UTF-8 text outside its quoted strings",
	} {
		if !strings.Contains(why[line], want) {
			t.Errorf("line %d: %q, want %q", line, why[line], want)
		}
	}
	for _, line := range []int{9, 10, 12, 13} {
		if r, ok := why[line]; ok {
			t.Errorf("line %d set aside: %s", line, r)
		}
	}
}
