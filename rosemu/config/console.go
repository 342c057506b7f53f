package config

import "strconv"

// consoleMenu is /system console: the router's login consoles, a serial
// port and, on x86 (a CHR), virtual consoles. Exports change them with
// "set [ find ] disabled=yes", "set [ find port=serial0 ] channel=0
// disabled=no port=serial0 term=vt102" or "set [ find vcno=1 ] channel=0
// disabled=no term=linux" (6.x and 7.x exports). rosemu has no console
// login: the entries are stored. Source: the manual's Console page
// (https://help.mikrotik.com/docs/display/ROS/Console) and those exports.
var consoleMenu = &menu{
	path: "system console", notEnforced: "rosemu has no serial or virtual console login: the settings are stored",
	props: []*prop{
		sProp("port", ""),
		sProp("vcno", ""),
		iProp("channel", "0", 0, 255),
		sProp("term", "vt102"),
		comment, disabled,
	},
	readonly: defaultFlag,
	columns:  []string{"port", "vcno", "term"},
}

func init() {
	consoleMenu.defaults = []map[string]string{{"port": "serial0"}}
	for i := 1; i <= 8; i++ {
		consoleMenu.defaults = append(consoleMenu.defaults, map[string]string{"vcno": strconv.Itoa(i), "term": "linux"})
	}
	consoleMenu.exportRef = func(it *item) string {
		if v := it.props["vcno"]; v != "" {
			return "[ find vcno=" + v + " ]"
		}
		return "[ find port=" + it.props["port"] + " ]"
	}
	insertMenus("system clock", consoleMenu)
}
