package check

import (
	"strings"
	"testing"
)

// TestOSPFDefaultInstanceNoRouting (rc29 C1): RouterOS 7.1-7.16 write a
// default OSPF instance whose only area is disabled and which has no
// interface template: OSPF runs on nothing, so a router that lost its
// masquerade is no router of a routed network, and its LAN's way out is
// a finding with its fix. Before, the instance made it "untranslated by
// design" and "no problem found". Control: the same instance with an
// enabled area and a template on the LAN keeps the routed-network note.
func TestOSPFDefaultInstanceNoRouting(t *testing.T) {
	const base = `# jan/02/2025 10:00:00 by RouterOS 7.16.2
/interface bridge
add name=bridge
/interface bridge port
add bridge=bridge interface=ether2
/routing ospf instance
add disabled=no name=default-v2
/routing ospf area
add disabled=%s instance=default-v2 name=backbone-v2
/ip address
add address=10.0.0.1/24 interface=bridge network=10.0.0.0
/ip dhcp-client
add interface=ether1
%s`
	for _, tt := range []struct {
		name, disabled, template string
		routed                   bool
	}{
		{"defaults", "yes", "", false},
		{"running", "no", "/routing ospf interface-template\nadd area=backbone-v2 interfaces=bridge\n", true},
	} {
		p := importText(t, strings.Replace(strings.Replace(base, "%s", tt.disabled, 1), "%s", tt.template, 1))
		found, _ := p.Diagnose()
		masq := len(withCause(found, NoMasquerade))
		note := strings.Contains(strings.Join(p.Notes, "\n"), "leave untranslated by design")
		if tt.routed && (masq != 0 || !note) || !tt.routed && (masq != 1 || note) {
			t.Errorf("%s: %d no-masquerade finding(s), routed note %v; notes %v", tt.name, masq, note, p.Notes)
		}
	}
}
