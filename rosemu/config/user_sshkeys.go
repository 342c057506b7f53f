package config

import (
	"strings"

	"github.com/chrlab/chrlab/rosemu/script"
)

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
	commands: map[string]menuCommand{
		"import": {
			syntax: &script.Syntax{Params: map[string]bool{"user": true, "public-key-file": true}},
			run:    (*tx).sshKeyImport,
		},
	},
}

// sshKeyImport is /user ssh-keys import user= public-key-file=: the key
// a file holds is added for the user, as a 7.13 setup script does after
// writing the file ("/file set \"$USERNAME-key.txt\" contents=\"ssh-rsa
// ...\"" then "/user ssh-keys import user=$USERNAME
// public-key-file=\"$USERNAME-key.txt\""; User page of the manual,
// https://help.mikrotik.com/docs/display/ROS/User, SSH keys). It was
// refused as "bad command name import". A file the router does not have
// is refused [verify] RouterOS's words.
func (t *tx) sshKeyImport(req *request) (result, error) {
	user, _ := argValue(req.args, "user")
	if t.findByName("user", user) == nil {
		return result{}, errNoMatch("user")
	}
	name, ok := argValue(req.args, "public-key-file")
	if !ok || name == "" {
		return result{}, &Error{Msg: "failure: public-key-file not specified", Category: 4, arg: "public-key-file"}
	}
	if t.r.opts.Files == nil {
		return result{}, errFailure("public-key-file", "unable to load key file")
	}
	data, err := t.r.opts.Files.ReadFile(strings.TrimPrefix(name, "/"))
	if err != nil || strings.TrimSpace(string(data)) == "" {
		return result{}, errFailure("public-key-file", "unable to load key file")
	}
	m := menuByPath("user ssh-keys")
	return t.add(m, &request{path: "user ssh-keys", menu: m, verb: "add",
		args: []namedArg{{"user", user}, {"key", strings.TrimSpace(string(data))}}, flags: map[string]bool{}})
}

// pSSHKeyUser names an existing user.
func pSSHKeyUser(t *tx, name, v string) (string, error) {
	if t.findByName("user", v) == nil {
		return "", errNoMatch(name)
	}
	return v, nil
}

func init() { insertMenus("user settings", userSSHKeysMenu) }
