package check

import (
	"strings"
	"testing"
)

// bridgedLAN is a LAN bridge of three ports under use-ip-firewall=yes,
// whose forward chain accepts the LAN's way out and drops the rest.
const bridgedLAN = `# by RouterOS 7.16
/interface bridge add name=bridge
/interface bridge settings set use-ip-firewall=yes
/interface list add name=WAN
/interface list add name=LAN
/interface bridge port add bridge=bridge interface=ether2
/interface bridge port add bridge=bridge interface=ether3
/interface bridge port add bridge=bridge interface=ether4
/interface list member add interface=ether1 list=WAN
/interface list member add interface=bridge list=LAN
/ip address add address=192.168.88.1/24 interface=bridge network=192.168.88.0
/ip dhcp-client add interface=ether1
/ip firewall filter add action=accept chain=forward connection-state=established,related
/ip firewall filter add action=accept chain=forward in-interface-list=LAN out-interface-list=WAN
/ip firewall filter add action=drop chain=forward
/ip firewall nat add action=masquerade chain=srcnat out-interface-list=WAN
`

// TestBridgeIPFirewallDropsLAN (chk58 D2): with use-ip-firewall=yes the
// frames bridged between two LAN ports pass the forward chain with the
// bridge as in- and out-interface, and "drop the rest" drops every new
// connection between two LAN hosts. check said nothing, offline or in a
// lab. Controls: the setting off, an accept within the bridge before the
// drop, a bridge of one port.
func TestBridgeIPFirewallDropsLAN(t *testing.T) {
	warn := func(rsc string) string {
		t.Helper()
		return strings.Join(loadText(t, rsc).ExportWarnings(), "\n")
	}
	w := warn(bridgedLAN)
	for _, want := range []string{"line 3 (use-ip-firewall=yes)", "line 15 (drop)", "cannot reach each other", "in-interface=bridge out-interface=bridge", "place-before="} {
		if !strings.Contains(w, want) {
			t.Errorf("warnings lack %q:\n%s", want, w)
		}
	}
	for name, rsc := range map[string]string{
		"setting off":       strings.Replace(bridgedLAN, "use-ip-firewall=yes", "use-ip-firewall=no", 1),
		"setting absent":    strings.Replace(bridgedLAN, "/interface bridge settings set use-ip-firewall=yes\n", "", 1),
		"accept within":     strings.Replace(bridgedLAN, "/ip firewall filter add action=drop chain=forward\n", "/ip firewall filter add action=accept chain=forward in-interface=bridge out-interface=bridge\n/ip firewall filter add action=drop chain=forward\n", 1),
		"one port":          strings.NewReplacer("/interface bridge port add bridge=bridge interface=ether3\n", "", "/interface bridge port add bridge=bridge interface=ether4\n", "").Replace(bridgedLAN),
		"drop only the WAN": strings.Replace(bridgedLAN, "add action=drop chain=forward\n", "add action=drop chain=forward in-interface-list=WAN\n", 1),
	} {
		if w := warn(rsc); strings.Contains(w, "use-ip-firewall") {
			t.Errorf("control %s: warned:\n%s", name, w)
		}
	}
}
