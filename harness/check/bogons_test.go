package check

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
)

// A raw drop of bogon sources from the WAN whose list holds the blocks
// reserved for documentation and benchmarking (as hardening guides write
// it) does not take the internet's clients: the lab's peer lives in such a
// block only because the lab needs one. It read as "a raw drop rule takes
// the forward's packets" for every forward. A list that holds the whole
// internet (0.0.0.0/1 and 128.0.0.0/1 say) still drops it.
func TestBogonListDoesNotTakeTheInternet(t *testing.T) {
	const text = `# 2026-12-01 18:40:02 by RouterOS 7.16.2
` + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.66/29 interface=ether1 network=203.0.113.64
/ip firewall address-list
add address=10.0.0.0/8 list=bogons
add address=192.0.2.0/24 list=bogons
add address=198.18.0.0/15 list=bogons
add address=198.51.100.0/24 list=bogons
add address=203.0.113.0/24 list=bogons
%s/ip firewall raw
add action=drop chain=prerouting in-interface-list=WAN src-address-list=bogons
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address=203.0.113.66 dst-port=443 protocol=tcp to-addresses=192.168.88.100
add action=masquerade chain=srcnat dst-address=192.168.88.100 src-address=192.168.88.0/24
/ip route
add gateway=203.0.113.65
`
	for _, tt := range []struct {
		name, extra string
		want        bool
	}{
		{"bogons", "", false},
		{"the whole internet", "add address=0.0.0.0/1 list=bogons\nadd address=128.0.0.0/1 list=bogons\n", true},
	} {
		p := importText(t, strings.Replace(text, "%s", tt.extra, 1))
		found, _ := p.Diagnose()
		if got := slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == RawDrops && f.Path == "internet" }); got != tt.want {
			t.Errorf("%s: raw drop named %v, want %v: %+v", tt.name, got, tt.want, found)
		}
	}
}

// holds weighs every address of the lab's internet so, the public DNS's as
// the peer's (a forward-chain drop of dst-address-list=bogons must not
// take the LAN's queries to it), and no address outside it: an export's
// own documentation-block WAN address is held by the block as written.
func TestHoldsTheLabsInternet(t *testing.T) {
	m := &matcher{internet: netip.MustParsePrefix("198.51.100.0/24")}
	for _, tt := range []struct {
		entry, addr string
		want        bool
	}{
		{"198.51.100.0/24", "198.51.100.50", false},
		{"198.51.100.0/24", "198.51.100.53", false},
		{"0.0.0.0/0", "198.51.100.53", true},
		{"203.0.113.0/24", "203.0.113.66", true},
		{"198.51.100.53/32", "198.51.100.53", false},
	} {
		if got := m.holds(netip.MustParsePrefix(tt.entry), netip.MustParseAddr(tt.addr)); got != tt.want {
			t.Errorf("%s holds %s: %v, want %v", tt.entry, tt.addr, got, tt.want)
		}
	}
}
