package check

import (
	"slices"
	"strings"
	"testing"
)

// TestVPNSiteRouterInLAN (rc27 rb1100x4, rev53): the L2TP server's
// default profile gives one address inside the LAN's subnet, and a static
// route sends the branch's network by it: a site router, not a road
// warrior. check raised VPNPoolInLAN ("reaches the router and nothing
// behind it"), which the branch's routed LAN contradicts. It is a note
// now. Controls: the same address with no route by it (a road warrior)
// keeps the finding, and so does a pool of many addresses with a route
// by one of them.
func TestVPNSiteRouterInLAN(t *testing.T) {
	text := "# 2026-12-06 21:55:00 by RouterOS 7.18.2\n" + homeBridge + `add interface=ether1 list=WAN
/ip pool
add name=vpn ranges=%s
/ppp profile
set *FFFFFFFE local-address=192.168.88.253 remote-address=%s
/interface l2tp-server server
set enabled=yes
/ppp secret
add name=branch password=pw service=l2tp%s
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
/ip route
add gateway=203.0.113.1
%s`
	const route = "add dst-address=192.168.0.0/24 gateway=192.168.88.252\n"
	for _, tt := range []struct {
		name, remote, secret, route string
		finding                     bool
		note                        string
	}{
		{"site router by a static route", "192.168.88.252", "", route, false, "and line 27 routes 192.168.0.0/24 by it: a site router"},
		{"site router by the secret's routes=", "192.168.88.252", ` remote-address=192.168.88.252 routes="192.168.0.0/24 192.168.88.252 1"`, "", false, "secret adds the route(s) 192.168.0.0/24 192.168.88.252 1 by it"},
		{"road warrior (control)", "192.168.88.252", "", "", true, ""},
		{"pool of many (control)", "vpn", "", route, true, ""},
	} {
		p := importText(t, fill(text, "192.168.88.240-192.168.88.252", tt.remote, tt.secret, tt.route))
		found, _ := p.Diagnose()
		got := slices.DeleteFunc(slices.Clone(found), func(f Finding) bool { return !strings.HasPrefix(f.Path, "vpn-lan:") })
		if tt.finding {
			if len(got) != 1 || got[0].Cause != VPNPoolInLAN {
				t.Errorf("%s: %+v, want the finding", tt.name, got)
			}
			continue
		}
		if len(got) != 1 || got[0].Cause != "" || !strings.Contains(got[0].Detail, tt.note) || Problems(found) != 0 {
			t.Errorf("%s: %+v, want a note saying %q (problems %d)", tt.name, got, tt.note, Problems(found))
		}
	}
}
