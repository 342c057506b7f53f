package lab

import (
	"net/netip"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// valid is a small lab every case below breaks in one place. Line numbers
// in wantErr count from its first line ("name: t").
const valid = `name: t
router:
  name: router
  base: t.rsc
  ports:
    - {network: wan, address: 203.0.113.2}
    - {network: lan, address: 192.168.88.1}
networks:
  - {name: wan, subnet: 203.0.113.0/24}
  - {name: lan, subnet: 192.168.88.0/24}
nodes:
  - name: isp
    forward: true
    interfaces: [{network: wan, address: 203.0.113.1}]
  - name: client
    gateway: 192.168.88.1
    serve: [whoami]
    interfaces: [{network: lan, address: 192.168.88.20}]
`

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		old     string // replaced in valid by new; empty old means valid as is
		new     string
		wantErr string
	}{
		{name: "valid"},
		{"unknown top-level field", "name: t\n", "name: t\nswitches: {}\n", "t.yaml:2:1: lab: unknown field \"switches\""},
		{"unknown node field", "    gateway: 192.168.88.1", "    gatway: 192.168.88.1", "t.yaml:16:5: node: unknown field \"gatway\""},
		{"unknown interface field", "{network: lan, address: 192.168.88.20}", "{network: lan, adress: 192.168.88.20}", "t.yaml:18:33: node client: interface: unknown field \"adress\""},
		{"address outside subnet", "address: 192.168.88.20}", "address: 192.168.89.20}", "t.yaml:18: node client: address 192.168.89.20 is not in network lan (192.168.88.0/24)"},
		{"undefined network", "{network: lan, address: 192.168.88.20}", "{network: dmz, address: 192.168.88.20}", "t.yaml:18: node client: network \"dmz\" is not defined"},
		{"router port on undefined network", "{network: wan, address: 203.0.113.2}", "{network: isp, address: 203.0.113.2}", "t.yaml:6: router router: network \"isp\" is not defined"},
		{"duplicate address", "address: 192.168.88.20}", "address: 192.168.88.1}", "t.yaml:18: node client: address 192.168.88.1 already used by router router at line 7"},
		{"a host at .254", "address: 192.168.88.20}", "address: 192.168.88.254}", ""},
		{"network address", "address: 192.168.88.20}", "address: 192.168.88.0}", "t.yaml:18: node client: address 192.168.88.0 is the network address of lan"},
		// A router may hold its subnet's network address: RouterOS takes
		// 192.168.88.0/24, and check replays an export that has it.
		{"router at the network address", "{network: lan, address: 192.168.88.1}\nnetworks", "{network: lan, address: 192.168.88.0}\nnetworks", "t.yaml:16: node client: gateway 192.168.88.1 is no address of a node or router port"},
		{"broadcast address", "address: 192.168.88.20}", "address: 192.168.88.255}", "t.yaml:18: node client: address 192.168.88.255 is the broadcast address of lan"},
		{"bad address", "address: 192.168.88.20}", "address: 192.168.88.}", "t.yaml:18:42: node client: address: parse \"192.168.88.\": want an IPv4 address"},
		{"IPv6 address", "address: 192.168.88.20}", "address: \"2001:db8::1\"}", "t.yaml:18:42: node client: address: 2001:db8::1 is not IPv4"},
		{"subnet host bits", "subnet: 192.168.88.0/24", "subnet: 192.168.88.1/24", "t.yaml:10:25: network lan: subnet 192.168.88.1/24 has host bits set"},
		{"subnet too small", "subnet: 192.168.88.0/24", "subnet: 192.168.88.0/31", "t.yaml:10:25: network lan: subnet 192.168.88.0/31 is smaller than a /30"},
		{"a /30 WAN", "subnet: 203.0.113.0/24", "subnet: 203.0.113.0/30", ""},
		{"broadcast of a /30", "subnet: 203.0.113.0/24", "subnet: 203.0.113.0/31", "t.yaml:9:25: network wan: subnet 203.0.113.0/31 is smaller than a /30"},
		{"overlapping subnets", "subnet: 192.168.88.0/24", "subnet: 203.0.0.0/16", "t.yaml:10: network lan: subnet 203.0.0.0/16 overlaps network wan (203.0.113.0/24)"},
		{"duplicate network", "  - {name: lan, subnet: 192.168.88.0/24}", "  - {name: wan, subnet: 192.168.88.0/24}", "t.yaml:10:5: network wan defined twice (first at line 9)"},
		{"duplicate node name", "  - name: client\n", "  - name: isp\n", "t.yaml:15:5: node isp: name already used at line 12"},
		{"node named like the router", "  - name: client\n", "  - name: router\n", "t.yaml:15:5: node router: name already used at line 3"},
		{"gateway off-link", "gateway: 192.168.88.1", "gateway: 203.0.113.1", "t.yaml:16: node client: gateway 203.0.113.1 is on none of its networks"},
		{"gateway nobody owns", "gateway: 192.168.88.1", "gateway: 192.168.88.7", "t.yaml:16: node client: gateway 192.168.88.7 is no address of a node or router port"},
		{"gateway is own address", "gateway: 192.168.88.1", "gateway: 192.168.88.20", "t.yaml:16: node client: gateway 192.168.88.20 is its own address"},
		// The agent set the route before the lease came, and the host
		// failed at start ("network is unreachable").
		{"gateway of a DHCP host", "{network: lan, address: 192.168.88.20}", "{network: lan, address: 192.168.88.20, dhcp: true}", "t.yaml:16: node client: gateway 192.168.88.1: the host leases its address on lan by DHCP (dhcp: true), and the lease's router option sets its default route; leave gateway out"},
		{"DHCP host without gateway", "    gateway: 192.168.88.1\n    serve: [whoami]\n    interfaces: [{network: lan, address: 192.168.88.20}]", "    serve: [whoami]\n    interfaces: [{network: lan, address: 192.168.88.20, dhcp: true}]", ""},
		{"forward not a bool", "forward: true", "forward: maybe", "t.yaml:13:14: node isp: forward: want true or false, got \"maybe\""},
		{"two interfaces on one network", "{network: lan, address: 192.168.88.20}]", "{network: lan, address: 192.168.88.20}, {network: lan, address: 192.168.88.21}]", "t.yaml:18: node client: second interface on network lan (first at line 18)"},
		{"node without interfaces", "    interfaces: [{network: lan, address: 192.168.88.20}]\n", "", "t.yaml:15:5: node client: no interfaces"},
		{"interface without address", "{network: lan, address: 192.168.88.20}", "{network: lan}", "t.yaml:18:18: node client: interface on lan without address"},
		{"bad node name", "  - name: client\n", "  - name: Client_1\n", "t.yaml:15:11: node name \"Client_1\": want lower-case letters"},
		{"serve not a list", "serve: [whoami]", "serve: whoami", "t.yaml:17:12: node client: serve: want a list, got \"whoami\""},
		{"router without ports", "  ports:\n    - {network: wan, address: 203.0.113.2}\n    - {network: lan, address: 192.168.88.1}\n", "", "t.yaml:3:3: router router: no ports"},
		// A host may carry the MAC a router knows it by (a static ARP
		// entry, a static lease); the router's ports, a MAC two hosts
		// share, a group address and a host in a VLAN are refused.
		{"host with a mac", "address: 192.168.88.20}", "address: 192.168.88.20, mac: \"48:65:EE:19:3C:0D\"}", ""},
		{"DHCP host with a mac", "    gateway: 192.168.88.1\n    serve: [whoami]\n    interfaces: [{network: lan, address: 192.168.88.20}]", "    serve: [whoami]\n    interfaces: [{network: lan, address: 192.168.88.20, dhcp: true, mac: 48:65:ee:19:3c:0d}]", ""},
		{"bad mac", "address: 192.168.88.20}", "address: 192.168.88.20, mac: 48:65:ee:19:3c}", "t.yaml:18:62: node client: mac: parse \"48:65:ee:19:3c\": want six octets"},
		{"multicast mac", "address: 192.168.88.20}", "address: 192.168.88.20, mac: 01:00:5e:00:00:01}", "t.yaml:18:62: node client: mac: 01:00:5e:00:00:01 is a multicast address"},
		{"zero mac", "address: 192.168.88.20}", "address: 192.168.88.20, mac: 00:00:00:00:00:00}", "t.yaml:18:62: node client: mac: 00:00:00:00:00:00 is no host's address"},
		{"mac on a router port", "{network: lan, address: 192.168.88.1}", "{network: lan, address: 192.168.88.1, mac: 48:65:ee:19:3c:0d}", "t.yaml:7:50: router router: mac: the router's ports keep the MAC addresses the lab gives them"},
		{"mac used twice", "address: 203.0.113.1}]\n  - name: client\n    gateway: 192.168.88.1\n    serve: [whoami]\n    interfaces: [{network: lan, address: 192.168.88.20}]", "address: 203.0.113.1, mac: 48:65:ee:19:3c:0d}]\n  - name: client\n    gateway: 192.168.88.1\n    serve: [whoami]\n    interfaces: [{network: lan, address: 192.168.88.20, mac: 48:65:EE:19:3C:0D}]", "t.yaml:18: node client: mac 48:65:ee:19:3c:0d already used by node isp at line 14"},
		{"mac in a VLAN", "  - {name: lan, subnet: 192.168.88.0/24}\nnodes:\n  - name: isp\n    forward: true\n    interfaces: [{network: wan, address: 203.0.113.1}]\n  - name: client\n    gateway: 192.168.88.1\n    serve: [whoami]\n    interfaces: [{network: lan, address: 192.168.88.20}]", "  - {name: lan, subnet: 192.168.88.0/24}\n  - {name: v10, subnet: 192.168.89.0/24, trunk: lan, vlan: 10}\nnodes:\n  - name: isp\n    forward: true\n    interfaces: [{network: wan, address: 203.0.113.1}]\n  - name: client\n    serve: [whoami]\n    interfaces: [{network: v10, address: 192.168.89.20, mac: 48:65:ee:19:3c:0d}]", "t.yaml:18: node client: mac on network v10: a host in a VLAN (trunk lan) takes the MAC the lab gives it"},
		// A port may carry the RouterBOARD name an export gives it; one
		// that clashes with another port's default name, a port symbol,
		// a second use or a name RouterOS would not print is refused.
		{"named port", "{network: wan, address: 203.0.113.2}", "{network: wan, address: 203.0.113.2, name: sfp-sfpplus1}", ""},
		{"port named like another", "{network: wan, address: 203.0.113.2}", "{network: wan, address: 203.0.113.2, name: ether2}", "t.yaml:6: router router: port ether1: name ether2 is the default name of another port of the lab router (its ports are ether1 to ether2"},
		{"port named like a role", "{network: wan, address: 203.0.113.2}", "{network: wan, address: 203.0.113.2, name: wan}", "t.yaml:6: router router: port ether1: name wan stands for a port's role"},
		{"port name twice", "{network: wan, address: 203.0.113.2}\n    - {network: lan, address: 192.168.88.1}", "{network: wan, address: 203.0.113.2, name: sfp1}\n    - {network: lan, address: 192.168.88.1, name: SFP1}", "t.yaml:7: router router: port ether2: name SFP1 already names the port at line 6"},
		{"port name with a blank", "{network: wan, address: 203.0.113.2}", "{network: wan, address: 203.0.113.2, name: \"sfp 1\"}", "t.yaml:6: router router: port ether1: name \"sfp 1\": want a RouterOS port name"},
		{"name on a host", "address: 192.168.88.20}", "address: 192.168.88.20, name: eth0}", "t.yaml:18:57: node client: interface: unknown field \"name\""},
		{"yaml syntax", "serve: [whoami]", "serve: [whoami", "t.yaml:17: did not find expected ',' or ']'"},
		{"unclosed mapping", "{network: wan, address: 203.0.113.1}]", "{network: wan, address: 203.0.113.1]", "t.yaml:14: did not find expected ',' or '}'"},
		// yaml.v3 names the line where the plain scalar broken by the tab
		// began ("- name: isp"), one above the tab.
		{"tab indentation", "    forward: true", "\tforward: true", "t.yaml:12: found a tab character that violates indentation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := valid
			if tt.old != "" {
				if !strings.Contains(src, tt.old) {
					t.Fatalf("test case broken: %q not in the valid spec", tt.old)
				}
				src = strings.Replace(src, tt.old, tt.new, 1)
			}
			s, err := Parse("t.yaml", []byte(src))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				if s.Name != "t" || len(s.Nodes) != 2 || len(s.Router.Ports) != 2 {
					t.Fatalf("Parse = %+v, want the two nodes and two ports of the source", s)
				}
				return
			}
			if err == nil {
				t.Fatalf("Parse succeeded, want error containing %q", tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Parse error = %q, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

// TestLoadHairpin reads the real lab file and checks what the lab runner
// relies on: ports in order, gateways, the ISP forwarding without one.
func TestLoadHairpin(t *testing.T) {
	s, err := Load(hairpinPath(t))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(s.Router.Ports), 2; got != want {
		t.Fatalf("router ports = %d, want %d", got, want)
	}
	if p := s.Router.Ports[0]; p.Network != "isp" || p.Address != netip.MustParseAddr("203.0.113.2") {
		t.Errorf("ether1 = %+v, want isp 203.0.113.2", p)
	}
	var isp, client1 Node
	for _, n := range s.Nodes {
		switch n.Name {
		case "isp":
			isp = n
		case "client1":
			client1 = n
		}
	}
	if !isp.Forward || isp.Gateway.IsValid() || len(isp.Interfaces) != 2 {
		t.Errorf("isp = %+v, want forwarding, no gateway, two interfaces", isp)
	}
	if client1.Gateway != netip.MustParseAddr("192.168.88.1") {
		t.Errorf("client1 gateway = %v, want 192.168.88.1", client1.Gateway)
	}
	if got, want := s.BasePath(), filepath.Join(filepath.Dir(hairpinPath(t)), "hairpin.rsc"); got != want {
		t.Errorf("BasePath = %q, want %q", got, want)
	}
	if got, want := RosemuArgs(s, netip.MustParsePrefix("172.31.255.0/24")), "--identity router --port ether1=203.0.113.0/24 --port ether2=192.168.88.0/24 --mgmt 172.31.255.0/24 --api :8728 --ssh :22"; strings.Join(got, " ") != want {
		t.Errorf("RosemuArgs = %q, want %q", strings.Join(got, " "), want)
	}
	if got, want := strings.Join(AgentArgs(isp), " "), "node --name isp"; got != want {
		t.Errorf("AgentArgs(isp) = %q, want %q", got, want)
	}
}

// TestParseSmallSubnet: an ISP's /29 with its gateway at .254.
func TestParseSmallSubnet(t *testing.T) {
	src := strings.NewReplacer("203.0.113.2}", "203.0.113.249}", "203.0.113.0/24", "203.0.113.248/29", "203.0.113.1}", "203.0.113.254}").Replace(valid)
	s, err := Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if got := s.Networks[0].Subnet.String(); got != "203.0.113.248/29" {
		t.Fatalf("wan subnet = %s", got)
	}
	if _, err := Parse("t.yaml", []byte(strings.Replace(src, "203.0.113.254}", "203.0.113.255}", 1))); err == nil || !strings.Contains(err.Error(), "broadcast address of wan") {
		t.Fatalf("Parse of the /29's broadcast as a host = %v, want the broadcast refused", err)
	}
}

// hairpinPath finds labs/hairpin.yaml from this source file, so the test
// runs from any working directory.
func hairpinPath(t testing.TB) string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("locate the test source")
	}
	return filepath.Join(filepath.Dir(file), "..", "..", "labs", "hairpin.yaml")
}

// TestParseIPv6: a network's subnet6, an interface's address6 and a node's
// gateway6, and what is refused of them at their lines.
func TestParseIPv6(t *testing.T) {
	v6 := strings.NewReplacer(
		"{name: lan, subnet: 192.168.88.0/24}", `{name: lan, subnet: 192.168.88.0/24, subnet6: "3fff:88::/64"}`,
		"{network: lan, address: 192.168.88.1}", `{network: lan, address: 192.168.88.1, address6: "3fff:88::1"}`,
		"    gateway: 192.168.88.1\n", "    gateway: 192.168.88.1\n    gateway6: \"3fff:88::1\"\n",
		"{network: lan, address: 192.168.88.20}", `{network: lan, address: 192.168.88.20, address6: "3fff:88::20"}`,
	).Replace(valid)
	s, err := Parse("t.yaml", []byte(v6))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	slaac := strings.Replace(v6, `address6: "3fff:88::20"}`, `address6: "3fff:88::20", slaac: true}`, 1)
	if s2, err := Parse("t.yaml", []byte(slaac)); err != nil || !s2.Nodes[1].Interfaces[0].SLAAC {
		t.Errorf("a SLAAC host: %v", err)
	}
	if _, err := Parse("t.yaml", []byte(strings.Replace(slaac, `subnet6: "3fff:88::/64"`, `subnet6: "3fff:88::/56"`, 1))); err == nil || !strings.Contains(err.Error(), "SLAAC forms addresses in a /64 only") {
		t.Errorf("SLAAC on a /56: %v", err)
	}
	c := s.Nodes[1]
	if c.Gateway6.String() != "3fff:88::1" || c.Interfaces[0].Address6.String() != "3fff:88::20" || s.Networks[1].Subnet6.String() != "3fff:88::/64" {
		t.Errorf("parsed %+v, networks %+v", c, s.Networks)
	}
	if args := strings.Join(AgentArgs(c), " "); !strings.Contains(args, "--gateway6 3fff:88::1") {
		t.Errorf("agent args %q lack the IPv6 gateway", args)
	}
	for _, tt := range []struct{ name, old, new, wantErr string }{
		{"address6 outside subnet6", `address6: "3fff:88::20"`, `address6: "3fff:89::20"`, "t.yaml:19: node client: address6 3fff:89::20 is not in network lan (3fff:88::/64)"},
		{"address6 without subnet6", `{network: wan, address: 203.0.113.1}`, `{network: wan, address: 203.0.113.1, address6: "3fff:113::1"}`, "t.yaml:14: node isp: address6 3fff:113::1 on network wan, which has no subnet6"},
		{"address6 used twice", `address6: "3fff:88::20"`, `address6: "3fff:88::1"`, "t.yaml:19: node client: address6 3fff:88::1 already used by router router at line 7"},
		{"an IPv4 address6", `address6: "3fff:88::20"`, `address6: 192.168.88.30`, "t.yaml:19:67: node client: address6: parse \"192.168.88.30\": want an IPv6 address"},
		{"subnet6 of IPv4", `subnet6: "3fff:88::/64"`, `subnet6: 10.0.0.0/8`, "t.yaml:10:51: network lan: subnet6 10.0.0.0/8 is not IPv6"},
		{"gateway6 nobody owns", `gateway6: "3fff:88::1"`, `gateway6: "3fff:88::7"`, "t.yaml:17: node client: gateway 3fff:88::7 is no address of a node or router port"},
		{"slaac without address6", `{network: lan, address: 192.168.88.20, address6: "3fff:88::20"}`, `{network: lan, address: 192.168.88.20, slaac: true}`, "t.yaml:19:64: node client: slaac: needs the address6 the host will form"},
		{"slaac on the router", `address6: "3fff:88::1"}`, `address6: "3fff:88::1", slaac: true}`, "t.yaml:7:76: router router: slaac: the router's ports take their addresses from its configuration"},
		{"gateway6 off-link", `gateway6: "3fff:88::1"`, `gateway6: "3fff:99::1"`, "t.yaml:17: node client: gateway 3fff:99::1 is on none of its networks"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(v6, tt.old) {
				t.Fatalf("test case broken: %q not in the spec", tt.old)
			}
			_, err := Parse("t.yaml", []byte(strings.Replace(v6, tt.old, tt.new, 1)))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Parse error = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

// TestParseMAC: a host's mac is kept in one spelling (lower case), the one
// the kernel prints, so the lab finds the interface by it; an interface
// without mac has none (the lab derives one from the address).
func TestParseMAC(t *testing.T) {
	src := strings.Replace(valid, "address: 192.168.88.20}", "address: 192.168.88.20, mac: 48-65-EE-19-3C-0D}", 1)
	s, err := Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Nodes[1].Interfaces[0].MAC; got != "48:65:ee:19:3c:0d" {
		t.Errorf("client's MAC = %q, want 48:65:ee:19:3c:0d", got)
	}
	if got := s.Nodes[0].Interfaces[0].MAC; got != "" {
		t.Errorf("isp's MAC = %q, want none", got)
	}
}
