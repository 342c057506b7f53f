package config

// /dude: the settings of The Dude server, an extra package of RouterOS 6
// (6.34 on) and 7 for CHR and ARM routers. A 6.48.1 x86 export writes
// "/dude set enabled=yes"; it was "bad command name dude". rosemu runs no
// Dude server (no probes, no port 2211 listener): the settings are stored
// and reported. Sources: the wiki's Manual:The Dude v6 pages
// (https://wiki.mikrotik.com/wiki/Manual:The_Dude_v6/Admins) and
// https://mikrotikdocs.fyi/tools/the-dude/. [verify] the property list
// beyond enabled and data-directory.

const dudeReason = "rosemu runs no Dude server: nothing is probed or discovered"

var dudeMenu = &menu{
	path: "dude", single: true, notEnforced: dudeReason,
	props: []*prop{
		bProp("enabled", "no"),
		sProp("data-directory", "dude"),
	},
}

func init() { insertMenus("ip dhcp-server", dudeMenu) }
