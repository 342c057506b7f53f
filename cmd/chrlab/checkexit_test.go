package main

import (
	"os"
	"strings"
	"testing"
)

// TestCheckExitWarnings (chk53): check exited 0 under warnings (a
// failover that does not carry the LAN, an open resolver), which a CI job
// reads as an all-clear. Warnings alone exit 4 now. Controls: nothing
// found exits 0; a broken forward exits 1, warnings or not.
func TestCheckExitWarnings(t *testing.T) {
	b, err := os.ReadFile("../../harness/check/testdata/dualwan-no-checkgw.rsc")
	if err != nil {
		t.Fatal(err)
	}
	base := string(b)
	const r1 = "add distance=1 dst-address=0.0.0.0/0 gateway=203.0.113.1\n"
	const r2 = "add distance=2 dst-address=0.0.0.0/0 gateway=198.51.100.1\n"
	watched := strings.NewReplacer(r1, strings.TrimSuffix(r1, "\n")+" check-gateway=ping\n", r2, strings.TrimSuffix(r2, "\n")+" check-gateway=ping\n").Replace(base)
	// A forward that takes every host's port 443, the LAN's too (the
	// dst-nat names no destination): a finding.
	fwd := "/ip firewall nat\nadd action=dst-nat chain=dstnat dst-port=443 protocol=tcp to-addresses=192.168.88.10 to-ports=443\n/ip service\n"
	// An IPv6 fault the rules make certain (chkv53): the input chain
	// drops the DHCPv6 answers before anything accepts them, so the LAN
	// gets no IPv6. It was a note over "no problem found", exit 0. The
	// control has the defconf accept above the drop.
	b, err = os.ReadFile("../../harness/check/testdata/pd-answers-dropped.rsc")
	if err != nil {
		t.Fatal(err)
	}
	const pdDrop, pdAccept = "add action=drop chain=input in-interface-list=!LAN\n", "add action=accept chain=input dst-port=546 protocol=udp src-address=fe80::/10\n"
	pdFixed := strings.Replace(string(b), pdDrop+pdAccept, pdAccept+pdDrop, 1)
	checkExits(t, []exitCase{
		{"warning only", base, 4, "diagnosis: 1 warning(s) above; no other problem found"},
		{"nothing (control)", watched, 0, "diagnosis: no problem found"},
		{"broken and a warning", strings.Replace(base, "/ip service\n", fwd, 1), 1, "warning: the main WAN ether1's default route"},
		{"IPv6 answers dropped", string(b), 4, "warning: IPv6: line 28 drops the DHCPv6 server's answers"},
		{"IPv6 answers accepted (control)", pdFixed, 0, "diagnosis: no problem found"},
	})
	if exitWarned(3, 2) != 3 || exitWarned(2, 1) != 2 {
		t.Error("a lab that did not run, or bad input, is not a warning")
	}
}
