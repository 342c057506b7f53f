package check

import (
	"slices"
	"strings"
	"testing"
)

// vpnDefault routes the main table's default into a WireGuard tunnel to a
// VPN provider (distance 1 over the WAN's 2), while ether1 forwards 8000
// to the NVR: the forward's answers follow the tunnel.
const vpnDefault = `# 2025-03-02 10:11:12 by RouterOS 7.18.2
/interface wireguard
add listen-port=51820 name=wg-vpn
/interface list
add name=WAN
add name=LAN
/interface wireguard peers
add allowed-address=0.0.0.0/0 endpoint-address=198.51.100.200 endpoint-port=51820 interface=wg-vpn public-key="dnBuIHByb3ZpZGVyIGZha2Uga2V5IGZvciB0ZXN0cyE="
/interface list member
add interface=ether1 list=WAN
add interface=ether2 list=LAN
/ip address
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
add address=203.0.113.10/24 interface=ether1 network=203.0.113.0
add address=10.64.0.2/24 interface=wg-vpn network=10.64.0.0
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=masquerade chain=srcnat out-interface=wg-vpn
add action=masquerade chain=srcnat dst-address=192.168.88.0/24 src-address=192.168.88.0/24
add action=dst-nat chain=dstnat dst-address=203.0.113.10 dst-port=8000 protocol=tcp to-addresses=192.168.88.30
/ip route
add distance=2 dst-address=0.0.0.0/0 gateway=203.0.113.1
add distance=1 dst-address=0.0.0.0/0 gateway=10.64.0.1
`

// The main table's default route into a VPN tunnel takes the forward's
// answers: the internet path fails, the finding names the route, and the
// fix routes the answers of what came in on ether1 back through it. A
// tunnel route that loses to the WAN's (a greater distance), or lives in a
// table of its own, leaves the forward working; so does the export with
// the fix's marks in it.
func TestAnswersIntoAVPNTunnel(t *testing.T) {
	p := importText(t, vpnDefault)
	found, _ := p.Diagnose()
	got := withCause(found, RepliesTunnel)
	if len(got) != 1 || got[0].Line != 23 || got[0].Path != "internet via ether1" || !strings.Contains(got[0].Detail, "leaves by wg-vpn") {
		t.Fatalf("findings: %+v", found)
	}
	fix := p.Propose(found).Lines
	for _, want := range []string{
		"/ip firewall mangle add chain=prerouting action=mark-connection connection-mark=no-mark in-interface=ether1 new-connection-mark=in-ether1",
		"/ip route add dst-address=0.0.0.0/0 gateway=203.0.113.1 routing-table=via-ether1",
	} {
		if !slices.ContainsFunc(fix, func(l string) bool { return strings.HasPrefix(l, want) }) {
			t.Errorf("fix lacks %q:\n%s", want, strings.Join(fix, "\n"))
		}
	}
	for name, text := range map[string]string{
		"wan first": strings.Replace(strings.Replace(vpnDefault, "add distance=2 dst-address=0.0.0.0/0 gateway=203.0.113.1", "add distance=1 dst-address=0.0.0.0/0 gateway=203.0.113.1", 1), "add distance=1 dst-address=0.0.0.0/0 gateway=10.64.0.1", "add distance=5 dst-address=0.0.0.0/0 gateway=10.64.0.1", 1),
		"own table": strings.Replace(vpnDefault, "gateway=10.64.0.1\n", "gateway=10.64.0.1 routing-table=vpn\n/routing table\nadd fib name=vpn\n", 1),
		"with fix":  vpnDefault + "/routing table\nadd fib name=via-ether1\n/ip firewall mangle\n" + "add action=mark-connection chain=prerouting connection-mark=no-mark in-interface=ether1 new-connection-mark=in-ether1 passthrough=yes\n" + "add action=mark-routing chain=prerouting connection-mark=in-ether1 in-interface=ether2 new-routing-mark=via-ether1 passthrough=no\n" + "/ip route\nadd dst-address=0.0.0.0/0 gateway=203.0.113.1 routing-table=via-ether1\n",
	} {
		q := importText(t, text)
		if found, _ := q.Diagnose(); len(withCause(found, RepliesTunnel)) > 0 {
			t.Errorf("%s: %+v", name, withCause(found, RepliesTunnel))
		}
	}
}

// An OpenVPN client that holds the main default route takes the answers
// when the export runs it (disabled=no); added without disabled=no, as
// RouterOS adds a PPP client disabled, its interface is down and its
// route inactive: no finding.
func TestAnswersIntoAPPPClient(t *testing.T) {
	const rsc = `# 2025-03-02 10:11:12 by RouterOS 7.18.2
/interface ovpn-client
add connect-to=198.51.100.200 disabled=no name=ovpn-out1 user=office
/ip address
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
add address=203.0.113.10/24 interface=ether1 network=203.0.113.0
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
add action=dst-nat chain=dstnat dst-address=203.0.113.10 dst-port=8000 protocol=tcp to-addresses=192.168.88.30
/ip route
add distance=2 dst-address=0.0.0.0/0 gateway=203.0.113.1
add distance=1 dst-address=0.0.0.0/0 gateway=ovpn-out1
`
	p := importText(t, rsc)
	found, _ := p.Diagnose()
	if got := withCause(found, RepliesTunnel); len(got) != 1 || !strings.Contains(got[0].Detail, "leaves by ovpn-out1") {
		t.Errorf("running: %+v", found)
	}
	q := importText(t, strings.Replace(rsc, " disabled=no", "", 1))
	if found, _ := q.Diagnose(); len(withCause(found, RepliesTunnel)) > 0 {
		t.Errorf("idle: %+v", withCause(found, RepliesTunnel))
	}
}
