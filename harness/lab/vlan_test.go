package lab

import (
	"net/netip"
	"strings"
	"testing"
)

// trunkLab has VLANs 10 and 20 on the trunk network; line numbers in the
// errors below count from "name: t".
const trunkLab = `name: t
router:
  name: router
  ports:
    - {network: wan, address: 203.0.113.2}
    - {network: trunk, address: 192.168.88.1}
networks:
  - {name: wan, subnet: 203.0.113.0/24}
  - {name: trunk, subnet: 192.168.88.0/24}
  - {name: office, subnet: 192.168.10.0/24, trunk: trunk, vlan: 10}
  - {name: servers, subnet: 192.168.20.0/24, trunk: trunk, vlan: 20}
nodes:
  - name: server
    gateway: 192.168.20.1
    interfaces: [{network: servers, address: 192.168.20.10}]
  - name: client
    gateway: 192.168.10.1
    interfaces: [{network: office, address: 192.168.10.20}]
  - name: native
    gateway: 192.168.88.1
    interfaces: [{network: trunk, address: 192.168.88.253}]
`

func TestVLANParse(t *testing.T) {
	s, err := Parse("t.yaml", []byte(trunkLab))
	if err != nil {
		t.Fatal(err)
	}
	if nw, _ := s.Network("servers"); nw.Trunk != "trunk" || nw.VLAN != 20 {
		t.Errorf("servers = %+v", nw)
	}
	if got := s.WireNetwork("servers"); got != "trunk" {
		t.Errorf("WireNetwork(servers) = %s", got)
	}
	if got := s.WireNetwork("wan"); got != "wan" {
		t.Errorf("WireNetwork(wan) = %s", got)
	}
	tests := []struct{ name, old, new, wantErr string }{
		{"vlan without trunk", "trunk: trunk, vlan: 10}", "vlan: 10}", "t.yaml:10:51: network office: vlan without trunk"},
		{"trunk without vlan", "trunk: trunk, vlan: 10}", "trunk: trunk}", "t.yaml:10:52: network office: trunk without vlan"},
		{"vlan id out of range", "vlan: 10}", "vlan: 4095}", "t.yaml:10:65: network office: vlan: want a VLAN id from 1 to 4094, got \"4095\""},
		{"undefined trunk", "trunk: trunk, vlan: 10}", "trunk: lan, vlan: 10}", "t.yaml:10: network office: trunk \"lan\" is not defined"},
		{"vlan of a vlan", "trunk: trunk, vlan: 10}", "trunk: servers, vlan: 10}", "t.yaml:10: network office: trunk servers is itself a VLAN of trunk"},
		{"vlan id twice", "vlan: 20}", "vlan: 10}", "t.yaml:11: network servers: VLAN 10 of trunk trunk is already network office"},
		{"router port in a vlan", "{network: trunk, address: 192.168.88.1}", "{network: office, address: 192.168.10.1}", "t.yaml:6: router router: a port cannot sit in VLAN office; put it on trunk trunk"},
		{"two vlans on one wire", "interfaces: [{network: office, address: 192.168.10.20}]", "interfaces: [{network: office, address: 192.168.10.20}, {network: servers, address: 192.168.20.20}]", "t.yaml:18: node client: interfaces on office and servers share the wire of trunk trunk"},
		{"dhcp in a vlan", "{network: office, address: 192.168.10.20}", "{network: office, address: 192.168.10.20, dhcp: true}", "t.yaml:18: node client: dhcp: a host in VLAN office takes a fixed address"},
		// The router's VLAN address is its configuration's, so a gateway
		// in a VLAN is accepted; in a network off the trunks it is not.
		{"gateway in an untrunked net", "gateway: 192.168.88.1", "gateway: 192.168.88.7", "t.yaml:20: node native: gateway 192.168.88.7 is no address of a node or router port"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(trunkLab, tt.old) {
				t.Fatalf("%q not in the lab", tt.old)
			}
			_, err := Parse("t.yaml", []byte(strings.Replace(trunkLab, tt.old, tt.new, 1)))
			if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
				t.Errorf("err = %v\nwant prefix %s", err, tt.wantErr)
			}
		})
	}
}

func TestVLANWiring(t *testing.T) {
	s, err := Parse("t.yaml", []byte(trunkLab))
	if err != nil {
		t.Fatal(err)
	}
	wire := map[string]netip.Prefix{"wan": netip.MustParsePrefix("10.200.0.0/24"), "trunk": netip.MustParsePrefix("10.200.1.0/24")}
	if got := wired(s, wire); len(got.Networks) != 2 {
		t.Errorf("wired networks = %v, want the two with a Docker network", got.Networks)
	}
	w := vlanWireAddrs(s, wire)
	// .254 is Docker's and .253 the native host's: the VLAN hosts get
	// the next free ones, distinct, on the trunk's Docker subnet.
	if got := w["server\x00servers"].String(); got != "10.200.1.252" {
		t.Errorf("server wire = %s", got)
	}
	if got := w["client\x00office"].String(); got != "10.200.1.251" {
		t.Errorf("client wire = %s", got)
	}
	if _, ok := w["native\x00trunk"]; ok {
		t.Errorf("an untagged host got a VLAN wire address")
	}
	l := &Lab{Spec: s, wire: wire}
	var server Node
	for _, n := range s.Nodes {
		if n.Name == "server" {
			server = n
		}
	}
	if got := strings.Join(l.addressArgs(server, w), " "); got != "--vlan 20:10.200.1.252=192.168.20.10/24" {
		t.Errorf("addressArgs(server) = %s", got)
	}
}

// TestVLANWiringIPv6 (forum55 D5): a host in a VLAN gets its IPv6 flags,
// named by its wire address on the trunk, which labagent resolves to the
// VLAN's access port: a SLAAC host its token, a static one its address.
// They were left out, so such a host formed addresses from the native
// LAN's untagged advertisements on its trunk interface instead. The
// control: the untagged host keeps its own flags.
func TestVLANWiringIPv6(t *testing.T) {
	src := strings.NewReplacer(
		`{name: trunk, subnet: 192.168.88.0/24}`, `{name: trunk, subnet: 192.168.88.0/24, subnet6: "3fff:200::/64"}`,
		`{name: office, subnet: 192.168.10.0/24, trunk: trunk, vlan: 10}`, `{name: office, subnet: 192.168.10.0/24, subnet6: "3fff:200:0:1::/64", trunk: trunk, vlan: 10}`,
		`{name: servers, subnet: 192.168.20.0/24, trunk: trunk, vlan: 20}`, `{name: servers, subnet: 192.168.20.0/24, subnet6: "3fff:200:0:2::/64", trunk: trunk, vlan: 20}`,
		`{network: servers, address: 192.168.20.10}`, `{network: servers, address: 192.168.20.10, address6: "3fff:200:0:2::10"}`,
		`{network: office, address: 192.168.10.20}`, `{network: office, address: 192.168.10.20, address6: "3fff:200:0:1::20", slaac: true}`,
		`{network: trunk, address: 192.168.88.253}`, `{network: trunk, address: 192.168.88.253, address6: "3fff:200::253", slaac: true}`,
	).Replace(trunkLab)
	s, err := Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	wire := map[string]netip.Prefix{"wan": netip.MustParsePrefix("10.200.0.0/24"), "trunk": netip.MustParsePrefix("10.200.1.0/24")}
	w := vlanWireAddrs(s, wire)
	l := &Lab{Spec: s, wire: wire}
	want := map[string]string{
		"server": "--vlan 20:10.200.1.252=192.168.20.10/24 --address6 10.200.1.252=3fff:200:0:2::10/64",
		"client": "--vlan 10:10.200.1.251=192.168.10.20/24 --slaac 10.200.1.251=::20",
		"native": "--address 10.200.1.253=192.168.88.253/24 --slaac 10.200.1.253=::253",
	}
	for _, n := range s.Nodes {
		if got := strings.Join(l.addressArgs(n, w), " "); got != want[n.Name] {
			t.Errorf("addressArgs(%s) = %s, want %s", n.Name, got, want[n.Name])
		}
	}
}
