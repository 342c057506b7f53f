package config

// RouterOS 7's User Manager (/user-manager, the user-manager package, also
// built for CHR): a RADIUS server with routers (its NAS clients), users,
// profiles and limitations, as hotspot and PPPoE exports carry it
// ("/user-manager set enabled=yes", "/user-manager router add
// address=127.0.0.1 name=local shared-secret=..."). rosemu answers no
// RADIUS: everything is stored and reported. Sources: the User Manager page
// of the manual (https://help.mikrotik.com/docs/display/ROS/User+Manager)
// and the property lists of the RouterOS Terraform provider's user-manager
// resources.

const userManagerReason = "rosemu runs no User Manager: no RADIUS requests are answered"

func umList(path string, nameProp string, props ...*prop) *menu {
	m := &menu{path: path, major: 7, notEnforced: userManagerReason, props: append(props, comment), columns: []string{"name"}}
	if nameProp != "" {
		m.nameProp = nameProp
		m.check = checkUniqueName(path, "entry with such name already exists")
	}
	return m
}

var (
	umSettingsMenu = &menu{
		path: "user-manager", single: true, major: 7, notEnforced: userManagerReason,
		props: []*prop{
			bProp("enabled", "no"),
			withParse("authentication-port", "1812", pPortNum),
			withParse("accounting-port", "1813", pPortNum),
			sProp("certificate", "none"),
			sProp("require-message-auth", "yes-for-request-resp"),
			bProp("use-profiles", "no"),
		},
	}
	umRouterMenu = umList("user-manager router", "name",
		&prop{name: "name", parse: pChain, required: true},
		&prop{name: "address", parse: pAnyIP, required: true},
		&prop{name: "shared-secret", parse: pString, sensitive: true},
		withParse("coa-port", "3799", pPortNum),
		disabled)
	umLimitationMenu = umList("user-manager limitation", "name", append([]*prop{{name: "name", parse: pChain, required: true}},
		sProps("download-limit", "upload-limit", "transfer-limit", "uptime-limit", "rate-limit-rx", "rate-limit-tx",
			"rate-limit-min-rx", "rate-limit-min-tx", "rate-limit-burst-rx", "rate-limit-burst-tx", "rate-limit-burst-threshold-rx",
			"rate-limit-burst-threshold-tx", "rate-limit-burst-time-rx", "rate-limit-burst-time-tx", "rate-limit-priority",
			"reset-counters-interval", "reset-counters-start-time")...)...)
	umProfileMenu = umList("user-manager profile", "name",
		&prop{name: "name", parse: pChain, required: true},
		sProp("name-for-users", ""),
		sProp("price", "0"),
		eProp("starts-when", "assigned", "assigned", "first-auth"),
		sProp("validity", "unlimited"),
		sProp("override-shared-users", "off"))
	umProfileLimitationMenu = umList("user-manager profile-limitation", "",
		&prop{name: "profile", parse: pNamed("user-manager profile"), required: true},
		&prop{name: "limitation", parse: pNamed("user-manager limitation"), required: true},
		sProp("from-time", "0s"),
		sProp("till-time", "23h59m59s"),
		sProp("weekdays", "sunday,monday,tuesday,wednesday,thursday,friday,saturday"))
	umUserGroupMenu = umList("user-manager user group", "name",
		&prop{name: "name", parse: pChain, required: true},
		sProp("attributes", ""),
		sProp("inner-auths", ""),
		sProp("outer-auths", ""))
	umUserMenu = umList("user-manager user", "name",
		&prop{name: "name", parse: pChain, required: true},
		&prop{name: "password", parse: pString, sensitive: true},
		namedDefault("group", "default", "user-manager user group"),
		iProp("shared-users", "1", 0, 1<<20),
		sProp("attributes", ""),
		sProp("caller-id", ""),
		sProp("otp-secret", ""),
		disabled)
	umUserProfileMenu = umList("user-manager user-profile", "",
		&prop{name: "user", parse: pNamed("user-manager user"), required: true},
		&prop{name: "profile", parse: pNamed("user-manager profile"), required: true})
	umAttributeMenu = umList("user-manager attribute", "name",
		&prop{name: "name", parse: pChain, required: true},
		iProp("vendor-id", "0", 0, 1<<32-1),
		iProp("type-id", "0", 0, 255),
		sProp("value-type", "string"),
		sProp("packet-types", "access-accept"))
)

func init() {
	umUserGroupMenu.defaults = []map[string]string{{"name": "default"}, {"name": "default-anonymous"}}
	umUserGroupMenu.defaultsV7Only = true
	umUserGroupMenu.readonly = defaultFlag
	umUserGroupMenu.exportRef = func(it *item) string { return quote(it.props["name"]) }
	insertMenus("system script", umSettingsMenu, umRouterMenu, umAttributeMenu, umLimitationMenu, umProfileMenu,
		umProfileLimitationMenu, umUserGroupMenu, umUserMenu, umUserProfileMenu)
}
