package config

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

// TestRejectWithValues: RouterOS's own reject-with values are taken, among
// them icmp-net-prohibited, which RouterOS's HotSpot dynamic rules and
// real exports write (forum27 D1); a value that is no RouterOS word is
// refused at its column.
func TestRejectWithValues(t *testing.T) {
	for _, v := range []string{"icmp-network-unreachable", "icmp-host-unreachable", "icmp-port-unreachable",
		"icmp-protocol-unreachable", "icmp-net-prohibited", "icmp-host-prohibited", "icmp-admin-prohibited"} {
		r := hairpin(t)
		if _, err := r.Run(context.Background(), "/ip firewall filter add chain=forward action=reject reject-with="+v); err != nil {
			t.Errorf("reject-with=%s: %v", v, err)
		}
	}
	r := hairpin(t)
	_, err := r.Run(context.Background(), "/ip firewall filter add chain=forward action=reject reject-with=icmp-net-forbidden")
	if err == nil || err.Error() != "invalid value for argument reject-with (line 1 column 53)" {
		t.Errorf("reject-with=icmp-net-forbidden: %v", err)
	}
}

// TestRuleProtocolRefusals: matchers and values the renderer cannot turn
// into nft are refused at the property's column in RouterOS's words (as
// dst-port without a port protocol is), not when the rules are rendered
// with rosemu's own text at column 1 (forum27 D2). Each has a control with
// the protocol on the same rule, which is taken.
func TestRuleProtocolRefusals(t *testing.T) {
	tests := []struct{ src, wantErr string }{
		{"/ip firewall filter add chain=input tcp-flags=syn action=drop", "failure: tcp-flags can be used only with protocol tcp (line 1 column 37)"},
		{"/ip firewall filter add chain=input tcp-mss=1000 action=drop", "failure: tcp-mss can be used only with protocol tcp (line 1 column 37)"},
		{"/ip firewall filter add chain=input protocol=udp tcp-flags=syn", "failure: tcp-flags can be used only with protocol tcp (line 1 column 50)"},
		{"/ip firewall filter add chain=input icmp-options=8:0 action=drop", "failure: icmp-options can be used only with protocol icmp (line 1 column 37)"},
		// The forum's ICMP chain reached by a jump with protocol=icmp:
		// each rule stands alone.
		{"/ip firewall filter add chain=icmp icmp-options=8:0", "failure: icmp-options can be used only with protocol icmp (line 1 column 36)"},
		{"/ip firewall filter add chain=input action=reject reject-with=tcp-reset", "failure: reject-with=tcp-reset can be used only with protocol tcp (line 1 column 51)"},
		{"/ip firewall filter add chain=input action=reject protocol=!tcp reject-with=tcp-reset", "failure: reject-with=tcp-reset can be used only with protocol tcp (line 1 column 65)"},
		{"/ip firewall filter add chain=input protocol=icmp dst-limit=10,20,dst-address-and-port/10s", "failure: dst-limit mode dst-address-and-port can be used only with protocol tcp, udp, udp-lite, sctp or dccp (line 1 column 51)"},
		{"/ip firewall filter add chain=forward nth=2,3", "invalid value for argument nth (line 1 column 39)"},
		{"/ip firewall filter add chain=input ttl=!equal:64", "invalid value for argument ttl (line 1 column 37)"},
		{"/ip firewall filter add chain=forward protocol=tcp connection-limit=5,33", "invalid value for argument connection-limit (line 1 column 52)"},
		{"/ip firewall filter add chain=input protocol=icmp icmp-options=echo-request", "invalid value for argument icmp-options (line 1 column 51)"},
		{"/ip firewall mangle add chain=forward icmp-options=3:4", "failure: icmp-options can be used only with protocol icmp (line 1 column 39)"},
		{"/ipv6 firewall filter add chain=input protocol=icmp icmp-options=1:0", "failure: icmp-options can be used only with protocol icmpv6 (line 1 column 53)"},
		{"/ipv6 firewall filter add chain=input tcp-flags=syn", "failure: tcp-flags can be used only with protocol tcp (line 1 column 39)"},
	}
	for _, tt := range tests {
		r := hairpin(t)
		_, err := r.Run(context.Background(), tt.src)
		var ce *Error
		if !errors.As(err, &ce) || err.Error() != tt.wantErr {
			t.Errorf("%q: error %v, want %q", tt.src, err, tt.wantErr)
		}
	}
	controls := []string{
		"/ip firewall filter add chain=input protocol=tcp tcp-flags=syn action=drop",
		"/ip firewall filter add chain=input protocol=tcp tcp-mss=1000 action=drop",
		"/ip firewall filter add chain=input protocol=icmp icmp-options=8:0 action=drop",
		"/ip firewall filter add chain=input protocol=icmp action=jump jump-target=icmp\n/ip firewall filter add chain=icmp protocol=icmp icmp-options=0:0-255",
		"/ip firewall filter add chain=input protocol=tcp action=reject reject-with=tcp-reset",
		"/ip firewall filter add chain=input protocol=icmp dst-limit=10,20,src-and-dst-addresses/10s",
		"/ip firewall filter add chain=input protocol=udp dst-limit=10,20,dst-address-and-port/10s",
		"/ip firewall filter add chain=forward nth=2,1",
		"/ip firewall filter add chain=input ttl=not-equal:64",
		"/ip firewall filter add chain=forward protocol=tcp connection-limit=5,32",
		"/ipv6 firewall filter add chain=input protocol=icmpv6 icmp-options=1:0",
	}
	for _, src := range controls {
		r := hairpin(t)
		if _, err := r.Run(context.Background(), src); err != nil {
			t.Errorf("%q: %v", src, err)
		}
		if strings.Contains(src, "tcp-flags") {
			out, err := kernel.Render(r.State())
			if err != nil || !strings.Contains(out, "tcp flags & (syn) == syn") {
				t.Errorf("%q: tcp-flags not rendered (%v)", src, err)
			}
		}
	}
}
