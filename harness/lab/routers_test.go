package lab

import (
	"net/netip"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// withRouters is valid (spec_test.go) with a second router, site-b, on
// the WAN segment and a LAN of its own with a host behind it. Line
// numbers count from its first line.
const withRouters = valid + `  - name: client-b
    gateway: 192.168.89.1
    interfaces: [{network: lan-b, address: 192.168.89.20}]
routers:
  - name: site-b
    base: b.rsc
    ports:
      - {network: wan, address: 203.0.113.3}
      - {network: lan-b, address: 192.168.89.1}
`

// TestParseRouters: a lab's more routers take the grammar of its router;
// their ports own addresses as the router's do (a host's gateway may be
// one, no address twice), and what only the lab's router has (port names,
// ports in a VLAN) is refused at its line.
func TestParseRouters(t *testing.T) {
	base := strings.Replace(withRouters, "  - {name: lan, subnet: 192.168.88.0/24}\n", "  - {name: lan, subnet: 192.168.88.0/24}\n  - {name: lan-b, subnet: 192.168.89.0/24}\n", 1)
	tests := []struct {
		name, old, new, wantErr string
	}{
		{name: "valid"},
		{"address of the lab's router", "{network: wan, address: 203.0.113.3}", "{network: wan, address: 203.0.113.2}", "t.yaml:27: router site-b: address 203.0.113.2 already used by router router at line 6"},
		{"a node's name", "  - name: site-b\n", "  - name: client-b\n", "t.yaml:24:5: router client-b: name already used at line 20"},
		{"the router's name", "  - name: site-b\n", "  - name: router\n", "t.yaml:24:5: router router: name already used at line 3"},
		{"a gateway nobody owns", "    gateway: 192.168.89.1\n", "    gateway: 192.168.89.2\n", "t.yaml:21: node client-b: gateway 192.168.89.2 is no address of a node or router port"},
		{"port name", "{network: wan, address: 203.0.113.3}", "{network: wan, address: 203.0.113.3, name: sfp1}", "t.yaml:27: router site-b: port ether1: name: only the lab's router takes RouterBOARD port names"},
		{"unknown field", "    base: b.rsc\n", "    bsae: b.rsc\n", "t.yaml:25:5: router: unknown field \"bsae\""},
		{"no ports", "    ports:\n      - {network: wan, address: 203.0.113.3}\n      - {network: lan-b, address: 192.168.89.1}\n", "", "t.yaml:24:5: router site-b: no ports"},
		{"a VLAN network", "  - {name: lan-b, subnet: 192.168.89.0/24}\n", "  - {name: lan-b, subnet: 192.168.89.0/24, trunk: lan, vlan: 20}\n", "router site-b: port ether2 on network lan-b, a VLAN of lan"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := parseVariant(t, base, tt.old, tt.new, tt.wantErr, 1)
			if s == nil {
				return
			}
			if len(s.Routers) != 1 || s.Routers[0].Name != "site-b" || len(s.Routers[0].Ports) != 2 || s.Routers[0].Base != "b.rsc" {
				t.Fatalf("routers %+v", s.Routers)
			}
			if got, want := s.RouterBasePath(s.Routers[0]), "b.rsc"; got != want {
				t.Errorf("base path %q, want %q", got, want)
			}
		})
	}
}

// TestRoutersContainers: a more router runs as the lab's router does
// (rosemu's command line from its own ports, as its own identity), from
// the routers' image, with its API on the next management address.
func TestRoutersContainers(t *testing.T) {
	data := strings.Replace(withRouters, "  - {name: lan, subnet: 192.168.88.0/24}\n", "  - {name: lan, subnet: 192.168.88.0/24}\n  - {name: lan-b, subnet: 192.168.89.0/24}\n", 1)
	spec, err := Parse("t.yaml", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	l := &Lab{Spec: spec, wire: map[string]netip.Prefix{}, mgmt: netip.MustParsePrefix("172.31.255.0/24"), wiring: WiringNetns}
	for _, nw := range spec.Networks {
		l.wire[nw.Name] = nw.Subnet // wired on its own subnet
	}
	cs := l.containers(Options{RouterImage: "vm-image", RoutersImage: "rosemu-image", Router: RouterRun{Cmd: []string{"qemu"}}}, map[string]labNet{mgmtKey: {name: "m"}})
	byName := map[string]containerSpec{}
	for _, c := range cs {
		byName[c.node] = c
	}
	r, b := byName["router"], byName["site-b"]
	if r.image != "vm-image" || strings.Join(r.cmd, " ") != "qemu" || r.apiAddr != "172.31.255.2:8728" {
		t.Errorf("router: image %s, cmd %v, api %s", r.image, r.cmd, r.apiAddr)
	}
	if want := "--identity site-b --port ether1=203.0.113.0/24 --port ether2=192.168.89.0/24 --mgmt 172.31.255.0/24 --api :8728 --ssh :22"; b.image != "rosemu-image" || strings.Join(b.cmd, " ") != want {
		t.Errorf("site-b: image %s, cmd %q, want %q", b.image, strings.Join(b.cmd, " "), want)
	}
	if b.apiAddr != "172.31.255.3:8728" || len(b.attach) != 1 || b.attach[0].addr != netip.MustParseAddr("172.31.255.3") || len(b.veths) != 2 {
		t.Errorf("site-b: api %s, attach %+v, %d veths", b.apiAddr, b.attach, len(b.veths))
	}
	for name, want := range map[string]string{"router": "172.31.255.2", "site-b": "172.31.255.3", "nobody": "invalid IP"} {
		if a, _ := l.RouterMgmtOf(name); a.String() != want {
			t.Errorf("management address of %s: %s, want %s", name, a, want)
		}
	}
}

// TestLoadTwoSite: the repository's labs with a second router load.
func TestLoadTwoSite(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	for _, name := range []string{"two-site", "behind-mikrotik"} {
		s, err := Load(filepath.Join(filepath.Dir(file), "..", "..", "labs", name+".yaml"))
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Routers) != 1 {
			t.Errorf("%s: %d more routers", name, len(s.Routers))
		}
	}
}

// TestParsePortVRRP: two routers that share a virtual router on the LAN
// name its address on their ports (vrrp:), and a host may take it as its
// gateway; without it the gateway is nobody's (the forum case of VRRP
// between two MikroTiks could not be written). The address must be on
// the port's network and no one's own, and only router ports take it.
func TestParsePortVRRP(t *testing.T) {
	base := strings.Replace(valid, "    - {network: lan, address: 192.168.88.1}\n", "    - {network: lan, address: 192.168.88.1, vrrp: [192.168.88.254]}\n", 1)
	base = strings.Replace(base, "    gateway: 192.168.88.1\n", "    gateway: 192.168.88.254\n", 1)
	base += `routers:
  - name: backup
    ports:
      - {network: wan, address: 203.0.113.3}
      - {network: lan, address: 192.168.88.2, vrrp: [192.168.88.254]}
`
	tests := []struct {
		name, old, new, wantErr string
	}{
		{name: "valid"},
		{"no port names it", ", vrrp: [192.168.88.254]}", "}", ""}, // the other router's port still does
		{"neither port names it", ", vrrp: [192.168.88.254]}", "}", "t.yaml:16: node client: gateway 192.168.88.254 is no address of a node or router port"},
		{"off the port's network", "address: 192.168.88.2, vrrp: [192.168.88.254]", "address: 192.168.88.2, vrrp: [192.168.89.254]", "t.yaml:23: router backup: vrrp 192.168.89.254 is not in network lan (192.168.88.0/24)"},
		{"a host's own address", "address: 192.168.88.2, vrrp: [192.168.88.254]", "address: 192.168.88.2, vrrp: [192.168.88.20]", "t.yaml:23: router backup: vrrp 192.168.88.20 is the own address of node client at line 18"},
		{"not IPv4", "address: 192.168.88.2, vrrp: [192.168.88.254]", "address: 192.168.88.2, vrrp: [banana]", "t.yaml:23:54: router backup: vrrp: parse \"banana\""},
		{"on a host", "{network: lan, address: 192.168.88.20}", "{network: lan, address: 192.168.88.20, vrrp: [192.168.88.254]}", "t.yaml:18:57: node client: interface: unknown field \"vrrp\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := 1
			if tt.name == "neither port names it" {
				n = -1
			}
			s := parseVariant(t, base, tt.old, tt.new, tt.wantErr, n)
			if s == nil {
				return
			}
			if got := s.Routers[0].Ports[1].VRRP; len(got) != 1 || got[0] != netip.MustParseAddr("192.168.88.254") {
				t.Errorf("backup's LAN port vrrp %v", got)
			}
		})
	}
}

// parseVariant parses base with old replaced by new (n times, -1 for
// all) and checks the outcome against wantErr ("" for none); it returns
// the spec when it parsed, nil when the expected error came.
func parseVariant(t *testing.T, base, old, new, wantErr string, n int) *Spec {
	t.Helper()
	data := strings.Replace(base, old, new, n)
	if old != "" && data == base {
		t.Fatalf("old text %q not in the lab", old)
	}
	s, err := Parse("t.yaml", []byte(data))
	switch {
	case wantErr == "" && err != nil:
		t.Fatalf("want it parsed, got %v", err)
	case wantErr != "" && (err == nil || !strings.Contains(err.Error(), wantErr)):
		t.Fatalf("want an error with %q, got %v", wantErr, err)
	case err != nil:
		return nil
	}
	return s
}

// TestRoutersImages: a lab of one router starts and inspects the hosts'
// and the router's images only (under --router vm, the QEMU image), a lab
// with more routers rosemu's too.
func TestRoutersImages(t *testing.T) {
	o := Options{HostImage: "host", RouterImage: "vm-image", RoutersImage: "rosemu-image"}
	if got := strings.Join(o.images(&Spec{}), " "); got != "host vm-image" {
		t.Errorf("one router: %s", got)
	}
	if got := strings.Join(o.images(&Spec{Routers: []Router{{Name: "site-b"}}}), " "); got != "host vm-image rosemu-image" {
		t.Errorf("more routers: %s", got)
	}
}
