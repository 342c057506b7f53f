package config

// appSettingsMenu is /app settings of RouterOS 7.21 and later: where the
// built-in container apps keep their disk and which bridge and router
// address they use. A 7.21 RB5009 export writes "/app settings set
// auto-update=no disk=usb-docker lan-bridge=... router-ip=...". rosemu runs
// no containers, so the settings are stored and reported. Only the four
// properties seen in exports are taken. [verify] against the App page of
// the manual: the other properties and their defaults, and whether
// lan-bridge must name an existing bridge. The apps themselves (/app set
// victoria-logs ...) are RouterOS's built-in catalogue, which rosemu does
// not have: they stay refused.
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

func init() { insertMenus("container config", appSettingsMenu) }
