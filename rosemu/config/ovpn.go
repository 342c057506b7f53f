package config

import "strconv"

// /interface ovpn-server server changed shape in RouterOS 7.17: up to
// 7.16 it is a settings menu ("set enabled=yes port=1194"); from 7.17 it
// is a list of servers, and every export of an upgraded router has
// "add mac-address=... name=ovpn-server1". rosemu follows the router's
// version: below 7.17 the menu holds one built-in item that set changes
// without an item number and that exports as "set ..."; from 7.17 servers
// are added, named and changed by number or name.

const ovpnServerPath = "interface ovpn-server server"

// ovpnIsList reports whether the router's version has the list form.
func ovpnIsList(t *tx) bool { return versionAtLeast(t.r.opts.Version, 7, 17) }

func ovpnServerSet(t *tx, req *request) (result, error) {
	m := menuByPath(ovpnServerPath)
	if !ovpnIsList(t) && !req.hasRef {
		items := t.m.tables[m.tableName()]
		if len(items) != 1 {
			return result{}, t.noSuchItem()
		}
		req.ref, req.hasRef = items[0].ID(), true
	}
	return t.set(m, req)
}

func ovpnServerAdd(t *tx, req *request) (result, error) {
	if !ovpnIsList(t) {
		return result{}, &Error{Msg: "bad command name add", Category: 3}
	}
	return t.add(menuByPath(ovpnServerPath), req)
}

// checkOVPNServer names an added server ovpn-serverN when no name is
// given and refuses a second server of the same name; the built-in
// server of older versions has no name.
func checkOVPNServer(t *tx, it *item) error {
	if it.builtin {
		if it.props["name"] != "" {
			return &Error{Msg: t.unknownParam("name"), Category: 1, arg: "name"}
		}
		return nil
	}
	used := map[string]bool{}
	for _, x := range t.m.tables[ovpnServerPath] {
		if x.id != it.id {
			used[x.props["name"]] = true
		}
	}
	if it.props["name"] == "" {
		for n := 1; ; n++ {
			if c := "ovpn-server" + strconv.Itoa(n); !used[c] {
				it.props["name"] = c
				break
			}
		}
	}
	if used[it.props["name"]] {
		return errFailure("name", "server with such name already exists")
	}
	return nil
}

// export-client-configuration writes an OpenVPN client's .ovpn file from
// the server's settings and the named certificates (the OpenVPN page of
// the manual shows it). rosemu checks the certificates it names and writes
// no file: the file's layout is RouterOS's own, and no public source gives
// it. [verify] the first 7.x that has the command (taken on every 7).
func ovpnExportClient(t *tx, req *request) (result, error) {
	if !versionAtLeast(t.r.opts.Version, 7, 0) {
		return result{}, &Error{Msg: "bad command name export-client-configuration", Category: 3}
	}
	for _, a := range req.args {
		switch a.name {
		case "ca-certificate", "client-certificate":
			if name := a.value; name != "" && name != "none" && t.findByName("certificate", name) == nil {
				return result{}, errNoMatch(a.name)
			}
		}
	}
	t.r.sys.scriptGap = "export-client-configuration: " + ovpnExportReason
	return result{}, nil
}

// ovpnExportReason says what rosemu does with export-client-configuration.
const ovpnExportReason = "rosemu writes no OpenVPN client configuration file (its layout is RouterOS's own); the certificates it names are checked"
