// Package ovpn is rosemu's OpenVPN: /interface ovpn-server server and
// /interface ovpn-client run Debian's openvpn (2.6), one process per
// enabled server or client, configured from RouterOS's settings. rosemu
// speaks no OpenVPN itself: it writes the process's configuration and
// certificates, decides each login through openvpn's management
// interface with the engine's PPP login (/ppp secret), and brings the
// sessions in and out of /ppp active (docs/ovpn.md).
package ovpn

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/chrlab/chrlab/rosemu/config"
)

// ciphers maps RouterOS's cipher names to OpenSSL's as openvpn takes
// them. RouterOS's aes128/192/256 (RouterOS 6's only AES) are CBC
// (OpenVPN page of the manual). blowfish128 is BF-CBC, which OpenSSL 3
// has only in its legacy provider: it is offered when that provider's
// module is installed (Legacy; openvpn then loads it with "providers
// legacy default"), else left out (and logged).
var ciphers = map[string]string{
	"aes128": "AES-128-CBC", "aes192": "AES-192-CBC", "aes256": "AES-256-CBC",
	"aes128-cbc": "AES-128-CBC", "aes192-cbc": "AES-192-CBC", "aes256-cbc": "AES-256-CBC",
	"aes128-gcm": "AES-128-GCM", "aes192-gcm": "AES-192-GCM", "aes256-gcm": "AES-256-GCM",
	"null": "none", "blowfish128": "BF-CBC",
}

// Legacy reports whether OpenSSL's legacy provider (BF-CBC) can be
// loaded; tests replace it.
var Legacy = func() bool {
	m, _ := filepath.Glob("/usr/lib/*/ossl-modules/legacy.so")
	return len(m) > 0
}

// digests maps RouterOS's auth names to openvpn's --auth.
var digests = map[string]string{"md5": "MD5", "sha1": "SHA1", "sha256": "SHA256", "sha512": "SHA512", "null": "none"}

// DataCiphers maps RouterOS's cipher list to openvpn's data-ciphers, in
// RouterOS's order, and names what it leaves out.
func DataCiphers(list string) (out []string, dropped []string) {
	for _, c := range strings.Split(list, ",") {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		o, ok := ciphers[c]
		if !ok || o == "BF-CBC" && !Legacy() {
			dropped = append(dropped, c)
			continue
		}
		if !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	return out, dropped
}

// Digest maps the first of RouterOS's auth list that openvpn has to its
// --auth: openvpn takes one HMAC digest, which a CBC cipher's client must
// share. [verify] which of several RouterOS's server prefers.
func Digest(list string) string {
	for _, a := range strings.Split(list, ",") {
		if d, ok := digests[strings.TrimSpace(a)]; ok {
			return d
		}
	}
	return "SHA1"
}

// usableCiphers is DataCiphers' list, an error when it is empty.
func usableCiphers(list string) ([]string, error) {
	dc, _ := DataCiphers(list)
	if len(dc) == 0 {
		return nil, fmt.Errorf("cipher=%s has no cipher openvpn can use", list)
	}
	return dc, nil
}

// providers is the configuration line that loads OpenSSL's legacy
// provider when the ciphers need it (BF-CBC), else "".
func providers(dc []string) string {
	if slices.Contains(dc, "BF-CBC") {
		return "providers legacy default"
	}
	return ""
}

// Files are the paths of what a server's configuration names, in dir.
type Files struct{ Dir, Cert, Key, CA, Management string }

// FilesIn lays a process's files out in dir.
func FilesIn(dir string) Files {
	return Files{Dir: dir, Cert: filepath.Join(dir, "cert.pem"), Key: filepath.Join(dir, "key.pem"),
		CA: filepath.Join(dir, "ca.pem"), Management: filepath.Join(dir, "mgmt.sock")}
}

// ServerConfig is the openvpn configuration of server w: a TLS server in
// multi-client mode on w's port and protocol whose every login is asked
// of rosemu over the management socket (management-client-auth), and
// whose TUN rosemu addresses itself (ifconfig-noexec: the engine puts the
// sessions' addresses and routes on it). The addresses a client gets are
// the engine's grant, pushed per client at its login (ServerLoginReply).
func ServerConfig(w config.OVPNServer, f Files) (string, error) {
	if w.Mode == "ethernet" {
		return "", fmt.Errorf("mode=ethernet is not run (docs/ovpn.md)")
	}
	if w.CertProblem != "" {
		return "", fmt.Errorf("no TLS: %s", w.CertProblem)
	}
	dc, err := usableCiphers(w.Cipher)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	line := func(f string, a ...any) { fmt.Fprintf(&b, f+"\n", a...) }
	proto := "tcp-server"
	if w.Protocol == "udp" {
		proto = "udp"
	}
	line("mode server")
	line("tls-server")
	line("proto %s", proto)
	line("port %d", w.Port)
	line("dev %s", w.Link)
	line("dev-type tun")
	line("topology subnet")
	// openvpn's own address is never used: rosemu addresses the TUN
	// from each session's grant. It must be there for the subnet topology.
	line("ifconfig-noexec")
	line("route-noexec")
	line("tun-mtu %d", w.MaxMTU)
	// A TUN, never a data-channel-offload device: rosemu moves it into
	// the server's own namespace and routes each session by its own
	// interface (hub.go), which needs the packets in the kernel's routing.
	line("disable-dco")
	line("ca %s", f.CA)
	line("cert %s", f.Cert)
	line("key %s", f.Key)
	line("dh none")
	if w.RequireClientCrt {
		line("verify-client-cert require")
	} else {
		line("verify-client-cert none")
	}
	line("username-as-common-name")
	line("duplicate-cn")
	line("management %s unix", f.Management)
	line("management-client")
	line("management-client-auth")
	if p := providers(dc); p != "" {
		line(p)
	}
	line("data-ciphers %s", strings.Join(dc, ":"))
	// A client without cipher negotiation (OpenVPN before 2.4, RouterOS
	// 6) uses the first cipher of the list.
	line("data-ciphers-fallback %s", dc[0])
	line("auth %s", Digest(w.Auth))
	if w.TLSVersion == "only-1.2" {
		line("tls-version-min 1.2")
		line("tls-version-max 1.2")
	}
	if w.KeepaliveSeconds > 0 {
		// keepalive pings every 10 s and pushes the timeout to clients;
		// the server's own timeout is twice the pushed one.
		line("keepalive %d %d", min(10, w.KeepaliveSeconds), w.KeepaliveSeconds)
	}
	if w.RenegSeconds > 0 {
		line("reneg-sec %d", w.RenegSeconds)
	}
	if w.RedirectGateway == "def1" {
		line(`push "redirect-gateway def1"`)
	}
	line("persist-key")
	line("verb 3")
	return b.String(), nil
}

// ServerLoginReply is the management client-auth block that lets client
// cid/kid in with the grant: its address in the server's netmask and the
// router's side as its gateway, the subnets its secret routes to it, and
// DNS servers as RouterOS's profile gives them.
func ServerLoginReply(cid, kid string, g config.PPPGrant, netmask int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "client-auth %s %s\n", cid, kid)
	fmt.Fprintf(&b, "ifconfig-push %s %s\n", g.Remote, maskString(netmask))
	fmt.Fprintf(&b, "push \"route-gateway %s\"\n", g.Local)
	b.WriteString("push \"topology subnet\"\n")
	// The secret's routes= (the client's own subnets): openvpn takes
	// packets from them and routes packets to them only by an iroute.
	for _, p := range g.Routed {
		if p.Addr().Is4() {
			fmt.Fprintf(&b, "iroute %s %s\n", p.Masked().Addr(), maskString(p.Bits()))
		}
	}
	for _, d := range g.DNS {
		fmt.Fprintf(&b, "push \"dhcp-option DNS %s\"\n", d)
	}
	b.WriteString("END\n")
	return b.String()
}

func maskString(bits int) string {
	bits = max(0, min(32, bits))
	m := uint32(0xffffffff) << (32 - bits)
	if bits == 0 {
		m = 0
	}
	return fmt.Sprintf("%d.%d.%d.%d", m>>24, m>>16&0xff, m>>8&0xff, m&0xff)
}
