package config

// RouterOS 6's User Manager, /tool user-manager: customers (the built-in
// admin), the database path, routers, profiles with their limitations,
// and users, as café and hotspot exports of 6.x carry them
// ("/tool user-manager customer set admin access=own-routers,...",
// "/tool user-manager router add customer=admin ip-address=127.0.0.1
// name=local shared-secret=..."). Stored and reported like 7's
// /user-manager. Source: the v6 manual's User Manager pages
// (https://wiki.mikrotik.com/wiki/User_Manager, now
// https://help.mikrotik.com/docs/display/ROS/User+Manager).

func umV6(path, nameProp string, props ...*prop) *menu {
	m := &menu{path: path, major: 6, notEnforced: userManagerReason, props: append(props, comment), columns: []string{nameProp}}
	if nameProp != "" {
		m.nameProp = nameProp
	}
	return m
}

var (
	umV6CustomerMenu = umV6("tool user-manager customer", "login",
		&prop{name: "login", parse: pChain, required: true},
		&prop{name: "password", parse: pString, sensitive: true},
		sProp("access", "own-routers,own-users,own-profiles,own-limits,config-payment-gw"),
		sProp("parent", ""),
		sProp("permissions", "owner"),
		sProp("time-zone", "+00:00"),
		sProp("currency", "USD"),
		sProp("signup-allowed", "no"),
		sProp("paypal-allowed", "no"),
		sProp("paypal-secure-response", "no"),
		sProp("paypal-accept-pending", "no"),
		sProp("backup-allowed", "yes"),
		disabled)
	umV6DatabaseMenu = &menu{
		path: "tool user-manager database", single: true, major: 6, notEnforced: userManagerReason,
		props: []*prop{sProp("db-path", "user-manager")},
	}
	umV6RouterMenu = umV6("tool user-manager router", "name",
		&prop{name: "name", parse: pChain, required: true},
		withParse("ip-address", "0.0.0.0", pAnyIP),
		&prop{name: "shared-secret", parse: pString, sensitive: true},
		sProp("customer", "admin"),
		sProp("log", "auth-fail"),
		bProp("use-coa", "no"),
		withParse("coa-port", "1700", pPortNum),
		disabled)
	umV6ProfileMenu = umV6("tool user-manager profile", "name",
		&prop{name: "name", parse: pChain, required: true},
		sProp("name-for-users", ""),
		sProp("owner", "admin"),
		sProp("price", "0"),
		sProp("starts-at", "logon"),
		sProp("validity", "0s"),
		sProp("override-shared-users", "off"))
	umV6LimitationMenu = umV6("tool user-manager profile limitation", "name", append([]*prop{{name: "name", parse: pChain, required: true}},
		sProps("owner", "address-list", "download-limit", "upload-limit", "transfer-limit", "uptime-limit", "group-name", "ip-pool", "ip-pool6",
			"rate-limit-rx", "rate-limit-tx", "rate-limit-min-rx", "rate-limit-min-tx", "rate-limit-burst-rx", "rate-limit-burst-tx",
			"rate-limit-burst-threshold-rx", "rate-limit-burst-threshold-tx", "rate-limit-burst-time-rx", "rate-limit-burst-time-tx",
			// RouterOS 6 spells these "treshold" in its exports (a 6.47.8
			// export: "rate-limit-burst-treshold-rx=3145728B").
			"rate-limit-burst-treshold-rx", "rate-limit-burst-treshold-tx",
			"rate-limit-priority")...)...)
	umV6ProfileLimitationMenu = umV6("tool user-manager profile profile-limitation", "",
		&prop{name: "profile", parse: pNamed("tool user-manager profile"), required: true},
		&prop{name: "limitation", parse: pNamed("tool user-manager profile limitation"), required: true},
		sProp("from-time", "0s"),
		sProp("till-time", "23h59m59s"),
		sProp("weekdays", "sunday,monday,tuesday,wednesday,thursday,friday,saturday"))
	umV6UserMenu = umV6("tool user-manager user", "username", append([]*prop{
		{name: "username", parse: pChain, required: true},
		{name: "password", parse: pString, sensitive: true},
		sProp("customer", "admin"),
		// A number or "unlimited" (a 6.47.8 export: "shared-users=unlimited").
		withParse("shared-users", "1", pIntOr("unlimited", 0, 1<<20)),
	}, sProps("caller-id", "first-name", "last-name", "email", "phone", "location", "ip-address", "ipv6-dns", "wireless-enc-algo",
		"wireless-enc-key", "wireless-psk", "group")...)...)
)

func init() {
	umV6CustomerMenu.defaults = []map[string]string{{"login": "admin"}}
	umV6CustomerMenu.defaultsV6Only = true
	umV6CustomerMenu.readonly = defaultFlag
	umV6CustomerMenu.exportRef = func(it *item) string { return quote(it.props["login"]) }
	umV6UserMenu.props = append(umV6UserMenu.props, disabled)
	insertMenus("system script", umV6CustomerMenu, umV6DatabaseMenu, umV6RouterMenu, umV6ProfileMenu, umV6LimitationMenu,
		umV6ProfileLimitationMenu, umV6UserMenu)
}
