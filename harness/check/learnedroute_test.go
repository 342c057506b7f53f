package check

import (
	"slices"
	"strings"
	"testing"
)

// learnedRouteBase is a static-WAN router with a forward to 192.168.90.80,
// on none of its networks; each case adds the routing protocol lines.
const learnedRouteBase = `# 2024-10-01 10:00:00 by RouterOS 7.16.2
/interface bridge add name=bridge
/interface bridge port add bridge=bridge interface=ether2
/interface list add name=WAN
/interface list member add interface=ether1 list=WAN
/ip address add address=192.168.99.1/24 interface=bridge
/ip address add address=10.0.0.1/30 interface=ether3
/ip address add address=192.168.100.7/24 interface=ether1
/ip route add gateway=192.168.100.1
%s/ip firewall nat add action=masquerade chain=srcnat out-interface-list=WAN
/ip firewall nat add action=dst-nat chain=dstnat in-interface-list=WAN dst-port=3333 protocol=tcp to-addresses=192.168.90.80 to-ports=3389
`

// TestServerLearnedByRoutingProtocol: a router that runs OSPF (an enabled
// instance, area and interface-template) or BGP learns routes the export
// does not list, and installs them in its routing table (OSPF page of the
// manual). A forward's server on none of its networks is then reached by
// such a route, which the lab, with no neighbour, cannot show: "cannot
// judge", exit 0, not "no route leads to it ... add a route", exit 1, as
// it was on a static WAN (realcheck19 D3). The controls: no routing
// protocol, an OSPF instance without an interface-template (it runs on no
// interface), and an OSPF instance that installs into another routing
// table (the forward's connection looks in main) keep the finding.
func TestServerLearnedByRoutingProtocol(t *testing.T) {
	const ospf = "/routing ospf instance add disabled=no name=ospf1 router-id=10.255.255.2%s\n/routing ospf area add disabled=no instance=ospf1 name=backbone\n"
	const template = "/routing ospf interface-template add area=backbone disabled=no interfaces=ether3 type=ptp\n"
	for _, tt := range []struct {
		name, lines string
		learnt      string // the protocol the finding names, "" for no route
	}{
		{"OSPF", strings.Replace(ospf, "%s", "", 1) + template, "OSPF"},
		{"BGP", "/routing bgp connection add as=65001 local.role=ebgp name=up remote.address=10.0.0.2 .as=65002\n", "BGP"},
		{"no routing protocol", "", ""},
		{"OSPF on no interface", strings.Replace(ospf, "%s", "", 1), ""},
		{"OSPF into another table", "/routing table add fib name=vpn\n" + strings.Replace(ospf, "%s", " routing-table=vpn", 1) + template, ""},
	} {
		p := importText(t, strings.Replace(learnedRouteBase, "%s", tt.lines, 1))
		found, _ := p.Diagnose()
		noRoute := slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == NoRouteToServer })
		learnt := slices.ContainsFunc(found, func(f Finding) bool {
			return f.Cause == "" && strings.Contains(f.Detail, "reached by a route "+tt.learnt+" may learn") && strings.Contains(f.Detail, "the lab has no "+tt.learnt+" neighbour")
		})
		if tt.learnt != "" && (noRoute || !learnt) {
			t.Errorf("%s: want the server judged unreachable by no rule, learnt by %s: %+v", tt.name, tt.learnt, found)
		}
		if tt.learnt == "" && !noRoute {
			t.Errorf("%s (control): want no route to the server: %+v", tt.name, found)
		}
		if got, want := Problems(found) > 0, tt.learnt == ""; got != want {
			t.Errorf("%s: offline a problem (exit 1): %v, want %v", tt.name, got, want)
		}
	}
}
