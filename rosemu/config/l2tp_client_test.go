package config

import (
	"context"
	"net/netip"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

// TestL2TPClientSession: an /interface l2tp-client entry goes to the PPP
// client service with Kind l2tp and its connect-to; a session the service
// reports makes the dynamic address and, with add-default-route, the
// default route, shows running and connected in print and get, and
// leaves with the session. The control: before a session, and after it,
// the client is not running and no address or route is in the state.
func TestL2TPClientSession(t *testing.T) {
	r := New(Options{Ports: []string{"ether1", "ether2"}, Kernel: &fakeKernel{}})
	run(t, r, "/interface l2tp-client add connect-to=203.0.113.9 name=l2tp-out1 user=u password=p add-default-route=yes default-route-distance=3 disabled=no")
	cs := r.PPPoEClients()
	if len(cs) != 1 || cs[0].Kind != "l2tp" || cs[0].ConnectTo != "203.0.113.9" || cs[0].Name != "l2tp-out1" || cs[0].MaxMTU != 1450 {
		t.Fatalf("clients = %+v", cs)
	}
	if got := run(t, r, ":put [/interface l2tp-client get l2tp-out1 running]"); got != "false\n" {
		t.Errorf("running before a session = %q", got)
	}
	if st := r.State(); len(st.Addresses) != 0 || len(st.Routes) != 0 {
		t.Errorf("state before a session: %+v %+v", st.Addresses, st.Routes)
	}
	s := &PPPoESession{Local: netip.MustParseAddr("10.88.0.10"), Remote: netip.MustParseAddr("10.88.0.1"), MTU: 1450}
	if err := r.SetPPPoESession("l2tp-out1", "connected", s); err != nil {
		t.Fatal(err)
	}
	st := r.State()
	if len(st.Addresses) != 1 || st.Addresses[0] != (kernel.Address{Prefix: netip.MustParsePrefix("10.88.0.10/32"), Interface: "l2tp-out1"}) {
		t.Errorf("state addresses = %+v", st.Addresses)
	}
	if len(st.Routes) != 1 || st.Routes[0] != (kernel.Route{Dst: netip.MustParsePrefix("0.0.0.0/0"), Gateway: "l2tp-out1", Distance: 3}) {
		t.Errorf("state routes = %+v", st.Routes)
	}
	if got := run(t, r, ":put ([/interface l2tp-client get l2tp-out1 running].\" \".[/interface l2tp-client get l2tp-out1 status])"); got != "true connected\n" {
		t.Errorf("running and status = %q", got)
	}
	if got := run(t, r, ":put ([/interface l2tp-client monitor l2tp-out1 once as-value]->\"local-address\")"); got != "10.88.0.10\n" {
		t.Errorf("monitor's local-address = %q", got)
	}
	if got := run(t, r, ":put [/interface get l2tp-out1 running]"); got != "true\n" {
		t.Errorf("/interface running = %q", got)
	}
	if out, _ := r.Run(context.Background(), "/log print"); !strings.Contains(out, "l2tp-out1: connected") {
		t.Errorf("log lacks the connection:\n%s", out)
	}
	if err := r.SetPPPoESession("l2tp-out1", "disconnected", nil); err != nil {
		t.Fatal(err)
	}
	if st := r.State(); len(st.Addresses) != 0 || len(st.Routes) != 0 {
		t.Errorf("state after the session: %+v %+v", st.Addresses, st.Routes)
	}
	for _, n := range r.NotEnforced() {
		if n.Path == "/interface l2tp-client" && n.Property == "" {
			t.Errorf("the client is reported whole as not enforced: %+v", n)
		}
	}
}
