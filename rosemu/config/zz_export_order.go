package config

import "slices"

// The DHCP relays, leases and networks export right after /ip dhcp-client,
// before /ip dns, as RouterOS orders them: every
// export in testdata/ that has them reads "/ip address", "/ip
// dhcp-client", "/ip dhcp-relay", "/ip dhcp-server lease", "/ip
// dhcp-server network", "/ip dns", and so do defconf exports ("/ip
// dhcp-server network add address=192.168.88.0/24 comment=defconf ..."
// just before "/ip dns set allow-remote-requests=yes"). They were
// exported after /system script (forum35 D7). This runs after every
// other file's init (files initialise in name order), once all menus are
// registered.
func init() {
	moveMenus("ip dhcp-client", dhcpRelayMenu, dhcpLeaseMenu, dhcpNetworkMenu)
}

// The DHCP client options export before /ip hotspot profile, near the
// top, where RouterOS writes them (a 6.42.1 RB750r2's "/ip dhcp-client
// option" at line 30, before /ip hotspot profile and /ip pool; a 7.18.2
// CRS310's verbose export, between /interface macsec profile and /ip
// hotspot profile), so that a client naming one ("/ip dhcp-client add
// dhcp-options=hostiptv") imports back. They were exported after /ip
// dhcp-client, and the export did not import (realcheck33 D1).
func init() {
	menus = slices.DeleteFunc(slices.Clone(menus), func(m *menu) bool { return m == dhcpClientOptionMenu })
	at := slices.IndexFunc(menus, func(m *menu) bool { return m == hotspotProfileMenu })
	menus = slices.Insert(menus, at, dhcpClientOptionMenu)
}

// moveMenus takes ms out of the menu order and puts them, in their
// order, right after the menu at path anchor.
func moveMenus(anchor string, ms ...*menu) {
	menus = slices.DeleteFunc(slices.Clone(menus), func(m *menu) bool { return slices.Contains(ms, m) })
	insertMenus(anchor, ms...)
}

// The PPPoE client exports right after /ppp profile (which its profile=
// names) and before the queue menus, as RouterOS puts /interface
// pppoe-client among the interfaces near the top of an export: a queue
// tree or simple queue on the client ("/queue tree add name=Upload
// parent=AAISP" of a 6.47.8 export) came before the client and rosemu's
// export did not import back (realcheck28).
func init() {
	moveMenus("ppp profile", pppoeClientMenu)
}
