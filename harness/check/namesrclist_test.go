package check

import (
	"fmt"
	"strings"
	"testing"
)

// TestNameSourceListNoDNS: a forward that admits only src-address-list=office,
// a list holding only the office's DNS name, on a router whose DNS has no
// server (static WAN, no /ip dns servers): the name never resolves and the
// forward admits nobody. Before, the allow-list note was all ("not
// judged"). The negative controls: the same with /ip dns servers, and the
// list holding a literal address.
func TestNameSourceListNoDNS(t *testing.T) {
	const export = `# 2026-11-30 18:42:07 by RouterOS 7.16.2
` + etherLists + `/ip address
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip dns
set allow-remote-requests=yes%s
/ip firewall address-list
add address=%s list=office
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-port=3389 in-interface-list=WAN protocol=tcp src-address-list=office to-addresses=192.168.88.10
/ip route
add gateway=203.0.113.1
`
	for _, tt := range []struct {
		name, servers, entry string
		want                 bool
	}{
		{"name, no server", "", "office.example.net", true},
		{"name, a server", " servers=198.51.100.53", "office.example.net", false},
		{"literal, no server", "", "198.51.100.50", false},
	} {
		p := importNamed(t, "office.rsc", []byte(fmt.Sprintf(export, tt.servers, tt.entry)))
		found, _ := p.Diagnose()
		got := withCause(found, NameListNoDNS)
		if !tt.want {
			if len(got) != 0 {
				t.Errorf("%s: %v", tt.name, got)
			}
			continue
		}
		if len(got) != 1 || got[0].Line != 17 || got[0].Detail != "src-address-list=office: the forward admits nobody" {
			t.Fatalf("%s: findings %v", tt.name, found)
		}
		// The lab's paths fail by design (its hosts are not the
		// office): the verdict still says the forward admits nobody.
		outs := []Outcome{{Probe: Probe{Forward: 0, Path: "internet", Phase: "before", ByDesign: true}, Result: "timeout"}}
		if word, text, code := Verdict(found, p.Propose(found), outs); word != "broken" || code != 1 || !strings.Contains(text, "admit nobody") {
			t.Errorf("%s: Verdict = %s, %q, %d", tt.name, word, text, code)
		}
		// The office's name is no name of the router: the lab's public
		// DNS does not answer it with the router's address, and no LAN
		// path is probed by it.
		for _, n := range p.Names() {
			if n.Name == "office.example.net" {
				t.Errorf("%s: the office's name is among the router's names: %+v", tt.name, p.Names())
			}
		}
	}
}
