package config

import (
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"strings"
)

// The router as an OpenVPN server: /interface ovpn-server server, the
// settings menu up to 7.16 (set enabled=yes) or the list of named servers
// from 7.17 (ovpn.go). The service (rosemu/service/ovpn) runs one openvpn
// process per enabled server, configured from these settings, and asks
// the engine at each login through openvpn's management interface, which
// decides as for the PPP servers (pppLogin): /ppp secret with service any
// or ovpn, the default-profile and the secret's profile, max-sessions,
// the secret's caller-id (the client's IP address). A session is
// "<ovpn-USER>" or the name of an /interface ovpn-server binding for the
// user in /ppp active (OpenVPN page of the manual,
// https://help.mikrotik.com/docs/display/ROS/OpenVPN).
//
// Each session is an interface of its own in the kernel, named as the
// session (kernel.LinkName), as a PPP session's TUN is: the service gives
// it one beside openvpn's single TUN (rosemu/service/ovpn/hub.go), so an
// address, a route, a queue or a rule naming <ovpn-alice> acts on her
// session alone (docs/ovpn.md).

const ovpnBindTable = "interface ovpn-server"

var ovpnKind = pppKind{"ovpn", ovpnServerPath, ovpnBindTable, ovpnServerOn}

// ovpnServerOn reports whether a server entry is enabled: the settings
// menu's enabled=yes, or a named (7.17 list) server with disabled=no.
func ovpnServerOn(it *item) bool {
	return it.props["enabled"] == "yes" || it.props["name"] != "" && it.props["disabled"] == "no"
}

// OVPNServer is an /interface ovpn-server server entry as the service
// needs it. It holds strings, numbers and booleans only: the service
// compares entries to restart a server whose settings change.
type OVPNServer struct {
	ID, Name string
	Enabled  bool
	// Link is the kernel name of the server's TUN.
	Link     string
	Port     int
	Protocol string // tcp or udp
	Mode     string // ip or ethernet
	Netmask  int
	MaxMTU   int
	// KeepaliveSeconds is keepalive-timeout= (0: disabled).
	KeepaliveSeconds int
	// Auth and Cipher are RouterOS's comma-separated lists.
	Auth, Cipher     string
	TLSVersion       string
	RequireClientCrt bool
	RedirectGateway  string
	RenegSeconds     int
	// Certificate is certificate=; CertPEM and KeyPEM are it and its key
	// (PKCS #8), CAPEM the certificates a client's is verified with and
	// the server's own issuers, CertProblem why the server cannot serve
	// ("" when it can).
	Certificate            string
	CertPEM, KeyPEM, CAPEM string
	CertProblem            string
}

// OVPNServerService is told the server settings and the ids of the
// sessions /ppp active still has, as PPPoEServerService is.
type OVPNServerService interface {
	Update(servers []OVPNServer, sessions []string)
}

// ovpnLink is the kernel name of the TUN of the server with id.
func ovpnLink(id string) string { return "ovpns" + strings.TrimPrefix(id, "*") }

func ovpnServers(m *model) []OVPNServer {
	var out []OVPNServer
	for _, s := range m.tables[ovpnServerPath] {
		p := s.props
		w := OVPNServer{ID: s.ID(), Name: p["name"], Enabled: ovpnServerOn(s), Link: ovpnLink(s.ID()),
			Port: atoiOr(orDefault(p["port"], "1194"), 1194), Protocol: orDefault(p["protocol"], "tcp"),
			Mode: orDefault(p["mode"], "ip"), Netmask: atoiOr(orDefault(p["netmask"], "24"), 24),
			MaxMTU:           atoiOr(orDefault(p["max-mtu"], "1500"), 1500),
			KeepaliveSeconds: keepaliveSeconds(orDefault(p["keepalive-timeout"], "60")),
			Auth:             orDefault(p["auth"], "sha1,md5"), Cipher: orDefault(p["cipher"], "blowfish128,aes128"),
			TLSVersion: orDefault(p["tls-version"], "any"), RequireClientCrt: p["require-client-certificate"] == "yes",
			RedirectGateway: orDefault(p["redirect-gateway"], "disabled"), RenegSeconds: atoiOr(orDefault(p["reneg-sec"], "3600"), 3600),
			Certificate: orDefault(p["certificate"], "none")}
		w.CertPEM, w.KeyPEM, w.CAPEM, w.CertProblem = ovpnCertificate(m, w.Certificate)
		out = append(out, w)
	}
	return out
}

// ovpnCertificate is the named certificate and key as PEM and the CA file
// an openvpn server needs: the router's trusted certificates and the
// certificate's issuers. problem says why the server cannot serve TLS.
func ovpnCertificate(m *model, name string) (cert, key, ca, problem string) {
	if name == "none" {
		return "", "", "", "certificate=none: an OpenVPN server needs a certificate for its TLS"
	}
	der, kd, problem := sstpCertificate(m, name)
	if problem != "" {
		return "", "", "", problem
	}
	c, _ := x509.ParseCertificate([]byte(der))
	var b strings.Builder
	b.WriteString(trustedPEM(m))
	for _, it := range m.tables["certificate"] {
		d, err := base64.StdEncoding.DecodeString(it.props["der"])
		if err != nil || len(d) == 0 || it.props["trusted"] == "yes" {
			continue
		}
		if ic, err := x509.ParseCertificate(d); err == nil && c != nil && ic.IsCA && bytes.Equal(ic.RawSubject, c.RawIssuer) {
			_ = pem.Encode(&b, &pem.Block{Type: "CERTIFICATE", Bytes: d})
		}
	}
	if c != nil && bytes.Equal(c.RawIssuer, c.RawSubject) && !strings.Contains(b.String(), string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte(der)}))) {
		// A self-signed server certificate is its own issuer.
		_ = pem.Encode(&b, &pem.Block{Type: "CERTIFICATE", Bytes: []byte(der)})
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte(der)})),
		string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte(kd)})), b.String(), ""
}

// OVPNServers returns the committed /interface ovpn-server server entries.
func (r *Router) OVPNServers() []OVPNServer {
	r.mu.Lock()
	defer r.mu.Unlock()
	return ovpnServers(r.m)
}

// OVPNLogin decides a login of user with password from the client at
// caller (its IP address) on the OpenVPN server serverID, as PPPoELogin
// does. OpenVPN sends the password itself inside its TLS session.
func (r *Router) OVPNLogin(serverID, user, password, caller string) (g PPPGrant, err error) {
	defer guarded("OVPN login of "+user, &err)
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.pppLogin(ovpnKind, serverID, user, func(secret string) bool { return secret == password }, strings.TrimSpace(caller))
}

// notifyOVPNServer tells the service the settings and the sessions /ppp
// active still has. The caller holds r.mu.
func (r *Router) notifyOVPNServer() {
	if r.opts.OVPNServer != nil {
		r.opts.OVPNServer.Update(ovpnServers(r.m), pppActiveIDs(r.m))
	}
}

// What the OpenVPN server stores without applying.
const (
	ovpnStoredReason   = "rosemu's OpenVPN server does not apply this setting: it is stored"
	ovpnEthernetReason = "rosemu runs no OpenVPN server in mode=ethernet: one openvpn process has one TAP for all its clients, which cannot be a bridge port per session as RouterOS's profile bridge= makes it; no client connects"
	ovpnUserAuthReason = "OpenVPN clients send their password inside the TLS session and rosemu checks it against /ppp secret; user-auth-method (how RouterOS asks RADIUS) is stored"
)

func init() {
	ovpnServerMenu.notEnforced = ""
	for _, p := range ovpnServerMenu.props {
		switch p.name {
		case "name", "enabled", "disabled", "port", "protocol", "netmask", "max-mtu", "keepalive-timeout", "default-profile",
			"certificate", "require-client-certificate", "auth", "cipher", "tls-version", "redirect-gateway", "reneg-sec":
		case "mode":
			p.notEnforced = ovpnEthernetReason
		case "user-auth-method":
			p.notEnforced = ovpnUserAuthReason
		default:
			p.notEnforced = ovpnStoredReason
		}
	}
}
