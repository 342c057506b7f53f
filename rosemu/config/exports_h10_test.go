package config

import (
	"strings"
	"testing"
)

// Shapes of real exports read by the h10 pass (docs/rosemu-menus.md, "A
// fifth pass"): each was refused before.

// TestWireguardPeerClientAllowedAddress: a 7.23.2 CRS309 export's
// road-warrior peers carry the allowed addresses of the client
// configuration the router generates; RouterOS 6 has no WireGuard.
func TestWireguardPeerClientAllowedAddress(t *testing.T) {
	src := `/interface wireguard
add listen-port=13231 mtu=1420 name=wg-vpn
/interface wireguard peers
add allowed-address=10.20.100.2/32 client-address=10.20.100.2/24 \
    client-allowed-address=0.0.0.0/0 client-dns=10.20.20.99 client-endpoint=\
    home.example.net client-keepalive=21s client-listen-port=13231 \
    interface=wg-vpn name=Phone1 public-key=\
    "zlKYPIW4Uf3rWWtbO+qe3s48aXSOxiDepOW5qkSRAVM="
`
	r := runShape(t, "7.23.2", []string{"ether1"}, src)
	if !strings.Contains(r.Export(), "client-allowed-address=0.0.0.0/0") {
		t.Errorf("export lost client-allowed-address:\n%s", r.Export())
	}
}
