package config

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestWireguardInterface: a WireGuard interface is a link of the kernel
// (a TUN the WireGuard service attaches to): its addresses and the routes
// through it go to the kernel, lists and rules name it, nothing of it is
// reported as not enforced; a VLAN on it is stored only (a TUN carries no
// frames). The interface gets a private key when it has none, and shows the
// public key that belongs to its private key.
func TestWireguardInterface(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, `/interface wireguard add name=wg0 private-key="aGlzIGlzIGEgdGVzdCBrZXkgb2YgMzIgYnl0ZXMhISE="
/interface wireguard add name=wg1 listen-port=13232 mtu=1400 disabled=yes
/interface wireguard peers add interface=wg0 public-key="Y8ZmhvVn7rFb5aQFbn5tq0HO7IZ53K1ZnYzqpOqQH2g=" allowed-address=10.66.0.2/32,192.168.50.0/24 endpoint-address=192.0.2.7 endpoint-port=51820 persistent-keepalive=25s
/interface wireguard peers add interface=wg0 public-key="UGVlciB0d28ga2V5IG9mIGV4YWN0bHkgMzIgYnl0ZXM=" allowed-address=10.66.0.3/32 disabled=yes
/interface list add name=VPN
/interface list member add interface=wg0 list=VPN
/ip address add address=10.66.0.1/24 interface=wg0
/ip address add address=192.168.88.1/24 interface=ether2
/ip route add dst-address=10.77.0.0/16 gateway=wg0
/ip route add dst-address=10.78.0.0/16 gateway=10.66.0.2%wg0
/ip route add gateway=192.168.88.254
/ip firewall filter add chain=input in-interface=wg0 action=accept`)
	s := r.State()
	if len(s.Addresses) != 2 {
		t.Errorf("kernel addresses = %+v, want wg0's and ether2's", s.Addresses)
	}
	if len(s.Routes) != 3 {
		t.Errorf("kernel routes = %+v, want all three", s.Routes)
	}
	if fmt.Sprint(s.TunLinks) != "[{wg0 1420 false false false  <nil>} {wg1 1400 true false false  <nil>}]" {
		t.Errorf("TUN links = %v", s.TunLinks)
	}
	if got := strings.Join(s.InterfaceLists["VPN"], ","); got != "wg0" {
		t.Errorf("VPN list = %q", got)
	}
	if n := r.NotEnforced(); len(n) != 0 {
		t.Errorf("not enforced = %+v, want nothing", n)
	}
	ws := r.WireGuardInterfaces()
	if len(ws) != 2 || len(ws[0].Peers) != 1 || ws[1].PrivateKey == "" || ws[1].PrivateKey == ws[0].PrivateKey {
		t.Fatalf("interfaces = %+v, want wg0 with one enabled peer and wg1 with a key of its own", ws)
	}
	p := ws[0].Peers[0]
	if p.EndpointHost != "192.0.2.7" || p.EndpointPort != 51820 || p.Keepalive != 25*time.Second || fmt.Sprint(p.Allowed) != "[10.66.0.2/32 192.168.50.0/24]" {
		t.Errorf("peer = %+v", p)
	}
	// The public key of "this is a test key of 32 bytes!!!" as a
	// WireGuard private key (clamped by X25519), as wg pubkey gives it.
	out := run(t, r, ":put [/interface wireguard get wg0 public-key]")
	if strings.TrimSpace(out) != WireGuardPublicKey("aGlzIGlzIGEgdGVzdCBrZXkgb2YgMzIgYnl0ZXMhISE=") || len(strings.TrimSpace(out)) != 44 {
		t.Errorf("public-key = %q", out)
	}
	// A VLAN on a WireGuard interface is stored only.
	run(t, r, "/interface vlan add interface=wg0 name=v9 vlan-id=9\n/ip address add address=10.9.0.1/24 interface=v9")
	if s := r.State(); len(s.Addresses) != 2 {
		t.Errorf("kernel addresses = %+v, want the VLAN's left out", s.Addresses)
	}
	// Negative controls: an unknown interface is still refused, and a
	// WireGuard interface cannot take a port's name.
	for src, want := range map[string]string{
		"/ip address add address=10.9.9.1/24 interface=wg9":                                               "input does not match any value of interface",
		`/interface wireguard add name=ether3 private-key="aGlzIGlzIGEgdGVzdCBrZXkgb2YgMzIgYnl0ZXMhISE="`: "failure: already have interface with such name",
		"/interface ethernet set ether3 name=wg0":                                                         "failure: already have interface with such name",
	} {
		if _, err := r.Run(context.Background(), src); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", src, err, want)
		}
	}
}

// TestWireguardPeerKeys: a peer with private-key=auto (RouterOS 7.12's
// client configurations: the router holds the client's key pair) needs no
// public key, which is the one of its private key; preshared-key=auto is a
// new key; a private key that is no key ("REMOVED" of a sanitised export)
// and a peer with neither key are refused. Exports write listen-port and
// mtu at their defaults, as RouterOS's do.
func TestWireguardPeerKeys(t *testing.T) {
	r := New(Options{Ports: ports, Version: "7.18"})
	out := run(t, r, `/interface wireguard add name=wireguard1 vrf=main
/interface wireguard peers add allowed-address=192.168.2.2/32 interface=wireguard1 name=p1 private-key=auto preshared-key=auto
:put ([/interface wireguard peers get [find name=p1] public-key] . " " . [/interface wireguard peers get [find name=p1] private-key])`)
	f := strings.Fields(out)
	if len(f) != 2 || f[0] != WireGuardPublicKey(f[1]) || f[0] == "" {
		t.Errorf("public-key and private-key: %q", out)
	}
	ws := r.WireGuardInterfaces()
	if len(ws) != 1 || len(ws[0].Peers) != 1 || len(ws[0].Peers[0].PresharedKey) != 44 || ws[0].Peers[0].PublicKey != f[0] {
		t.Errorf("interfaces %+v", ws)
	}
	for src, want := range map[string]string{
		`/interface wireguard peers add interface=wireguard1 private-key="REMOVED" public-key="5b6iuO3QCloAA15/TeNvvOPGYNoP++8YJFMG77u4Uxs="`: "invalid value for argument private-key",
		"/interface wireguard peers add interface=wireguard1 allowed-address=192.168.2.4/32":                                                  "failure: public-key not specified",
	} {
		if _, err := r.Run(t.Context(), src); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", src, err, want)
		}
	}
	exp, err := r.Run(t.Context(), "/interface wireguard export")
	if err != nil || !strings.Contains(exp, "add listen-port=13231 mtu=1420 name=wireguard1") {
		t.Errorf("export %v:\n%s", err, exp)
	}
	if _, err := r.Run(t.Context(), "/interface wireguard set wireguard1 vrf=other"); err == nil || !strings.Contains(err.Error(), "input does not match any value of vrf") {
		t.Errorf("a VRF that does not exist: %v", err)
	}
	run(t, r, "/ip vrf add interfaces=ether3 name=other\n/interface wireguard set wireguard1 vrf=other")
	found := false
	for _, n := range r.NotEnforced() {
		found = found || (n.Path == "/interface wireguard" && n.Property == "vrf")
	}
	if !found {
		t.Errorf("a VRF of the tunnel: not enforced %+v", r.NotEnforced())
	}
}
