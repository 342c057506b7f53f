package lab

import (
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// rolesLab is a lab with every role block; each case below breaks it in one place.
const rolesLab = `name: t
router:
  name: router
  ports:
    - {network: cgn, address: 100.64.0.2, role: wan}
    - {network: inside, address: 192.168.1.2, role: wan}
    - {network: lan, address: 192.168.88.1, role: lan}
networks:
  - {name: cgn, subnet: 100.64.0.0/24}
  - {name: inside, subnet: 192.168.1.0/24}
  - {name: up, subnet: 203.0.113.0/24}
  - {name: internet, subnet: 198.51.100.0/24}
  - {name: lan, subnet: 192.168.88.0/24}
nodes:
  - name: isp
    isp: {kind: cgnat, customer: cgn}
    routes: [{to: 203.0.113.0/24, via: 198.51.100.2}]
    interfaces:
      - {network: cgn, address: 100.64.0.1}
      - {network: internet, address: 198.51.100.1}
  - name: cpe
    role: cpe
    gateway: 203.0.113.1
    cpe:
      forward: [{port: 12566}, {protocol: udp, port: 53, to: 192.168.1.3, to-port: 5353}]
    interfaces:
      - {network: up, address: 203.0.113.2}
      - {network: inside, address: 192.168.1.1}
  - name: upstream
    isp: {}
    interfaces: [{network: up, address: 203.0.113.1}]
  - name: server
    role: server
    gateway: 192.168.88.1
    serve: [whoami, {kind: whoami, port: 80}, {kind: iperf3, port: 5201}, {kind: dns, port: 5353}, {kind: doh, port: 8443}]
    interfaces: [{network: lan, address: 192.168.88.10}]
`

func TestParseRoles(t *testing.T) {
	s, err := Parse("t.yaml", []byte(rolesLab))
	if err != nil {
		t.Fatal(err)
	}
	args := map[string]string{}
	for _, n := range s.Nodes {
		args[n.Name] = strings.Join(AgentArgs(n), " ")
	}
	for node, want := range map[string]string{
		"isp":      "node --name isp --route 203.0.113.0/24=198.51.100.2 --antispoof 100.64.0.0/24=100.64.0.0/24 --snat 100.64.0.0/24=198.51.100.1 --block-inbound 100.64.0.0/24",
		"cpe":      "node --name cpe --gateway 203.0.113.1 --snat 192.168.1.0/24=203.0.113.2 --block-inbound 192.168.1.0/24 --port-forward tcp:203.0.113.2:12566=192.168.1.2:12566 --port-forward udp:203.0.113.2:53=192.168.1.3:5353",
		"upstream": "node --name upstream --antispoof 203.0.113.0/24=203.0.113.0/24",
		"server":   "node --name server --gateway 192.168.88.1 --serve whoami,iperf3,dns,doh --port 12566,80 --iperf-ports 5201 --dns-port 5353 --doh-port 8443",
	} {
		if args[node] != want {
			t.Errorf("AgentArgs(%s) =\n %s\nwant\n %s", node, args[node], want)
		}
	}
	for _, n := range s.Nodes {
		if (n.Name == "isp" || n.Name == "cpe") && !n.Forward {
			t.Errorf("node %s does not forward", n.Name)
		}
	}
	for _, tt := range []struct{ port, want string }{
		{"wan", "ether1"}, {"wan2", "ether2"}, {"lan", "ether3"}, {"ether2", "ether2"},
		// Any other RouterOS name is the router's to know (checked live).
		{"vlan20", "vlan20"}, {"pppoe-out1", "pppoe-out1"}, {"bridge-lan", "bridge-lan"}, {"wan-uplink", "wan-uplink"}, {"dmz", "dmz"},
	} {
		if got, ok := s.RouterIface(tt.port, netip.Addr{}); !ok || got != tt.want {
			t.Errorf("RouterIface(%s) = %q, %v; want %s", tt.port, got, ok, tt.want)
		}
	}
	for _, bad := range []string{"wan3", "wan1", "ether4", "ether0", "", "two words", "-x", "a:b"} {
		if got, ok := s.RouterIface(bad, netip.Addr{}); ok {
			t.Errorf("RouterIface(%s) = %q, want none", bad, got)
		}
	}
	for name, want := range map[string]string{"cpe.public": "203.0.113.2", "isp.public": "198.51.100.1"} {
		if a, ok := s.PublicAddr(name); !ok || a.String() != want {
			t.Errorf("PublicAddr(%s) = %v, %v; want %s", name, a, ok, want)
		}
	}
	if _, ok := s.PublicAddr("server.public"); ok {
		t.Error("server.public resolved; a server has no public address")
	}
}

func TestParseRoleErrors(t *testing.T) {
	for _, tt := range []struct{ name, old, new, want string }{
		{"unknown role", "    role: server\n", "    role: web\n", `t.yaml:33:11: node server: unknown role "web" (known: client, server, peer, dns, isp, cpe, host)`},
		{"unknown isp kind", "kind: cgnat", "kind: fibre", `t.yaml:16:17: node isp: isp: unknown kind "fibre" (known: static, dhcp, cgnat, pppoe)`},
		{"pppoe without a user", "kind: cgnat", "kind: pppoe", "t.yaml:16: node isp: isp: kind pppoe needs user and password"},
		{"user on cgnat", "customer: cgn}", "customer: cgn, user: bob}", "t.yaml:16:45: node isp: isp: user is for kind pppoe, not cgnat"},
		{"unknown isp field", "customer: cgn}", "customer: cgn, nat: yes}", `t.yaml:16:39: node isp: isp: unknown field "nat" (known: kind, customer, public, lease, dns, antispoof, user, password, ac-name, service, auth, offer, pd, pd-lease, proxy-arp)`},
		{"pd without IPv6 on the customer network", "customer: cgn}", "customer: cgn, pd: \"3fff:200::/56\"}", "t.yaml:16: node isp: isp: pd needs IPv6 on the customer network cgn (subnet6)"},
		{"pd with host bits", "customer: cgn}", "customer: cgn, pd: \"3fff:200::1/56\"}", "t.yaml:16:43: node isp: isp: pd 3fff:200::1/56 has host bits set (did you mean 3fff:200::/56?)"},
		{"pd longer than /64", "customer: cgn}", "customer: cgn, pd: \"3fff:200::/80\"}", "pd 3fff:200::/80 is longer than /64"},
		{"pd-lease without pd", "customer: cgn}", "customer: cgn, pd-lease: 1m}", "pd-lease without pd"},
		{"cgnat outside shared space", "100.64.0.", "10.64.0.", "customer network cgn (10.64.0.0/24) is not inside 100.64.0.0/10"},
		{"lease on cgnat", "customer: cgn}", "customer: cgn, lease: 10s}", "lease is for kind dhcp, not cgnat"},
		{"isp block on a cpe", "    role: cpe\n", "    role: cpe\n    isp: {}\n", "t.yaml:23:10: node cpe: an isp block on a node of role cpe"},
		{"forward off the inside", "to: 192.168.1.3", "to: 192.168.88.3", "forward of udp/53 goes to 192.168.88.3, which is not on its inside network"},
		{"forward protocol", "protocol: udp", "protocol: sctp", `unknown protocol "sctp" (known: tcp, udp)`},
		{"unknown service", "{kind: dns, port: 5353}", "{kind: smtp, port: 25}", `t.yaml:35:75: node server: serve: unknown service "smtp" (known: cloud, dhcp, dhcp6, dns, doh, ftp, http, iperf3, whoami)`},
		{"service port out of range", "{kind: whoami, port: 80}", "{kind: whoami, port: 80000}", "want a port from 1 to 65535"},
		{"unknown port role", "role: lan}", "role: dmz}", `t.yaml:7:51: router router: unknown port role "dmz" (known: wan, lan)`},
		{"route without via", "{to: 203.0.113.0/24, via: 198.51.100.2}", "{to: 203.0.113.0/24}", "t.yaml:17:14: node isp: routes: route without via"},
		{"absolute base", "  name: router\n", "  name: router\n  base: /etc/passwd\n", `t.yaml:4:9: router base "/etc/passwd" leaves the lab's folder`},
		{"base above the lab", "  name: router\n", "  name: router\n  base: ../x.rsc\n", `t.yaml:4:9: router base "../x.rsc" leaves the lab's folder`},
		{"server serving nothing", "    serve: [whoami, {kind: whoami, port: 80}, {kind: iperf3, port: 5201}, {kind: dns, port: 5353}, {kind: doh, port: 8443}]\n", "", "node server: role server but serves nothing"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(rolesLab, tt.old) {
				t.Fatalf("test case broken: %q not in the lab", tt.old)
			}
			_, err := Parse("t.yaml", []byte(strings.ReplaceAll(rolesLab, tt.old, tt.new)))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Parse error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// TestLabsParse loads every lab of the repository: they are the grammar's examples.
func TestLabsParse(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(filepath.Dir(hairpinPath(t)), "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("find labs: %v (%d files)", err, len(files))
	}
	for _, f := range files {
		s, err := Load(f)
		if err != nil {
			t.Error(err)
			continue
		}
		// The base a lab names must exist (several labs share one).
		if bp := s.BasePath(); bp != "" {
			if _, err := os.Stat(bp); err != nil {
				t.Errorf("lab %s names a base it lacks: %v", f, err)
			}
		}
	}
}

// TestPDISP: an ISP with pd serves DHCPv6 on the customer network and
// delegates the prefix (labs/ipv6-pd.yaml).
func TestPDISP(t *testing.T) {
	s, err := Load(filepath.Join(filepath.Dir(hairpinPath(t)), "ipv6-pd.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range s.Nodes {
		if n.Name != "isp" {
			continue
		}
		args := strings.Join(n.Args, " ")
		if !strings.Contains(args, "--dhcp6-subnet 3fff:113::/64 --dhcp6-pd 3fff:200::/56 --dhcp6-lease 1m0s") || !slices.Contains(n.Serve, "dhcp6") {
			t.Errorf("isp args %q serve %v", args, n.Serve)
		}
		return
	}
	t.Fatal("no isp node")
}

func TestDHCPISP(t *testing.T) {
	s, err := Load(filepath.Join(filepath.Dir(hairpinPath(t)), "hairpin-dhcp.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if n, ok := s.DHCPISP("wan"); !ok || n != "isp" {
		t.Errorf("DHCPISP(wan) = %q, %v; want isp", n, ok)
	}
	s, err = Load(hairpinPath(t))
	if err != nil {
		t.Fatal(err)
	}
	if n, ok := s.DHCPISP("wan"); ok {
		t.Errorf("DHCPISP(wan) on a static lab = %q, want none", n)
	}
}

// A router of one port has router.wan when the port's role says wan (a
// VPS's CHR, as chrlab check builds it), and none without roles, where
// the one port is a LAN.
func TestOnePortWAN(t *testing.T) {
	wan := &Spec{Router: Router{Ports: []Interface{{Network: "wan", Role: "wan"}}}}
	if got, ok := wan.RouterIface("wan", netip.Addr{}); !ok || got != "ether1" {
		t.Errorf("one WAN port: RouterIface(wan) = %q, %v; want ether1", got, ok)
	}
	plain := &Spec{Router: Router{Ports: []Interface{{Network: "lan"}}}}
	if got, ok := plain.RouterIface("wan", netip.Addr{}); ok {
		t.Errorf("one port without roles: RouterIface(wan) = %q, want none", got)
	}
}

// TestISPAntispoofRoutedBlock: a block the ISP routes to the customer
// (a routed /29 behind the router's WAN address) is admitted as a source
// from the customer network; a route towards elsewhere is not.
func TestISPAntispoofRoutedBlock(t *testing.T) {
	const lab = `name: t
router:
  name: router
  ports:
    - {network: isp, address: 203.0.113.2, role: wan}
    - {network: lan, address: 192.168.88.1, role: lan}
networks:
  - {name: isp, subnet: 203.0.113.0/24}
  - {name: internet, subnet: 198.51.100.0/24}
  - {name: lan, subnet: 192.168.88.0/24}
nodes:
  - name: isp
    role: isp
    routes: [{to: 192.0.2.8/29, via: 203.0.113.2}, {to: 198.18.0.0/24, via: 198.51.100.2}]
    interfaces:
      - {network: isp, address: 203.0.113.1}
      - {network: internet, address: 198.51.100.1}
`
	s, err := Parse("t.yaml", []byte(lab))
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(AgentArgs(s.Nodes[0]), " ")
	if !strings.Contains(got, "--antispoof 203.0.113.0/24=203.0.113.0/24,192.0.2.8/29 ") && !strings.HasSuffix(got, "--antispoof 203.0.113.0/24=203.0.113.0/24,192.0.2.8/29") {
		t.Errorf("AgentArgs(isp) = %s", got)
	}
}
