package check

import (
	"slices"
	"strings"
	"testing"
)

// PCC over two WANs, the manual's shape: the WANs' connections are marked
// at the door, the LAN's are classified. A LAN client asking the public
// address is classified too unless the classifier leaves out the
// router's own addresses (dst-address-type=!local) or an accept above
// keeps them out of mangle: the mark is set before dstnat, and the marked
// table's default route takes the request to the ISP, not to the server.
func TestHairpinMarkedByPCC(t *testing.T) {
	const head = `# by RouterOS 7.16
/interface bridge
add name=bridge
/interface list
add name=WAN
add name=LAN
/routing table
add fib name=to_ISP1
add fib name=to_ISP2
/interface bridge port
add bridge=bridge interface=ether3
/interface list member
add interface=bridge list=LAN
add interface=ether1 list=WAN
add interface=ether2 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.10/29 interface=ether1 network=203.0.113.8
add address=198.51.100.20/29 interface=ether2 network=198.51.100.16
/ip firewall address-list
add address=192.168.88.0/24 list=LAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=masquerade chain=srcnat dst-address=192.168.88.20 src-address=192.168.88.0/24
add action=dst-nat chain=dstnat dst-address-type=local dst-port=443 protocol=tcp to-addresses=192.168.88.20
/ip route
add gateway=203.0.113.9
add distance=2 gateway=198.51.100.17
add gateway=203.0.113.9 routing-table=to_ISP1
add gateway=198.51.100.17 routing-table=to_ISP2
/ip firewall mangle
add action=mark-connection chain=prerouting connection-mark=no-mark in-interface=ether1 new-connection-mark=ISP1_conn
add action=mark-connection chain=prerouting connection-mark=no-mark in-interface=ether2 new-connection-mark=ISP2_conn
`
	const pcc = `add action=mark-connection chain=prerouting connection-mark=no-mark in-interface=bridge%s new-connection-mark=ISP1_conn per-connection-classifier=both-addresses:2/0
add action=mark-connection chain=prerouting connection-mark=no-mark in-interface=bridge%s new-connection-mark=ISP2_conn per-connection-classifier=both-addresses:2/1
add action=mark-routing chain=prerouting connection-mark=ISP1_conn in-interface=bridge new-routing-mark=to_ISP1
add action=mark-routing chain=prerouting connection-mark=ISP2_conn in-interface=bridge new-routing-mark=to_ISP2
`
	plain := strings.ReplaceAll(pcc, "%s", "")
	for _, tt := range []struct {
		name, mangle string
		marked       bool
	}{
		{"classifier takes everything", plain, true},
		{"classifier leaves the router's addresses out", strings.ReplaceAll(pcc, "%s", " dst-address-type=!local"), false},
		{"accept of local first", "add action=accept chain=prerouting dst-address-type=local in-interface=bridge\n" + plain, false},
		// The LAN's subnets: the request is bound for the public
		// address, which the list does not hold. The address list LAN
		// shares its name with the interface list LAN, which fills it
		// with nothing.
		{"accept of the LAN's list only", "add action=accept chain=prerouting dst-address-list=LAN src-address-list=LAN\n" + plain, true},
		// The GitHub scripts' shape: mark-routing straight from the
		// classifier, for every destination outside the LAN's list.
		{"routing mark from the classifier", `add action=mark-routing chain=prerouting dst-address-list=!LAN new-routing-mark=to_ISP1 per-connection-classifier=both-addresses-and-ports:2/0 src-address-list=LAN
add action=mark-routing chain=prerouting dst-address-list=!LAN new-routing-mark=to_ISP2 per-connection-classifier=both-addresses-and-ports:2/1 src-address-list=LAN
`, true},
	} {
		p := importText(t, head+tt.mangle)
		found, _ := p.Diagnose()
		i := slices.IndexFunc(found, func(f Finding) bool { return f.Cause == HairpinMarked })
		if got := i >= 0; got != tt.marked {
			t.Errorf("%s: hairpin marked %v, want %v (%+v)", tt.name, got, tt.marked, found)
			continue
		}
		if !tt.marked {
			continue
		}
		if f := found[i]; f.Path != "hairpin:bridge" || !strings.Contains(f.Rule, "per-connection-classifier=both-addresses") {
			t.Errorf("%s: finding %+v, want the classifier's line on hairpin:bridge", tt.name, f)
		}
		fix := strings.Join(p.Propose(found).Lines, "\n")
		if !strings.Contains(fix, "/ip firewall mangle add chain=prerouting action=accept in-interface=bridge dst-address-type=local") || !strings.Contains(fix, "place-before=[ find where ") {
			t.Errorf("%s: fix %q", tt.name, fix)
		}
	}
}
