package config

// pppActiveMenu is /ppp active: the sessions of the router's PPP servers.
// rosemu runs the PPPoE server (pppoe_server.go); each session shows from
// its login on, with the user, service, the client's MAC as caller-id,
// the address it was given and its uptime. VPN and PPPoE monitors walk
// "[/ppp active print as-value where service=pppoe]" or count
// "[/ppp active print count-only]". [verify] the columns against
// RouterOS.
//
// remove ends sessions: "/ppp active remove [find name=alice]" takes the
// session out of the table, and the service, told of the table after the
// commit, closes it; the log says so once the removal is committed. A reference to no session is "no such item", as on
// RouterOS, and "[find]" of none removes nothing.
var pppActiveMenu = &menu{path: "ppp active", readOnly: true,
	props: []*prop{
		sProp("name", ""), sProp("service", ""), sProp("caller-id", ""), sProp("address", ""),
		sProp("encoding", ""), sProp("session-id", ""), sProp("limit-bytes-in", ""), sProp("limit-bytes-out", ""),
		sProp("radius", ""),
	},
	readonly: pppActiveStatus,
	columns:  []string{"name", "service", "caller-id", "address", "uptime", "encoding"},
	commands: map[string]menuCommand{"remove": sessionRemove(pppActiveTable, func(t *tx, it *item) {
		if it.props["~up"] == "yes" {
			t.afterCommit = append(t.afterCommit, func() { t.r.logPPPDown(it, "disconnected by admin") })
		}
	})}}

func init() { insertMenus("ppp aaa", pppActiveMenu) }
