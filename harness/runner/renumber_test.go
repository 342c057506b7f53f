package runner

import (
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/scenario"
)

// renumber-wan needs an ISP that gives the WAN its address, by DHCP or by
// PPPoE (f69 D1: a PPPoE WAN was refused): a static WAN is refused before
// any container starts, with the step's line.
func TestRenumberNeedsADHCPISP(t *testing.T) {
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
