package lab

import (
	"strings"
	"testing"
)

func TestParsePPPoEISP(t *testing.T) {
	lab := strings.Replace(rolesLab, "isp: {kind: cgnat, customer: cgn}",
		"isp: {kind: pppoe, customer: cgn, user: home, password: s3cret, ac-name: isp1, auth: \"chap,mschap2\", dns: [198.51.100.53]}", 1)
	s, err := Parse("t.yaml", []byte(lab))
	if err != nil {
		t.Fatal(err)
	}
	var got string
	for _, n := range s.Nodes {
		if n.Name == "isp" {
			got = strings.Join(AgentArgs(n), " ")
			if !n.Forward {
				t.Error("the pppoe ISP does not forward")
			}
		}
	}
	for _, want := range []string{"--serve pppoe", "--pppoe-subnet 100.64.0.0/24", "--pppoe-offer 100.64.0.2",
		"--pppoe-user home", "--pppoe-password s3cret", "--pppoe-antispoof=true", "--pppoe-ac-name isp1", "--pppoe-auth chap,mschap2", "--pppoe-dns 198.51.100.53"} {
		if !strings.Contains(got, want) {
			t.Errorf("AgentArgs(isp) = %s\nwant it to contain %s", got, want)
		}
	}
	if _, err := Parse("t.yaml", []byte(strings.Replace(lab, "dns: [198.51.100.53]", "dns: [1.1.1.1, 8.8.8.8, 9.9.9.9]", 1))); err == nil || !strings.Contains(err.Error(), "at most 2 DNS servers") {
		t.Errorf("three DNS servers: err = %v", err)
	}
	if _, err := Parse("t.yaml", []byte(strings.Replace(lab, "chap,mschap2", "chap,eap", 1))); err == nil || !strings.Contains(err.Error(), `unknown protocol "eap"`) {
		t.Errorf("auth with eap: err = %v", err)
	}
}

// An ISP whose PPPoE (or DHCP) runs in a VLAN of the router's WAN wire, as
// fibre ISPs do (VLAN 7, 35): the router's port sits on the trunk, so the
// address the ISP gives is the lab's to say (offer).
func TestParseISPInAVLAN(t *testing.T) {
	const vlanLab = `name: t
router:
  name: router
  ports:
    - {network: wan-wire, address: 172.31.0.1, role: wan}
    - {network: lan, address: 192.168.88.1, role: lan}
networks:
  - {name: internet, subnet: 198.51.100.0/24}
  - {name: wan-wire, subnet: 172.31.0.0/24}
  - {name: wan, subnet: 203.0.113.0/24, trunk: wan-wire, vlan: 35}
  - {name: lan, subnet: 192.168.88.0/24}
nodes:
  - name: isp
    role: isp
    isp: {kind: pppoe, customer: wan, user: u, password: p, offer: 203.0.113.2}
    interfaces:
      - {network: wan, address: 203.0.113.1}
      - {network: internet, address: 198.51.100.1}
`
	s, err := Parse("t.yaml", []byte(vlanLab))
	if err != nil {
		t.Fatal(err)
	}
	args := strings.Join(AgentArgs(s.Nodes[0]), " ")
	for _, want := range []string{"--pppoe-offer 203.0.113.2", "--pppoe-subnet 203.0.113.0/24"} {
		if !strings.Contains(args, want) {
			t.Errorf("AgentArgs(isp) = %s\nwant it to contain %s", args, want)
		}
	}
	dhcp := strings.Replace(vlanLab, "kind: pppoe, customer: wan, user: u, password: p,", "kind: dhcp, customer: wan,", 1)
	if s, err := Parse("t.yaml", []byte(dhcp)); err != nil {
		t.Error(err)
	} else if args := strings.Join(AgentArgs(s.Nodes[0]), " "); !strings.Contains(args, "--dhcp-offer 203.0.113.2") {
		t.Errorf("AgentArgs(dhcp isp) = %s, want --dhcp-offer 203.0.113.2", args)
	}
	// Without customer: the lab cannot guess the network of an ISP in a
	// VLAN (no router port sits on it): the error names the ISP's
	// networks and the VLAN to name; it said "candidates: " and nothing
	// (f69).
	noCustomer := strings.Replace(vlanLab, "customer: wan, ", "", 1)
	const why = "t.yaml:15: node isp: isp: say which network is the customer's (customer: NETWORK): none of its networks (wan, internet) has a router port or a CPE on it"
	for _, tt := range []struct{ lab, want string }{
		{noCustomer, why + "; an ISP in a VLAN of the router's wire names that VLAN: wan (VLAN 35 of wan-wire, the network of router's ether1)"},
		// Control: no VLAN of a router port's network, no VLAN to name.
		{strings.Replace(noCustomer, ", trunk: wan-wire, vlan: 35", "", 1), why},
	} {
		if _, err := Parse("t.yaml", []byte(tt.lab)); err == nil || err.Error() != tt.want {
			t.Errorf("err = %v\nwant %s", err, tt.want)
		}
	}
	for _, tt := range []struct{ old, new, want string }{
		{", offer: 203.0.113.2}", "}", "t.yaml:15: node isp: isp kind pppoe: network wan is a VLAN of wan-wire, where the router's port has no address of it: say the router's address (offer: ADDRESS in 203.0.113.0/24)"},
		{"offer: 203.0.113.2", "offer: 192.0.2.9", "t.yaml:15: node isp: isp: offer 192.0.2.9 is not a host address of wan (203.0.113.0/24)"},
		{"network: wan-wire, address: 172.31.0.1", "network: internet, address: 198.51.100.2", "no router port on network wan (or on its trunk)"},
	} {
		_, err := Parse("t.yaml", []byte(strings.Replace(vlanLab, tt.old, tt.new, 1)))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s -> %s: err = %v\nwant it to contain %s", tt.old, tt.new, err, tt.want)
		}
	}
}
