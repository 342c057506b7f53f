package lab

import (
	"net/netip"
	"strings"
	"testing"
)

func TestParseDHCPInterface(t *testing.T) {
	good := `name: x
router:
  name: router
  ports: [{network: lan, address: 192.168.88.1}]
networks: [{name: lan, subnet: 192.168.88.0/24}]
nodes:
  - name: c
    interfaces: [{network: lan, address: 192.168.88.30, dhcp: true}]
`
	s, err := Parse("x.yaml", []byte(good))
	if err != nil || !s.Nodes[0].Interfaces[0].DHCP {
		t.Fatalf("parse: %v %+v", err, s)
	}
	for bad, want := range map[string]string{
		strings.Replace(good, "dhcp: true", "dhcp: maybe", 1):                                    `x.yaml:8:63: node c: dhcp: want true or false, got "maybe"`,
		strings.Replace(good, "address: 192.168.88.1}", "address: 192.168.88.1, dhcp: true}", 1): "x.yaml:4:55: router router: dhcp: the router's ports take their addresses from its configuration",
	} {
		if _, err := Parse("x.yaml", []byte(bad)); err == nil || err.Error() != want {
			t.Errorf("error %v, want %q", err, want)
		}
	}
}

// TestParsePPPoEInterface: a host's pppoe login is read with its fields;
// a router port, a host that also takes DHCP, a login without a user and
// an unknown field are refused at their lines. The lab's args carry the
// login to labagent.
func TestParsePPPoEInterface(t *testing.T) {
	good := `name: x
router:
  name: router
  ports: [{network: lan, address: 192.168.88.1}]
networks: [{name: lan, subnet: 192.168.88.0/24}]
nodes:
  - name: c
    interfaces: [{network: lan, address: 192.168.88.40, pppoe: {user: alice, password: pw, service: lan}}]
`
	s, err := Parse("x.yaml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if l := s.Nodes[0].Interfaces[0].PPPoE; l == nil || *l != (PPPoELogin{User: "alice", Password: "pw", Service: "lan"}) {
		t.Fatalf("login = %+v", l)
	}
	for bad, want := range map[string]string{
		strings.Replace(good, "address: 192.168.88.1}", "address: 192.168.88.1, pppoe: {user: a}}", 1): "x.yaml:4:56: router router: pppoe: the router's PPPoE clients are its configuration's (/interface pppoe-client)",
		strings.Replace(good, "pppoe: {user", "dhcp: true, pppoe: {user", 1):                           "x.yaml:8:76: node c: pppoe: a host takes its address by DHCP or by PPPoE, not both",
		strings.Replace(good, "user: alice, ", "", 1):                                                  "x.yaml:8:64: node c: pppoe: needs user (and password): the login of one of the router's /ppp secret entries",
		strings.Replace(good, "service: lan", "secret: lan", 1):                                        "x.yaml:8:92: node c: pppoe: unknown field \"secret\"",
	} {
		if _, err := Parse("x.yaml", []byte(bad)); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("error %v, want %q", err, want)
		}
	}
	l := &Lab{Spec: s, wire: map[string]netip.Prefix{"lan": netip.MustParsePrefix("10.200.4.0/23")}}
	args := strings.Join(l.addressArgs(s.Nodes[0], nil), " ")
	if !strings.Contains(args, "--pppoe-client-user alice --pppoe-client-password pw --pppoe-client-service lan --pppoe-client 10.200.4.40=192.168.88.40/24") {
		t.Errorf("labagent args: %s", args)
	}
}

// TestHostMAC: a host's mac is its veth's MAC (the lab finds the
// interface by it), and a DHCP host's agent keeps it (the flag names it);
// the Docker wiring refuses it. Controls: without mac the veth takes the
// MAC of its wire address and the DHCP flag names none (the agent sets
// 02:00 and the planned address).
func TestHostMAC(t *testing.T) {
	src := `name: x
router:
  name: router
  ports: [{network: lan, address: 192.168.88.1}]
networks: [{name: lan, subnet: 192.168.88.0/24}]
nodes:
  - name: s
    gateway: 192.168.88.1
    interfaces: [{network: lan, address: 192.168.88.20, mac: 48:65:ee:19:3c:0d}]
  - name: c
    interfaces: [{network: lan, address: 192.168.88.30, dhcp: true, mac: 48:65:ee:19:3c:0e}]
`
	for _, withMAC := range []bool{true, false} {
		text := src
		if !withMAC {
			text = strings.ReplaceAll(text, ", mac: 48:65:ee:19:3c:0d", "")
			text = strings.ReplaceAll(text, ", mac: 48:65:ee:19:3c:0e", "")
		}
		s, err := Parse("x.yaml", []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		l := &Lab{Spec: s, wire: map[string]netip.Prefix{"lan": netip.MustParsePrefix("10.200.4.0/23")}}
		v := l.vethOf(s.Nodes[0].Interfaces[0], "eth0", l.wireAddr(s.Nodes[0].Interfaces[0]))
		static := strings.Join(l.addressArgs(s.Nodes[0], nil), " ")
		dhcp := strings.Join(l.addressArgs(s.Nodes[1], nil), " ")
		if withMAC {
			if v.macOf() != "48:65:ee:19:3c:0d" {
				t.Errorf("the static host's veth has MAC %s, want its lab file's", v.macOf())
			}
			if dhcp != "--dhcp-client 10.200.4.30=192.168.88.30/24,48:65:ee:19:3c:0e" {
				t.Errorf("DHCP host's args: %s", dhcp)
			}
			if err := dockerMACs(s); err == nil || !strings.Contains(err.Error(), "node s: mac 48:65:ee:19:3c:0d on lan: the Docker wiring") {
				t.Errorf("the Docker wiring takes a mac: %v", err)
			}
		} else {
			if v.macOf() != wireMAC(netip.MustParseAddr("10.200.4.20")) {
				t.Errorf("without mac the veth has MAC %s, want its wire address's", v.macOf())
			}
			if dhcp != "--dhcp-client 10.200.4.30=192.168.88.30/24" {
				t.Errorf("DHCP host's args without mac: %s", dhcp)
			}
			if err := dockerMACs(s); err != nil {
				t.Errorf("the Docker wiring refuses a lab without mac: %v", err)
			}
		}
		if static != "--address 10.200.4.20=192.168.88.20/24" {
			t.Errorf("static host's args: %s", static)
		}
	}
}
