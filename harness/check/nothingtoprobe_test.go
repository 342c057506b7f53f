package check

import (
	"strings"
	"testing"
)

// apBridgeDHCP is realcheck21's m4 (D4): an access point's bridge of
// ether1 and ether2 on a DHCP client; no LAN segment, no NAT.
const apBridgeDHCP = `# by RouterOS 7.18.2
/interface bridge
add name=bridge
/interface bridge port
add bridge=bridge interface=ether1
add bridge=bridge interface=ether2
/ip dhcp-client
add interface=bridge
`

// TestNothingToProbeWithActionsOnly (D4): a case whose only step is an
// action (renumber-wan of the DHCP WAN) probes nothing: it is not built,
// and the error says why, as for a case with no step at all. Before, the
// lab booted (50 s), renumbered the WAN and said the router's services
// were checked. Control: with a LAN segment and a masquerade there is a
// probe, and the case is built.
func TestNothingToProbeWithActionsOnly(t *testing.T) {
	p := importText(t, apBridgeDHCP)
	if _, err := p.Case(Fix{}); err == nil || !strings.Contains(err.Error(), "the lab would probe nothing") || !strings.Contains(err.Error(), "translates nothing") {
		t.Errorf("the AP bridge's case: %v, want \"the lab would probe nothing\"", err)
	}
	q := importText(t, strings.Replace(apBridgeDHCP, "add bridge=bridge interface=ether2\n", "", 1)+
		"/interface bridge\nadd name=lan\n/interface bridge port\nadd bridge=lan interface=ether2\n/ip address\nadd address=192.168.70.1/24 interface=lan\n/ip firewall nat\nadd action=masquerade chain=srcnat out-interface=bridge\n")
	c, err := q.Case(Fix{})
	if err != nil {
		t.Fatalf("control: %v", err)
	}
	if !strings.Contains(c.YAML, "renumber-wan") {
		t.Errorf("control: no renumber-wan step:\n%s", c.YAML)
	}
}
