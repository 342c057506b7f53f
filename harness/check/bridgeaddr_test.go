package check

import (
	"strings"
	"testing"
)

// The LAN address on a port of the bridge (a hEX whose ether2 joined the
// bridge after it got the address): RouterOS marks it invalid, so the
// forward is broken from every side. The finding names the address's line,
// the fix moves it to the bridge before the hairpin rule, which then names
// the bridge too. With the address on the bridge, no such finding.
// onPort is the hEX export of TestAddressOnBridgePort: its LAN address on
// ether2, a port of the bridge.
const onPort = `# 2024-05-02 10:00:00 by RouterOS 6.49.19
/interface bridge
add name=bridge
/interface bridge port
add bridge=bridge interface=ether2
add bridge=bridge interface=ether3
/interface list
add name=WAN
add name=LAN
/interface list member
add interface=bridge list=LAN
add interface=ether1 list=WAN
/ip address
add address=203.0.113.2/24 interface=ether1
add address=10.0.0.1/16 interface=ether2 network=10.0.0.0
/ip route
add gateway=203.0.113.1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address=203.0.113.2 dst-port=32400 protocol=tcp to-addresses=10.0.0.102
`

func TestAddressOnBridgePort(t *testing.T) {
	p := importText(t, onPort)
	found, _ := p.Diagnose()
	var hit *Finding
	for i, f := range found {
		if f.Cause == AddressOnBridgePort {
			hit = &found[i]
		}
	}
	if hit == nil {
		t.Fatalf("no address-on-bridge-port finding: %v", found)
	}
	if hit.Line != 15 || hit.Detail != "10.0.0.1/16 is on ether2, a port of bridge bridge" {
		t.Errorf("finding %+v", *hit)
	}
	fx := p.Propose(found)
	text := strings.Join(fx.Lines, "\n")
	move := "/ip address set [ find where address=10.0.0.1/16 interface=ether2 ] interface=bridge"
	if !strings.Contains(text, move) {
		t.Fatalf("the fix lacks %s:\n%s", move, text)
	}
	if hp := strings.Index(text, "out-interface=bridge"); hp < 0 || hp < strings.Index(text, move) {
		t.Errorf("the hairpin rule must name the bridge, after the address moved:\n%s", text)
	}
	for _, s := range p.Segments {
		if s.Prefix.String() == "10.0.0.1/16" && (s.Interface != "bridge" || s.Port == "") {
			t.Errorf("segment %+v: want the bridge, with a port for the lab host", s)
		}
	}
	ok := importText(t, strings.Replace(onPort, "interface=ether2 network=10.0.0.0", "interface=bridge network=10.0.0.0", 1))
	found, _ = ok.Diagnose()
	for _, f := range found {
		if f.Cause == AddressOnBridgePort {
			t.Errorf("address on the bridge: %s", f)
		}
	}
}

// TestAddressOnBridgePortOfflinePaths: the offline document's paths of such
// a forward are predicted to fail, as the lab sees them fail (no router
// address on the LAN: nothing reaches the server). Before, the finding was
// there but each path said "works (predicted)", so offline and the lab
// disagreed on every path of a CCR export whose defconf address stayed on
// ether1 after ether1 joined the bridge.
func TestAddressOnBridgePortOfflinePaths(t *testing.T) {
	// With a hairpin masquerade, so that only the address decides.
	export := strings.Replace(onPort, "add action=dst-nat", "add action=masquerade chain=srcnat dst-address=10.0.0.0/16 src-address=10.0.0.0/16\nadd action=dst-nat", 1)
	d := importText(t, export).OfflineDocument()
	if len(d.Forwards) != 1 || len(d.Forwards[0].Paths) == 0 {
		t.Fatalf("forwards %+v", d.Forwards)
	}
	for _, pd := range d.Forwards[0].Paths {
		if pd.Before == nil || pd.Before.OK || pd.Before.Result != "fails" {
			t.Errorf("path %s: %+v, want fails (predicted)", pd.Path, pd.Before)
		}
	}
}
