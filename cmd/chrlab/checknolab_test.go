package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckLabNothingToProve: a switch whose management address has a
// default route exits 0 offline ("no problem found"), but a lab run
// stopped before booting with "the lab would probe nothing", exit 3, as
// if the lab could not run. The lab run now ends as offline does: the
// rules' reading, a verdict that says there is nothing for a lab to
// prove, exit 0. No lab is started either way (the case is refused
// before the run).
func TestCheckLabNothingToProve(t *testing.T) {
	dir := t.TempDir()
	const sw = "# by RouterOS 7.15\n/interface bridge add name=bridge\n/interface bridge port add bridge=bridge interface=ether1\n/interface bridge port add bridge=bridge interface=ether2\n/ip address add address=192.168.88.2/24 interface=bridge network=192.168.88.0\n/ip route add gateway=192.168.88.1\n"
	file := filepath.Join(dir, "switch.rsc")
	if err := os.WriteFile(file, []byte(sw), 0o644); err != nil {
		t.Fatal(err)
	}
	off, offCode := checkCmd(t, dir, "--offline", file)
	out, code := checkCmd(t, dir, "--router", "rosemu", file)
	if code != offCode || code != 0 || !strings.Contains(out, "VERDICT: nothing for a lab to prove") || !strings.Contains(out, "diagnosis: no problem found") {
		t.Errorf("lab run: exit %d, offline %d; want both 0 and the verdict:\n%s\n--- offline:\n%s", code, offCode, out, off)
	}
}
