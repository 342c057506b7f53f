package check

import (
	"strings"
	"testing"
)

// fivePrivateWANs is realcheck26's m6: five WANs behind five ISP routers
// (192.168.1-5.2/24), a default route by each at distances 1-5.
const fivePrivateWANs = `# jan/01/2024 00:00:00 by RouterOS 6.49.10
/ip address
add address=192.168.1.2/24 interface=ether1 network=192.168.1.0
add address=192.168.2.2/24 interface=ether2 network=192.168.2.0
add address=192.168.3.2/24 interface=ether3 network=192.168.3.0
add address=192.168.4.2/24 interface=ether4 network=192.168.4.0
add address=192.168.5.2/24 interface=ether5 network=192.168.5.0
add address=192.168.10.1/24 interface=ether6 network=192.168.10.0
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
add action=masquerade chain=srcnat out-interface=ether2
add action=masquerade chain=srcnat out-interface=ether3
add action=masquerade chain=srcnat out-interface=ether4
add action=masquerade chain=srcnat out-interface=ether5
/ip route
add distance=1 gateway=192.168.1.1
add distance=2 gateway=192.168.2.1
add distance=3 gateway=192.168.3.1
add distance=4 gateway=192.168.4.1
add distance=5 gateway=192.168.5.1
`

// TestFivePrivateWANsLab (realcheck26 D8): five private WANs each get an
// ISP router in front with a network above it, and the lab loads the
// case. Control: four still do.
func TestFivePrivateWANsLab(t *testing.T) {
	four := strings.Replace(strings.Replace(strings.Replace(fivePrivateWANs, "add address=192.168.5.2/24 interface=ether5 network=192.168.5.0\n", "", 1),
		"add action=masquerade chain=srcnat out-interface=ether5\n", "", 1), "add distance=5 gateway=192.168.5.1\n", "", 1)
	for _, text := range []string{fivePrivateWANs, four} {
		p := importText(t, text)
		found, _ := p.Diagnose()
		c, err := p.Case(p.Propose(found))
		if err != nil {
			t.Fatalf("%d WANs: %v", len(p.WANs), err)
		}
		caseLoads(t, c)
		if n := strings.Count(c.YAML, "role: cpe"); n != len(p.WANs) {
			t.Errorf("%d WANs, %d ISP routers in front", len(p.WANs), n)
		}
	}
}
