package check

import (
	"slices"
	"strings"
	"testing"
)

// The router's own SSTP, OpenVPN or L2TP/IPsec server listens on a port the
// input chain accepts from the WAN, while a forward takes the same port
// (a web server's 443 beside SSTP, a NAS's OpenVPN beside the router's):
// dstnat comes first, so the router's server gets no client. It was "no
// problem found"; now it is a finding like the WireGuard one, with no fix
// line. Another port or protocol is no finding, and the L2TP server's
// IPsec secret is not shown.
func TestForwardTakesTheRoutersVPNServer(t *testing.T) {
	const text = `# 2026-12-01 18:40:02 by RouterOS 7.16.2
` + homeBridge + `add interface=ether1 list=WAN
/interface %SERVER%
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
/ip firewall filter
add action=accept chain=input connection-state=established,related
add action=accept chain=input dst-port=%INPORT% in-interface-list=WAN protocol=%PROTO%
add action=drop chain=input in-interface-list=!LAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address-type=local dst-address=!192.168.88.1 dst-port=%FWD% protocol=%FPROTO% to-addresses=192.168.88.80
add action=masquerade chain=srcnat dst-address=192.168.88.80 src-address=192.168.88.0/24
/ip route
add gateway=203.0.113.1
`
	for _, tt := range []struct {
		name, server, inPort, proto, fwd, fproto, path string
		want                                           bool
	}{
		{"sstp 443", "sstp-server server\nset enabled=yes", "443", "tcp", "443", "tcp", "service:sstp@wan", true},
		{"sstp forward 8443", "sstp-server server\nset enabled=yes", "443", "tcp", "8443", "tcp", "", false},
		{"sstp moved", "sstp-server server\nset enabled=yes port=4443", "4443", "tcp", "4443", "tcp", "service:sstp@wan", true},
		{"sstp disabled", "sstp-server server\nset enabled=no", "443", "tcp", "443", "tcp", "", false},
		{"ovpn tcp", "ovpn-server server\nset enabled=yes", "1194", "tcp", "1194", "tcp", "service:ovpn@wan", true},
		{"ovpn udp, forward tcp", "ovpn-server server\nset enabled=yes protocol=udp", "1194", "udp", "1194", "tcp", "", false},
		{"ovpn udp", "ovpn-server server\nset enabled=yes protocol=udp", "1194", "udp", "1194", "udp", "service:ovpn@wan", true},
		{"l2tp ipsec nat-t", "l2tp-server server\nset enabled=yes ipsec-secret=Sec4711 use-ipsec=required", "500,4500", "udp", "4500", "udp", "service:l2tp@wan", true},
		{"l2tp no ipsec", "l2tp-server server\nset enabled=yes use-ipsec=no", "500,4500", "udp", "4500", "udp", "", false},
	} {
		r := strings.NewReplacer("%SERVER%", tt.server, "%INPORT%", tt.inPort, "%PROTO%", tt.proto, "%FWD%", tt.fwd, "%FPROTO%", tt.fproto)
		p := importText(t, r.Replace(text))
		found, _ := p.Diagnose()
		got := slices.ContainsFunc(found, func(f Finding) bool {
			return f.Cause == TakesRouterVPN && f.Path == tt.path && f.Line == 13 && strings.Contains(f.Detail, "line 19")
		})
		if got != tt.want {
			t.Errorf("%s: finding %v, want %v: %+v", tt.name, got, tt.want, found)
		}
		if slices.ContainsFunc(found, func(f Finding) bool { return strings.Contains(f.Rule, "Sec4711") }) {
			t.Errorf("%s: the report shows the IPsec secret: %+v", tt.name, found)
		}
		// The L2TP server's decrypted 1701 is dropped there too, a finding
		// of its own with its fix (TestRoadWarriorServersOnInput): only a
		// line for the forward's port would be one for the conflict.
		if tt.want && slices.ContainsFunc(p.Propose(found).Lines, func(l string) bool { return strings.Contains(l, "dst-port="+tt.fwd+" ") }) {
			t.Errorf("%s: a fix line for the conflict: %v", tt.name, p.Propose(found).Lines)
		}
	}
}
