package config

import (
	"context"
	"net/netip"
	"slices"
	"strings"
	"testing"
)

// TestExportDHCPClientOptionFirst: a DHCP client option is exported before
// the DHCP client that names it, as RouterOS writes /ip dhcp-client option
// near the top of an export (a 6.42.1 RB750r2's line 30, before /ip hotspot
// profile and /ip pool: "/ip dhcp-client option add code=12 name=hostiptv
// value=\"'BY87000782316165'\"", then at line 194 "/ip dhcp-client add
// add-default-route=no dhcp-options=hostiptv interface=eth2-admin"; a 7.18.2
// CRS310's verbose export writes it between /interface macsec profile and
// /ip hotspot profile). rosemu wrote the options after /ip dhcp-client and
// its export did not import: "input does not match any value of
// dhcp-options" (realcheck33 D1).
func TestExportDHCPClientOptionFirst(t *testing.T) {
	src := "/ip dhcp-client option add code=12 name=hostiptv value=\"'BY87000782316165'\"\n" +
		"/ip hotspot profile add name=hsprof2\n" +
		"/ip dhcp-client add add-default-route=no dhcp-options=hostiptv,clientid interface=ether2\n"
	for _, v := range []string{"6.42.1", "7.18.2"} {
		exp := checkExportsImport(t, v, src, map[string]string{"dhcp-options=hostiptv": "name=hostiptv"})
		if strings.Index(exp, "/ip dhcp-client option\n") > strings.Index(exp, "/ip hotspot profile\n") {
			t.Errorf("%s: /ip dhcp-client option is written after /ip hotspot profile:\n%s", v, exp)
		}
	}
}

// TestVerboseExportRenamedDefaultProfile: an item that takes a default
// profile (it names none) is written in a verbose export with the name
// that profile has now. A 6.42.1 RT/RW-net's export renames the default
// hotspot profile and user profile ("/ip hotspot profile set [ find
// default=yes ] ... name=hsprof1", "/ip hotspot user profile set [ find
// default=yes ] ... name=Super") and adds a hotspot and users that name no
// profile; RouterOS refers to the profile by id, so the compact export
// leaves profile= out though no profile is called "default" any more.
// rosemu's verbose export wrote "profile=default" and did not import:
// "input does not match any value of profile" (realcheck33 D2); so too
// with a renamed default PPP profile, which the PPTP, L2TP and SSTP
// servers' default-profile and a PPP secret take.
func TestVerboseExportRenamedDefaultProfile(t *testing.T) {
	src := "/ip hotspot profile set [ find default=yes ] html-directory=flash/hotspot login-by=http-chap name=hsprof1\n" +
		"/ip hotspot user profile set [ find default=yes ] add-mac-cookie=no name=Super\n" +
		"/ip hotspot user profile add name=Friends rate-limit=2M/2M\n" +
		"/ppp profile set *0 name=ppp-default use-encryption=no\n" +
		"/ip pool add name=dhcp_client ranges=10.5.50.2-10.5.50.254\n" +
		"/ip hotspot add address-pool=dhcp_client interface=ether2 name=HotSpot\n" +
		"/ip hotspot user add name=supmin\n" +
		"/ip hotspot user add name=faiz profile=Friends\n" +
		"/ppp secret add name=noor service=pppoe\n"
	for _, v := range []string{"6.42.1", "7.18.2"} {
		checkExportsImport(t, v, src, nil)
		r := New(Options{Ports: ports, Version: v})
		run(t, r, src)
		exp := run(t, r, "/export verbose")
		for _, want := range []string{"interface=ether2 keepalive-timeout=none login-timeout=none name=HotSpot profile=hsprof1",
			"name=supmin profile=Super", "name=faiz profile=Friends", "profile=ppp-default"} {
			if !strings.Contains(strings.ReplaceAll(exp, "\\\n    ", ""), want) {
				t.Errorf("%s: verbose export lacks %q:\n%s", v, want, exp)
			}
		}
	}
}

// TestNeighborLLDPDCBX: RouterOS 7.17 added lldp-dcbx to /ip neighbor
// discovery-settings (community.routeros's API data: "lldp-dcbx" for
// 7.17 and later, default no; the QoS page of the manual enables it with
// "/ip neighbor discovery-settings set lldp-dcbx=yes"). A 7.18.2 CRS310's
// verbose export writes "set discover-interface-list=static
// discover-interval=30s lldp-dcbx=yes ...", which rosemu refused:
// "expected end of command" (realcheck33 D3). 7.16 refuses it.
func TestNeighborLLDPDCBX(t *testing.T) {
	const line = "/ip neighbor discovery-settings set discover-interface-list=static discover-interval=30s lldp-dcbx=yes lldp-mac-phy-config=no lldp-max-frame-size=no lldp-med-net-policy-vlan=disabled lldp-vlan-info=no mode=tx-and-rx protocol=cdp,lldp,mndp\n"
	for _, v := range []string{"7.17", "7.18.2"} {
		r := exportOf(t, v, line, "lldp-dcbx=yes")
		if exp := run(t, r, "/ip neighbor discovery-settings set lldp-dcbx=no\n/export"); strings.Contains(exp, "lldp-dcbx") {
			t.Errorf("%s: lldp-dcbx=no (the default) exported:\n%s", v, exp)
		}
	}
	if _, err := New(Options{Ports: ports, Version: "7.16.2"}).Run(context.Background(), line); err == nil || !strings.Contains(err.Error(), "expected end of command") {
		t.Errorf("7.16.2 took lldp-dcbx: %v", err)
	}
}

// TestPrintRenamedDefaultProfile: get, print and print detail show a
// renamed default profile by its new name where an item takes it by
// default, as RouterOS shows the entry an id names. After the 6.42.1
// RT/RW-net's "/ip hotspot profile set [ find default=yes ] name=hsprof1"
// rosemu's get and print still said "default", a profile that no longer
// exists (realcheck33 D4).
func TestPrintRenamedDefaultProfile(t *testing.T) {
	for _, v := range []string{"6.42.1", "7.18.2"} {
		r := New(Options{Ports: ports, Version: v})
		run(t, r, "/ip hotspot profile set [ find default=yes ] name=hsprof1\n"+
			"/ip hotspot user profile set [ find default=yes ] name=Super\n"+
			"/ip hotspot add interface=ether2 name=HotSpot\n/ip hotspot user add name=supmin\n")
		if got := strings.TrimSpace(run(t, r, ":put [/ip hotspot get [find name=HotSpot] profile]")); got != "hsprof1" {
			t.Errorf("%s: get profile = %q, want hsprof1", v, got)
		}
		if got := strings.TrimSpace(run(t, r, ":put [/ip hotspot user get [find name=supmin] profile]")); got != "Super" {
			t.Errorf("%s: user's get profile = %q, want Super", v, got)
		}
		for _, cmd := range []string{"/ip hotspot print detail", "/ip hotspot print"} {
			if out := run(t, r, cmd); !strings.Contains(out, "hsprof1") || strings.Contains(out, "default") {
				t.Errorf("%s: %s does not show hsprof1:\n%s", v, cmd, out)
			}
		}
		if rows, _, err := r.Command(context.Background(), "/ip/hotspot/print", nil); err != nil || len(rows) != 1 || !slices.Contains(rows[0], Prop{"profile", "hsprof1"}) {
			t.Errorf("%s: API print = %v, %v", v, rows, err)
		}
	}
}

// TestHotspotRenamedDefaultProfile: a hotspot server that takes the
// renamed default profile (the 6.42.1 RT/RW-net's "/ip hotspot profile set
// [ find default=yes ] hotspot-address=13.254.11.1 ... login-by=http-chap
// name=hsprof1" and a server with no profile=) uses that profile's
// settings, whether it names it or not. rosemu looked the server's
// profile up by the name "default", found none, and served the built-in
// defaults; after D2 a server naming profile=hsprof1 lost it the same
// way (realcheck33 D5).
func TestHotspotRenamedDefaultProfile(t *testing.T) {
	for _, named := range []string{"", " profile=hsprof1"} {
		r := New(Options{Ports: ports})
		run(t, r, "/ip address add address=13.254.11.1/24 interface=ether2\n"+
			"/ip hotspot profile set [ find default=yes ] hotspot-address=13.254.11.1 login-by=http-chap,trial name=hsprof1\n"+
			"/ip hotspot user profile set [ find default=yes ] name=Super shared-users=2\n"+
			"/ip hotspot add interface=ether2 name=HotSpot"+named+"\n")
		p, ok := r.HotspotFor(netip.MustParseAddr("13.254.11.20"))
		if !ok || p.LoginBy != "http-chap,trial" || p.Address != netip.MustParseAddr("13.254.11.1") {
			t.Errorf("server%q: portal %+v, %v; want login-by http-chap,trial at 13.254.11.1", named, p, ok)
		}
		// A trial user takes the trial-user-profile, the renamed default
		// user profile: the login works.
		if err := r.HotspotLogin(netip.MustParseAddr("13.254.11.20"), "02:00:00:00:00:20", "T-02:00:00:00:00:20", ""); err != nil {
			t.Errorf("server%q: trial login: %v", named, err)
		}
	}
}

// TestOSPFv6RenamedBackbone: on RouterOS 6 a network without area= (or
// naming the renamed entry) is in the default area, whatever its name now
// ("/routing ospf area set [ find default=yes ] name=area0"); rosemu
// looked for an area named "backbone" and ran no OSPF on the network
// (realcheck33 D5, as TestHotspotRenamedDefaultProfile).
func TestOSPFv6RenamedBackbone(t *testing.T) {
	for _, area := range []string{"", " area=area0"} {
		r := New(Options{Ports: ports, Version: "6.48.3"})
		run(t, r, "/ip address add address=44.34.129.119/28 interface=ether1\n"+
			"/routing ospf instance set [ find default=yes ] router-id=44.34.129.119\n"+
			"/routing ospf area set [ find default=yes ] name=area0\n"+
			"/routing ospf network add network=44.34.129.112/28"+area+"\n")
		cfg := ospfConfig(&tx{r: r, m: r.m})
		if len(cfg) != 1 || len(cfg[0].Areas) != 1 || cfg[0].Areas[0].Name != "area0" || len(cfg[0].Areas[0].Interfaces) != 1 {
			t.Errorf("network%q: OSPF %+v, want ether1 in area0", area, cfg)
		}
	}
}

// TestOSPFv6NetworkExportsArea: RouterOS 6 writes a network's area in
// every export, backbone too: all 28 "/routing ospf network add" lines of
// the real 6.x exports of realcheck27-33 have area= (HamWAN's 6.48.3 "add
// area=backbone network=44.34.129.112/28", a 6.43.3 RB941's four "add
// area=backbone network=..."), so area has no default RouterOS leaves out.
// rosemu left area=backbone out of its export (realcheck33 D6). A network
// added without area= is in the default area, by the name it has now.
func TestOSPFv6NetworkExportsArea(t *testing.T) {
	r := exportOf(t, "6.48.3", "/routing ospf network add area=backbone network=44.34.129.112/28\n/routing ospf network add network=10.0.0.0/24\n",
		"add area=backbone network=44.34.129.112/28\n", "add area=backbone network=10.0.0.0/24\n")
	run(t, r, "/routing ospf area set [ find default=yes ] name=area0\n/routing ospf network add network=10.1.0.0/24\n")
	if exp := body(r.Export()); !strings.Contains(exp, "add area=area0 network=10.1.0.0/24\n") || !strings.Contains(exp, "add area=area0 network=44.34.129.112/28\n") {
		t.Errorf("after the rename:\n%s", exp)
	}
}

// TestV6DisabledDHCPClientExport: RouterOS 6 creates a DHCP client or
// server disabled unless disabled=no, so its export writes "disabled=no"
// on a running one and nothing on a disabled one (a 6.49.6 RB951's "add
// comment=defconf interface=ether1" beside its running "add disabled=no
// ..."; dhcp.go's v6DisabledOnAdd cites more). rosemu wrote
// "disabled=yes" on the disabled ones, which no 6.x export has
// (realcheck33 D7). RouterOS 7 writes disabled=yes as before.
func TestV6DisabledDHCPClientExport(t *testing.T) {
	src := "/ip dhcp-client add comment=defconf interface=ether1\n/ip dhcp-client add disabled=no interface=ether2\n" +
		"/ip pool add name=p ranges=10.0.0.10-10.0.0.20\n/ip dhcp-server add address-pool=p interface=ether3 name=s1\n"
	r := exportOf(t, "6.49.6", src, "add comment=defconf interface=ether1\n", "add disabled=no interface=ether2\n", "add address-pool=p interface=ether3 name=s1\n")
	if out := run(t, r, ":put [/ip dhcp-client get [find interface=ether1] disabled]"); strings.TrimSpace(out) != "true" {
		t.Errorf("6.49.6: the client without disabled= is not disabled: %q", out)
	}
	r7 := New(Options{Ports: ports, Version: "7.18.2"})
	run(t, r7, "/ip dhcp-client add disabled=yes interface=ether1\n")
	if exp := body(r7.Export()); !strings.Contains(exp, "add disabled=yes interface=ether1\n") {
		t.Errorf("7.18.2 export lacks disabled=yes:\n%s", exp)
	}
}

// TestV6RouteExportsDistance: RouterOS 6 writes a static route's distance
// in every export, distance=1 too: all 142 "/ip route add" lines of the
// real 6.x exports of realcheck27-33 have distance= (103 of them
// distance=1: a 6.49.6 RB951's "add distance=1 gateway=200.108.229.193"),
// while RouterOS 7 leaves the default out ("add dst-address=0.0.0.0/0
// gateway=..."). rosemu left distance=1 out on 6 too (realcheck33 D8).
func TestV6RouteExportsDistance(t *testing.T) {
	exportOf(t, "6.49.6", "/ip address add address=200.108.229.199/28 interface=ether1\n/ip route add distance=1 gateway=200.108.229.193\n/ip route add dst-address=10.9.0.0/16 gateway=200.108.229.194\n",
		"add distance=1 gateway=200.108.229.193\n", "add distance=1 dst-address=10.9.0.0/16 gateway=200.108.229.194\n")
	r7 := New(Options{Ports: ports, Version: "7.18.2"})
	run(t, r7, "/ip address add address=200.108.229.199/28 interface=ether1\n/ip route add dst-address=0.0.0.0/0 gateway=200.108.229.193\n")
	if exp := body(r7.Export()); strings.Contains(exp, "distance=") {
		t.Errorf("7.18.2 export writes distance=:\n%s", exp)
	}
}

// exportOf loads src on a router of version v, checks that its export
// holds each of want and imports as itself, and returns the router.
func exportOf(t *testing.T, v, src string, want ...string) *Router {
	t.Helper()
	r := New(Options{Ports: ports, Version: v})
	run(t, r, src)
	exp := body(r.Export())
	for _, w := range want {
		if !strings.Contains(exp, w) {
			t.Errorf("%s: export lacks %q:\n%s", v, w, exp)
		}
	}
	if got := body(runShape(t, v, ports, exp).Export()); got != exp {
		t.Errorf("%s: re-import:\n%s\nwant\n%s", v, got, exp)
	}
	return r
}

// TestVerboseSMBComment: /ip smb's comment is a setting of its own (the
// name the SMB server announces, default MikrotikSMB), which a 7.18.2
// CRS310's verbose export writes: "set comment=MikrotikSMB domain=MSHOME
// enabled=auto interfaces=all". rosemu's verbose export left it out, as
// it leaves out every item's unset comment (realcheck33 D9).
func TestVerboseSMBComment(t *testing.T) {
	r := New(Options{Ports: ports, Version: "7.18.2"})
	exp := run(t, r, "/export verbose")
	if _, after, _ := strings.Cut(exp, "\n/ip smb\n"); !strings.Contains(strings.SplitN(after, "\n/", 2)[0], " comment=MikrotikSMB ") {
		t.Errorf("verbose export lacks /ip smb comment=MikrotikSMB:\n%s", exp)
	}
	exportOf(t, "7.18.2", "/ip smb set comment=FileServer enabled=auto\n", "/ip smb\nset comment=FileServer enabled=auto\n")
	checkExportsImport(t, "7.18.2", "/ip smb set enabled=auto\n", nil)
}
