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

// consoleScreenMenu is /system console screen, the x86 virtual consoles'
// screen (a 7.17.2 CHR's verbose export: "set blank-interval=10min
// line-count=25"), and hardwareMenu is /system hardware, an x86 router's
// CPU settings ("set allow-x86-64=no multi-cpu=yes" in the same export).
// rosemu has neither a screen nor a CPU choice: stored. [verify] the
// values' ranges and defaults on a CHR; no manual page describes them.
var (
	consoleScreenMenu = &menu{
		path: "system console screen", single: true, notEnforced: "rosemu has no virtual console screen: the settings are stored",
		props: []*prop{
			sProp("blank-interval", "10min"),
			withParse("line-count", "25", pIntOr("auto", 1, 1000)),
		},
	}
	hardwareMenu = &menu{
		path: "system hardware", single: true, notEnforced: "rosemu runs on the machine's CPUs as they are: the settings are stored",
		props: []*prop{
			bProp("allow-x86-64", "no"),
			bProp("multi-cpu", "yes"),
		},
	}
)

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
	insertMenus("system clock", consoleMenu, consoleScreenMenu, hardwareMenu)
}
