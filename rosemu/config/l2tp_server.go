package config

import "strings"

// The router as an L2TP server (LNS): /interface l2tp-server server set
// enabled=yes. The service (rosemu/service/l2tpserver) speaks L2TPv2 on
// UDP 1701 on every address of the router and asks the engine at each
// login, which decides as for the PPPoE server (pppLogin): /ppp secret
// with service any or l2tp, the default-profile and the secret's
// profile, max-sessions, one-session-per-host, the secret's caller-id
// (the client's IP address, caller-id-type=ip-address). A session is
// "<l2tp-USER>" or the name of an /interface l2tp-server binding for the
// user (L2TP page of the manual, https://help.mikrotik.com/docs/display/ROS/L2TP).
// The server adds no dynamic IPsec peer (rosemu's IPsec runs the
// configured /ip ipsec peers only, docs/ipsec.md): use-ipsec=required leaves clear L2TP unanswered, as the dynamic policy
// that requires encryption would drop it, so no session comes up;
// use-ipsec=yes answers clear L2TP, which RouterOS accepts when the
// client does not use IPsec [verify].

const (
	l2tpServerTable = "interface l2tp-server server"
	l2tpBindTable   = "interface l2tp-server"
)

var l2tpKind = pppKind{"l2tp", l2tpServerTable, l2tpBindTable, func(it *item) bool { return it.props["enabled"] == "yes" }}

// L2TPServer is the /interface l2tp-server server settings as the service
// needs them.
type L2TPServer struct {
	ID      string
	Enabled bool
	// Auth is authentication=, as PPPoEServer's.
	Auth string
	// UseIPsec is use-ipsec=: no, yes or required.
	UseIPsec         string
	KeepaliveSeconds int
	MaxMRU           int // 0: auto
	// HostName is the Host Name AVP of SCCRP: the router's identity.
	// [verify]
	HostName string
}

// L2TPServerService is told the server settings and the ids of the
// sessions /ppp active still has, as PPPoEServerService is.
type L2TPServerService interface {
	Update(servers []L2TPServer, sessions []string)
}

func l2tpServers(m *model) []L2TPServer {
	host := "MikroTik"
	if its := m.tables["system identity"]; len(its) > 0 && its[0].props["name"] != "" {
		host = its[0].props["name"]
	}
	var out []L2TPServer
	for _, s := range m.tables[l2tpServerTable] {
		p := s.props
		out = append(out, L2TPServer{ID: s.ID(), Enabled: l2tpKind.enabled(s),
			Auth:     orDefault(p["authentication"], "mschap1,mschap2"),
			UseIPsec: orDefault(p["use-ipsec"], "no"), KeepaliveSeconds: keepaliveSeconds(orDefault(p["keepalive-timeout"], "30")),
			MaxMRU: atoiAuto(p["max-mru"]), HostName: host})
	}
	return out
}

// L2TPServers returns the committed /interface l2tp-server server entry.
func (r *Router) L2TPServers() []L2TPServer {
	r.mu.Lock()
	defer r.mu.Unlock()
	return l2tpServers(r.m)
}

// L2TPLogin decides a login of user from the client at caller (its IP
// address) on the L2TP server serverID, as PPPoELogin does.
func (r *Router) L2TPLogin(serverID, user string, proves func(secret string) bool, caller string) (g PPPGrant, err error) {
	defer guarded("L2TP login of "+user, &err)
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.pppLogin(l2tpKind, serverID, user, proves, strings.TrimSpace(caller))
}

// notifyL2TPServer tells the service the sessions /ppp active still has.
// The caller holds r.mu.
func (r *Router) notifyL2TPServer() {
	if r.opts.L2TPServer != nil {
		r.opts.L2TPServer.Update(l2tpServers(r.m), pppActiveIDs(r.m))
	}
}

// What the L2TP server stores without applying.
const (
	l2tpIPsecReason  = "rosemu's L2TP server adds no dynamic IPsec peer or policy (rosemu runs IPsec for the configured /ip ipsec peers only): use-ipsec=yes answers clear L2TP only, use-ipsec=required answers nothing, so no client connects"
	l2tpStoredReason = "rosemu's L2TP server does not apply this setting: it is stored"
)

func init() {
	l2tpServerMenu.notEnforced = ""
	for _, p := range l2tpServerMenu.props {
		switch p.name {
		case "enabled", "authentication", "default-profile", "keepalive-timeout", "max-mru", "one-session-per-host", "max-sessions":
		case "use-ipsec", "ipsec-secret":
			p.notEnforced = l2tpIPsecReason
		default:
			p.notEnforced = l2tpStoredReason
		}
	}
}
