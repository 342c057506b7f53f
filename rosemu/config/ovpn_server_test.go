package config

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestOVPNSessionInterfaces: an OpenVPN login is a /ppp active entry
// ovpn-alice (her binding) with service ovpn, and once up its address, its
// route and a rule with in-interface=ovpn-alice reach the kernel on that
// interface, as for any PPP session (the service makes each session a link
// of its own). bob's session beside hers on the same server is
// <ovpn-bob>, with his own address and route, and the rule does not name
// his interface. Nothing lands on the server's TUN (the old mapping put
// every session there, so a rule for alice matched bob). The controls: a
// secret for L2TP only and a wrong password are refused, and before the
// session is up nothing is on its interface.
func TestOVPNSessionInterfaces(t *testing.T) {
	k := &fakeKernel{}
	r := New(Options{Ports: ports, Kernel: k, Version: "7.16.2"})
	run(t, r, `/ip pool add name=vpn ranges=10.88.0.10-10.88.0.20
/ppp profile add name=vpn local-address=10.88.0.1 remote-address=vpn
/ppp secret add name=alice password=a1 profile=vpn service=ovpn
/ppp secret add name=bob password=b2 profile=vpn service=ovpn routes="192.168.5.0/24,10.99.0.0/16 10.88.0.11 1"
/ppp secret add name=dave password=d4 profile=vpn service=l2tp
/interface ovpn-server add name=ovpn-alice user=alice
/ip firewall filter add chain=forward in-interface=ovpn-alice action=drop
/interface ovpn-server server set enabled=yes default-profile=vpn`)
	srv := r.OVPNServers()[0]
	if _, err := r.OVPNLogin(srv.ID, "dave", "d4", "198.51.100.2"); err == nil {
		t.Error("a secret for l2tp logged in over OpenVPN")
	}
	if _, err := r.OVPNLogin(srv.ID, "alice", "nope", "198.51.100.2"); err == nil {
		t.Error("a wrong password logged in")
	}
	g, err := r.OVPNLogin(srv.ID, "alice", "a1", "198.51.100.2")
	if err != nil {
		t.Fatal(err)
	}
	if g.Interface != "ovpn-alice" || g.Remote.String() != "10.88.0.10" || g.Local.String() != "10.88.0.1" {
		t.Fatalf("grant %+v", g)
	}
	on := func(link string) (addrs, routes, rules []string) {
		for _, a := range k.last.Addresses {
			if a.Interface == link {
				addrs = append(addrs, a.Prefix.String())
			}
		}
		for _, rt := range k.last.Routes {
			if rt.Gateway == link {
				routes = append(routes, rt.Dst.String())
			}
		}
		for _, ru := range k.last.Filter {
			if ru.Props["in-interface"] == link {
				rules = append(rules, ru.Props["action"])
			}
		}
		return
	}
	if a, rt, _ := on("ovpn-alice"); len(a)+len(rt) != 0 {
		t.Errorf("before the session is up: addresses %v routes %v on ovpn-alice", a, rt)
	}
	if _, err := r.PPPoESessionUp(g.ID, 1500); err != nil {
		t.Fatal(err)
	}
	gb, err := r.OVPNLogin(srv.ID, "bob", "b2", "198.51.100.3")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.PPPoESessionUp(gb.ID, 1500); err != nil {
		t.Fatal(err)
	}
	if gb.Interface != "<ovpn-bob>" || fmt.Sprint(gb.Routed) != "[192.168.5.0/24 10.99.0.0/16]" {
		t.Fatalf("bob's grant %+v, want his routes= in Routed", gb)
	}
	if a, rt, ru := on("ovpn-alice"); !slices.Equal(a, []string{"10.88.0.1/32"}) || !slices.Equal(rt, []string{"10.88.0.10/32"}) || !slices.Equal(ru, []string{"drop"}) {
		t.Errorf("alice up: addresses %v routes %v rules %v on ovpn-alice", a, rt, ru)
	}
	if a, rt, ru := on("<ovpn-bob>"); !slices.Equal(a, []string{"10.88.0.1/32"}) || !slices.Equal(rt, []string{"10.88.0.11/32", "192.168.5.0/24"}) || len(ru) != 0 {
		t.Errorf("bob up: addresses %v routes %v rules %v on <ovpn-bob>", a, rt, ru)
	}
	if a, rt, ru := on(srv.Link); len(a)+len(rt)+len(ru) != 0 {
		t.Errorf("the server's TUN %s: addresses %v routes %v rules %v, want none", srv.Link, a, rt, ru)
	}
	out := run(t, r, `:put ([/ppp active get [find name=alice] service].",".[/ppp active get [find name=alice] caller-id])`)
	if got := strings.TrimSpace(fmt.Sprint(out)); got != "ovpn,198.51.100.2" {
		t.Errorf("/ppp active: %q", got)
	}
}

// TestOVPNClientProfileExported: an OVPN client's profile defaults to
// "default", unlike the L2TP, SSTP and PPTP clients' default-encryption,
// so RouterOS exports an OVPN client on default-encryption with it
// (a 6.x export of a public repository: "add cipher=null
// connect-to=core.video.local ... port=49100 profile=default-encryption
// user=..."). rosemu took the PPP clients' default for it and left it out
// of the export, which re-imported on "default".
func TestOVPNClientProfileExported(t *testing.T) {
	for _, v := range []string{"6.49.8", "7.16.2"} {
		src := "/interface ovpn-client\nadd cipher=null connect-to=core.video.local name=ovpn-tula password=x port=49100 profile=default-encryption user=S-1\n"
		r := exportOf(t, v, src, "profile=default-encryption")
		if got := run(t, r, ":put [/interface ovpn-client get ovpn-tula profile]"); got != "default-encryption\n" {
			t.Errorf("%s: profile %q", v, got)
		}
		// The default is "default": a client without profile= exports
		// none, and reads back default.
		r = exportOf(t, v, "/interface ovpn-client add connect-to=10.0.0.1 name=o2 user=u\n")
		if exp := body(r.Export()); strings.Contains(exp, "profile=") {
			t.Errorf("%s: a client on the default profile exports profile=:\n%s", v, exp)
		}
		if got := run(t, r, ":put [/interface ovpn-client get o2 profile]"); got != "default\n" {
			t.Errorf("%s: the default profile %q, want default", v, got)
		}
	}
}
