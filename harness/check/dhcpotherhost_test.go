package check

import (
	"strings"
	"testing"
)

// TestDHCPGatewayOtherHost (realcheck27 D3): a DHCP network whose gateway
// is another host of the LAN's own subnet (a VPN box) was called "not on
// the subnet" and the fix pointed every client back at the router, out
// of the tunnel. It is a note now, with no finding and no fix line.
// Control: the same gateway off the subnet (10.13.32.10) is still found
// and fixed.
func TestDHCPGatewayOtherHost(t *testing.T) {
	text := readTestdata(t, "testdata/dhcp-gateway-other-host.rsc")
	found, fix := dhcpFindings(t, text)
	if len(found) != 0 || len(fix) != 0 {
		t.Errorf("a gateway on the subnet is reported: %v, fix %q", found, fix)
	}
	p := loadText(t, text)
	if notes := strings.Join(p.Notes, "\n"); !strings.Contains(notes, "hands out gateway 10.13.16.10, another host on its subnet, not the router (line 18)") {
		t.Errorf("no note of the other host's gateway:\n%s", notes)
	}
	off := strings.ReplaceAll(text, "=10.13.16.10", "=10.13.32.10")
	found, fix = dhcpFindings(t, off)
	if len(found) != 1 || found[0].Cause != DHCPOffSubnet || !strings.Contains(found[0].Detail, "gateway 10.13.32.10 (none of the router's addresses there)") ||
		!strings.Contains(strings.Join(fix, "\n"), "/ip dhcp-server network set [ find where address=10.13.16.0/20 ] gateway=10.13.16.1 dns-server=10.13.16.1") {
		t.Errorf("control, a gateway off the subnet: %v, fix %q", found, fix)
	}
}
