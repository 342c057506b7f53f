package config

import (
	"context"
	"strings"
	"testing"
)

// refuses runs src on a fresh router of version and wants err to hold
// want with a position, and the configuration unchanged.
func refuses(t *testing.T, version, src, want string) {
	t.Helper()
	r := New(Options{Ports: []string{"ether1", "ether2", "ether3"}, Version: version})
	before := body(r.Export())
	_, err := r.Run(context.Background(), src)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("%s: err = %v, want %q", src, err, want)
	}
	if !strings.Contains(err.Error(), "(line ") {
		t.Errorf("err %q has no position", err)
	}
	if got := body(r.Export()); got != before {
		t.Errorf("a refused line changed the configuration:\n%s", got)
	}
}

// D3 (forum39): RouterOS 7's as, remote.as and local.role are checked as
// the BGP page of the manual lists them; a typo was accepted and the
// session then silently not run.
func TestForum39BGPValuesV7(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"/routing bgp connection add name=b1 as=65001 local.role=ebgp remote.address=10.255.2.2 remote.as=4294967296", "invalid value for argument remote.as"},
		{"/routing bgp connection add name=b2 as=65001 local.role=ebgp remote.address=10.255.2.2 remote.as=AS65002", "invalid value for argument remote.as"},
		{"/routing bgp connection add name=b3 as=65001 local.role=external remote.address=10.255.2.2 remote.as=65002", "invalid value for argument local.role"},
		{"/routing bgp connection add name=b4 as=6500x local.role=ebgp remote.address=10.255.2.2 remote.as=65002", "invalid value for argument as"},
		{"/routing bgp template set default as=65536.1", "invalid value for argument as"},
		{"/routing bgp template set default as=x/65001", "invalid value for argument as"},
	} {
		refuses(t, "7.16.2", c.src, c.want)
	}
	// Control: every role of the manual, plain, asdot and confederation
	// forms are taken.
	src := "/routing bgp connection\n"
	for i, role := range []string{"ebgp", "ebgp-customer", "ebgp-peer", "ebgp-provider", "ebgp-rs", "ebgp-rs-client", "ibgp", "ibgp-rr", "ibgp-rr-client"} {
		src += "add name=c" + string(rune('a'+i)) + " as=65001 local.role=" + role + " remote.address=10.255.2.2 remote.as=4294967295\n"
	}
	src += "add name=dot as=64512.1 local.role=ebgp remote.address=10.255.2.2 remote.as=0.65535\nadd name=conf as=43/34 local.role=ebgp remote.address=10.255.2.2 remote.as=65002\n"
	runShape(t, "7.16.2", []string{"ether1"}, src)
}

// D3: a session rosemu cannot run is reported with its reason, never
// left out silently: a confederation, a remote AS of 0, no router id.
func TestForum39BGPNotRunIsReported(t *testing.T) {
	rec := &ospfRecorder{}
	r := New(Options{Ports: []string{"ether1", "ether2"}, Routing: rec})
	run(t, r, `/ip address add address=10.255.2.1/30 interface=ether1
/routing bgp connection
add name=good as=65001 local.role=ebgp remote.address=10.255.2.2 remote.as=65002
add name=conf as=43/34 local.role=ebgp remote.address=10.255.2.2 remote.as=65002
add name=zero as=65001 local.role=ebgp remote.address=10.255.2.2 remote.as=0`)
	if got := bgpSummary(rec.last); !strings.HasPrefix(got, "good 65001->65002") || strings.Count(got, "\n") != 1 {
		t.Errorf("run sessions:\n%s", got)
	}
	var joined []string
	for _, n := range r.NotEnforced() {
		joined = append(joined, n.String())
	}
	all := strings.Join(joined, "\n")
	for _, want := range []string{"runs no confederations", "no AS or no remote AS"} {
		if !strings.Contains(all, want) {
			t.Errorf("NotEnforced lacks %q:\n%s", want, all)
		}
	}
	// No IPv4 address and no router-id: no router id to run with.
	r2 := New(Options{Ports: []string{"ether1"}})
	run(t, r2, "/routing bgp connection add name=noid as=65001 local.role=ebgp remote.address=10.255.2.2 remote.as=65002")
	found := false
	for _, n := range r2.NotEnforced() {
		found = found || strings.Contains(n.String(), "no router id")
	}
	if !found {
		t.Errorf("a session without a router id is not reported: %v", r2.NotEnforced())
	}
}

// D1 (forum39): RouterOS 6's OSPF and BGP instance and peer values are
// checked against the v6 manual's value sets (Manual:Routing/OSPF,
// Manual:Routing/BGP); "redistribute-connected=yes" was taken and acted on.
func TestForum39ValuesV6(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"/routing ospf instance set [ find default=yes ] redistribute-connected=yes", "invalid value for argument redistribute-connected"},
		{"/routing ospf instance set [ find default=yes ] distribute-default=always", "invalid value for argument distribute-default"},
		{"/routing ospf instance set [ find default=yes ] router-id=1.2.3", "invalid value for argument router-id"},
		{"/routing bgp instance set default as=4294967296", "invalid value for argument as"},
		{"/routing bgp instance set default router-id=main", "invalid value for argument router-id"},
		{"/routing bgp peer add name=p2 remote-address=10.0.0.1 remote-as=65002 nexthop-choice=bogus", "invalid value for argument nexthop-choice"},
		{"/routing bgp peer add name=p2 remote-address=10.0.0.1 remote-as=65002 default-originate=sometimes", "invalid value for argument default-originate"},
	} {
		refuses(t, "6.49.18", c.src, c.want)
	}
	// Control: the manual's values are taken, and the default of
	// distribute-default is never.
	r := runShape(t, "6.49.18", []string{"ether1"}, `/routing ospf instance set [ find default=yes ] redistribute-connected=as-type-1 redistribute-static=as-type-2 router-id=0.0.0.0
/routing ospf instance set [ find default=yes ] distribute-default=if-installed-as-type-2
/routing ospf instance set [ find default=yes ] distribute-default=never
/routing bgp instance set default as=65001 router-id=10.0.0.1
/routing bgp peer add name=p2 remote-address=10.0.0.1 remote-as=65002 nexthop-choice=propagate default-originate=if-installed
`)
	if exp := body(r.Export()); strings.Contains(exp, "distribute-default") {
		t.Errorf("distribute-default=never is the default, yet exported:\n%s", exp)
	}
	// RouterOS 7 keeps a router id by name.
	runShape(t, "7.16.2", []string{"ether1"}, "/routing ospf instance add name=o router-id=main\n")
}

// D2 (forum39): RouterOS 7's menus and OSPF instance properties do not
// exist on 6.x (the v6 manual's Manual:Routing/OSPF, BGP and
// Routing_filters pages have none of them): refused as the other v7-only
// menus are, where /routing bgp connection was accepted and never run.
func TestForum39V7MenusOnV6(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"/routing ospf instance add name=ospf1 version=2 router-id=10.255.255.1", "expected end of command"},
		{"/routing ospf instance set [ find default=yes ] originate-default=always", "expected end of command"},
		{"/routing ospf interface-template add interfaces=ether1 area=backbone", "bad command name interface-template"},
		{"/routing bgp connection add name=c3 remote.address=10.255.2.2 remote.as=65002 as=65001 local.role=ebgp", "bad command name connection"},
		{"/routing bgp template set default as=65001", "bad command name template"},
		{"/routing filter rule add chain=c rule=accept", "bad command name rule"},
		{"/routing ospf static-neighbor add address=10.0.0.1", "bad command name static-neighbor"},
	} {
		refuses(t, "6.49.18", c.src, c.want)
	}
	// Control: the same lines are taken on 7, and 6's own forms on 6.
	runShape(t, "7.16.2", []string{"ether1"}, `/routing ospf instance add name=ospf1 version=2 router-id=10.255.255.1 originate-default=always
/routing ospf area add name=bb instance=ospf1
/routing ospf interface-template add interfaces=ether1 area=bb
/routing bgp connection add name=c3 remote.address=10.255.2.2 remote.as=65002 as=65001 local.role=ebgp
/routing bgp template set default as=65001
/routing filter rule add chain=c rule=accept
`)
	runShape(t, "6.49.18", []string{"ether1"}, `/routing ospf instance set [ find default=yes ] redistribute-connected=as-type-1 in-filter=ospf-in
/routing ospf network add network=10.0.0.0/24 area=backbone
/routing bgp peer add name=p remote-address=10.0.0.1 remote-as=65002
/routing filter add chain=c action=accept
`)
}
