package export

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// A block or a quoted string over several physical lines (hand-written
// scripts: ":foreach ... do={" with its body and "}" on lines of their own,
// a note with line breaks) is read as one command, as RouterOS reads on to
// the closing brace or quote; a comment line with a quote inside the block
// opens nothing. It was "unbalanced brackets" and check stopped with exit
// 2. Bare "{" and "}" lines only group the commands between them, which are
// read one by one (TestBareBraceSections).
func TestReadMultiLineBlocks(t *testing.T) {
	src := "/interface bridge add name=lan\n" +
		":foreach i in={3;4} do={\n" +
		"  # it's \"quoted\" here\n" +
		"  /interface bridge port add bridge=lan interface=(\"ether\" . $i)\n" +
		"}\n" +
		"/system note\n" +
		"set show-at-login=yes note=\"line one\nline two\"\n" +
		"{\n:local x 1\n:put $x\n}\n" +
		"/ip address add address=192.168.88.1/24 interface=lan\n"
	f, err := Read("m.rsc", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range f.Commands {
		got = append(got, c.Verb)
	}
	if strings.Join(got, " ") != "add :foreach set :local :put add" {
		t.Fatalf("commands %q", got)
	}
	if c := f.Commands[2]; c.Line != 7 || c.Value("note") != "line one\nline two" {
		t.Errorf("note %+v", c)
	}
	if c := f.Commands[5]; c.Line != 13 || c.MenuPath() != "ip address" {
		t.Errorf("last %+v", c)
	}
	// A quote that never closes is still an error at its own line, at
	// the quote's column, as validate says (rc30 C5).
	if _, err := Read("q.rsc", []byte("/ip address\nadd comment=\"open address=10.0.0.1/24 interface=ether1\nadd address=10.0.1.1/24 interface=ether1\n")); err == nil || !strings.Contains(err.Error(), "q.rsc:2:13: unterminated quoted string") {
		t.Errorf("open quote: %v", err)
	}
	// Many lines that each open a quote read in linear time.
	var b strings.Builder
	b.WriteString("/interface bridge\n")
	for i := 0; i < 20000; i++ {
		b.WriteString("add comment=\"x name=b\n")
	}
	start := time.Now()
	ReadLenient("many.rsc", []byte(b.String()))
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}

// A hardware line whose quoted value spans lines is set aside whole.
func TestLabReadyMultiLineValue(t *testing.T) {
	src := "/interface wireless\nset [ find default-name=wlan1 ] comment=\"two\nlines\" ssid=x\n/ip address\nadd address=192.168.88.1/24 interface=ether2\n"
	out, _ := LabReady("w.rsc", []byte(src))
	got := strings.Split(string(out), "\n")
	for i, aside := range map[int]bool{1: true, 2: true, 4: false} {
		if strings.HasPrefix(got[i], "#") != aside {
			t.Errorf("line %d = %q, set aside want %v", i+1, got[i], aside)
		}
	}
}

// TestBareBraceSections: a hand-built configuration that wraps each
// section (and the whole) in lines of their own "{" and "}" is read as the
// commands inside; it was read as one block command, and check found no
// ethernet port in it.
func TestBareBraceSections(t *testing.T) {
	src := "# by RouterOS 7.8\n{\n{\n/interface ethernet\nset [ find default-name=ether1 ] name=isp1\n}\n# LAN\n{\n/ip address\nadd address=192.168.31.1/24 interface=ether4\n}\n{\n:foreach i in={1;2} do={\n:log info $i\n}\n}\n}\n"
	f, err := Read("blocks.rsc", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range f.Commands {
		got = append(got, fmt.Sprintf("%d %s %s", c.Line, c.MenuPath(), c.Verb))
	}
	want := []string{"5 interface ethernet set", "10 ip address add", "13  :foreach"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("commands = %q, want %q", got, want)
	}
}
