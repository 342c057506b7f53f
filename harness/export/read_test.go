package export

import (
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestReadExport(t *testing.T) {
	data, err := os.ReadFile("testdata/hap-ac2.rsc")
	if err != nil {
		t.Fatal(err)
	}
	// The same file with CRLF line ends and a BOM reads the same.
	for _, in := range [][]byte{data, append([]byte("\uFEFF"), []byte(strings.ReplaceAll(string(data), "\n", "\r\n"))...)} {
		f, err := Read("hap.rsc", in)
		if err != nil {
			t.Fatal(err)
		}
		if f.Version != "7.16" || f.Model != "RBD52G-5HacD2HnD" {
			t.Fatalf("version %q model %q", f.Version, f.Model)
		}
		var wl, fwd *Command
		for _, c := range f.Commands {
			if c.MenuPath() == "interface wireless" && wl == nil {
				wl = c
			}
			if c.MenuPath() == "ip firewall nat" && c.Value("comment") == "nas web" {
				fwd = c
			}
		}
		if wl == nil || wl.Line != 9 || wl.Value("installation") != "indoor" || wl.Value("channel-width") != "20/40mhz-XX" {
			t.Fatalf("wireless line read as %+v", wl)
		}
		if v, ok := wl.FindArg("default-name"); !ok || v != "wlan1" {
			t.Fatalf("find default-name = %q %v", v, ok)
		}
		if fwd == nil || fwd.Value("to-addresses") != "192.168.88.10" || fwd.Value("in-interface") != "ether1" || fwd.Line != 57 {
			t.Fatalf("forward read as %+v", fwd)
		}
		last := f.Commands[len(f.Commands)-1]
		if last.Value("source") != ":log info \"hello\\$world\"\r\n:put 1" {
			t.Fatalf("script source %q", last.Value("source"))
		}
	}
}

func TestReadTerseAndSlashPaths(t *testing.T) {
	f, err := Read("t.rsc", []byte("/ip firewall nat add chain=srcnat action=masquerade out-interface-list=WAN\n/ip/address/add address=10.0.0.1/24 interface=ether2\n/interface ethernet set [ find default-name=ether1 ] name=\"ether1 wan\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Commands) != 3 || f.Commands[1].MenuPath() != "ip address" || f.Commands[2].Value("name") != "ether1 wan" {
		t.Fatalf("%+v", f.Commands)
	}
	if got := f.Commands[2].Text(); got != `/interface ethernet set [ find default-name=ether1 ] name="ether1 wan"` {
		t.Fatalf("text %s", got)
	}
}

func TestReadRefusesWhatIsNotAnExport(t *testing.T) {
	for _, in := range []string{"", "hello world\n", "<html><body>", "# only a comment\n", "/ip address\nadd address=\"10.0.0.1/24\n"} {
		_, err := Read("x.rsc", []byte(in))
		if err == nil {
			t.Errorf("%q read as an export", in)
			continue
		}
		if !strings.HasPrefix(err.Error(), "x.rsc:") {
			t.Errorf("error %q names no position", err)
		}
	}
}

func TestQuoteRoundTrip(t *testing.T) {
	// Bytes beyond ASCII come back the same and go out as \XX, as
	// RouterOS writes them, so the text is valid UTF-8 (a cp1252 byte of
	// an old export made check's case file unreadable YAML).
	for _, v := range []string{"hAP ax\xb3", "Caf\u00e9"} {
		q := Quote(v)
		if got, err := unquote(q); err != nil || got != v || !utf8.ValidString(q) || strings.ContainsFunc(q, func(r rune) bool { return r > 0x7e }) {
			t.Errorf("Quote(%q) = %s, back %q %v", v, q, got, err)
		}
	}
	for _, v := range []string{"plain", "two words", `a"b`, `c:\dir`, "$x", "line\r\nbreak", ""} {
		if v == "plain" {
			if Quote(v) != "plain" {
				t.Errorf("a plain word was quoted: %s", Quote(v))
			}
			continue
		}
		got, err := unquote(Quote(v))
		if err != nil || got != v {
			t.Errorf("Quote(%q) = %s, back %q %v", v, Quote(v), got, err)
		}
	}
}

// v6's /system upgrade mirror is a menu whose second word is also a command
// (/system routerboard upgrade): its set belongs to the mirror, and the
// routerboard's upgrade stays a command.
func TestReadVerbNamedMenu(t *testing.T) {
	f, err := Read("t.rsc", []byte("/system upgrade mirror\nset check-interval=1d enabled=yes\n/system upgrade upgrade-package-source\nadd address=192.0.2.7 user=admin\n/system routerboard upgrade\n/system/upgrade/mirror/set enabled=no\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ menu, verb string }{
		{"system upgrade mirror", "set"},
		{"system upgrade upgrade-package-source", "add"},
		{"system routerboard", "upgrade"},
		{"system upgrade mirror", "set"},
	}
	if len(f.Commands) != len(want) {
		t.Fatalf("%d commands, want %d: %+v", len(f.Commands), len(want), f.Commands)
	}
	for i, w := range want {
		if c := f.Commands[i]; c.MenuPath() != w.menu || c.Verb != w.verb {
			t.Errorf("command %d: %s %s, want %s %s", i, c.MenuPath(), c.Verb, w.menu, w.verb)
		}
	}
}

// A quoted value that starts with { or [ is a string (a comment), not a
// script block or a command: it is written back quoted, or the lab router
// reads it as syntax. A bare block stays bare.
func TestTextKeepsQuotedBraces(t *testing.T) {
	f, err := Read("t.rsc", []byte("/interface bridge\nadd comment=\"{CGNat Soft}\" name=CGNat11\nadd comment=\"[backup] link\" name=b2\n/system scheduler\nadd name=s on-event={ :log info x } interval=1m\n"))
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{
		`/interface bridge add comment="{CGNat Soft}" name=CGNat11`,
		`/interface bridge add comment="[backup] link" name=b2`,
		`/system scheduler add name=s on-event={ :log info x } interval=1m`,
	} {
		if got := f.Commands[i].Text(); got != want {
			t.Errorf("command %d: %s, want %s", i, got, want)
		}
	}
}

// TestTextKeepsScriptValues: a configuration script's variables and
// parenthesised expressions come out as they went in. Quoted ("\$lan")
// RouterOS takes them as text, and an expression was split at its blanks
// into a value and a stray word, so check's lab refused the line.
func TestTextKeepsScriptValues(t *testing.T) {
	src := ":local lan \"192.168.20.1/24\"\n/ip address add address=$lan interface=$\"lan-bridge\"\n/ip dns set servers=\"$dns1,$dns2\" comment=\"cost \\$5\"\n/ip pool add name=p ranges=($start . \"-\" . $end)\n/interface bridge add name=odd(1 comment=a\n"
	f, err := Read("t.rsc", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range f.Commands {
		got = append(got, c.Text())
	}
	for _, want := range []string{
		`/ip address add address=$lan interface=$"lan-bridge"`,
		`/ip pool add name=p ranges=($start . "-" . $end)`,
		// A quoted $ interpolates in a script and stays so; an export's
		// escaped \$ stays literal.
		`/ip dns set servers="$dns1,$dns2" comment="cost \$5"`,
		// An unbalanced parenthesis is text, as before.
		`/interface bridge add name="odd(1" comment=a`,
	} {
		if !slices.Contains(got, want) {
			t.Errorf("no command reads %s; got:\n%s", want, strings.Join(got, "\n"))
		}
	}
}

// A path without the leading "/" is relative to the current menu, the
// root at the top (realcheck18 D6: "user add ..." at the top of a
// hand-written script was "outside any menu" while validate took it).
// The controls: a word that is no command under a menu, and a conflict
// marker at the top, stay unreadable.
func TestReadRelativePaths(t *testing.T) {
	in := "# 2024-01-01 10:00:00 by RouterOS 7.16\nuser add name=gto password=x group=full\nip address add address=192.168.88.1/24 interface=ether2\n" +
		"ip firewall nat\nadd chain=srcnat action=masquerade out-interface=ether1\n/ip\ndhcp-client add interface=ether1\n"
	f, err := Read("r.rsc", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range f.Commands {
		got = append(got, c.MenuPath()+" "+c.Verb)
	}
	want := []string{"user add", "ip address add", "ip firewall nat add", "ip dhcp-client add"}
	if !slices.Equal(got, want) || f.Commands[1].Value("address") != "192.168.88.1/24" {
		t.Errorf("read %q, want %q", got, want)
	}
	for _, bad := range []string{"/ip address\nfoo\n", "<<<<<<< HEAD\n/ip address\nadd address=10.0.0.1/24 interface=ether2\n"} {
		if _, err := Read("x.rsc", []byte(bad)); err == nil {
			t.Errorf("%q read without an error", bad)
		}
	}
}

// D9: a lone "/" goes to the root menu (RouterOS's global command): it is
// no unreadable line, and a relative path after it starts at the root.
func TestReadRootSlash(t *testing.T) {
	src := "# by RouterOS 7.16\n/ip firewall nat\nadd action=masquerade chain=srcnat out-interface=ether1\n/\nip address add address=192.168.88.1/24 interface=ether2\n"
	f, err := Read("x.rsc", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Unreadable) != 0 {
		t.Errorf("unreadable: %+v", f.Unreadable[0])
	}
	if n := len(f.Commands); n != 2 || f.Commands[1].MenuPath() != "ip address" {
		t.Errorf("commands: %d, last %+v", n, f.Commands[n-1])
	}
}

// A command line with a path ("/system reboot", "/ip route add ...") does
// not move the current menu: a following line without a leading "/" is
// read in the menu of the last bare path line, as RouterOS's console reads
// it ("ip route print" at the root leaves the prompt there, Console page
// of the manual). It was read under the command line's path (/system). At
// the root, such a line is outside any menu, as RouterOS refuses it.
func TestReadCommandLineKeepsMenu(t *testing.T) {
	src := "# by RouterOS 7.16\n/ip address\nadd address=192.168.88.1/24 interface=ether2\n/system reboot\n" +
		"add address=10.0.0.1/24 interface=ether3\n/ip route add gateway=192.0.2.1\nadd address=10.0.1.1/24 interface=ether4\n"
	f, err := Read("x.rsc", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range f.Commands {
		got = append(got, c.MenuPath()+" "+c.Verb)
	}
	want := []string{"ip address add", "system reboot", "ip address add", "ip route add", "ip address add"}
	if !slices.Equal(got, want) {
		t.Errorf("read %q, want %q", got, want)
	}
	// At the root (no bare path line before), the line after a command
	// line is outside any menu; the control: after a bare path it is in.
	if _, err := Read("x.rsc", []byte("/ip address add address=10.0.0.1/24 interface=ether3\nadd address=10.0.1.1/24 interface=ether4\n")); err == nil || !strings.Contains(err.Error(), "2:1") || !strings.Contains(err.Error(), "outside any menu") {
		t.Errorf("err %v", err)
	}
	if _, err := Read("x.rsc", []byte("/ip address\nadd address=10.0.0.1/24 interface=ether3\nadd address=10.0.1.1/24 interface=ether4\n")); err != nil {
		t.Errorf("control: %v", err)
	}
}

// An unreadable line in lenient reading moves the menu only as a
// readable one would: a command line with a path leaves it, a bare path
// (also one glued to the line's end) moves it, and a value with a slash
// is no path (review of 9cacf45).
func TestLenientUnreadableKeepsMenu(t *testing.T) {
	for _, c := range []struct {
		name, bad, want string
	}{
		{"command line with a path", `/ip firewall filter add chain=forward action=accept "unclosed`, "ip address"},
		{"path glued to the end", `/ip firewall nat add action=masquerade chain=srcnat out-interface="wan A"/ip firewall nat`, "ip firewall nat"},
		{"slash in a value", `add address=10.0.0.1/24 interface=ether2 bogus"x`, "ip address"},
	} {
		src := "/ip address\nadd address=192.168.88.1/24 interface=ether2\n" + c.bad + "\nadd address=10.9.9.1/24 interface=ether3\n"
		f, err := ReadLenient("r.rsc", []byte(src))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if len(f.Unreadable) != 1 {
			t.Fatalf("%s: unreadable %d lines, want the bad one: %+v", c.name, len(f.Unreadable), f.Unreadable)
		}
		last := f.Commands[len(f.Commands)-1]
		if got := strings.Join(last.Menu, " "); got != c.want || last.Line != 4 {
			t.Errorf("%s: the line after the bad one read in %q (line %d), want %q", c.name, got, last.Line, c.want)
		}
	}
}
