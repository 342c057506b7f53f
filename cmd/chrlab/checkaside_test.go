package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// chrlab check lists the lines the lab router refuses among what it sets
// aside, before the diagnosis, offline too.
func TestCheckListsRefusedLines(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "e.rsc")
	rsc := "# 2025-08-19 07:30:12 by RouterOS 7.19.4\n/ip address\nadd address=192.168.88.1/24 interface=ether2\nadd address=203.0.113.2/24 interface=ether1\n/ip route\nadd gateway=203.0.113.1\n/ip firewall nat\nadd action=dst-nat chain=dstnat dst-port=80 protocol=tcp to-addresses=192.168.88.10 bogus-thing=1\nadd action=dst-nat chain=dstnat dst-port=81 protocol=tcp to-addresses=192.168.88.10\n"
	if err := os.WriteFile(file, []byte(rsc), 0o644); err != nil {
		t.Fatal(err)
	}
	out := checkOffline(t, dir, file)
	if !strings.Contains(out, "line 8 /ip firewall nat: the lab router refuses it") {
		t.Errorf("refused line not listed:\n%s", out)
	}
}

// checkOffline runs chrlab check --offline on file and returns what it
// printed.
func checkOffline(t *testing.T, dir, file string) string {
	t.Helper()
	out, _ := checkCmd(t, dir, "--offline", file)
	return out
}

// checkCmd runs chrlab check with args and returns what it printed and
// its exit code.
func checkCmd(t *testing.T, dir string, args ...string) (string, int) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdout
	os.Stdout = w
	done := make(chan string)
	go func() { b, _ := io.ReadAll(r); done <- string(b) }()
	code := cmdCheck(context.Background(), dir, args)
	w.Close()
	os.Stdout = old
	return <-done, code
}

// An export without its header whose lines are RouterOS 6's is checked
// as RouterOS 6, and says why; the same lines in RouterOS 7's spelling
// stay 7.
func TestCheckInfersVersion(t *testing.T) {
	dir := t.TempDir()
	body := "/ip address\nadd address=192.168.88.1/24 interface=ether2\nadd address=203.0.113.2/24 interface=ether1\n/ip route\nadd gateway=203.0.113.1\nadd gateway=203.0.113.1 %s\n/ip firewall nat\nadd action=dst-nat chain=dstnat dst-port=80 protocol=tcp to-addresses=192.168.88.10\n"
	for _, tc := range []struct{ route, want, not string }{
		{"routing-mark=isp1", "the lab router runs RouterOS 6.49.18: no version in the file's header, and its lines fit RouterOS 6", "refuses it"},
		{"routing-table=main", "", "lab router runs RouterOS 6"},
	} {
		file := filepath.Join(dir, tc.route+".rsc")
		if err := os.WriteFile(file, []byte(strings.Replace(body, "%s", tc.route, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		out := checkOffline(t, dir, file)
		if !strings.Contains(out, tc.want) || strings.Contains(out, tc.not) {
			t.Errorf("%s: want %q and not %q in:\n%s", tc.route, tc.want, tc.not, out)
		}
	}
}

// --map given once per port adds each: the last one alone counted, and the
// other WANs were read as LANs without a word. Control: one port given two
// roles is refused.
func TestCheckMapRepeated(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "e.rsc")
	rsc := "# by RouterOS 7.16\n/ip address\nadd address=192.168.88.1/24 interface=ether3\nadd address=192.168.1.2/24 interface=ether1\nadd address=192.168.2.2/24 interface=ether2\n/ip firewall nat\nadd action=masquerade chain=srcnat\n"
	if err := os.WriteFile(file, []byte(rsc), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (string, int) { return checkCmd(t, dir, append(args, file)...) }
	out, _ := run("--offline", "--map", "ether1=wan", "--map", "ether2=wan2")
	if !strings.Contains(out, "WAN: ether1 ") || !strings.Contains(out, "WAN: ether2 ") {
		t.Errorf("two --map flags did not make two WANs:\n%s", out)
	}
	if _, code := run("--offline", "--map", "ether1=wan", "--map", "ether1=lan"); code != 2 {
		t.Errorf("one port given two roles: exit %d, want 2", code)
	}
}
