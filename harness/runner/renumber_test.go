package runner

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/scenario"
)

// labYAML is a lab whose WAN's ISP is of kind KIND.
const labYAML = `name: l
router:
  name: router
  ports:
    - {network: wan, address: 203.0.113.2, role: wan}
networks:
  - {name: wan, subnet: 203.0.113.0/24}
  - {name: internet, subnet: 198.51.100.0/24}
nodes:
  - name: isp
    role: isp
    isp: {kind: KIND, customer: wan}
    interfaces:
      - {network: wan, address: 203.0.113.1}
      - {network: internet, address: 198.51.100.1}
`

// renumber-wan needs an ISP that gives the WAN its address, by DHCP or by
// PPPoE (f69 D1: a PPPoE WAN was refused): a static WAN is refused before
// any container starts, with the step's line.
func TestRenumberNeedsADHCPISP(t *testing.T) {
	s := &scenario.Scenario{File: "case.yaml", Steps: []scenario.Step{{Action: scenario.RenumberWAN, Line: 9}}}
	for kind, want := range map[string]string{
		"dhcp":                        "",
		"pppoe, user: u, password: p": "",
		"static":                      "case.yaml:9: renumber-wan: no node of lab l gives the router's WAN its address by DHCP or PPPoE",
	} {
		spec, err := lab.Parse("l.yaml", []byte(strings.Replace(labYAML, "KIND", kind, 1)))
		if err != nil {
			t.Fatal(err)
		}
		err = s.Check(topology{spec})
		switch {
		case want == "" && err != nil:
			t.Errorf("%s: %v", kind, err)
		case want != "" && (err == nil || !strings.HasPrefix(err.Error(), want)):
			t.Errorf("%s: err = %v, want %q", kind, err, want)
		}
	}
}

// A renumber-wan step's to is checked at load against the ISP's customer
// network (f69 N2): the ISP's own address, an address of another network
// and the broadcast address were accepted and then ended the run, with the
// lab up, in the ISP agent's JSON.
func TestRenumberToCheckedAtLoad(t *testing.T) {
	for _, kind := range []string{"dhcp", "pppoe, user: u, password: p"} {
		spec, err := lab.Parse("l.yaml", []byte(strings.Replace(labYAML, "KIND", kind, 1)))
		if err != nil {
			t.Fatal(err)
		}
		for to, want := range map[string]string{
			"203.0.113.7":   "",
			"203.0.113.1":   "case.yaml:9: renumber-wan: to 203.0.113.1 is isp's own address; the router's WAN can take a free address of 203.0.113.0/24, such as 203.0.113.3",
			"198.51.100.9":  "case.yaml:9: renumber-wan: to 198.51.100.9 is not a host address of 203.0.113.0/24, the network isp gives the router's WAN its address on (such as 203.0.113.3)",
			"203.0.113.255": "case.yaml:9: renumber-wan: to 203.0.113.255 is not a host address of 203.0.113.0/24",
		} {
			s := &scenario.Scenario{File: "case.yaml", Steps: []scenario.Step{{Action: scenario.RenumberWAN, To: to, Line: 9}}}
			err := s.Check(topology{spec})
			switch {
			case want == "" && err != nil:
				t.Errorf("%s, to %s: %v", kind, to, err)
			case want != "" && (err == nil || !strings.HasPrefix(err.Error(), want)):
				t.Errorf("%s, to %s: err = %v, want %q", kind, to, err, want)
			}
		}
	}
}

// A PPPoE ISP in a VLAN of the WAN wire (a fibre ISP's VLAN 7) renumbers
// too: it is found through the trunk, and its offer's network bounds to:.
func TestRenumberPPPoEInAVLAN(t *testing.T) {
	// labYAML with the customer network in VLAN 7 of the port's wire.
	vlan := strings.NewReplacer(
		"{network: wan, address: 203.0.113.2, role: wan}", "{network: wire, address: 192.168.100.2, role: wan}",
		"  - {name: wan, subnet: 203.0.113.0/24}", "  - {name: wire, subnet: 192.168.100.0/24}\n  - {name: wan, subnet: 203.0.113.0/24, trunk: wire, vlan: 7}",
		"KIND, customer: wan}", "pppoe, customer: wan, user: u, password: p, offer: 203.0.113.2}",
	).Replace(labYAML)
	spec, err := lab.Parse("l.yaml", []byte(vlan))
	if err != nil {
		t.Fatal(err)
	}
	if isp, ok := renumberingISP(spec); !ok || isp != "isp" {
		t.Fatalf("renumberingISP = %q, %v; want isp", isp, ok)
	}
	if err := (topology{spec}).CanRenumberWANTo(netip.MustParseAddr("192.168.100.7")); err == nil {
		t.Error("to: on the trunk's own subnet accepted; the ISP gives addresses of 203.0.113.0/24")
	}
	if err := (topology{spec}).CanRenumberWANTo(netip.MustParseAddr("203.0.113.7")); err != nil {
		t.Error(err)
	}
}
