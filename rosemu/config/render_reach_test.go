package config

import (
	"context"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

// TestRenderReach feeds firewall rules through Run, the path a lab's apply
// takes (Run renders the state it accepted), and then renders the state
// again as the kernel would. What the config layer accepts must render;
// what the renderer cannot express must be refused at config time, in
// RouterOS's words with the line and column, never as "apply state:
// render ..." at column 1.
func TestRenderReach(t *testing.T) {
	accepted := []string{
		"/ip firewall filter add chain=input action=add-dst-to-address-list address-list=x address-list-timeout=1d",
		"/ip firewall nat add chain=srcnat action=same to-addresses=1.2.3.4",
		// forum47 D3: same-not-by-dst was "bad parameter" (NAT page).
		"/ip firewall nat add chain=srcnat action=same to-addresses=1.2.3.4-1.2.3.5 same-not-by-dst=yes",
		"/ip firewall nat add chain=srcnat action=netmap src-address=192.168.1.0/24 to-addresses=10.0.0.0/24",
		"/ip firewall filter add chain=input action=reject reject-with=tcp-reset protocol=tcp",
		"/ip firewall filter add chain=input action=tarpit protocol=tcp",
		"/ip firewall filter add chain=forward action=fasttrack-connection",
		"/ip firewall filter add chain=input protocol=udp port=1 dst-port=2",
		"/ip firewall filter add chain=input src-address-list=nope",
		"/ip firewall filter add chain=input connection-state=!new,established connection-nat-state=!srcnat",
		"/ip firewall filter add chain=input src-address=!1.2.3.4-1.2.3.9",
		"/ip firewall filter add chain=input protocol=icmp icmp-options=8:0-255",
		"/ip firewall mangle add chain=forward action=change-mss new-mss=1400 protocol=tcp tcp-flags=syn",
		"/ip firewall mangle add chain=forward action=change-mss new-mss=clamp-to-pmtu protocol=tcp tcp-flags=syn",
		"/ip firewall mangle add chain=prerouting packet-mark=x connection-mark=y",
		"/ip firewall raw add chain=prerouting action=add-src-to-address-list address-list=a",
	}
	for _, src := range accepted {
		r := New(Options{Ports: ports})
		if _, err := r.Run(context.Background(), src); err != nil {
			t.Errorf("%q refused: %v", src, err)
			continue
		}
		if _, err := kernel.Render(r.State()); err != nil {
			t.Errorf("%q accepted, then Render: %v", src, err)
		}
	}
	refused := []struct{ src, want string }{
		// Without protocol=tcp there is no MSS option to rewrite.
		{"/ip firewall mangle add chain=forward action=change-mss new-mss=1400", "failure: action=change-mss can be used only with protocol tcp (line 1 column 39)"},
		{"/ip firewall mangle add chain=forward protocol=!tcp action=change-mss new-mss=1400", "failure: action=change-mss can be used only with protocol tcp (line 1 column 53)"},
		{"/ip firewall mangle add chain=forward protocol=udp new-mss=1400 action=change-mss", "failure: action=change-mss can be used only with protocol tcp (line 1 column 65)"},
		// netmap has nothing to map onto without to-addresses.
		{"/ip firewall nat add chain=srcnat action=netmap", "failure: action=netmap needs to-addresses (line 1 column 35)"},
		{"/ip firewall nat add chain=dstnat dst-address=10.0.0.0/24 action=netmap", "failure: action=netmap needs to-addresses (line 1 column 59)"},
	}
	for _, c := range refused {
		r := New(Options{Ports: ports})
		_, err := r.Run(context.Background(), c.src)
		if err == nil || err.Error() != c.want {
			t.Errorf("%q: error %v, want %q", c.src, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "render") {
			t.Errorf("%q: refused by the renderer, not the config layer: %v", c.src, err)
		}
	}
}
