package ovpn

import (
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/rosemu/config"
)

// TestServerConfig checks the RouterOS settings -> openvpn options
// mapping: the ciphers (RouterOS's aes128 is CBC, blowfish128 is BF-CBC
// with OpenSSL's legacy provider, left out without it), the digest, the protocol, tls-version, keepalive, the client
// certificate, redirect-gateway, and the settings openvpn cannot run.
func TestServerConfig(t *testing.T) {
	defer func(l func() bool) { Legacy = l }(Legacy)
	Legacy = func() bool { return false }
	w := config.OVPNServer{ID: "*1", Link: "ovpns1", Port: 1194, Protocol: "tcp", Mode: "ip", Netmask: 24, MaxMTU: 1500,
		KeepaliveSeconds: 60, Auth: "sha1,md5", Cipher: "blowfish128,aes128", TLSVersion: "any", RedirectGateway: "disabled",
		RenegSeconds: 3600, Certificate: "srv"}
	f := FilesIn("/d")
	conf, err := ServerConfig(w, f)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(conf, "\n")
	for _, want := range []string{"proto tcp-server", "port 1194", "dev ovpns1", "disable-dco", "data-ciphers AES-128-CBC", "data-ciphers-fallback AES-128-CBC",
		"auth SHA1", "verify-client-cert none", "keepalive 10 60", "management /d/mgmt.sock unix", "management-client-auth",
		"ca /d/ca.pem", "cert /d/cert.pem", "key /d/key.pem", "tun-mtu 1500", "ifconfig-noexec"} {
		if !slices.Contains(lines, want) {
			t.Errorf("default settings: no %q in\n%s", want, conf)
		}
	}
	for _, not := range []string{"tls-version-min 1.2", `push "redirect-gateway def1"`, "providers legacy default"} {
		if slices.Contains(lines, not) {
			t.Errorf("default settings: %q in\n%s", not, conf)
		}
	}
	// With the legacy provider, blowfish128 is offered first, as listed.
	Legacy = func() bool { return true }
	conf, _ = ServerConfig(w, f)
	lines = strings.Split(conf, "\n")
	for _, want := range []string{"providers legacy default", "data-ciphers BF-CBC:AES-128-CBC"} {
		if !slices.Contains(lines, want) {
			t.Errorf("legacy provider: no %q in\n%s", want, conf)
		}
	}
	Legacy = func() bool { return false }
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
	// The secret's routes= go to openvpn as iroutes: without one,
	// openvpn drops what the client sends from its subnet.
	g.Routed = []netip.Prefix{netip.MustParsePrefix("192.168.5.0/24"), netip.MustParsePrefix("2001:db8::/64")}
	if got := ServerLoginReply("3", "1", g, 24); !strings.Contains(got, "\niroute 192.168.5.0 255.255.255.0\n") || strings.Count(got, "iroute") != 1 {
		t.Errorf("routes=192.168.5.0/24: got\n%s", got)
	}
	if m := maskString(30); m != "255.255.255.252" {
		t.Errorf("mask 30: %s", m)
	}
}

// TestClientConfig checks the client's options: the server, protocol,
// CA, login file, the ciphers and digest, route-nopull, and what is not
// dialled.
func TestClientConfig(t *testing.T) {
	defer func(l func() bool) { Legacy = l }(Legacy)
	Legacy = func() bool { return false }
	w := config.OVPNClient{Name: "ovpn-out1", Link: "ovpn-out1", ConnectTo: "203.0.113.1", Port: 1194, Protocol: "tcp", Mode: "ip",
		User: "alice", Password: "a1", Auth: "sha1", Cipher: "aes128", CAPEM: "PEM", MaxMTU: 1500, VerifyServer: true}
	conf, err := ClientConfig(w, FilesIn("/d"), "")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(conf, "\n")
	for _, want := range []string{"client", "dev ovpn-out1", "proto tcp-client", "remote 203.0.113.1 1194", "ca /d/ca.pem",
		"auth-user-pass /d/user.txt", "data-ciphers AES-128-CBC", "auth SHA1", "ifconfig-noexec", "route-noexec", "management-client"} {
		if !slices.Contains(lines, want) {
			t.Errorf("no %q in\n%s", want, conf)
		}
	}
	if slices.Contains(lines, "route-nopull") || strings.Contains(conf, "cert ") {
		t.Errorf("route-nopull or a certificate without them:\n%s", conf)
	}
	if strings.Contains(conf, "peer-fingerprint") || strings.Contains(conf, "tls-version") {
		t.Errorf("verify-server-certificate=yes, tls-version=any: a pin or a TLS version in\n%s", conf)
	}
	w.Protocol, w.RouteNopull, w.CertPEM, w.VerifyServer, w.CAPEM, w.TLSVersion = "udp", true, "C", false, "", "only-1.2"
	conf, _ = ClientConfig(w, FilesIn("/d"), "")
	lines = strings.Split(conf, "\n")
	for _, want := range []string{"proto udp", "route-nopull", "cert /d/cert.pem", "key /d/key.pem", "peer-fingerprint " + noPin, "tls-version-max 1.2"} {
		if !slices.Contains(lines, want) {
			t.Errorf("no %q in\n%s", want, conf)
		}
	}
	for name, bad := range map[string]config.OVPNClient{
		"mode=ethernet": func() config.OVPNClient { x := w; x.Mode = "ethernet"; return x }(),
		"verify, no CA": func() config.OVPNClient { x := w; x.VerifyServer, x.CAPEM = true, ""; return x }(),
		"blowfish":      func() config.OVPNClient { x := w; x.Cipher = "blowfish128"; return x }(),
	} {
		if _, err := ClientConfig(bad, FilesIn("/d"), ""); err == nil {
			t.Errorf("%s: a configuration, want an error", name)
		}
	}
}

// TestPushedSession reads the session from a PUSH_REPLY: a subnet
// topology's route-gateway, a net30 one's ifconfig peer, the DNS.
func TestPushedSession(t *testing.T) {
	s, err := PushedSession("PUSH_REPLY,route-gateway 10.88.0.1,topology subnet,ping 10,dhcp-option DNS 10.88.0.1,ifconfig 10.88.0.10 255.255.255.0,peer-id 0,cipher AES-256-GCM'")
	if err != nil || s.Local.String() != "10.88.0.10" || s.Remote.String() != "10.88.0.1" || len(s.DNS) != 1 {
		t.Errorf("subnet: %+v, %v", s, err)
	}
	s, err = PushedSession("PUSH_REPLY,route 10.8.0.1,topology net30,ifconfig 10.8.0.6 10.8.0.5")
	if err != nil || s.Local.String() != "10.8.0.6" || s.Remote.String() != "10.8.0.5" {
		t.Errorf("net30: %+v, %v", s, err)
	}
	if _, err := PushedSession("PUSH_REPLY,topology subnet,ifconfig 10.88.0.10 255.255.255.0"); err == nil {
		t.Error("subnet without route-gateway: want an error")
	}
	if _, err := PushedSession("PUSH_REPLY,route-gateway 10.88.0.1"); err == nil {
		t.Error("no ifconfig: want an error")
	}
}

// TestLearnedPin reads the fingerprint openvpn logs when a pin does not
// match (verify-server-certificate=no learns the server's certificate so).
func TestLearnedPin(t *testing.T) {
	line := ">LOG:1796640993,N,TLS Error: --tls-verify/--peer-fingerprintcertificate hash verification failed. (got fingerprint: 71:8e:cc:c2:42:76:a0:eb:ff:20:dc:e2:4d:b7:50:e0:79:72:a6:09:e0:31:84:02:1b:25:0c:cf:b1:64:fe:ff"
	got, ok := learnedPin(line)
	if !ok || got != "71:8E:CC:C2:42:76:A0:EB:FF:20:DC:E2:4D:B7:50:E0:79:72:A6:09:E0:31:84:02:1B:25:0C:CF:B1:64:FE:FF" {
		t.Errorf("learnedPin = %q, %v", got, ok)
	}
	// openvpn 2.6.14's words.
	line = "2026-12-07 14:13:01 TLS Error: --tls-verify/--peer-fingerprint certificate hash verification failed. (got certificate fingerprint: 3b:89:f1:9d:40:b7:0e:f6:8d:02:de:fd:76:13:12:ef:fc:7c:b1:fb:5a:05:23:b4:4f:8d:35:70:93:ee:4c:6f)"
	if got, ok := learnedPin(line); !ok || got != "3B:89:F1:9D:40:B7:0E:F6:8D:02:DE:FD:76:13:12:EF:FC:7C:B1:FB:5A:05:23:B4:4F:8D:35:70:93:EE:4C:6F" {
		t.Errorf("learnedPin (2.6.14) = %q, %v", got, ok)
	}
	if _, ok := learnedPin(">LOG:1,I,VERIFY OK: depth=0, CN=srv"); ok {
		t.Error("a line without a fingerprint gave one")
	}
}
