package config

import (
	"context"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// D11 (forum39): RouterOS 6's "/routing bgp peer print status" shows each
// peer's settings and the state of its session as the service reports
// it, and flags an established peer E; it was refused ("expected end of
// command"). The control is a peer whose session is not up (no E, its
// state as reported) and plain print, which keeps its table.
func TestForum39PeerPrintStatusV6(t *testing.T) {
	r := New(Options{Ports: []string{"ether1"}, Version: "6.49.18", Routing: &ospfRecorder{}})
	run(t, r, `/ip address add address=10.255.2.1/30 interface=ether1
/routing bgp instance set default as=65001 router-id=10.255.0.1
/routing bgp peer
add name=upstream remote-address=10.255.2.2 remote-as=65002
add name=backup remote-address=10.255.2.3 remote-as=65003`)
	if err := r.SetRoutingState(RoutingState{Sessions: []BGPSession{
		{Name: "upstream", Remote: netip.MustParseAddr("10.255.2.2"), RemoteAS: 65002, Role: "ebgp", State: "established"},
		{Name: "backup", Remote: netip.MustParseAddr("10.255.2.3"), RemoteAS: 65003, Role: "ebgp", State: "active"},
	}}); err != nil {
		t.Fatal(err)
	}
	out := run(t, r, "/routing bgp peer print status")
	for _, want := range []string{"Flags: X - disabled, E - established", " 0 E  name=upstream", "default-originate=never", "in-filter=\"\"",
		"state=established", " 1    name=backup", "state=active"} {
		if !strings.Contains(out, want) {
			t.Errorf("print status lacks %q:\n%s", want, out)
		}
	}
	if got := run(t, r, `:put [/routing bgp peer print count-only status where state="established"]`); strings.TrimSpace(got) != "1" {
		t.Errorf("count of established peers = %q", got)
	}
	plain := run(t, r, "/routing bgp peer print")
	if !strings.Contains(plain, "Columns: NAME, INSTANCE, REMOTE-ADDRESS, REMOTE-AS") || strings.Contains(plain, "state=") || !strings.Contains(plain, "0 E  upstream") {
		t.Errorf("plain print:\n%s", plain)
	}
	v := New(Options{Ports: []string{"ether1"}, Version: "6.49.18"}).Validate(context.Background(),
		"/routing bgp peer\nadd name=upstream remote-address=10.255.2.2 remote-as=65002\nprint status\nprint status without-paging\n", time.Second)
	for _, f := range v.Findings {
		if f.Verdict == Refused {
			t.Errorf("validate refused line %d: %s", f.Line, f.Msg)
		}
	}
}
