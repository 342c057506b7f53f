package check

import (
	"context"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/config"
)

// TestFixPlacesBeforeOneRule: the forward chain's last drop shares its
// comment with the input chain's ("drop all else"), and another drop of
// the forward chain has parameters of its own. The fix's place-before
// names exactly that drop, the comment included (without it the selector
// found both forward drops, and the lab router refused the fix: item
// referred by place-before does not exist), and the lab router takes it.
func TestFixPlacesBeforeOneRule(t *testing.T) {
	p := importNamed(t, "shared-comment.rsc", []byte(`# by RouterOS 7.16.2
/interface bridge add name=bridge
/interface list add name=WAN
/interface list add name=LAN
/interface bridge port add bridge=bridge interface=ether2
/interface list member add interface=bridge list=LAN
/interface list member add interface=ether1 list=WAN
/ip address add address=192.168.61.1/24 interface=bridge network=192.168.61.0
/ip dhcp-client add interface=ether1
/ip firewall filter add action=accept chain=input connection-state=established,related,untracked
/ip firewall filter add action=accept chain=input in-interface-list=LAN
/ip firewall filter add action=drop chain=input comment="drop all else"
/ip firewall filter add action=accept chain=forward connection-state=established,related,untracked
/ip firewall filter add action=drop chain=forward connection-state=invalid
/ip firewall filter add action=accept chain=forward in-interface-list=LAN out-interface-list=WAN
/ip firewall filter add action=accept chain=forward connection-nat-state=dstnat in-interface-list=WAN
/ip firewall filter add action=drop chain=forward comment="drop all else"
/ip firewall nat add action=masquerade chain=srcnat out-interface-list=WAN
/ip firewall nat add action=dst-nat chain=dstnat dst-address-type=local dst-address=!192.168.61.1 dst-port=443 protocol=tcp to-addresses=192.168.61.60
/ip firewall nat add action=masquerade chain=srcnat dst-address=192.168.61.60 src-address=192.168.61.0/24
`))
	p.Refusals(context.Background())
	found, _ := p.Diagnose()
	fx := p.Propose(found)
	all := strings.Join(fx.Lines, "\n")
	if !strings.Contains(all, `place-before=[ find where action=drop and chain=forward and comment="drop all else" ]`) {
		t.Fatalf("fix lines:\n%s", all)
	}
	r := config.New(config.Options{Ports: []string{"ether1", "ether2"}, DefaultDHCPClient: true, Version: p.LabVersion()})
	v := r.Validate(context.Background(), p.RSC+"\n"+all+"\n", 2*time.Second)
	for _, f := range v.Findings {
		if f.Verdict == config.Refused {
			t.Errorf("the lab router refuses line %d: %s", f.Line, f.Msg)
		}
	}
}

// TestInternetAvoidsDroppedSources: the export drops a bogon list holding
// every documentation and benchmarking range from the WAN in raw. The
// lab's internet (its peer) takes an address no such rule drops (the
// peer at 198.51.100.50 was dropped, and the lab found a working forward
// broken).
func TestInternetAvoidsDroppedSources(t *testing.T) {
	p := importNamed(t, "bogons.rsc", []byte(`/interface list add name=WAN
/interface list member add interface=ether1 list=WAN
/ip address add address=192.168.62.1/24 interface=ether2
/ip dhcp-client add interface=ether1
/ip firewall address-list add address=192.0.2.0/24 list=bogons
/ip firewall address-list add address=198.18.0.0/15 list=bogons
/ip firewall address-list add address=198.51.100.0/24 list=bogons
/ip firewall address-list add address=203.0.113.0/24 list=bogons
/ip firewall raw add action=drop chain=prerouting in-interface-list=WAN src-address-list=bogons
/ip firewall nat add action=dst-nat chain=dstnat dst-port=443 in-interface-list=WAN protocol=tcp to-addresses=192.168.62.10
`))
	peer := p.PeerAddr()
	for _, b := range []string{"192.0.2.0/24", "198.18.0.0/15", "198.51.100.0/24"} {
		if netip.MustParsePrefix(b).Contains(peer) {
			t.Errorf("the lab's peer %s is in the dropped %s", peer, b)
		}
	}
}

// TestServerOnEveryAddressOfRange: a forward to a range of three servers
// gets a lab server on each address (the router picks one per connection;
// a hairpin probe went to the second, where none answered).
func TestServerOnEveryAddressOfRange(t *testing.T) {
	p := importNamed(t, "range.rsc", []byte(`/interface list add name=WAN
/interface list member add interface=ether1 list=WAN
/ip address add address=192.168.63.1/24 interface=ether2
/ip dhcp-client add interface=ether1
/ip firewall nat add action=masquerade chain=srcnat out-interface-list=WAN
/ip firewall nat add action=dst-nat chain=dstnat dst-address-type=local dst-port=443 protocol=tcp to-addresses=192.168.63.11-192.168.63.13
`))
	c, err := p.Case(Fix{})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []string{"192.168.63.11", "192.168.63.12", "192.168.63.13"} {
		if !strings.Contains(c.YAML, "address: "+a+"}") {
			t.Errorf("no lab server on %s:\n%s", a, c.YAML)
		}
	}
}
