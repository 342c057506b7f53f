package config

import (
	"crypto/x509"
	"fmt"
	"strconv"
	"strings"
)

// The router as an SSTP server: /interface sstp-server server set
// enabled=yes certificate=NAME. The service (rosemu/service/sstpserver)
// speaks MS-SSTP over TLS on TCP port= (443) on every address of the
// router and asks the engine at each login, which decides as for the
// PPPoE and L2TP servers (pppLogin): /ppp secret with service any or
// sstp, the default-profile and the secret's profile, max-sessions,
// one-session-per-host, the secret's caller-id (the client's IP
// address). A session is "<sstp-USER>" or the name of an /interface
// sstp-server binding for the user (SSTP page of the manual,
// https://help.mikrotik.com/docs/display/ROS/SSTP).
//
// The certificate is the /certificate entry the server names, its DER
// and private key as sign or import made them. The manual: without a
// certificate SSTP works "only between two MikroTik routers" (anonymous
// Diffie-Hellman, outside Microsoft's standard); a standard client (a
// Windows or phone road warrior) cannot connect. rosemu speaks no
// anonymous DH, so with certificate=none, or a certificate not signed or
// without its private key, the server accepts the TCP connection and
// fails the TLS handshake: no client connects (docs/sstp.md). So does a
// name /certificate does not hold.

const (
	sstpServerTable = "interface sstp-server server"
	sstpBindTable   = "interface sstp-server"
)

var sstpKind = pppKind{"sstp", sstpServerTable, sstpBindTable, func(it *item) bool { return it.props["enabled"] == "yes" }}

// SSTPServer is the /interface sstp-server server settings as the service
// needs them.
type SSTPServer struct {
	ID      string
	Enabled bool
	Port    int
	// Auth is authentication=, as PPPoEServer's.
	Auth             string
	KeepaliveSeconds int
	MaxMRU, MaxMTU   int
	// TLSVersion is tls-version=: any, only-1.2 or only-1.3.
	TLSVersion string
	// Certificate is certificate=; CertDER and KeyDER (PKCS #8) are its
	// certificate and key (bytes in strings: the settings are compared
	// to restart the server when they change), CertProblem why the
	// server cannot serve with it ("" when it can).
	Certificate     string
	CertDER, KeyDER string
	CertProblem     string
	// Identity is the router's identity, the name in its CHAP
	// challenges, as the L2TP server's. [verify]
	Identity string
}

// SSTPServerService is told the server settings and the ids of the
// sessions /ppp active still has, as PPPoEServerService is.
type SSTPServerService interface {
	Update(servers []SSTPServer, sessions []string)
}

func sstpServers(m *model) []SSTPServer {
	identity := "MikroTik"
	if its := m.tables["system identity"]; len(its) > 0 && its[0].props["name"] != "" {
		identity = its[0].props["name"]
	}
	var out []SSTPServer
	for _, s := range m.tables[sstpServerTable] {
		p := s.props
		port, err := strconv.Atoi(orDefault(p["port"], "443"))
		if err != nil {
			port = 443
		}
		w := SSTPServer{ID: s.ID(), Enabled: sstpKind.enabled(s), Port: port,
			Auth:             orDefault(p["authentication"], "pap,chap,mschap1,mschap2"),
			KeepaliveSeconds: keepaliveSeconds(orDefault(p["keepalive-timeout"], "60")),
			MaxMRU:           atoiAuto(orDefault(p["max-mru"], "1500")), MaxMTU: atoiAuto(orDefault(p["max-mtu"], "1500")),
			TLSVersion: orDefault(p["tls-version"], "any"), Certificate: orDefault(p["certificate"], "none"), Identity: identity}
		w.CertDER, w.KeyDER, w.CertProblem = sstpCertificate(m, w.Certificate)
		out = append(out, w)
	}
	return out
}

// sstpCertificate reads the named certificate's DER and PKCS #8 key, or
// says why the server cannot serve with it.
func sstpCertificate(m *model, name string) (der, key string, problem string) {
	if name == "none" {
		return "", "", "certificate=none: RouterOS serves anonymous Diffie-Hellman TLS, which only a MikroTik client speaks; rosemu speaks none"
	}
	var it *item
	for _, c := range m.tables["certificate"] {
		if c.props["name"] == name {
			it = c
		}
	}
	if it == nil {
		return "", "", fmt.Sprintf("certificate %s is not in /certificate", name)
	}
	c, k, err := certAndKey(it)
	if err != nil || c == nil {
		return "", "", fmt.Sprintf("certificate %s is not signed (a template)", name)
	}
	if k == nil {
		return "", "", fmt.Sprintf("certificate %s has no private key", name)
	}
	kd, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return "", "", fmt.Sprintf("certificate %s: its key: %v", name, err)
	}
	return string(c.Raw), string(kd), ""
}

// SSTPServers returns the committed /interface sstp-server server entry.
func (r *Router) SSTPServers() []SSTPServer {
	r.mu.Lock()
	defer r.mu.Unlock()
	return sstpServers(r.m)
}

// SSTPLogin decides a login of user from the client at caller (its IP
// address) on the SSTP server serverID, as PPPoELogin does.
func (r *Router) SSTPLogin(serverID, user string, proves func(secret string) bool, caller string) (g PPPGrant, err error) {
	defer guarded("SSTP login of "+user, &err)
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.pppLogin(sstpKind, serverID, user, proves, strings.TrimSpace(caller))
}

// notifySSTPServer tells the service the settings and the sessions /ppp
// active still has. The caller holds r.mu.
func (r *Router) notifySSTPServer() {
	if r.opts.SSTPServer != nil {
		r.opts.SSTPServer.Update(sstpServers(r.m), pppActiveIDs(r.m))
	}
}

// What the SSTP server stores without applying.
const (
	sstpStoredReason = "rosemu's SSTP server does not apply this setting: it is stored"
	sstpPFSReason    = "rosemu's SSTP server takes the key exchange Go's TLS picks (ECDHE, forward secret) whatever pfs says"
	sstpVerifyReason = "rosemu's SSTP server asks no client certificate: verify-client-certificate is stored"
)

func init() {
	sstpServerMenu.notEnforced = ""
	for _, p := range sstpServerMenu.props {
		switch p.name {
		case "enabled", "port", "authentication", "default-profile", "keepalive-timeout", "max-mru", "max-mtu", "tls-version":
		case "certificate":
			// A named certificate is served; none fails the handshake
			// as for a standard client (see above). Any name is taken:
			// /export leaves certificates out, so an export names one
			// the router it is imported on may not have yet; the server
			// then serves no TLS and logs why. Whether RouterOS refuses
			// an unknown name here is [verify].
		case "pfs":
			p.notEnforced = sstpPFSReason
		case "verify-client-certificate":
			p.notEnforced = sstpVerifyReason
		default:
			p.notEnforced = sstpStoredReason
		}
	}
}
