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
