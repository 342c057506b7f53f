package config

import "github.com/chrlab/chrlab/rosemu/script"

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
	// export-db writes the Dude's database to a file (backup scripts
	// write "/dude export-db backup-file=$name" inside ":do { } on-error"
	// for routers that run the Dude). rosemu has no Dude database, so it
	// fails, writing nothing, and the script's on-error runs; without the
	// command the whole script did not compile.
	commands: map[string]menuCommand{
		"export-db": {
			syntax: &script.Syntax{Params: map[string]bool{"backup-file": true}},
			run: func(t *tx, req *request) (result, error) {
				return result{}, errFailure("", "rosemu runs no Dude server: there is no Dude database to export")
			},
		},
	},
}

func init() { insertMenus("ip dhcp-server", dudeMenu) }
