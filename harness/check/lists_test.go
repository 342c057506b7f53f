package check

import (
	"fmt"
	"strings"
	"testing"
)

// TestForwardOnAListNothingFills: a DHCP client's script fills WANIP while
// the forward reads wan-ip (a real slip: two spellings of one list). The
// list the rule reads has no entry and nothing names it: the rule never
// matches. Before, check said "no problem found". The controls: the script
// filling wan-ip itself, and an export of the firewall alone (no /ip
// address), which may leave out what fills the list.
func TestForwardOnAListNothingFills(t *testing.T) {
	const export = "# 2024-11-03 14:22:10 by RouterOS 7.14.3\n" + homeBridge + `add interface=ether1 list=WAN
%s/ip dhcp-client
add interface=ether1 script=":if (\$bound=1) do={ /ip firewall address-list remove [find list=%s]; /ip firewall address-list add list=%s address=\$\"lease-address\" }"
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address-list=wan-ip dst-port=443 protocol=tcp to-addresses=192.168.88.10
add action=masquerade chain=srcnat dst-address=192.168.88.0/24 src-address=192.168.88.0/24
`
	const addr = "/ip address\nadd address=192.168.88.1/24 interface=bridge network=192.168.88.0\n"
	for _, tt := range []struct {
		name, addr, list string
		empty            bool
	}{
		{"another spelling", addr, "WANIP", true},
		{"the script fills it", addr, "wan-ip", false},
		{"firewall section alone", "", "WANIP", false},
	} {
		p := importNamed(t, "list.rsc", []byte(fmt.Sprintf(export, tt.addr, tt.list, tt.list)))
		if len(p.Forwards) != 1 {
			t.Fatalf("%s: forwards %v", tt.name, p.Forwards)
		}
		found, _ := p.Diagnose()
		got := withCause(found, EmptyList)
		if (len(got) > 0) != tt.empty {
			t.Errorf("%s: empty-list findings %v", tt.name, got)
			continue
		}
		if !tt.empty {
			continue
		}
		if got[0].Line != 18 || got[0].Path != "all" {
			t.Errorf("%s: finding %+v", tt.name, got[0])
		}
		all := strings.Join(p.Propose(found).Lines, "\n")
		if !strings.Contains(all, "dst-address-type=local dst-address-list=!hairpin-lan") {
			t.Errorf("%s: fix\n%s", tt.name, all)
		}
	}
}

// TestCloudNameWithDDNSOff: a forward on a list that holds the router's IP
// Cloud name while DDNS is off. MikroTik's server keeps the last address
// the router sent, so on a DHCP WAN the rule stops matching at the next
// renumbering; the fix turns DDNS on. With DDNS on, or on a static WAN,
// nothing is said.
func TestCloudNameWithDDNSOff(t *testing.T) {
	const export = "# 2024-11-03 14:22:10 by RouterOS 7.16.1\n" + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
%s/ip cloud
set ddns-enabled=%s
/ip firewall address-list
add address=0a1b2c3d4e5f.sn.mynetname.net list=WAN-IP
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address-list=WAN-IP dst-port=443 protocol=tcp to-addresses=192.168.88.10
add action=masquerade chain=srcnat dst-address=192.168.88.0/24 src-address=192.168.88.0/24
`
	const dhcp, static = "/ip dhcp-client\nadd interface=ether1\n", "/ip address\nadd address=203.0.113.34/29 interface=ether1\n/ip route\nadd gateway=203.0.113.33\n"
	for _, tt := range []struct {
		name, wan, ddns string
		stale           bool
	}{
		{"dhcp, ddns off", dhcp, "no", true},
		{"dhcp, ddns on", dhcp, "yes", false},
		{"static, ddns off", static, "no", false},
	} {
		p := importNamed(t, "cloud.rsc", []byte(fmt.Sprintf(export, tt.wan, tt.ddns)))
		found, _ := p.Diagnose()
		got := withCause(found, CloudOff)
		if (len(got) > 0) != tt.stale {
			t.Errorf("%s: findings %v", tt.name, found)
			continue
		}
		if tt.stale && !strings.Contains(strings.Join(p.Propose(found).Lines, "\n"), "/ip cloud set ddns-enabled=yes") {
			t.Errorf("%s: fix %v", tt.name, p.Propose(found).Lines)
		}
	}
}

// TestForwardBelowADstnatAccept: "do not NAT the VPN" written as an accept
// of everything from the WAN in dstnat, above the forward. The diagnosis
// named the accept but the fix was empty; now the forward moves above it.
// A dst-nat of the same port to another server (the control) is a conflict
// only the user can settle: no line.
func TestForwardBelowADstnatAccept(t *testing.T) {
	const export = "# 2024-11-03 14:22:10 by RouterOS 7.16.1\n" + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
/ip dhcp-client
add interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add %s chain=dstnat in-interface-list=WAN comment="do not nat the vpn"
add action=dst-nat chain=dstnat dst-address-type=local dst-address=!192.168.88.1 dst-port=443 protocol=tcp to-addresses=192.168.88.10
add action=masquerade chain=srcnat dst-address=192.168.88.0/24 src-address=192.168.88.0/24
`
	for _, tt := range []struct {
		earlier string
		move    bool
	}{
		{"action=accept", true},
		{"action=dst-nat dst-port=443 protocol=tcp to-addresses=192.168.88.11", false},
	} {
		p := importNamed(t, "accept.rsc", []byte(fmt.Sprintf(export, tt.earlier)))
		found, _ := p.Diagnose()
		if len(withCause(found, EarlierRule)) == 0 {
			t.Fatalf("%s: findings %v", tt.earlier, found)
		}
		all := strings.Join(p.Propose(found).Lines, "\n")
		want := `/ip firewall nat move [ find where action=dst-nat and chain=dstnat and dst-address-type=local and dst-address="!192.168.88.1" and dst-port=443 and protocol=tcp and to-addresses=192.168.88.10 ] destination=[ find where comment="do not nat the vpn" ]`
		if got := strings.Contains(all, want); got != tt.move {
			t.Errorf("%s: fix\n%s", tt.earlier, all)
		}
	}
}

// TestBoundForwardKeepsItsList: in-interface-list=WAN together with
// dst-address-list=WAN-IP (the IP Cloud name, DDNS on): the list is right
// for the hairpin, the binding keeps the LAN out. The fix drops the binding
// only; it used to replace the user's list with dst-address-type=local and
// the hairpin-lan list. When the list itself is at fault (nothing fills
// it), method 4 replaces it as before.
func TestBoundForwardKeepsItsList(t *testing.T) {
	const export = "# 2024-11-03 14:22:10 by RouterOS 7.16.1\n" + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
/ip cloud
set ddns-enabled=yes
/ip dhcp-client
add interface=ether1
/ip firewall address-list
add address=a1b2c3d4e5f6.sn.mynetname.net list=%s
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address-list=WAN-IP in-interface-list=WAN dst-port=443 protocol=tcp to-addresses=192.168.88.10
add action=masquerade chain=srcnat dst-address=192.168.88.0/24 src-address=192.168.88.0/24
`
	sel := "/ip firewall nat set [ find where action=dst-nat and chain=dstnat and dst-address-list=WAN-IP and in-interface-list=WAN and dst-port=443 and protocol=tcp and to-addresses=192.168.88.10 ] "
	for _, tt := range []struct{ list, want string }{
		{"WAN-IP", sel + "!in-interface-list\n"},
		{"other", sel + "!in-interface-list dst-address-type=local dst-address-list=!hairpin-lan\n"},
	} {
		p := importNamed(t, "bound-list.rsc", []byte(fmt.Sprintf(export, tt.list)))
		found, _ := p.Diagnose()
		if len(withCause(found, BoundToWAN)) == 0 {
			t.Fatalf("%s: findings %v", tt.list, found)
		}
		if all := strings.Join(p.Propose(found).Lines, "\n") + "\n"; !strings.Contains(all, tt.want) {
			t.Errorf("%s: fix\n%s\nwant the line\n%s", tt.list, all, tt.want)
		}
	}
}

// TestHairpinRuleOnTheWAN: the hairpin masquerade written with
// out-interface=ether1 (or out-interface-list=WAN), as if hairpinned
// traffic went out to the internet. srcnat sees the interface the packet
// leaves by, the bridge: the rule never matches. The diagnosis now names
// that rule's line instead of the dst-nat's "no hairpin rule"; with
// out-interface=bridge (the control) the hairpin works.
func TestHairpinRuleOnTheWAN(t *testing.T) {
	const export = "# nov/03/2024 14:22:10 by RouterOS 6.49.10\n" + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
/ip dhcp-client
add disabled=no interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat ipsec-policy=out,none out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address-type=local dst-address=!192.168.88.1 dst-port=443 protocol=tcp to-addresses=192.168.88.10
add action=masquerade chain=srcnat dst-address=192.168.88.10 %s src-address=192.168.88.0/24
`
	for _, tt := range []struct {
		out   string
		cause Cause
	}{
		{"out-interface=ether1", HairpinOutWAN},
		{"out-interface-list=WAN", HairpinOutWAN},
		{"out-interface=bridge", ""},
	} {
		p := importNamed(t, "out-wan.rsc", []byte(fmt.Sprintf(export, tt.out)))
		found, _ := p.Diagnose()
		switch {
		case tt.cause == "" && len(found) != 0:
			t.Errorf("%s: findings %v", tt.out, found)
		case tt.cause != "" && (len(found) != 1 || found[0].Cause != tt.cause || found[0].Line != 19):
			t.Errorf("%s: findings %v", tt.out, found)
		case tt.cause != "" && !strings.Contains(strings.Join(p.Propose(found).Lines, "\n"), "out-interface=bridge"):
			t.Errorf("%s: fix %v", tt.out, p.Propose(found).Lines)
		}
	}
}

// TestConflictingForwardsGetNoRewrite: an old NAS's forward of 443 left
// above the new one's. The new one is named ("an earlier rule takes this
// traffic"); the fix used to rewrite both rules for the LAN, after which
// the old rule took the LAN's connections too. The losing forward now gets
// no fix line; the winning one keeps its own.
func TestConflictingForwardsGetNoRewrite(t *testing.T) {
	const export = "# 2024-11-03 14:22:10 by RouterOS 7.16.1\n" + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
/ip dhcp-client
add interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat comment="old nas" dst-port=443 in-interface-list=WAN protocol=tcp to-addresses=192.168.88.9
add action=dst-nat chain=dstnat comment="new nas" dst-port=443 in-interface-list=WAN protocol=tcp to-addresses=192.168.88.10
`
	p := importNamed(t, "conflict.rsc", []byte(export))
	found, _ := p.Diagnose()
	if len(withCause(found, EarlierRule)) != 1 {
		t.Fatalf("findings %v", found)
	}
	fx := p.Propose(found)
	all := strings.Join(fx.Lines, "\n")
	if strings.Contains(all, `comment="new nas"`) || strings.Contains(all, "192.168.88.10") {
		t.Errorf("fix rewrites the losing forward:\n%s", all)
	}
	if !strings.Contains(all, `find where comment="old nas"`) {
		t.Errorf("fix lost the winning forward's own lines:\n%s", all)
	}
}

// TestPPPoEMissingFromTheWANList: defconf's WAN list holds ether1, and a
// PPPoE client added later on ether1 never joined it. A forward on
// in-interface-list=WAN never matches on pppoe-out1 (nor do defconf's
// masquerade and its "drop all from WAN not DSTNATed"). The diagnosis says
// the list holds the port, not the PPPoE interface, and the fix adds
// pppoe-out1 to the list; it used to rewrite only the forward. With
// pppoe-out1 in the list (the control) the internet's path is fine.
func TestPPPoEMissingFromTheWANList(t *testing.T) {
	const export = `# 2024-11-03 14:22:10 by RouterOS 7.16.1
/interface bridge
add name=bridge
/interface pppoe-client
add add-default-route=yes disabled=no interface=ether1 name=pppoe-out1 user=u password=p use-peer-dns=yes
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge interface=ether2
/interface list member
add interface=bridge list=LAN
add interface=%s list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
/ip firewall nat
add action=masquerade chain=srcnat out-interface=pppoe-out1
add action=dst-nat chain=dstnat dst-port=8443 in-interface-list=WAN protocol=tcp to-addresses=192.168.88.10
add action=masquerade chain=srcnat dst-address=192.168.88.0/24 src-address=192.168.88.0/24
`
	for _, tt := range []struct {
		member string
		fix    bool
	}{{"ether1", true}, {"pppoe-out1", false}} {
		p := importNamed(t, "pppoe-list.rsc", []byte(fmt.Sprintf(export, tt.member)))
		found, _ := p.Diagnose()
		internet := false
		for _, f := range withCause(found, BoundToWAN) {
			if f.Path == "internet" {
				internet = true
				if !strings.Contains(f.Detail, "the list holds ether1, the port under pppoe-out1") {
					t.Errorf("%s: detail %q", tt.member, f.Detail)
				}
			}
		}
		all := strings.Join(p.Propose(found).Lines, "\n")
		if got := strings.Contains(all, "/interface list member add interface=pppoe-out1 list=WAN"); got != tt.fix || internet != tt.fix {
			t.Errorf("%s: internet finding %v, fix\n%s", tt.member, internet, all)
		}
	}
}

// TestForwardOnAListOfDisabledEntries: the list's only entry is disabled
// (the firewall sees no entry), or the list shares its name with the
// interface list WAN, whose members fill no address list. Both forwards
// never match. The control: the same entry enabled.
func TestForwardOnAListOfDisabledEntries(t *testing.T) {
	const export = "# 2024-11-03 14:22:10 by RouterOS 7.14.3\n" + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.10/29 interface=ether1 network=203.0.113.8
/ip route
add gateway=203.0.113.9
/ip firewall address-list
add address=203.0.113.10%s list=pub
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address-list=%s dst-port=443 protocol=tcp to-addresses=192.168.88.10
add action=masquerade chain=srcnat dst-address=192.168.88.0/24 src-address=192.168.88.0/24
`
	for _, tt := range []struct {
		name, disabled, list string
		empty                bool
	}{
		{"entry disabled", " disabled=yes", "pub", true},
		{"named as the interface list", "", "WAN", true},
		{"entry enabled", "", "pub", false},
	} {
		p := importNamed(t, "list.rsc", []byte(fmt.Sprintf(export, tt.disabled, tt.list)))
		found, _ := p.Diagnose()
		if got := withCause(found, EmptyList); (len(got) > 0) != tt.empty {
			t.Errorf("%s: empty-list findings %v, want %v (%v)", tt.name, got, tt.empty, found)
		}
	}
}

// forum38 D2: the list is meant to be filled by the on-up script of the
// PPP profile wanprof, but pppoe-out1 uses the default profile, so the
// script never runs and the list stays empty: the forward never matches
// (it failed in every lab path while check said "no problem found"). The
// controls: the client uses the profile (profile=wanprof), and a PPPoE
// server hands it out (default-profile=wanprof); then the script fills
// the list. The same unused profile does not count as updating a list of
// a literal address either (staleList).
func TestForwardOnAListOnlyAnUnusedProfileFills(t *testing.T) {
	const export = `# 2026-12-06 02:50:00 by RouterOS 7.16.2
/interface pppoe-client
add add-default-route=yes disabled=no interface=ether1 name=pppoe-out1 user=home password=s3cret%s
%s/interface list
add name=WAN
add name=LAN
/ppp profile
add name=wanprof on-up=":local ip \$\"local-address\"; /ip firewall address-list add list=WAN_IP address=\$ip"
/interface list member
add interface=pppoe-out1 list=WAN
add interface=ether2 list=LAN
/ip address
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
%s/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat comment=game dst-address-list=WAN_IP dst-port=27015 protocol=udp to-addresses=192.168.88.10
add action=masquerade chain=srcnat dst-address=192.168.88.0/24 src-address=192.168.88.0/24
`
	const server = "/interface pppoe-server server\nadd default-profile=wanprof disabled=no interface=ether3 service-name=isp\n"
	const literal = "/ip firewall address-list\nadd address=203.0.113.2 list=WAN_IP\n"
	for _, tt := range []struct {
		name, client, server string
		empty                bool
	}{
		{"profile unused", "", "", true},
		{"the client uses it", " profile=wanprof", "", false},
		{"a server hands it out", "", server, false},
	} {
		p := importNamed(t, "emptylist.rsc", []byte(fmt.Sprintf(export, tt.client, tt.server, "")))
		found, _ := p.Diagnose()
		if got := withCause(found, EmptyList); (len(got) > 0) != tt.empty {
			t.Errorf("%s: empty-list findings %v (all %v)", tt.name, got, found)
		}
		p = importNamed(t, "stale.rsc", []byte(fmt.Sprintf(export, tt.client, tt.server, literal)))
		keep := p.keeper(p.export)
		if _, stale := p.staleList(keep, "WAN_IP"); stale != tt.empty {
			t.Errorf("%s: staleList = %v", tt.name, stale)
		}
	}
}
