package config

// appSettingsMenu is /app settings of RouterOS 7.21 and later: where the
// built-in container apps keep their disk and which bridge and router
// address they use. A 7.21 RB5009 export writes "/app settings set
// auto-update=no disk=usb-docker lan-bridge=... router-ip=...". rosemu runs
// no containers, so the settings are stored and reported. Only the four
// properties seen in exports are taken. [verify] against the App page of
// the manual: the other properties and their defaults, and whether
// lan-bridge must name an existing bridge. The apps themselves are appMenu.
var appSettingsMenu = &menu{
	path: "app settings", single: true, notEnforced: containerReason,
	since7: 21,
	props: []*prop{
		bProp("auto-update", "yes"),
		sProp("disk", ""),
		sProp("lan-bridge", ""),
		{name: "router-ip", parse: pIP},
	},
}

// appMenu is /app of RouterOS 7.21 and later: the built-in container
// apps, which an export sets by name ("/app set cinny
// firewall-redirects=8094:80:tcp:web", "set nextcloud
// container-command-lines=..." in a 7.23.3 hAP ax3's, realcheck30 D3).
// rosemu runs no containers, so they are stored and reported. rosemu has
// not RouterOS's catalogue of apps, so a set makes any name it is given:
// [verify] that RouterOS refuses a name its catalogue lacks ("no such
// item"). The properties are the /app fields of RouterOS's API (the
// ansible community.routeros API data, 7.21), and container-command-lines,
// which that 7.23.3 export writes; their defaults, and that an app is
// disabled until enabled, [verify] against the App page.
var appMenu = &menu{
	path: "app", nameProp: "name", noAdd: true, notEnforced: containerReason,
	since7: 21,
	props: []*prop{
		{name: "name", parse: pString, required: true},
		{name: "disabled", parse: pBool, def: "yes", isBool: true, show: true},
		sProp("auto-update", ""),
		sProp("environment", ""),
		sProp("extra-mounts", ""),
		sProp("firewall-redirects", ""),
		sProp("hw-device-access", ""),
		sProp("network", ""),
		sProp("required-mounts", ""),
		sProp("container-command-lines", ""),
		// The passwords and keys RouterOS generates for an app
		// (7.24beta3's changelog: "app - only generate secrets for
		// enabled apps"): a 7.23 export writes "set zulip
		// secrets=zulip__postgres_password:...,zulip__memcached_password:..."
		// without show-sensitive, so rosemu shows it too [verify] that
		// show-sensitive plays no part (realcheck32 D3).
		sProp("secrets", ""),
	},
	onDemand: func(_ *tx, name string) map[string]string {
		// disabled=yes stored, so print flags the app X as well.
		return map[string]string{"name": name, "disabled": "yes"}
	},
	exportRef: func(it *item) string { return it.props["name"] },
	columns:   []string{"name", "disabled"},
}

func init() { insertMenus("container config", appMenu, appSettingsMenu) }
