package config

import (
	"context"
	"strings"
	"testing"
)

// TestPPPServerBindings: the static interfaces of the PPTP, SSTP, OpenVPN
// and PPPoE servers (as of L2TP) are taken in 6 and 7, may carry an
// address, are exported and taken again; a name already used is refused.
func TestPPPServerBindings(t *testing.T) {
	src := `/interface pptp-server
add name=pptp-in1 user=alice
/interface sstp-server
add name=sstp-in1 user=alice
/interface ovpn-server
add name=ovpn-in1 user=alice
/interface pppoe-server
add name=pppoe-in1 service=svc1 user=alice
/ip address
add address=10.9.0.1/32 interface=sstp-in1 network=10.9.0.1
`
	for _, v := range []string{"6.49.10", "7.16.2", "7.19.4"} {
		r := runShape(t, v, []string{"ether1"}, src)
		exp := body(r.Export())
		for _, want := range []string{"/interface pptp-server\nadd name=pptp-in1 user=alice\n", "/interface pppoe-server\nadd name=pppoe-in1 service=svc1 user=alice\n"} {
			if !strings.Contains(exp, want) {
				t.Errorf("%s export lacks %q:\n%s", v, want, exp)
			}
		}
		if got := body(runShape(t, v, []string{"ether1"}, exp).Export()); got != exp {
			t.Errorf("%s re-import:\n%s\nwant\n%s", v, got, exp)
		}
		bad := New(Options{Ports: []string{"ether1"}, Version: v})
		if _, err := bad.Run(context.Background(), "/interface pptp-server add name=ether1 user=x"); err == nil {
			t.Errorf("%s: a binding named like a port was taken", v)
		}
	}
}

// TestPPPBindingReason: a static binding of the PPTP server is reported
// with its own reason (no session comes up, its interface carries
// nothing), not the server's, which spoke of a bound port a binding does
// not have (forum54 N1). L2TP, SSTP and OpenVPN bindings are not
// reported: those servers' sessions take their names (f64, sstp70,
// ovpn71).
func TestPPPBindingReason(t *testing.T) {
	r := runShape(t, "7.16.2", []string{"ether1"}, "/interface l2tp-server\nadd name=l2tp-bob user=bob\n/interface sstp-server\nadd name=sstp-carol user=carol\n/interface ovpn-server\nadd name=ovpn-eve user=eve\n/interface pptp-server\nadd name=pptp-dan user=dan\n")
	n := 0
	for _, it := range r.NotEnforced() {
		if it.Path == "/interface l2tp-server" || it.Path == "/interface sstp-server" || it.Path == "/interface ovpn-server" {
			t.Errorf("the binding is reported: %+v", it)
		}
		if it.Path != "/interface pptp-server" {
			continue
		}
		n++
		if it.Reason != pppBindingReason {
			t.Errorf("%s: reason %q", it.Path, it.Reason)
		}
	}
	if n != 1 {
		t.Errorf("%d bindings reported, want the PPTP one: %+v", n, r.NotEnforced())
	}
}
