package check

import (
	"slices"
	"strings"
	"testing"
)

// The road warriors of the router's PPP VPN servers (forum54): a pool the
// masquerade does not cover ("VPN connected, no internet": the masquerade
// narrowed to the LAN's subnet) and a pool inside the LAN's subnet on a
// bridge without proxy-arp ("VPN reaches the router, not the LAN"). Both
// were "no problem found". defconf's masquerade (out-interface-list=WAN)
// covers every pool; proxy-arp on the bridge, or a pool outside the LAN,
// needs none; a disabled server, a PPPoE server (subscribers, not road
// warriors) and a secret for another service give no pool.
func TestVPNClientPools(t *testing.T) {
	// homeBridge with room for the bridge's arp= (%s).
	text := "# 2026-12-06 21:55:00 by RouterOS 7.18.2\n" + strings.Replace(homeBridge, "add name=bridge\n", "add name=bridge%s\n", 1) +
		`add interface=ether1 list=WAN
/ip pool
add name=vpn ranges=%s
/ppp profile
add local-address=10.10.60.1 name=vpn remote-address=vpn
%s
/ppp secret
add name=erin password=pw profile=vpn%s
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
/ip firewall nat
add action=masquerade chain=srcnat %s
/ip route
add gateway=203.0.113.1
`
	const l2tp = "/interface l2tp-server server\nset default-profile=vpn enabled=yes"
	const lanOnly = "out-interface=ether1 src-address=192.168.88.0/24"
	const defconf = "ipsec-policy=out,none out-interface-list=WAN"
	for _, tt := range []struct {
		name, arp, ranges, server, secret, masq string
		cause                                   Cause
		fix                                     string
	}{
		{"pool outside the masquerade", "", "10.10.60.10-10.10.60.50", l2tp, "", lanOnly, NoVPNMasquerade,
			`/ip firewall nat add chain=srcnat action=masquerade src-address=10.10.60.0/26 out-interface=ether1 comment="VPN clients (vpn) to the internet"`},
		{"defconf masquerade", "", "10.10.60.10-10.10.60.50", l2tp, "", defconf, "", ""},
		{"server disabled", "", "10.10.60.10-10.10.60.50", "/interface l2tp-server server\nset default-profile=vpn enabled=no", "", lanOnly, "", ""},
		{"pppoe server", "", "10.10.60.10-10.10.60.50", "/interface pppoe-server server\nadd default-profile=vpn disabled=no interface=ether2 service-name=isp", "", lanOnly, "", ""},
		{"secret for pptp", "", "10.10.60.10-10.10.60.50", "/interface l2tp-server server\nset enabled=yes", " service=pptp", lanOnly, "", ""},
		{"secret's own address", "", "10.10.60.10-10.10.60.50", "/interface l2tp-server server\nset enabled=yes", " remote-address=10.10.70.5 service=l2tp", lanOnly, NoVPNMasquerade,
			`/ip firewall nat add chain=srcnat action=masquerade src-address=10.10.70.5/32 out-interface=ether1 comment="VPN clients (10.10.70.5) to the internet"`},
		{"ovpn list server", "", "10.10.60.10-10.10.60.50", "/interface ovpn-server server\nadd default-profile=vpn disabled=no name=ovpn-server1", "", lanOnly, NoVPNMasquerade,
			`/ip firewall nat add chain=srcnat action=masquerade src-address=10.10.60.0/26 out-interface=ether1 comment="VPN clients (vpn) to the internet"`},
		{"default-encryption by its id", "", "10.10.60.10-10.10.60.50", "/interface l2tp-server server\nset enabled=yes\n/ppp profile\nset *FFFFFFFE remote-address=10.10.90.7", " service=pptp", lanOnly, NoVPNMasquerade,
			`/ip firewall nat add chain=srcnat action=masquerade src-address=10.10.90.7/32 out-interface=ether1 comment="VPN clients (10.10.90.7) to the internet"`},
		{"pool in the lan", "", "192.168.88.200-192.168.88.220", l2tp, "", defconf, VPNPoolInLAN,
			`/interface bridge set [ find name=bridge ] arp=proxy-arp`},
		{"pool in the lan, proxy-arp", " arp=proxy-arp", "192.168.88.200-192.168.88.220", l2tp, "", defconf, "", ""},
		// reply-only answers only the hosts of static and DHCP-added ARP
		// entries: proxy-arp in its place would undo that lock, so the
		// finding comes without a line (rc27's rb1100x4 export).
		{"pool in the lan, reply-only", " arp=reply-only", "192.168.88.200-192.168.88.220", l2tp, "", defconf, VPNPoolInLAN, ""},
	} {
		p := importText(t, fill(text, tt.arp, tt.ranges, tt.server, tt.secret, tt.masq))
		found, _ := p.Diagnose()
		got := slices.DeleteFunc(slices.Clone(found), func(f Finding) bool { return f.Cause != NoVPNMasquerade && f.Cause != VPNPoolInLAN })
		if tt.cause == "" {
			if len(got) > 0 {
				t.Errorf("%s: findings %+v", tt.name, got)
			}
			continue
		}
		if len(got) != 1 || got[0].Cause != tt.cause {
			t.Errorf("%s: findings %+v, want one of %q", tt.name, got, tt.cause)
			continue
		}
		if fx := p.Propose(found); tt.fix == "" && slices.ContainsFunc(fx.Lines, func(l string) bool { return strings.Contains(l, "arp=") }) || tt.fix != "" && !slices.Contains(fx.Lines, tt.fix) {
			t.Errorf("%s: fix %q, want %q", tt.name, fx.Lines, tt.fix)
		}
	}
}

// fill puts the values into text's %s places in order.
func fill(text string, vals ...string) string {
	for _, v := range vals {
		text = strings.Replace(text, "%s", v, 1)
	}
	return text
}
