package lab

import (
	"strings"
	"testing"
)

// An ISP with proxy-arp answers ARP for every address it routes elsewhere:
// the node's container starts with net.ipv4.conf.all.proxy_arp=1 (labagent
// cannot write /proc/sys in it). check's LTE stand-in asks for it, so that
// a default route by the interface (gateway=lte1) reaches the internet; it
// timed out without. An ISP without it (the control) gets no such setting,
// and a value that is no boolean is refused at its line.
func TestISPProxyARP(t *testing.T) {
	on := strings.Replace(rolesLab, "isp: {kind: cgnat, customer: cgn}", "isp: {kind: cgnat, customer: cgn, proxy-arp: true}", 1)
	for _, tt := range []struct {
		lab, want string
	}{{on, "1"}, {rolesLab, ""}} {
		s, err := Parse("t.yaml", []byte(tt.lab))
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range s.Nodes {
			if n.Name == "isp" {
				if got := nodeSysctls(n)["net.ipv4.conf.all.proxy_arp"]; got != tt.want {
					t.Errorf("proxy_arp = %q, want %q", got, tt.want)
				}
			}
		}
	}
	_, err := Parse("t.yaml", []byte(strings.Replace(on, "proxy-arp: true", "proxy-arp: maybe", 1)))
	if err == nil || !strings.Contains(err.Error(), `t.yaml:16:50: node isp: isp: proxy-arp: want true or false, got "maybe"`) {
		t.Errorf("err %v", err)
	}
}
