package config

import (
	"errors"
	"strings"
	"testing"
)

// TestPrefSrcNotLocal: a route whose pref-src is none of the router's
// addresses is taken (RouterOS takes it) and handed to the kernel, which
// keeps it inactive on 6 and installs it without the source on 7; on 7 the
// pref-src is reported not enforced until an address (here a DHCP lease)
// makes it the router's (forum28 D7, D8).
func TestPrefSrcNotLocal(t *testing.T) {
	for _, v := range []string{"6.49.18", "7.16.2"} {
		k := &fakeKernel{}
		r := New(Options{Ports: ports, Version: v, Kernel: k})
		run(t, r, "/ip dhcp-client add disabled=no interface=ether1\n/ip route add dst-address=10.9.9.0/24 gateway=203.0.113.1 pref-src=203.0.113.77")
		if k.last == nil || len(k.last.Routes) != 1 || k.last.Routes[0].PrefSrc.String() != "203.0.113.77" {
			t.Fatalf("%s: kernel state %+v", v, k.last)
		}
		if got := k.last.PrefSrcInactive; got != strings.HasPrefix(v, "6.") {
			t.Errorf("%s: PrefSrcInactive = %v", v, got)
		}
		reported := func() bool {
			for _, n := range r.NotEnforced() {
				if n.Path == "/ip route" && n.Property == "pref-src" {
					return true
				}
			}
			return false
		}
		if got, want := reported(), !strings.HasPrefix(v, "6."); got != want {
			t.Errorf("%s: pref-src reported not enforced = %v, want %v", v, got, want)
		}
		if err := r.SetLease("ether1", lease("203.0.113.77/24")); err != nil {
			t.Fatal(err)
		}
		if reported() {
			t.Errorf("%s: pref-src still reported once the lease gives the router 203.0.113.77", v)
		}
	}
}

// TestLeaseApplyFailureLogged: a lease the kernel refuses is written to the
// router's /log (topics dhcp,error), not only to rosemu's own log (forum28
// D8: the WAN stayed without an address and /log said nothing).
func TestLeaseApplyFailureLogged(t *testing.T) {
	k := &fakeKernel{}
	r := New(Options{Ports: ports, Kernel: k})
	run(t, r, "/ip dhcp-client add interface=ether1")
	k.fail = errors.New("add route: invalid argument")
	if err := r.SetLease("ether1", lease("203.0.113.9/24")); err == nil {
		t.Fatal("lease applied although the kernel failed")
	}
	got := run(t, r, "/log print where topics~\"dhcp\"")
	if !strings.Contains(got, "dhcp-client on ether1 failed to apply address 203.0.113.9/24") || !strings.Contains(got, "invalid argument") {
		t.Errorf("log:\n%s", got)
	}
}
