package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestValidateCommand(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.rsc", "\ufeff# 2026-11-30 by RouterOS 7.16.2\r\n# software id = X\r\n/interface ethernet\r\nset [ find default-name=ether5 ] comment=dmz\r\n/ip address\r\nadd address=10.5.0.1/24 interface=ether5\r\n")
	v6 := write("v6.rsc", "# jan/02/2024 10:00:00 by RouterOS 6.49.13\n/user group\nadd name=mon policy=read,winbox,!dude,tikapp\n")
	bad := write("bad.rsc", "/ip address\nadd address=10.5.0.1/24 interface=ether5\nadd address=10.6.0.1/24 interface=ether6 bogus=1\n/ip route add gateway=10.5.0.254\n")
	// A case whose configuration is a v6 snippet without an export header:
	// checked as the version asked for, as chrlab lab --routeros runs it.
	v6case := write("v6case.yaml", "name: v6case\ntitle: t\nlab: hairpin\nrouteros: \">=6.49\"\nrouter: |\n  /ip route add gateway=203.0.113.1 routing-mark=isp1\nsteps:\n  - {probe: tcp, from: client1, to: \"server:12566\", expect: {result: ok}}\n")
	// A v6 /ip route rule under the case's own range (a v6 forum thread
	// written "routeros: 6.49.x"): chrlab lab runs it on 6.49.18, so
	// validate checks it as 6.49.18 and says so (forum28 D1: refused as
	// 7.16.2). Control: the same lines in a case for RouterOS 7.
	ruleLines := "router: |\n  /ip route rule\n  add action=lookup-only-in-table src-address=192.168.88.21/32 table=vpn\nsteps:\n  - {probe: ping, from: client1, to: 192.168.88.1}\n"
	v6range := write("v6range.yaml", "name: v6range\nlab: hairpin\nrouteros: \"6.49.x\"\n"+ruleLines)
	v7range := write("v7range.yaml", "name: v7range\nlab: hairpin\nrouteros: \">=7.1\"\n"+ruleLines)
	v6bare := write("v6bare.rsc", "/ip route\nadd gateway=10.5.0.254 routing-mark=isp1\n")
	tests := []struct {
		name  string
		args  []string
		code  int
		wants []string
	}{
		// Without --routeros and a header, the lines choose: RouterOS 7
		// refuses v6's routing-mark on a route, RouterOS 6 takes it.
		{"case inferred as RouterOS 6", []string{"-q", v6case}, 0, []string{"0 refused"}},
		{"case as RouterOS 7", []string{"-q", "--routeros", "7.16.2", v6case}, 1, []string{v6case + ":6:37: refused: expected end of command"}},
		{"export inferred as RouterOS 6", []string{"-q", v6bare}, 0, []string{"checking as RouterOS 6.49.18 (no version in the file's header, and its lines fit RouterOS 6: RouterOS 7 refuses 1 of them, RouterOS 6 0; --routeros to choose)", "0 refused"}},
		{"case checked as its range's version", []string{"-q", v6range}, 0, []string{"checking as RouterOS 6.49.18, as chrlab lab runs the case (the case is for RouterOS 6.49.x; --routeros to choose)", "0 refused"}},
		{"case for RouterOS 7 refuses v6's rule", []string{"-q", v7range}, 1, []string{"checking as RouterOS 7.16.2, as chrlab lab runs the case (the default", v7range + ":5:13: refused: bad command name rule"}},
		{"case as the version asked for", []string{"-q", "--routeros", "6.49.18", v6case}, 0, []string{"0 refused"}},
		{"case as a version not emulated", []string{"--routeros", "5.26", v6case}, 2, nil},
		{"good export", []string{good}, 0, []string{good + ":4:1: accepted: set [ find default-name=ether5 ] comment=dmz", "good.rsc: 2 accepted, 0 stored-not-enforced, 0 refused (router ports: ether1,ether5)"}},
		{"refused and goes on", []string{bad}, 1, []string{bad + ":3:42: refused: expected end of command", bad + ":4:1: accepted", "2 accepted, 0 stored-not-enforced, 1 refused"}},
		{"quiet", []string{"-q", bad}, 1, []string{"refused: expected end of command"}},
		// A file without a version in its header says which version it is held to.
		{"no version in the header", []string{"-q", bad}, 1, []string{"checking as RouterOS 7.16.2 (no version in the file's header; --routeros to choose)"}},
		// A more router's lines are read against its own ports (f68 N3).
		{"more router's ports", []string{"-q", "../../scenarios/two-site-wireguard/scenario.yaml"}, 0, []string{"0 refused (router ports: ether1,ether2; site-b: ether1,ether2)"}},
		{"ports flag overrides", []string{"--ports", "ether1,ether2", good}, 1, []string{good + ":6:25: refused: input does not match any value of interface", "(router ports: ether1,ether2)"}},
		// A v6 export is checked as v6, from its header: v6's own policy names pass;
		// the same file checked as v7 refuses them, as RouterOS 7 would.
		{"version from the header", []string{v6}, 0, []string{"checking as RouterOS 6.49.13", "1 accepted, 0 stored-not-enforced, 0 refused"}},
		{"version flag overrides", []string{"--routeros", "7.16.2", v6}, 1, []string{v6 + ":3:14: refused: invalid value for argument policy"}},
		// Flags after the file, as the check command takes them
		// (realcheck28: "open --routeros: no such file or directory").
		{"flags after the file", []string{v6, "--routeros", "7.16.2", "-q"}, 1, []string{v6 + ":3:14: refused: invalid value for argument policy"}},
		{"a file after --", []string{"-q", "--", v6}, 0, []string{"0 refused"}},
		// A RouterBOARD's radios are set aside as a lab run sets them
		// aside, not refused; --as-chr refuses them as a CHR does.
		{"hardware set aside", []string{"-q", "../../harness/export/testdata/hap-ac2.rsc"}, 0, []string{
			"set aside (hardware a lab router lacks): ../../harness/export/testdata/hap-ac2.rsc:9 /interface wireless: wireless: a lab router has no radio",
			"23 accepted, 1 stored-not-enforced, 0 refused, 5 set aside as hardware"}},
		{"hardware as a CHR", []string{"-q", "--as-chr", "../../harness/export/testdata/hap-ac2.rsc"}, 1, []string{
			"hap-ac2.rsc:8:12: refused: bad command name wireless", "23 accepted, 1 stored-not-enforced, 4 refused (router ports"}},
		{"unreadable", []string{filepath.Join(dir, "none.rsc")}, 2, nil},
		{"no file", nil, 2, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := cmdValidate(context.Background(), tc.args, &out, &errOut)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tc.code, out.String(), errOut.String())
			}
			for _, w := range tc.wants {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
			if (tc.name == "quiet" || tc.name == "flags after the file") && strings.Contains(out.String(), ": accepted") {
				t.Errorf("quiet printed accepted commands:\n%s", out.String())
			}
		})
	}
}
