package config

import "slices"

// statusNames are read-only values of a menu that RouterOS has and
// rosemu does not compute: counters, timers and flags of the live
// router. Real scripts name them ("lease find where blocked", "peers find
// where last-handshake<3m", "[peers get $p last-handshake]"). find and
// print's where take any name rosemu does not know of (whereNameKnown);
// get takes these and gives nothing, where a name the menu lacks is
// refused. Sources: the menus' pages on help.mikrotik.com
// (docs/routeros.md, "Names a where clause and get take"); a name marked
// there [verify] was seen in scripts and print output only.
var statusNames = map[string][]string{
	"interface":                 {"mac-address", "link-downs", "last-link-up-time", "last-link-down-time", "rx-packet", "tx-packet", "rx-drop", "tx-drop", "rx-error", "tx-error", "fp-rx-byte", "fp-tx-byte"},
	"interface ethernet":        {"slave", "rx-bytes", "tx-bytes", "link-downs"},
	"interface bridge":          {"mac-address", "actual-mtu", "l2mtu"},
	"interface bridge port":     {"status", "role", "edge-port", "forwarding", "learning", "port-number", "root-path-cost", "sending-rstp", "point-to-point-port", "hw-offload-group", "debug-info"},
	"interface bridge host":     {"on-interface", "age", "local", "external"},
	"ip route":                  {"immediate-gw", "ecmp", "hw-offloaded", "scope"},
	"ip dhcp-server lease":      {"blocked", "last-seen", "agent-circuit-id", "agent-remote-id", "class-id", "radius"},
	"interface pppoe-client":    {"running"},
	"interface l2tp-client":     {"running"},
	"interface sstp-client":     {"running"},
	"interface ovpn-client":     {"running"},
	"interface pptp-client":     {"running"},
	"interface wireguard peers": {"current-endpoint-address", "current-endpoint-port", "last-handshake", "rx", "tx"},
	"system scheduler":          {"next-run", "run-count", "owner"},
	"system script":             {"last-started", "run-count", "owner"},
	"tool netwatch":             {"status", "since", "done-tests", "failed-tests"},
	"user":                      {"last-logged-in"},
	"ipv6 address":              {"link-local", "global", "actual-interface"},
	"ipv6 route":                {"active", "static", "immediate-gw"},
	"container":                 {"status"},
	"certificate":               {"expired", "revoked", "issued", "ca", "private-key", "trusted"},
}

// statusName reports whether name is a read-only value of menu m that
// rosemu does not compute (statusNames).
func statusName(m *menu, name string) bool {
	return slices.Contains(statusNames[m.path], name)
}
