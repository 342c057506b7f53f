package config

import "github.com/chrlab/chrlab/rosemu/script"

// The session tables of services rosemu does not run: IPsec's peers (/ip ipsec
// active-peers from RouterOS 6.45, remote-peers before: the 6.45
// changelog's "ipsec - renamed "remote-peers" to "active-peers"", so a
// 6.49 router's VPN watchdog walks active-peers). A CHR has both menus;
// active-peers lists the IKE SAs of rosemu/service/ipsec (ipsec_run.go),
// remote-peers stays empty, so the
// scripts that walk them ("[/ip ipsec active-peers find]" in
// VPN watchdogs) compile, run and find nothing, where they were refused
// as "bad command name". Their remove (and kill-connections for the
// peers) is checked like any reference: a number or id of nothing is "no
// such item", "[find]" of nothing removes nothing. [verify] the columns.
var (
	ipsecActiveMenu = sinceMinor6(sessionMenu("ip ipsec active-peers", 0, "id", "remote-address", "local-address", "state", "side", "uptime", "ph2-total"), 45)
	// installed-sa lists the ESP SAs the service installed (ipsec_run.go).
	ipsecSAMenu     = sessionMenu(ipsecSATable, 0, "spi", "src-address", "dst-address", "state", "enc-algorithm", "auth-algorithm", "current-bytes", "current-packets")
	ipsecRemoteMenu = beforeMinor6(sessionMenu("ip ipsec remote-peers", 6, "id", "remote-address", "local-address", "state", "side", "established"), 45)
)

// sinceMinor6 makes m exist from RouterOS 6.minor on (and in 7).
func sinceMinor6(m *menu, minor int) *menu { m.since6 = minor; return m }

// beforeMinor6 makes m exist only in RouterOS 6 before 6.minor.
func beforeMinor6(m *menu, minor int) *menu { m.before6 = minor; return m }

// sessionMenu is a read-only table of the given columns whose items can
// be removed; major limits it to RouterOS 6 or 7 (0: both).
func sessionMenu(path string, major int, columns ...string) *menu {
	remove := menuCommand{
		syntax: &script.Syntax{Params: map[string]bool{"numbers": true}, Unnamed: 1},
		run: func(t *tx, req *request) (result, error) {
			_, err := t.items(req.menu, req)
			return result{}, err
		},
	}
	m := &menu{path: path, readOnly: true, major: major, columns: columns, commands: map[string]menuCommand{"remove": remove}}
	for _, c := range columns {
		m.props = append(m.props, sProp(c, ""))
	}
	m.commands["kill-connections"] = remove
	return m
}

func init() {
	insertMenus("ip ipsec policy", ipsecActiveMenu, ipsecSAMenu, ipsecRemoteMenu)
}
