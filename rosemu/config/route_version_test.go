package config

import (
	"context"
	"testing"
)

// TestRouteVersionProps: RouterOS 7's /ip route has the blackhole flag and
// no type= or routing-mark= (IP Routing page); RouterOS 6's has type= and
// routing-mark= and no blackhole (Manual:IP/Route). Each version refuses
// the other's at the argument (forum28 D3).
func TestRouteVersionProps(t *testing.T) {
	tests := []struct {
		version, src, wantErr string
	}{
		{"7.16.2", "/ip route add dst-address=198.51.100.50/32 type=blackhole", "expected end of command (line 1 column 44)"},
		{"7.16.2", "/ip route add dst-address=198.51.100.51/32 type=unreachable", "expected end of command (line 1 column 44)"},
		{"7.16.2", "/ip route add dst-address=198.51.100.53/32 gateway=203.0.113.1 routing-mark=vpn", "expected end of command (line 1 column 64)"},
		{"6.49.18", "/ip route add blackhole dst-address=198.51.100.50/32", "expected end of command (line 1 column 15)"},
		{"6.49.18", "/ip route add blackhole=yes dst-address=198.51.100.50/32", "expected end of command (line 1 column 15)"},
		// Controls: each version's own spelling.
		{"7.16.2", "/ip route add blackhole dst-address=198.51.100.50/32", ""},
		{"7.16.2", "/routing table add fib name=vpn\n/ip route add dst-address=198.51.100.53/32 gateway=203.0.113.1 routing-table=vpn", ""},
		{"6.49.18", "/ip route add dst-address=198.51.100.50/32 type=blackhole", ""},
		{"6.49.18", "/ip route add dst-address=198.51.100.52/32 type=prohibit", ""},
		{"6.49.18", "/ip route add dst-address=198.51.100.53/32 gateway=203.0.113.1 routing-mark=vpn", ""},
	}
	for _, tt := range tests {
		r := New(Options{Ports: []string{"ether1"}, Version: tt.version})
		_, err := r.Run(context.Background(), tt.src)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("%s %q: %v", tt.version, tt.src, err)
		case tt.wantErr != "" && (err == nil || err.Error() != tt.wantErr):
			t.Errorf("%s %q: error %v, want %q", tt.version, tt.src, err, tt.wantErr)
		}
	}
}
