package config

import (
	"context"
	"net/netip"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

// TestSSTPClientSession: an /interface sstp-client entry goes to the PPP
// client service with Kind sstp, its connect-to, port and verification
// (the router's trusted certificates as roots: a CA signed on the
// router); a session the service reports makes the dynamic address and,
// with add-default-route, the default route, and shows running and
// connected in get and monitor. The control: before the session the
// client is not running and nothing is in the state; a certificate not
// trusted is not among the roots.
func TestSSTPClientSession(t *testing.T) {
	r := New(Options{Ports: []string{"ether1", "ether2"}, Kernel: &fakeKernel{}})
	run(t, r, `/certificate add name=ca common-name=ca key-usage=key-cert-sign,crl-sign
/certificate add name=other common-name=other
/certificate sign ca
/interface sstp-client add connect-to=203.0.113.9 port=8443 name=sstp-out1 user=u password=p add-default-route=yes verify-server-certificate=yes disabled=no`)
	cs := r.PPPoEClients()
	if len(cs) != 1 || cs[0].Kind != "sstp" || cs[0].ConnectTo != "203.0.113.9" || cs[0].Port != 8443 || !cs[0].VerifyServer || !cs[0].VerifyAddress || cs[0].MaxMTU != 1450 {
		t.Fatalf("clients = %+v", cs)
	}
	if n := strings.Count(cs[0].TrustedPEM, "BEGIN CERTIFICATE"); n != 1 {
		t.Errorf("%d trusted certificates, want the signed CA only", n)
	}
	if got := run(t, r, ":put [/interface sstp-client get sstp-out1 running]"); got != "false\n" {
		t.Errorf("running before a session = %q", got)
	}
	if st := r.State(); len(st.Addresses) != 0 || len(st.Routes) != 0 {
		t.Errorf("state before a session: %+v %+v", st.Addresses, st.Routes)
	}
	s := &PPPoESession{Local: netip.MustParseAddr("10.88.0.10"), Remote: netip.MustParseAddr("10.88.0.1"), MTU: 1450}
	if err := r.SetPPPoESession("sstp-out1", "connected", s); err != nil {
		t.Fatal(err)
	}
	st := r.State()
	if len(st.Addresses) != 1 || st.Addresses[0] != (kernel.Address{Prefix: netip.MustParsePrefix("10.88.0.10/32"), Interface: "sstp-out1"}) {
		t.Errorf("state addresses = %+v", st.Addresses)
	}
	if len(st.Routes) != 1 || st.Routes[0] != (kernel.Route{Dst: netip.MustParsePrefix("0.0.0.0/0"), Gateway: "sstp-out1", Distance: 1}) {
		t.Errorf("state routes = %+v", st.Routes)
	}
	if got := run(t, r, ":put ([/interface sstp-client get sstp-out1 running].\" \".[/interface sstp-client get sstp-out1 status])"); got != "true connected\n" {
		t.Errorf("running and status = %q", got)
	}
	if got := run(t, r, ":put ([/interface sstp-client monitor sstp-out1 once as-value]->\"local-address\")"); got != "10.88.0.10\n" {
		t.Errorf("monitor's local-address = %q", got)
	}
	if out, _ := r.Run(context.Background(), "/log print"); !strings.Contains(out, "sstp-out1: connected") {
		t.Errorf("log lacks the connection:\n%s", out)
	}
	for _, n := range r.NotEnforced() {
		if n.Path == "/interface sstp-client" && n.Property == "" {
			t.Errorf("the client is reported whole as not enforced: %+v", n)
		}
	}
}
