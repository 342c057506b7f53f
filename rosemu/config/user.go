package config

import (
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The /user menus (https://help.mikrotik.com/docs/spaces/ROS/pages/8978504/User).
// Users, groups and their policies are modelled: the router's services
// (API, SSH, telnet, FTP, WebFig, Winbox, on the management path and the lab
// side alike) admit a user only with the right password, from an address
// the user's address= allows, when the user's group has the policy of the
// service. What a logged-in user may do once in (read-only groups) is not
// enforced: every session may change the configuration.

// Policies of RouterOS v7 in the order print shows them.
var userPolicies = []string{"local", "telnet", "ssh", "ftp", "reboot", "read", "write", "policy", "test",
	"winbox", "password", "web", "sniff", "sensitive", "api", "romon", "rest-api"}

const (
	userTable       = "user"
	userGroupTable  = "user group"
	userActiveTable = "user active"
)

var userMenu = &menu{
	path: "user", nameProp: "name", noExport: true,
	props: []*prop{
		{name: "name", parse: pUserName, required: true},
		{name: "group", parse: pUserGroup, required: true},
		{name: "address", parse: pPrefixList},
		{name: "password", parse: pString, sensitive: true},
		comment, disabled,
	},
	check:   checkUser,
	columns: []string{"name", "group", "address"},
	readonly: func(t *tx, it *item) []Prop {
		if v, ok := it.props["last-logged-in"]; ok {
			return []Prop{{"last-logged-in", v}}
		}
		return nil
	},
}

var userGroupMenu = &menu{
	path: "user group", nameProp: "name",
	props: []*prop{
		{name: "name", parse: pUserName, required: true},
		// A group without policy= grants nothing (a 7.18 export writes
		// "add name=nologin" for a group no one may log in with).
		{name: "policy", parse: pPolicy},
		{name: "skin", parse: pNonEmpty, def: "default", show: true},
		comment,
	},
	check:   checkUserGroup,
	columns: []string{"name", "policy", "skin"},
}

var userActiveMenu = &menu{
	path: "user active", readOnly: true, table: userActiveTable,
	props: []*prop{
		{name: "when"}, {name: "name"}, {name: "address"}, {name: "via"}, {name: "group"},
	},
	columns: []string{"when", "name", "address", "via"},
}

var userSettingsMenu = &menu{
	path: "user settings", single: true,
	props: []*prop{
		{name: "minimum-password-length", parse: pInt(0, 64), def: "0", show: true},
		{name: "minimum-categories", parse: pInt(0, 4), def: "0", show: true},
	},
}

// userGroupV6Menu is /user group of RouterOS 6, whose built-in groups
// differ from 7's: no rest-api, read and write grant sensitive and tikapp
// and deny dude. A 6.49.2 verbose export (realcheck30) writes them "set
// read name=read policy=local,telnet,ssh,reboot,read,test,winbox,password,
// web,sniff,sensitive,api,romon,tikapp,!ftp,!write,!policy,!dude", write
// the same with write, full every policy with dude and tikapp. [verify]
// that the 6.3x and early 6.4x defaults were the same.
var userGroupV6Menu = &menu{
	path: "user group", nameProp: "name", major: 6,
	props:   userGroupMenu.props,
	check:   checkUserGroup,
	columns: userGroupMenu.columns,
	defaults: []map[string]string{
		{".id": "*1", "name": "read", "policy": "local,telnet,ssh,reboot,read,test,winbox,password,web,sniff,sensitive,api,romon,tikapp,!ftp,!write,!policy,!dude", "skin": "default"},
		{".id": "*2", "name": "write", "policy": "local,telnet,ssh,reboot,read,write,test,winbox,password,web,sniff,sensitive,api,romon,tikapp,!ftp,!policy,!dude", "skin": "default"},
		{".id": "*3", "name": "full", "policy": "local,telnet,ssh,ftp,reboot,read,write,policy,test,winbox,password,web,sniff,sensitive,api,romon,dude,tikapp", "skin": "default"},
	},
	defaultsV6Only: true,
}

func init() {
	userGroupMenu.major, userGroupMenu.defaultsV7Only = 7, true
	menus = append(menus, userMenu, userGroupMenu, userGroupV6Menu, userActiveMenu, userSettingsMenu)
}

// seedUsers gives a fresh router RouterOS's three groups and the user admin
// with an empty password. Their ids are RouterOS's own (*1...) and come from
// no counter, so that the ids of the items a configuration adds stay as they
// were before /user existed.
func seedUsers(m *model) {
	m.tables[userTable] = []*item{{id: 1, props: map[string]string{"name": "admin", "group": "full"}}}
}

// defaultGroups are RouterOS's three groups, ids *1 to *3. Their policy
// may be changed (real exports carry "/user group set read policy=..."),
// and export names them by name; they cannot be renamed or removed.
func defaultGroups() []map[string]string {
	all := strings.Join(userPolicies, ",")
	deny := func(ps ...string) string {
		granted := map[string]bool{}
		for _, p := range userPolicies {
			granted[p] = !slices.Contains(ps, p)
		}
		return policyString(granted)
	}
	return []map[string]string{
		{".id": "*1", "name": "read", "policy": deny("ftp", "write", "policy", "sensitive"), "skin": "default"},
		{".id": "*2", "name": "write", "policy": deny("ftp", "policy", "sensitive"), "skin": "default"},
		{".id": "*3", "name": "full", "policy": all, "skin": "default"},
	}
}

func init() {
	userGroupMenu.defaults = defaultGroups()
	userGroupMenu.exportRef = func(it *item) string { return quote(it.props["name"]) }
	userGroupV6Menu.exportRef = userGroupMenu.exportRef
}

func pUserName(_ *tx, name, v string) (string, error) {
	if v == "" || strings.ContainsAny(v, " \t,\"") {
		return "", errInvalid(name)
	}
	return v, nil
}

// pItemName is the name of a pool or a DHCP server: RouterOS takes spaces
// (real exports carry /ip pool add name="Pearl Guest" and /ip dhcp-server
// add name="CC Read"), not commas, which would split a list of names.
func pItemName(_ *tx, name, v string) (string, error) {
	if v == "" || strings.ContainsAny(v, ",\"") {
		return "", errInvalid(name)
	}
	return v, nil
}

func pUserGroup(t *tx, name, v string) (string, error) {
	if t.findByName(userGroupTable, v) == nil {
		return "", errNoMatch(name)
	}
	return v, nil
}

// pPolicy takes a comma list of policies, each possibly negated; the stored
// value names every policy: the granted ones, then the denied ones.
func pPolicy(t *tx, name, v string) (string, error) {
	granted := map[string]bool{}
	// RouterOS 6's dude and tikapp policies; 7.1.1 still had them (an
	// RB5009 export of 7.1.1 sets full to "...,dude,tikapp,rest-api").
	// [verify] the 7.x that dropped them: taken here before 7.2.
	v6 := t != nil && t.r != nil && (t.r.v6() || versionAtLeast(t.r.opts.Version, 7, 0) && !versionAtLeast(t.r.opts.Version, 7, 2))
	// RouterOS 6 has no rest-api policy: REST came with 7.1beta4 (REST
	// API page of the manual), and a 6.49.2 verbose export lists every
	// group's policies without it.
	only6 := t != nil && t.r != nil && t.r.v6()
	for _, f := range strings.Split(v, ",") {
		f = strings.TrimSpace(f)
		neg := strings.HasPrefix(f, "!")
		f = strings.TrimPrefix(f, "!")
		if !slices.Contains(userPolicies, f) && !(v6 && slices.Contains(v6Policies, f)) || only6 && f == restAPIPolicy {
			return "", errInvalid(name)
		}
		granted[f] = !neg
	}
	if only6 {
		return policyStringFor(granted, false), nil
	}
	return policyString(granted), nil
}

// restAPIPolicy is RouterOS 7's policy for the REST API.
const restAPIPolicy = "rest-api"

// v6Policies are RouterOS 6's policies for services rosemu does not run
// (The Dude, tikapp). v6 exports name them in /user group; they are kept as
// written, granted or denied, and grant access to nothing in the lab.
var v6Policies = []string{"dude", "tikapp"}

// policyString lists the granted policies, then the denied ones with "!",
// each in RouterOS's order, as RouterOS prints a group's policy.
func policyString(granted map[string]bool) string { return policyStringFor(granted, true) }

// policyStringFor is policyString for RouterOS 7 (withREST) or 6, whose
// policies have no rest-api: rosemu's export of a 6.49.2 group wrote
// ",!rest-api", which RouterOS 6 refuses (realcheck30 D4).
func policyStringFor(granted map[string]bool, withREST bool) string {
	var yes, no []string
	for _, p := range userPolicies {
		if p == restAPIPolicy && !withREST {
			continue
		}
		if granted[p] {
			yes = append(yes, p)
		} else {
			no = append(no, "!"+p)
		}
	}
	for _, p := range v6Policies {
		if g, named := granted[p]; named && g {
			yes = append(yes, p)
		} else if named {
			no = append(no, "!"+p)
		}
	}
	return strings.Join(append(yes, no...), ",")
}

// pPrefixList takes a comma list of addresses and prefixes (/user address,
// /ip service address); a bare address means that host.
func pPrefixList(_ *tx, name, v string) (string, error) {
	if v == "" {
		return "", nil
	}
	var out []string
	for _, f := range strings.Split(v, ",") {
		p, ok := parsePrefixOrAddr(strings.TrimSpace(f))
		if !ok {
			return "", errInvalid(name)
		}
		out = append(out, p.String())
	}
	return strings.Join(out, ","), nil
}

func parsePrefixOrAddr(s string) (netip.Prefix, bool) {
	if a, err := netip.ParseAddr(s); err == nil {
		return netip.PrefixFrom(a, a.BitLen()), true
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, false
	}
	return p.Masked(), true
}

// allowedFrom reports whether addr lies in a stored prefix list; an empty
// list allows every address.
func allowedFrom(list string, addr netip.Addr) bool {
	if list == "" {
		return true
	}
	addr = addr.Unmap()
	for _, f := range strings.Split(list, ",") {
		if p, ok := parsePrefixOrAddr(f); ok && p.Contains(addr) {
			return true
		}
	}
	return false
}

// checkUser keeps names unique and the password as long as /user settings
// asks. [verify] RouterOS's wording of both failures.
func checkUser(t *tx, it *item) error {
	for _, x := range t.m.tables[userTable] {
		if x.id != it.id && x.props["name"] == it.props["name"] {
			return errFailure("name", "user with the same name already exists")
		}
	}
	min, _ := strconv.Atoi(t.m.tables["user settings"][0].props["minimum-password-length"])
	if pw, ok := it.props["password"]; ok && len(pw) < min {
		return errFailure("password", "password is too short, minimum length is "+strconv.Itoa(min))
	}
	return nil
}

// checkUserGroup keeps group names unique. [verify] RouterOS's wording.
func checkUserGroup(t *tx, it *item) error {
	if it.builtin {
		if d := defaultOf(menuFor(userGroupTable, t.r.opts.Version), it); d != nil && d["name"] != it.props["name"] {
			return &Error{Msg: "failure: cannot change dynamic or builtin item", Category: 4}
		}
	}
	for _, x := range t.m.tables[userGroupTable] {
		if x.id != it.id && x.props["name"] == it.props["name"] {
			return errFailure("name", "group with the same name already exists")
		}
	}
	return nil
}

// groupInUse names the user of a group, for remove. RouterOS refuses to
// remove a group that a user belongs to. [verify] the wording.
func (t *tx) groupUser(name string) string {
	for _, u := range t.m.tables[userTable] {
		if u.props["group"] == name {
			return u.props["name"]
		}
	}
	return ""
}

// Login checks a login to one of the router's services: the user exists,
// is enabled, the password matches, remote lies in the user's address=
// list, and the user's group grants policy (ssh, api, telnet, ftp, winbox,
// web). On success the session shows in /user active until the returned
// function is called. remote may be nil (no address check).
func (r *Router) Login(user, password string, remote net.Addr, policy, via string) (logout func(), ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var u *item
	for _, x := range r.m.tables[userTable] {
		if x.props["name"] == user {
			u = x
		}
	}
	if u == nil || u.disabled() || u.props["password"] != password {
		return nil, false
	}
	addr := addrOf(remote)
	if addr.IsValid() && !allowedFrom(u.props["address"], addr) {
		return nil, false
	}
	var g *item
	for _, x := range r.m.tables[userGroupTable] {
		if x.props["name"] == u.props["group"] {
			g = x
		}
	}
	if g == nil || !slices.Contains(strings.Split(g.props["policy"], ","), policy) {
		return nil, false
	}
	now := time.Now()
	id := r.newID()
	sess := &item{id: id, props: map[string]string{"when": now.Format("2006-01-02 15:04:05"), "name": user,
		"via": via, "group": u.props["group"]}}
	if addr.IsValid() {
		sess.props["address"] = addr.String()
	}
	r.m.tables[userActiveTable] = append(slices.Clone(r.m.tables[userActiveTable]), sess)
	// last-logged-in is state, not configuration: it changes the committed
	// user in a copy, as SetDHCPStatus does for a client's status.
	users := slices.Clone(r.m.tables[userTable])
	for i, x := range users {
		if x.id == u.id {
			c := x.clone()
			c.props["last-logged-in"] = now.Format("2006-01-02 15:04:05")
			users[i] = c
		}
	}
	r.m.tables[userTable] = users
	return func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.m.tables[userActiveTable] = slices.DeleteFunc(slices.Clone(r.m.tables[userActiveTable]), func(x *item) bool { return x.id == id })
	}, true
}

func addrOf(a net.Addr) netip.Addr {
	switch v := a.(type) {
	case *net.TCPAddr:
		ip, _ := netip.AddrFromSlice(v.IP)
		return ip.Unmap()
	case *net.UDPAddr:
		ip, _ := netip.AddrFromSlice(v.IP)
		return ip.Unmap()
	}
	return netip.Addr{}
}

// userAAAMenu is /user aaa: logins through RADIUS. The lab has no RADIUS
// server, so it is stored only.
var userAAAMenu = &menu{
	path: "user aaa", single: true,
	props: []*prop{
		{name: "use-radius", parse: pBool, def: "no", show: true, isBool: true},
		{name: "accounting", parse: pBool, def: "yes", show: true, isBool: true},
		{name: "interim-update", parse: pLeaseTime, def: "0s", show: true},
		{name: "default-group", parse: pUserGroup, def: "read", show: true},
		{name: "exclude-groups", parse: pString, def: "", show: true},
	},
	notEnforced: "the lab has no RADIUS server; logins are checked against /user only",
}

func init() { menus = append(menus, userAAAMenu) }
