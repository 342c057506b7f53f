package config

// The L2TP client: /interface l2tp-client add connect-to=... user=...
// password=.... The PPPoE client's service dials it (its entries carry
// Kind "l2tp", pppoeClients) with rosemu/service/l2tp, and the engine
// treats its session as a PPPoE client's: the dynamic address, the
// default route with add-default-route, the peer's DNS with
// use-peer-dns, running and status in print, the profile's scripts and
// change-tcp-mss. Source: the L2TP page of the manual
// (https://help.mikrotik.com/docs/display/ROS/L2TP), client properties.

const l2tpClientTable = "interface l2tp-client"

const (
	l2tpClientIPsec  = "rosemu's L2TP client makes no IPsec peer or policy of its own (RouterOS makes them dynamically): it dials clear L2TP, which a server that requires IPsec does not answer"
	l2tpClientStored = "rosemu's L2TP client does not apply this setting: it is stored"
)

// checkDialledClient is an L2TP or SSTP client's check: the stored
// interface's name check, and it forgets a session whose entry was
// disabled or renamed, as checkPPPoEClient does.
func checkDialledClient(table string) func(t *tx, it *item) error {
	return func(t *tx, it *item) error {
		if err := checkStoredIfName(table)(t, it); err != nil {
			return err
		}
		if s := pppoeSessionOf(t.m, it.id); s != nil && (it.disabled() || s.props["name"] != it.props["name"]) {
			dropTableItem(t.m, pppoeStateTable, it.id)
		}
		return nil
	}
}

// dialledClientMenu makes m the menu of a PPP client rosemu dials (L2TP,
// SSTP): the name check of checkDialledClient, the PPPoE client's status
// columns, and monitor as the PPPoE client's (monitor.go): status, and while
// connected local-address, remote-address and mtu; the names are the L2TP
// and SSTP pages' client monitor [verify].
func dialledClientMenu(m *menu, table string) {
	m.notEnforced = ""
	m.check = checkDialledClient(table)
	m.readonly = pppoeClientStatus
	m.columns = []string{"name", "connect-to", "user", "status"}
	if m.commands == nil {
		m.commands = map[string]menuCommand{}
	}
	m.commands["monitor"] = monitorCommand(pppoeClientStatus,
		"name", "status", "uptime", "encoding", "mtu", "mru", "local-address", "remote-address")
}

func init() {
	m := l2tpClientMenu
	dialledClientMenu(m, l2tpClientTable)
	// RouterOS adds an L2TP client disabled unless told otherwise, as it
	// does a PPPoE client: every export of one that dials writes
	// disabled=no (6.43, 6.48.1, 7.2.1, 7.15.3, 7.16.1, 7.19rc1), an ISP's
	// 7.x export writes a leftover client without it, and a 2014 gist adds
	// one and then runs "/interface l2tp-client enable". rosemu dialled a
	// client added without disabled=, and its export dropped disabled=no
	// (realcheck38).
	addedDisabled(m)
	for _, p := range m.props {
		switch p.name {
		case "name", "connect-to", "user", "password", "profile", "add-default-route", "default-route-distance",
			"allow", "keepalive-timeout", "max-mru", "max-mtu", "use-peer-dns", "comment", "disabled", "mtu":
		case "use-ipsec", "ipsec-secret":
			p.notEnforced = l2tpClientIPsec
		case "dial-on-demand":
			p.notEnforced = "rosemu dials the session at once instead of on the first packet"
		default:
			p.notEnforced = l2tpClientStored
		}
	}
}
