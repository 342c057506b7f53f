package check

import (
	"slices"
	"strings"
	"testing"
)

// A WireGuard server (a peer with no endpoint: the phone comes to the
// router) on a defconf input chain: with no accept for its port, or with
// the accept added at the end below "drop all not coming from LAN", the
// handshakes are dropped. --offline said "no problem found"; now it names
// the drop, and the fix adds the accept above it or moves the late one
// up. A router that dials its only peer (endpoint-address set) gets its
// answers through the established accept: no finding.
func TestVPNServerPortDroppedOnInput(t *testing.T) {
	const text = `# 2026-12-02 09:12:40 by RouterOS 7.16.2
` + homeBridge + `add interface=ether1 list=WAN
/interface wireguard
add listen-port=13231 name=wg-home
/interface wireguard peers
add allowed-address=10.10.10.2/32 interface=wg-home public-key="hQ0vQmS1ibb5cKMiUZAmGeRy1gDeq+0hHjS0UvS9vCU="%s
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
/ip firewall filter
add action=accept chain=input connection-state=established,related,untracked
add action=drop chain=input comment="drop all not coming from LAN" in-interface-list=!LAN
%s/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
/ip route
add gateway=203.0.113.1
`
	for _, tt := range []struct {
		name, peer, late string
		want             bool
		fix              string
	}{
		{"no accept", "", "", true, `/ip firewall filter add chain=input action=accept protocol=udp dst-port=13231 comment="VPN: wg-home" place-before=[ find where comment="drop all not coming from LAN" ]`},
		{"accept below the drop", "", "add action=accept chain=input comment=wg dst-port=13231 protocol=udp\n", true, `/ip firewall filter move [ find where comment=wg ] destination=[ find where comment="drop all not coming from LAN" ]`},
		{"router dials its peer", " endpoint-address=198.51.100.9 endpoint-port=13231", "", false, ""},
	} {
		p := importText(t, strings.Replace(strings.Replace(text, "%s", tt.peer, 1), "%s", tt.late, 1))
		found, _ := p.Diagnose()
		got := withCause(found, VPNInputDrops)
		if (len(got) > 0) != tt.want {
			t.Errorf("%s: findings %+v", tt.name, found)
			continue
		}
		if !tt.want {
			continue
		}
		if !strings.Contains(got[0].Rule, "drop all not coming from LAN") {
			t.Errorf("%s: names %q", tt.name, got[0].Rule)
		}
		if fx := p.Propose(found); !slices.Contains(fx.Lines, tt.fix) {
			t.Errorf("%s: fix %q", tt.name, fx.Lines)
		}
	}
}

// The other road-warrior servers on the same defconf input chain (forum54).
// An L2TP/IPsec server needs IKE's 500, NAT-T's 4500 and, once IPsec has
// decrypted it, L2TP's 1701: the three findings came as one (they share
// the drop's line), so the fix opened 500 alone and the next run found
// 4500; with both open, "no problem found" although the decrypted 1701 is
// new and meets the same drop. The fix opens 1701 for IPsec only. A PPTP
// server (TCP 1723), a 7.17 OpenVPN server of the list form (add ...
// disabled=no) and a passive IPsec peer (an IKEv2 road-warrior responder:
// 500 and 4500) were not judged at all.
func TestRoadWarriorServersOnInput(t *testing.T) {
	const text = `# 2026-12-06 21:40:00 by RouterOS 7.18.2
` + homeBridge + `add interface=ether1 list=WAN
%s
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
/ip firewall filter
add action=accept chain=input connection-state=established,related,untracked
%sadd action=drop chain=input comment="drop all not coming from LAN" in-interface-list=!LAN
/ip firewall nat
add action=masquerade chain=srcnat ipsec-policy=out,none out-interface-list=WAN
/ip route
add gateway=203.0.113.1
`
	const l2tp = "/interface l2tp-server server\nset enabled=yes ipsec-secret=Sec4711 use-ipsec=yes"
	const ike = "add action=accept chain=input dst-port=500,4500 protocol=udp\n"
	sel := `place-before=[ find where comment="drop all not coming from LAN" ]`
	for _, tt := range []struct {
		name, server, accepts string
		fix                   []string // the fix's lines, in order; none: no finding
	}{
		{"l2tp/ipsec, no accept", l2tp, "", []string{
			`/ip firewall filter add chain=input action=accept protocol=udp dst-port=500 comment="VPN: the L2TP server's IPsec (IKE)" ` + sel,
			`/ip firewall filter add chain=input action=accept protocol=udp dst-port=4500 comment="VPN: the L2TP server's IPsec (NAT-T)" ` + sel,
			`/ip firewall filter add chain=input action=accept protocol=udp dst-port=1701 ipsec-policy=in,ipsec comment="VPN: the L2TP server (inside IPsec)" ` + sel}},
		{"l2tp/ipsec, ike accepted", l2tp, ike, []string{
			`/ip firewall filter add chain=input action=accept protocol=udp dst-port=1701 ipsec-policy=in,ipsec comment="VPN: the L2TP server (inside IPsec)" ` + sel}},
		{"l2tp/ipsec, 1701 for ipsec", l2tp, ike + "add action=accept chain=input dst-port=1701 ipsec-policy=in,ipsec protocol=udp\n", nil},
		{"l2tp/ipsec, what ipsec decrypts", l2tp, ike + "add action=accept chain=input ipsec-policy=in,ipsec\n", nil},
		{"l2tp/ipsec, 1701 in clear only", l2tp, ike + "add action=accept chain=input dst-port=1701 ipsec-policy=in,none protocol=udp\n", []string{
			`/ip firewall filter add chain=input action=accept protocol=udp dst-port=1701 ipsec-policy=in,ipsec comment="VPN: the L2TP server (inside IPsec)" ` + sel}},
		{"l2tp/ipsec, 1701 accepted", l2tp, "add action=accept chain=input dst-port=500,1701,4500 protocol=udp\n", nil},
		{"l2tp without ipsec", "/interface l2tp-server server\nset enabled=yes", "", []string{
			`/ip firewall filter add chain=input action=accept protocol=udp dst-port=1701 comment="VPN: the L2TP server" ` + sel}},
		{"pptp", "/interface pptp-server server\nset enabled=yes", "", []string{
			`/ip firewall filter add chain=input action=accept protocol=tcp dst-port=1723 comment="VPN: the PPTP server" ` + sel}},
		{"pptp accepted", "/interface pptp-server server\nset enabled=yes", "add action=accept chain=input dst-port=1723 protocol=tcp\n", nil},
		{"ovpn list", "/interface ovpn-server server\nadd disabled=no name=ovpn-server1 port=1195 protocol=udp", "", []string{
			`/ip firewall filter add chain=input action=accept protocol=udp dst-port=1195 comment="VPN: the OpenVPN server ovpn-server1" ` + sel}},
		{"ovpn list, disabled", "/interface ovpn-server server\nadd name=ovpn-server1 port=1195 protocol=udp", "", nil},
		{"passive peer", "/ip ipsec peer\nadd exchange-mode=ike2 name=rw passive=yes", "", []string{
			`/ip firewall filter add chain=input action=accept protocol=udp dst-port=500 comment="VPN: the passive IPsec peer rw (IKE)" ` + sel,
			`/ip firewall filter add chain=input action=accept protocol=udp dst-port=4500 comment="VPN: the passive IPsec peer rw (NAT-T)" ` + sel}},
		{"passive peer accepted", "/ip ipsec peer\nadd exchange-mode=ike2 name=rw passive=yes", ike, nil},
		{"peer the router dials", "/ip ipsec peer\nadd address=198.51.100.9/32 exchange-mode=ike2 name=site", "", nil},
	} {
		p := importText(t, strings.Replace(strings.Replace(text, "%s", tt.server, 1), "%s", tt.accepts, 1))
		found, _ := p.Diagnose()
		got := withCause(found, VPNInputDrops)
		if len(got) != len(tt.fix) {
			t.Errorf("%s: %d findings, want %d: %+v", tt.name, len(got), len(tt.fix), found)
			continue
		}
		if len(got) == 0 {
			continue
		}
		if fx := p.Propose(found); !slices.Equal(fx.Lines, tt.fix) {
			t.Errorf("%s: fix\n%q\nwant\n%q", tt.name, fx.Lines, tt.fix)
		}
		if slices.ContainsFunc(got, func(f Finding) bool { return strings.Contains(f.Rule, "Sec4711") }) {
			t.Errorf("%s: the report shows the IPsec secret", tt.name)
		}
	}
}
