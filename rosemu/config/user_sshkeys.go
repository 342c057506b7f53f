package config

// userSSHKeysMenu is RouterOS 7's /user ssh-keys with a key given inline
// ("add key=\"ssh-ed25519 AAAA... user@host\" user=admin", as hand-written
// configurations for 7.x routers carry it; RouterOS 6 only imports a key
// file). rosemu's SSH server takes passwords only: the key is stored and
// reported, and, like users, it is not exported. It was refused as "bad
// command name ssh-keys". Source: the User page of the manual,
// https://help.mikrotik.com/docs/display/ROS/User (SSH keys).
var userSSHKeysMenu = &menu{
	path: "user ssh-keys", major: 7, noExport: true,
	notEnforced: "rosemu's SSH server takes passwords only: the key is stored",
	props: []*prop{
		{name: "user", parse: pSSHKeyUser, required: true},
		{name: "key", parse: pNonEmpty, required: true},
		comment,
	},
	columns: []string{"user", "key"},
}

// pSSHKeyUser names an existing user.
func pSSHKeyUser(t *tx, name, v string) (string, error) {
	if t.findByName("user", v) == nil {
		return "", errNoMatch(name)
	}
	return v, nil
}

func init() { insertMenus("user settings", userSSHKeysMenu) }
