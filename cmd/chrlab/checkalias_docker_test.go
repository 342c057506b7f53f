package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestCheckLANAliasLab is the lab half of the LAN alias (chk62 A, chk63
// c): chrlab check on rosemu serves at the alias's target on the port the
// export's forward names (5001), and each LAN's client connects to the
// alias. The alias reaches its target from ether3 only: from bridge (the
// target's own subnet) the answers go straight back without a hairpin
// masquerade, and from ether4 (the alias's own subnet) the router holds no
// 192.168.2.50, so the client's ARP for it goes unanswered. Negative
// control in the same run: those two LANs' probes time out, and the
// report says so with the port. On rosemu: about 2.5 min on the shared
// 2-core machine.
func TestCheckLANAliasLab(t *testing.T) {
	root := dockerRoot(t, "runs chrlab check with a lab in Docker")
	file := filepath.Join(t.TempDir(), "alias.rsc")
	rsc := `# by RouterOS 6.34.2
/interface bridge
add name=bridge
/interface list
add name=WAN
/interface bridge port
add bridge=bridge interface=ether2
/interface list member
add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
add address=192.168.1.1/24 interface=ether3 network=192.168.1.0
add address=192.168.2.1/24 interface=ether4 network=192.168.2.0
/ip route
add gateway=203.0.113.1
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
add action=dst-nat chain=dstnat dst-address=192.168.2.50 to-addresses=192.168.88.20
add action=dst-nat chain=dstnat dst-port=5001 in-interface=ether1 protocol=tcp to-addresses=192.168.88.20 to-ports=5001
`
	if err := os.WriteFile(file, []byte(rsc), 0o644); err != nil {
		t.Fatal(err)
	}
	out, code := checkCmd(t, root, "--router", "rosemu", file)
	for _, re := range []string{
		`alias:19:ether3\s+client\d → 192\.168\.2\.50:5001\s+ok`,
		`alias:19:bridge\s+client\d → 192\.168\.2\.50:5001\s+timeout`,
		`alias:19:ether4\s+client\d → 192\.168\.2\.50:5001\s+timeout`,
	} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("exit %d; no line matching %q in:\n%s", code, re, out)
		}
	}
	want := "warning: the LAN alias of line 19 (192.168.2.50 for 192.168.88.20) does not reach 192.168.88.20 on TCP port 5001 (the port line 20 forwards to 192.168.88.20) from LAN bridge (192.168.88.0/24) (timeout, answered by nobody), ether4 (192.168.2.0/24) (timeout, answered by nobody); it does from ether3 (192.168.1.0/24)"
	if !strings.Contains(out, want) {
		t.Errorf("the report lacks\n  %s\nit is:\n%s", want, out)
	}
}
