package config

import (
	"context"
	"testing"
)

// TestFirewallSrcMACRefusedAtItsLine (realcheck27 D7): a firewall rule's
// src-mac-address that is no MAC address (an export whose author wrote
// XX:XX:XX:XX:XX:XX) is refused as the command is read, in RouterOS's
// words with its position, as /interface ethernet's mac-address is. It
// was stored and refused when the rules were rendered ("apply state:
// render mangle rule *2D ... parse MAC address"), the same text for every
// such line. Control: a real MAC, lower case and negated, is taken.
func TestFirewallSrcMACRefusedAtItsLine(t *testing.T) {
	for _, tt := range []struct{ src, wantErr string }{
		{src: "/ip firewall mangle add action=mark-connection chain=prerouting new-connection-mark=m src-mac-address=XX:XX:XX:XX:XX:XX", wantErr: "invalid value for argument src-mac-address (line 1 column 87)"},
		{src: "/ip firewall filter add action=drop chain=forward src-mac-address=!02:00:00:00:00:zz", wantErr: "invalid value for argument src-mac-address (line 1 column 51)"},
		{src: "/ipv6 firewall filter add action=drop chain=forward src-mac-address=zz", wantErr: "invalid value for argument src-mac-address (line 1 column 53)"},
		{src: "/ip firewall mangle add action=mark-connection chain=prerouting new-connection-mark=m src-mac-address=02:aa:00:00:00:01"},
		{src: "/ip firewall filter add action=drop chain=forward src-mac-address=!02:AA:00:00:00:01"},
	} {
		r := New(Options{Ports: ports})
		_, err := r.Run(context.Background(), tt.src)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("%q: %v", tt.src, err)
		case tt.wantErr != "" && (err == nil || err.Error() != tt.wantErr):
			t.Errorf("%q: error %v, want %q", tt.src, err, tt.wantErr)
		}
	}
}
