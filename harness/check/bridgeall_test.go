package check

import (
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/export"
)

// TestBridgePortAll (realcheck27 D8): "/interface bridge port add
// interface=all" bridges every interface (the built-in list all): an LHG
// CPE's bridge has ether1 under it, and its address and default route
// there make it the WAN on ether1. It was refused: "the WAN candidates
// (bridge) have no ethernet port under them". Control: the same bridge
// without the port line is still refused so.
func TestBridgePortAll(t *testing.T) {
	const base = `# aug/21/2023 12:00:00 by RouterOS 6.47.10
/interface bridge
add name=bridge
/interface ethernet
set [ find default-name=ether1 ] comment=5470
%s/ip address
add address=192.168.55.19/24 interface=bridge network=192.168.55.0
/ip route
add distance=1 gateway=192.168.55.1
`
	p := importText(t, strings.Replace(base, "%s", "/interface bridge port\nadd bridge=bridge interface=all\n", 1))
	if len(p.WANs) != 1 || p.WANs[0].Interface != "bridge" || p.WANs[0].Port != "ether1" {
		t.Errorf("WANs %+v, want bridge on ether1", p.WANs)
	}
	f, err := export.Read("test.rsc", []byte(strings.Replace(base, "%s", "", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Import(f, Options{}); err == nil || !strings.Contains(err.Error(), "no ethernet port under them") {
		t.Errorf("control: %v", err)
	}
}
