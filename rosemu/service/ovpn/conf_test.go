package ovpn

import (
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/rosemu/config"
)

// TestServerConfig checks the RouterOS settings -> openvpn options
// mapping: the ciphers (RouterOS's aes128 is CBC, blowfish128 is left
// out), the digest, the protocol, tls-version, keepalive, the client
// certificate, redirect-gateway, and the settings openvpn cannot run.
func TestServerConfig(t *testing.T) {
	w := config.OVPNServer{ID: "*1", Link: "ovpns1", Port: 1194, Protocol: "tcp", Mode: "ip", Netmask: 24, MaxMTU: 1500,
		KeepaliveSeconds: 60, Auth: "sha1,md5", Cipher: "blowfish128,aes128", TLSVersion: "any", RedirectGateway: "disabled",
		RenegSeconds: 3600, Certificate: "srv"}
	f := FilesIn("/d")
	conf, err := ServerConfig(w, f)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(conf, "\n")
	for _, want := range []string{"proto tcp-server", "port 1194", "dev ovpns1", "data-ciphers AES-128-CBC", "data-ciphers-fallback AES-128-CBC",
		"auth SHA1", "verify-client-cert none", "keepalive 10 60", "management /d/mgmt.sock unix", "management-client-auth",
		"ca /d/ca.pem", "cert /d/cert.pem", "key /d/key.pem", "tun-mtu 1500", "ifconfig-noexec"} {
		if !slices.Contains(lines, want) {
			t.Errorf("default settings: no %q in\n%s", want, conf)
		}
	}
	for _, not := range []string{"tls-version-min 1.2", `push "redirect-gateway def1"`} {
		if slices.Contains(lines, not) {
			t.Errorf("default settings: %q in\n%s", not, conf)
		}
	}
	w.Protocol, w.Cipher, w.Auth, w.TLSVersion, w.RequireClientCrt, w.RedirectGateway, w.KeepaliveSeconds = "udp", "aes256-gcm,aes128-gcm,aes256", "sha512", "only-1.2", true, "def1", 0
	conf, err = ServerConfig(w, f)
	if err != nil {
		t.Fatal(err)
	}
	lines = strings.Split(conf, "\n")
	for _, want := range []string{"proto udp", "data-ciphers AES-256-GCM:AES-128-GCM:AES-256-CBC", "auth SHA512", "tls-version-min 1.2",
		"tls-version-max 1.2", "verify-client-cert require", `push "redirect-gateway def1"`} {
		if !slices.Contains(lines, want) {
			t.Errorf("changed settings: no %q in\n%s", want, conf)
		}
	}
	if strings.Contains(conf, "keepalive") {
		t.Errorf("keepalive-timeout=disabled: %s", conf)
	}
	for name, bad := range map[string]config.OVPNServer{
		"mode=ethernet":  func() config.OVPNServer { x := w; x.Mode = "ethernet"; return x }(),
		"no certificate": func() config.OVPNServer { x := w; x.CertProblem = "certificate=none"; return x }(),
		"only blowfish":  func() config.OVPNServer { x := w; x.Cipher = "blowfish128"; return x }(),
	} {
		if _, err := ServerConfig(bad, f); err == nil {
			t.Errorf("%s: a configuration, want an error", name)
		}
	}
}

// TestServerLoginReply checks the addresses a login pushes: the grant's
// remote address in the server's netmask, the router's as gateway.
func TestServerLoginReply(t *testing.T) {
	g := config.PPPGrant{ID: "*5", Local: netip.MustParseAddr("10.88.0.1"), Remote: netip.MustParseAddr("10.88.0.10"),
		DNS: []netip.Addr{netip.MustParseAddr("10.88.0.1")}}
	got := ServerLoginReply("3", "1", g, 24)
	want := "client-auth 3 1\nifconfig-push 10.88.0.10 255.255.255.0\npush \"route-gateway 10.88.0.1\"\npush \"topology subnet\"\npush \"dhcp-option DNS 10.88.0.1\"\nEND\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if m := maskString(30); m != "255.255.255.252" {
		t.Errorf("mask 30: %s", m)
	}
}
