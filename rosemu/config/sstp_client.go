package config

import (
	"encoding/base64"
	"encoding/pem"
	"strings"
)

// The SSTP client: /interface sstp-client add connect-to=... user=...
// password=.... The PPP client service dials it (Kind "sstp",
// pppoeClients) with rosemu/service/sstp over TLS to connect-to:port, and
// the engine treats its session as the L2TP client's: the dynamic
// address, add-default-route, use-peer-dns, running and status, monitor,
// the profile's scripts. verify-server-certificate=yes verifies the
// server's certificate against the router's trusted /certificate entries
// (a CA signed on the router, or one imported and trusted) and, with
// verify-server-address-from-certificate=yes (the default), that it
// names connect-to. Source: the SSTP page of the manual
// (https://help.mikrotik.com/docs/display/ROS/SSTP), client properties.

const sstpClientTable = "interface sstp-client"

const (
	sstpClientStored = "rosemu's SSTP client does not apply this setting: it is stored"
	sstpClientTLS    = "rosemu's SSTP client takes what Go's TLS negotiates (TLS 1.2 or 1.3, ECDHE) whatever this says"
)

// trustedPEM is the router's trusted certificates, PEM, the roots an SSTP
// client verifies a server with.
func trustedPEM(m *model) string {
	var b strings.Builder
	for _, it := range m.tables["certificate"] {
		if it.props["trusted"] != "yes" {
			continue
		}
		der, err := base64.StdEncoding.DecodeString(it.props["der"])
		if err != nil || len(der) == 0 {
			continue
		}
		_ = pem.Encode(&b, &pem.Block{Type: "CERTIFICATE", Bytes: der})
	}
	return b.String()
}

// sstpClientAuth is the protocols the client allows: authentication= on
// 7 when set, else allow=.
func sstpClientAuth(p map[string]string) string {
	if v := p["authentication"]; v != "" {
		return v
	}
	return orDefault(p["allow"], "pap,chap,mschap1,mschap2")
}

func init() {
	m := sstpClientMenu
	dialledClientMenu(m, sstpClientTable)
	for _, p := range m.props {
		switch p.name {
		case "name", "connect-to", "port", "user", "password", "profile", "add-default-route", "default-route-distance",
			"allow", "authentication", "keepalive-timeout", "max-mru", "max-mtu", "use-peer-dns", "comment", "disabled", "mtu",
			"verify-server-certificate", "verify-server-address-from-certificate":
		case "tls-version", "pfs", "ciphers":
			p.notEnforced = sstpClientTLS
		case "dial-on-demand":
			p.notEnforced = "rosemu dials the session at once instead of on the first packet"
		default:
			p.notEnforced = sstpClientStored
		}
	}
}
