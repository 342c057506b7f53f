package lab

import (
	"net/netip"
	"strings"
	"testing"
)

// segmented is a lab whose router has a second LAN port, ether3, on lan3:
// a segment of lan (one subnet on a wire of its own), with client3 behind
// it, whose gateway is the router's address on lan: valid (spec_test.go)
// with ether3 (line 8), lan3 (line 12) and client3 (lines 21 to 23).
var segmented = strings.NewReplacer(
	"    - {network: lan, address: 192.168.88.1}\n", "    - {network: lan, address: 192.168.88.1}\n    - {network: lan3, address: 192.168.88.3}\n",
	"  - {name: lan, subnet: 192.168.88.0/24}\n", "  - {name: lan, subnet: 192.168.88.0/24}\n  - {name: lan3, segment-of: lan}\n",
).Replace(valid) + `  - name: client3
    gateway: 192.168.88.1
    interfaces: [{network: lan3, address: 192.168.88.30}]
`

// TestParseSegmentOf: a segment takes its network's subnet, so that its
// hosts' addresses and gateways are checked as the network's (an address
// once over both wires, a gateway on the other wire), and every wrong use
// is refused at its line and column before anything starts.
func TestParseSegmentOf(t *testing.T) {
	const seg = "  - {name: lan3, segment-of: lan}\n"
	tests := []struct {
		name, old, new, wantErr string
	}{
		{name: "valid"},
		{"subnet given, the same", seg, "  - {name: lan3, segment-of: lan, subnet: 192.168.88.0/24}\n", ""},
		{"network further down", "  - {name: lan, subnet: 192.168.88.0/24}\n" + seg, seg + "  - {name: lan, subnet: 192.168.88.0/24}\n", ""},
		{"subnet given, another", seg, "  - {name: lan3, segment-of: lan, subnet: 192.168.89.0/24}\n", "t.yaml:12:43: network lan3: subnet 192.168.89.0/24 is not lan's (192.168.88.0/24), whose segment it is; leave subnet out"},
		{"subnet6 given, lan has none", seg, "  - {name: lan3, segment-of: lan, subnet6: \"3fff:88::/64\"}\n", "t.yaml:12:44: network lan3: subnet6 3fff:88::/64 on a segment of lan, which has none"},
		{"subnet6 given, another", "  - {name: lan, subnet: 192.168.88.0/24}\n" + seg, "  - {name: lan, subnet: 192.168.88.0/24, subnet6: \"3fff:88::/64\"}\n  - {name: lan3, segment-of: lan, subnet6: \"3fff:89::/64\"}\n", "t.yaml:12:44: network lan3: subnet6 3fff:89::/64 is not lan's (3fff:88::/64)"},
		{"of an unknown network", seg, "  - {name: lan3, segment-of: lna}\n", "t.yaml:12:30: network lan3: segment-of: network \"lna\" is not defined (networks: wan, lan, lan3)"},
		{"of itself", seg, "  - {name: lan3, segment-of: lan3}\n", "t.yaml:12:30: network lan3: segment-of names the network itself"},
		{"of a segment", seg, seg + "  - {name: lan4, segment-of: lan3}\n", "t.yaml:13:30: network lan4: segment-of: lan3 is itself a segment of lan; name lan"},
		{"untagged, of a VLAN", seg, "  - {name: v10, subnet: 10.0.10.0/24, trunk: lan, vlan: 10}\n  - {name: lan3, segment-of: v10}\n", "t.yaml:13:30: network lan3: segment-of: v10 is VLAN 10 of trunk lan; a segment of a VLAN is a VLAN too"},
		{"a VLAN, of an untagged network", seg, "  - {name: lan3, segment-of: lan, trunk: wan, vlan: 5}\n", "t.yaml:12:42: network lan3: a VLAN (trunk wan) cannot be a segment of lan, an untagged network"},
		{"a VLAN, of a VLAN on another trunk", seg, seg + "  - {name: v10, subnet: 10.0.10.0/24, trunk: lan, vlan: 10}\n  - {name: v10b, segment-of: v10, trunk: lan3, vlan: 10}\n", ""},
		{"a VLAN, of a VLAN on another trunk, another id", seg, seg + "  - {name: v10, subnet: 10.0.10.0/24, trunk: lan, vlan: 10}\n  - {name: v20b, segment-of: v10, trunk: lan3, vlan: 20}\n", ""},
		{"a VLAN, of a VLAN on the same trunk", seg, seg + "  - {name: v10, subnet: 10.0.10.0/24, trunk: lan, vlan: 10}\n  - {name: v20, segment-of: v10, trunk: lan, vlan: 20}\n", "t.yaml:14:29: network v20: segment-of: v10 rides on the same wire (trunk lan)"},
		{"a VLAN, another subnet", seg, seg + "  - {name: v10, subnet: 10.0.10.0/24, trunk: lan, vlan: 10}\n  - {name: v10b, segment-of: v10, trunk: lan3, vlan: 10, subnet: 10.0.11.0/24}\n", "t.yaml:14:66: network v10b: subnet 10.0.11.0/24 is not v10's (10.0.10.0/24)"},
		{"no subnet, no segment-of", seg, "  - {name: lan3}\n", "t.yaml:12:5: network lan3: subnet missing (or segment-of: the network whose subnet it carries)"},
		{"same subnet without segment-of", seg, "  - {name: lan3, subnet: 192.168.88.0/24}\n", "t.yaml:12: network lan3: subnet 192.168.88.0/24 overlaps network lan (192.168.88.0/24)"},
		{"an address on both wires", "address: 192.168.88.30}", "address: 192.168.88.20}", "t.yaml:23: node client3: address 192.168.88.20 already used by node client at line 20"},
		{"an address outside the subnet", "address: 192.168.88.30}", "address: 192.168.89.30}", "t.yaml:23: node client3: address 192.168.89.30 is not in network lan3 (192.168.88.0/24)"},
		{"a gateway nobody owns", "    gateway: 192.168.88.1\n    interfaces: [{network: lan3", "    gateway: 192.168.88.9\n    interfaces: [{network: lan3", "t.yaml:22: node client3: gateway 192.168.88.9 is no address of a node or router port"},
		{"a host on both segments", "[{network: lan3, address: 192.168.88.30}]", "[{network: lan, address: 192.168.88.31}, {network: lan3, address: 192.168.88.30}]", "t.yaml:23: node client3: on network lan3 and on lan (line 23), two segments of 192.168.88.0/24"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := parseVariant(t, segmented, tt.old, tt.new, tt.wantErr, 1)
			if s == nil {
				return
			}
			nw, ok := s.Network("lan3")
			if !ok || nw.SegmentOf != "lan" || nw.Subnet != netip.MustParsePrefix("192.168.88.0/24") {
				t.Fatalf("lan3 = %+v", nw)
			}
			if !s.SameSubnet("lan", "lan3") || s.SameSubnet("wan", "lan3") {
				t.Errorf("SameSubnet: lan/lan3 %v, wan/lan3 %v", s.SameSubnet("lan", "lan3"), s.SameSubnet("wan", "lan3"))
			}
		})
	}
}

// TestSegmentWires: each segment is a wire of its own (its own wire
// subnet, so its own bridge), and the subnet is locked once: two opens of
// one lock file in one process would wait for each other.
func TestSegmentWires(t *testing.T) {
	s, err := Parse("t.yaml", []byte(segmented))
	if err != nil {
		t.Fatal(err)
	}
	if got := uniqueSubnets(s); len(got) != 2 {
		t.Errorf("subnets to lock %v, want wan's and lan's once each", got)
	}
	wire := map[string]netip.Prefix{"wan": netip.MustParsePrefix("10.200.0.0/24"), "lan": netip.MustParsePrefix("10.200.1.0/24"), "lan3": netip.MustParsePrefix("10.200.2.0/24")}
	if err := wireClashes(s, wire); err != nil {
		t.Fatal(err)
	}
	w := wired(s, wire)
	if got := w.Router.Ports[2].Address; got != netip.MustParseAddr("10.200.2.3") {
		t.Errorf("ether3 on the wire at %v, want 10.200.2.3 (lan3's own wire)", got)
	}
	if args := RosemuArgs(w, netip.MustParsePrefix("172.31.0.0/24")); args[7] != "ether3=10.200.2.0/24" {
		t.Errorf("rosemu ports %v", args)
	}
}
