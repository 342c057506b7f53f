package agentcmd

import (
	"net/netip"
	"strings"
	"testing"
)

// TestOVPNOutcome sorts openvpn's logs (lines as Debian's openvpn 2.6
// writes them) into the probe's results: up with the pushed address, a
// refused login, a pin that does not match, a closed port, and a dial
// still going on.
func TestOVPNOutcome(t *testing.T) {
	for _, c := range []struct {
		name, log, word, detail string
		done                    bool
	}{
		{"up", "VERIFY OK: depth=0, CN=srv\nPUSH: Received control message: 'PUSH_REPLY,route-gateway 10.88.0.1,topology subnet,ifconfig 10.88.0.10 255.255.255.0,peer-id 0,cipher AES-256-GCM'\nInitialization Sequence Completed\n",
			"up", "10.88.0.10", true},
		{"wrong password", "VERIFY OK: depth=0, CN=srv\nAUTH: Received control message: AUTH_FAILED\nSIGTERM[soft,auth-failure] received, process exiting\n", "refused", "", true},
		{"certificate", "TLS Error: --tls-verify/--peer-fingerprintcertificate hash verification failed. (got fingerprint: 71:8e)\n", "refused", "", true},
		{"closed port", "TCP: connect to [AF_INET]198.51.100.1:1195 failed: Connection refused\n", "refused", "", true},
		{"going on", "Using certificate fingerprint to verify peer (no CA option set).\nAttempting to establish TCP connection with [AF_INET]198.51.100.1:1194\n", "", "", false},
	} {
		word, detail, done := ovpnOutcome(c.log)
		if word != c.word || done != c.done || c.detail != "" && detail != c.detail {
			t.Errorf("%s: %q %q %v, want %q %q %v", c.name, word, detail, done, c.word, c.detail, c.done)
		}
	}
}

// TestOVPNClientConfig: the road warrior pins the fingerprint it was
// given (a pin nothing has without one), dials the protocol asked for and
// routes the node through the tunnel.
func TestOVPNClientConfig(t *testing.T) {
	to := netip.MustParseAddrPort("198.51.100.1:1194")
	c := ovpnClientConfig(to, "udp", "AB:CD")
	for _, want := range []string{"proto udp\n", "remote 198.51.100.1 1194\n", "peer-fingerprint AB:CD\n", "redirect-gateway def1\n", "dev ovpn0\n"} {
		if !strings.Contains(c, want) {
			t.Errorf("no %q in\n%s", want, c)
		}
	}
	c = ovpnClientConfig(to, "tcp", "")
	if !strings.Contains(c, "proto tcp-client\n") || !strings.Contains(c, "peer-fingerprint 00:00:") {
		t.Errorf("tcp without a fingerprint:\n%s", c)
	}
}
