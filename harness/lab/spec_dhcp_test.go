package lab

import (
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
		strings.Replace(good, "dhcp: true", "dhcp: maybe", 1):                                    `x.yaml:8: node c: dhcp: want true or false, got "maybe"`,
		strings.Replace(good, "address: 192.168.88.1}", "address: 192.168.88.1, dhcp: true}", 1): "x.yaml:4: router router: dhcp: the router's ports take their addresses from its configuration",
	} {
		if _, err := Parse("x.yaml", []byte(bad)); err == nil || err.Error() != want {
			t.Errorf("error %v, want %q", err, want)
		}
	}
}
