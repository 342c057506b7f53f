package config

import (
	"context"
	"net/netip"
	"testing"
	"time"
)

// A script's :resolve whose DNS server does not answer waits up to the
// resolver's total timeout (10 s); the run lets the router go meanwhile,
// as at a :delay and a /ping: the API answers while it waits, and sees the
// rule the script added before. Before (forum35 D1), the wait held the
// router's lock: API logins timed out and the DHCP client lost its lease
// while a DNS health-check scheduler waited on a dead server. Both forms
// are checked: the router's resolver and server=.
func TestResolveLetsRouterGo(t *testing.T) {
	for _, tc := range []struct{ name, src string }{
		{"resolver", `:local a [:resolve myserver.net]`},
		{"server=", `:local a [:resolve myserver.net server=198.51.100.99]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			r := New(Options{Ports: ports, Kernel: &fakeKernel{}})
			waiting, release := make(chan struct{}), make(chan struct{})
			answer := func() (netip.Addr, error) {
				close(waiting)
				<-release
				return netip.MustParseAddr("192.0.2.7"), nil
			}
			r.SetResolver(func(context.Context, string) (netip.Addr, error) { return answer() })
			r.SetServerResolver(func(context.Context, string, netip.Addr, int) (netip.Addr, error) { return answer() })
			done := make(chan error, 1)
			go func() {
				_, err := r.Run(ctx, "/ip firewall filter add chain=forward action=drop comment=before-resolve\n"+
					tc.src+"\n/ip firewall filter add chain=forward action=drop comment=\"after $a\"")
				done <- err
			}()
			<-waiting
			if cs, ok := filterCommentsWithin(ctx, t, r, 5*time.Second); !ok {
				t.Error("the API did not answer while a script waited on DNS: :resolve held the router")
			} else if len(cs) != 1 || cs[0] != "before-resolve" {
				t.Errorf("the API read %q while the script resolved; want the rule added before :resolve", cs)
			}
			close(release)
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			rows, _, err := r.Command(ctx, "/ip/firewall/filter/print", nil)
			if err != nil || len(rows) != 2 || rowComment(rows[1]) != "after 192.0.2.7" {
				t.Errorf("after :resolve: %d rules, %v; want the second rule with the answer", len(rows), err)
			}
		})
	}
}
