package config

import (
	"encoding/pem"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

// The OpenVPN client: /interface ovpn-client add connect-to=... user=...
// password=.... The service (rosemu/service/ovpn) runs an openvpn client
// process per enabled entry and reports its session as the L2TP client's
// service does (SetPPPoESession): the dynamic address, the default route
// with add-default-route, the peer's DNS with use-peer-dns, running and
// status, monitor, the profile's scripts. Source: the OpenVPN page of the
// manual (https://help.mikrotik.com/docs/display/ROS/OpenVPN), client
// properties.
//
// verify-server-certificate=no: RouterOS then takes any certificate the
// server shows. openvpn has no switch to skip the check; it can pin a
// certificate by its fingerprint instead of a CA (peer-fingerprint), and
// logs the fingerprint it got when the pin does not match. The service
// dials first with a pin nothing has, reads the server's fingerprint from
// that failure and dials again pinning it: any certificate is taken, at
// the cost of one more TLS handshake.

const ovpnClientTable = "interface ovpn-client"

// OVPNClient is an /interface ovpn-client entry as the service needs it;
// comparable, as OVPNServer.
type OVPNClient struct {
	ID, Name string
	// Link is the kernel name of the client's TUN.
	Link           string
	ConnectTo      string
	Port           int
	Protocol       string // tcp or udp
	Mode           string
	User, Password string
	Auth, Cipher   string
	// CertPEM and KeyPEM are certificate= (none: ""), CAPEM the trusted
	// certificates the server's is verified with when VerifyServer.
	CertPEM, KeyPEM, CAPEM string
	CertProblem            string
	VerifyServer           bool
	TLSVersion             string // any or only-1.2
	RouteNopull            bool
	MaxMTU                 int
	Disabled               bool
}

func ovpnClients(m *model) []OVPNClient {
	var out []OVPNClient
	for _, c := range m.tables[ovpnClientTable] {
		p := c.props
		w := OVPNClient{ID: c.ID(), Name: p["name"], Link: kernel.LinkName(p["name"]), ConnectTo: p["connect-to"],
			Port: atoiOr(orDefault(p["port"], "1194"), 1194), Protocol: orDefault(p["protocol"], "tcp"), Mode: orDefault(p["mode"], "ip"),
			User: p["user"], Password: p["password"], Auth: orDefault(p["auth"], "sha1"), Cipher: orDefault(p["cipher"], "blowfish128"),
			VerifyServer: p["verify-server-certificate"] == "yes", TLSVersion: orDefault(p["tls-version"], "any"), RouteNopull: p["route-nopull"] == "yes",
			MaxMTU: atoiOr(orDefault(p["max-mtu"], "1500"), 1500), Disabled: c.disabled()}
		if name := orDefault(p["certificate"], "none"); name != "none" {
			der, key, problem := sstpCertificate(m, name)
			w.CertProblem = problem
			if problem == "" {
				w.CertPEM = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte(der)}))
				w.KeyPEM = string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte(key)}))
			}
		}
		if w.VerifyServer {
			w.CAPEM = trustedPEM(m)
		}
		out = append(out, w)
	}
	return out
}

// OVPNClients returns the committed /interface ovpn-client entries.
func (r *Router) OVPNClients() []OVPNClient {
	r.mu.Lock()
	defer r.mu.Unlock()
	return ovpnClients(r.m)
}

// OVPNClientService is told the client entries after every committed
// change, as PPPoEService is.
type OVPNClientService interface {
	Update([]OVPNClient)
}

// notifyOVPNClient tells the service the entries. The caller holds r.mu.
func (r *Router) notifyOVPNClient() {
	if r.opts.OVPNClient != nil {
		r.opts.OVPNClient.Update(ovpnClients(r.m))
	}
}

const (
	ovpnClientStored   = "rosemu's OpenVPN client does not apply this setting: it is stored"
	ovpnClientEthernet = "rosemu's OpenVPN client runs in mode=ip only: mode=ethernet (a TAP) is not dialled"
)

func init() {
	m := ovpnClientMenu
	dialledClientMenu(m, ovpnClientTable)
	for _, p := range m.props {
		if p.name == "profile" {
			// "default", where the L2TP, SSTP and PPTP clients have
			// default-encryption: RouterOS 6 exports write an OVPN
			// client's profile=default-encryption, which an export
			// leaves out when it is the default. [verify] the manual's
			// default for 7.
			p.def = "default"
		}
		switch p.name {
		case "name", "connect-to", "port", "protocol", "user", "password", "certificate", "add-default-route", "default-route-distance",
			"auth", "cipher", "max-mtu", "comment", "disabled", "mtu", "profile", "route-nopull", "use-peer-dns", "verify-server-certificate",
			"tls-version":
		case "mode":
			p.notEnforced = ovpnClientEthernet
		default:
			p.notEnforced = ovpnClientStored
		}
	}
}
