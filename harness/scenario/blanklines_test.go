package scenario

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// refusedWord is the word the router refuses in textsOpening's texts;
// the check names the position of its first letter.
const refusedWord = "out-interfaze"

// textsOpening are the openings of a block text (router: |, a routers:
// text, a configure step's rsc: |) that a refused line must be named
// through at its line and column in the case file: blank lines (and
// lines of spaces) before the text, a comment on the indicator and a
// comment as the text's first line, CRLF line ends, a tab after the
// indentation, and an indentation indicator (|2) that leaves a tab in
// the text. Each is the indicator's tail and the text's lines, without
// indentation.
var textsOpening = map[string]struct {
	indicator string
	lines     []string
	crlf      bool
}{
	"blank lines":                {"|", []string{"", "", "/ip firewall nat", "add chain=srcnat action=masquerade " + refusedWord + "=ether1"}, false},
	"lines of spaces":            {"|", []string{" ", "", "/ip firewall nat", "add chain=srcnat action=masquerade " + refusedWord + "=ether1"}, false},
	"comments":                   {"| # the NAT", []string{"# masquerade", "/ip firewall nat", "add chain=srcnat action=masquerade " + refusedWord + "=ether1"}, false},
	"CRLF":                       {"|", []string{"", "/ip firewall nat", "add chain=srcnat action=masquerade " + refusedWord + "=ether1"}, true},
	"tab after the indentation":  {"|", []string{"", "/ip firewall nat", "\tadd chain=srcnat action=masquerade " + refusedWord + "=ether1"}, false},
	"indentation indicator, tab": {"|2", []string{"", "\t/ip firewall nat add chain=srcnat action=masquerade " + refusedWord + "=ether1"}, false},
	"indentation indicator":      {"|2", []string{"   /ip firewall nat add chain=srcnat action=masquerade " + refusedWord + "=ether1"}, false},
}

// openedText writes key's block text: the indicator's tail, then lines
// indented under key (indent is key's own), a blank line as it is.
func openedText(key, indent string, indicator string, lines []string) string {
	var b strings.Builder
	b.WriteString(key + ": " + indicator + "\n")
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			b.WriteString(l + "\n")
			continue
		}
		b.WriteString(indent + "  " + l + "\n")
	}
	return b.String()
}

// truePosition is file:line:column of refusedWord in text, counted in the
// file as an editor counts it.
func truePosition(file, text string) string {
	for i, l := range strings.Split(text, "\n") {
		if c := strings.Index(l, refusedWord); c >= 0 {
			return file + ":" + strconv.Itoa(i+1) + ":" + strconv.Itoa(c+1) + ":"
		}
	}
	return "no " + refusedWord
}

// openingCases are the case files, one for each opening and each place a
// text can be: the lab router's (router:), a more router's (routers:)
// and a configure step's on either.
func openingCases() map[string]string {
	head, _, _ := strings.Cut(routersCase, "router: |")
	good := "router: |\n  /ip address add address=203.0.113.2/24 interface=ether1\n"
	out := map[string]string{}
	for name, o := range textsOpening {
		crlf := func(s string) string {
			if o.crlf {
				return strings.ReplaceAll(s, "\n", "\r\n")
			}
			return s
		}
		out["router: "+name] = crlf(head + openedText("router", "", o.indicator, o.lines) + routersStep)
		out["routers: "+name] = crlf(head + good + "routers:\n" + openedText("  site-b", "  ", o.indicator, o.lines) + routersStep)
		out["step: "+name] = crlf(head + good + routersStep + "  - action: configure\n" + openedText("    rsc", "    ", o.indicator, o.lines))
		out["step on site-b: "+name] = crlf(head + good + routersStep + "  - action: configure\n    router: site-b\n" + openedText("    rsc", "    ", o.indicator, o.lines))
	}
	return out
}

// TestRefusedLineAfterOpening (sm60): a refused line of a block text that
// opens with blank lines, comments, CRLF line ends or a tab is named at
// its line and column in the case file by the load check. The blank
// lines a text opens with are lines of its value, and the text's line 1
// was taken to be its first line with text: each blank line moved the
// refusal one line down.
func TestRefusedLineAfterOpening(t *testing.T) {
	for name, text := range openingCases() {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "case.yaml")
			if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := LoadFile(file)
			want := truePosition(file, text) + " the router would refuse the configuration: expected end of command"
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("error %v, want %q", err, want)
			}
		})
	}
}
