package check

import (
	"strings"
	"testing"
)

// TestTwoWANsBehindISPRouters: two WANs with private addresses, each
// behind an ISP router (a 7.11 dual-WAN export: 192.168.5.254/24 and
// 192.168.10.2/24): each ISP router gets an upstream network of its own.
// Both took 203.0.113.0/24 and the lab was refused ("the lab's upstream
// network 203.0.113.0/24 overlaps the export's"), exit 3 before any probe.
func TestTwoWANsBehindISPRouters(t *testing.T) {
	const export = `# 2026-12-01 21:17:44 by RouterOS 7.11.2
/interface list
add name=WAN
add name=LAN
/interface list member
add interface=ether1 list=WAN
add interface=ether2 list=WAN
add interface=ether5 list=LAN
/ip address
add address=192.168.10.2/24 interface=ether1 network=192.168.10.0
add address=192.168.5.254/24 interface=ether2 network=192.168.5.0
add address=192.168.200.1/24 interface=ether5 network=192.168.200.0
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-port=8080 in-interface-list=WAN protocol=tcp to-addresses=192.168.200.10
/ip route
add gateway=192.168.5.1 distance=1
add gateway=192.168.10.1 distance=2
`
	p := importNamed(t, "dual-cpe.rsc", []byte(export))
	if len(p.WANs) != 2 || p.WANs[0].Behind() != "cpe" || p.WANs[1].Behind() != "cpe" {
		t.Fatalf("WANs %+v, want two behind ISP routers", p.WANs)
	}
	c, err := p.Case(p.Propose(nil))
	if err != nil {
		t.Fatalf("case: %v", err)
	}
	for _, want := range []string{
		"cpe: {inside: wan, public: 203.0.113.2}",
		"cpe: {inside: wan2, public: 198.18.200.2}",
		"{name: wan-up, subnet: 203.0.113.0/24}",
		"{name: wan2-up, subnet: 198.18.200.0/24}",
	} {
		if !strings.Contains(c.YAML, want) {
			t.Errorf("the lab lacks %q:\n%s", want, c.YAML)
		}
	}
	caseLoads(t, c)
}

// TestNoPublicAddressOfflinePath: behind an ISP router the internet path
// of a forward is predicted to fail, as the lab finds it ("refused (no
// public address ...)"). Offline had the finding but said "works
// (predicted)" on the path, and disagreed with the lab on both internet
// paths of a dual-WAN export behind two ISP routers.
func TestNoPublicAddressOfflinePath(t *testing.T) {
	for _, tt := range []struct {
		wan  string
		want bool
	}{{"192.168.10.2/24", false}, {"203.0.113.2/24", true}} {
		export := "# by RouterOS 7.11.2\n" + etherLists + "/ip address\nadd address=" + tt.wan + ` interface=ether1
add address=192.168.200.1/24 interface=ether2
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-port=37777 in-interface-list=WAN protocol=tcp to-addresses=192.168.200.5
/ip route
add gateway=` + strings.Replace(strings.Split(tt.wan, "/")[0], ".2", ".1", 1) + "\n"
		d := importText(t, export).OfflineDocument()
		n := 0
		for _, pd := range d.Forwards[0].Paths {
			if pd.Path == "internet" {
				n++
				if pd.Before == nil || pd.Before.OK != tt.want {
					t.Errorf("WAN %s, internet: %+v, want ok=%v", tt.wan, pd.Before, tt.want)
				}
			}
		}
		if n != 1 {
			t.Errorf("WAN %s: %d internet paths", tt.wan, n)
		}
	}
}
