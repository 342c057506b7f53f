package config

import (
	"context"
	"strings"
	"testing"
)

// TestRawConntrackMatchers: /ip firewall raw (and /ipv6 firewall raw) has
// no matcher that depends on connection tracking (RAW page of the manual),
// so a raw rule naming one is refused at the argument as an unknown
// parameter; it was accepted and refused at the commit with "apply state:
// render raw rule" at column 1 (forum25). Control: the same rule in the
// filter table is accepted, and a raw rule without the matcher too.
func TestRawConntrackMatchers(t *testing.T) {
	for _, tc := range []struct{ src, wantErr string }{
		{"/ip firewall raw add chain=prerouting action=drop connection-state=new", "expected end of command (line 1 column 51)"},
		{"/ip firewall raw add chain=prerouting action=drop connection-mark=x", "expected end of command (line 1 column 51)"},
		{"/ip firewall raw add chain=prerouting action=drop protocol=tcp connection-limit=100,32", "expected end of command (line 1 column 64)"},
		{"/ip firewall raw add chain=prerouting action=drop connection-rate=0-100k", "expected end of command (line 1 column 51)"},
		{"/ip firewall raw add chain=prerouting action=drop layer7-protocol=x", "expected end of command (line 1 column 51)"},
		{"/ip firewall raw add chain=prerouting action=drop\n/ip firewall raw set 0 connection-nat-state=dstnat", "expected end of command (line 2 column 24)"},
		{"/ipv6 firewall raw add chain=prerouting action=drop connection-mark=x", "expected end of command (line 1 column 53)"},
		{"/ip firewall filter add chain=forward action=drop connection-state=new connection-mark=x protocol=tcp connection-limit=100,32", ""},
		{"/ip firewall raw add chain=prerouting action=drop protocol=tcp src-address=192.0.2.0/24", ""},
		{"/ipv6 firewall filter add chain=forward action=drop connection-mark=x", ""},
	} {
		r := New(Options{Ports: []string{"ether1"}, Version: "7.16.2"})
		_, err := r.Run(context.Background(), tc.src)
		if got := errText(err); got != tc.wantErr {
			t.Errorf("%q: error %q, want %q", tc.src, got, tc.wantErr)
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestConnectionTypeValues: connection-type takes one of the helpers the
// Filter page lists (ftp, h323, irc, pptp, quake3, sip, tftp), optionally
// negated; anything else is refused at the value (D8: "bogus" was stored).
// The helpers with a service port are enforced (ros46: they were all
// reported stored, forum43 D3); quake3, which no connection is related
// through, stays reported, with that reason.
func TestConnectionTypeValues(t *testing.T) {
	for _, tc := range []struct {
		src, wantErr string
		stored       bool
	}{
		{"/ip firewall filter add chain=forward action=drop connection-type=bogus", "invalid value for argument connection-type (line 1 column 51)", false},
		{"/ipv6 firewall filter add chain=forward action=drop connection-type=ftpx", "invalid value for argument connection-type (line 1 column 53)", false},
		{"/ip firewall mangle add chain=forward action=passthrough connection-type=!bogus", "invalid value for argument connection-type (line 1 column 58)", false},
		{"/ip firewall filter add chain=forward action=drop connection-type=ftp", "", false},
		{"/ip firewall filter add chain=forward action=drop connection-type=!sip", "", false},
		{"/ip firewall filter add chain=forward action=drop connection-type=!quake3", "", false},
		{"/ip firewall filter add chain=forward action=drop connection-type=quake3", "", true},
		{"/ipv6 firewall filter add chain=forward action=drop connection-type=tftp", "", false},
	} {
		r := New(Options{Ports: []string{"ether1"}, Version: "7.16.2"})
		_, err := r.Run(context.Background(), tc.src)
		if got := errText(err); got != tc.wantErr {
			t.Errorf("%q: error %q, want %q", tc.src, got, tc.wantErr)
		}
		if tc.wantErr != "" || !strings.HasPrefix(tc.src, "/ip ") {
			continue
		}
		found := false
		for _, n := range r.NotEnforced() {
			if n.Property == "connection-type" {
				found = true
				if !strings.Contains(n.Reason, "quake3") {
					t.Errorf("%q: reason %q", tc.src, n.Reason)
				}
			}
		}
		if found != tc.stored {
			t.Errorf("%q: connection-type reported as not enforced: %v, want %v", tc.src, found, tc.stored)
		}
	}
}
