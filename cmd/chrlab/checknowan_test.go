package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckExitNoWAN (chk60): exports with no WAN of a switch or an
// access point ended with different codes offline: 0 for one whose
// management address has a default route ("no problem found"), 2 for one
// with no uplink in the export ("cannot tell which port is the WAN") or
// whose WAN-list port is a bridge port ("the uplink has no usable
// address"), as if the export could not be read. The table's answer is
// 0 for all three: read, nothing found. Control: a router with no WAN
// check can tell but a dst-nat (it needs --map) stays 2.
func TestCheckExitNoWAN(t *testing.T) {
	const sw = "# by RouterOS 7.15\n/interface bridge add name=bridge\n/interface bridge port add bridge=bridge interface=ether1\n/interface bridge port add bridge=bridge interface=ether2\n/ip address add address=192.168.88.2/24 interface=bridge network=192.168.88.0\n"
	checkExits(t, []exitCase{
		{"switch with a management route", sw + "/ip route add gateway=192.168.88.1\n", 0, "diagnosis: no problem found"},
		{"switch without an uplink", sw, 0, "not a router between a LAN and the internet"},
		{"ap whose WAN port is a bridge port", sw + "/interface list add name=WAN\n/interface list member add interface=ether1 list=WAN\n", 0, "the uplink has no usable address"},
		{"router with a dst-nat (control)", sw + "/ip firewall nat add action=dst-nat chain=dstnat dst-port=80 protocol=tcp to-addresses=192.168.88.10\n", 2, ""},
	})
}

// exitCase is an export text chrlab check --offline reads, the code it
// should exit with and a line its output should hold.
type exitCase struct {
	name, text string
	code       int
	line       string
}

// checkExits runs chrlab check --offline on each case's text.
func checkExits(t *testing.T, cases []exitCase) {
	t.Helper()
	dir := t.TempDir()
	for _, tc := range cases {
		file := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".rsc")
		if err := os.WriteFile(file, []byte(tc.text), 0o644); err != nil {
			t.Fatal(err)
		}
		out, code := checkCmd(t, dir, "--offline", file)
		if code != tc.code || !strings.Contains(out, tc.line) {
			t.Errorf("%s: exit %d, want %d, and %q in:\n%s", tc.name, code, tc.code, tc.line, out)
		}
	}
}
