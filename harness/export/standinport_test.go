package export

import (
	"strings"
	"testing"
)

// A port the configuration renames to a modem's or a radio's default name
// (chrlab check's stand-in for an LTE WAN: "set [ find default-name=ether3 ]
// name=lte1") is a port: the lab kept setting aside every line naming
// lte1, the stand-in's DHCP client with them, and the run failed "router
// has no address on lte1 (router.wan)". Without the rename, lte1 is the
// modem and its lines are set aside as before.
func TestLabReadyKeepsAPortNamedLikeAModem(t *testing.T) {
	const body = `/ip dhcp-client add disabled=no interface=lte1
/ip firewall nat add action=masquerade chain=srcnat out-interface=lte1
/ip neighbor discovery set lte1 discover=no
`
	const rename = "/interface ethernet set [ find default-name=ether3 ] name=lte1\n"
	out, aside := LabReady("x.rsc", []byte(rename+body))
	if len(aside) != 0 || string(out) != rename+body {
		t.Errorf("a port named lte1: set aside %v:\n%s", aside, out)
	}
	out, aside = LabReady("x.rsc", []byte(body))
	if len(aside) != 3 || !strings.Contains(string(out), "# set aside by chrlab: names lte1") {
		t.Errorf("control, the modem lte1: set aside %v:\n%s", aside, out)
	}
}
