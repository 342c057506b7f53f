package config

// RouterOS 6.40 and older chose the MAC server's and neighbor discovery's
// interfaces one by one; 6.41 replaced both with interface lists
// (allowed-interface-list, discover-interface-list). Exports of those
// versions carry "/tool mac-server set [ find default=yes ] disabled=yes"
// and "add interface=ether2", and "/ip neighbor discovery set ether1
// discover=no". Stored like the later forms. Source: the 6.41 release
// notes and the MAC server and Neighbor discovery pages of the manual
// (https://help.mikrotik.com/docs/display/ROS/MAC+server,
// .../Neighbor+discovery).

func macServerV640Menu(path string) *menu {
	return &menu{
		path: path, table: path + " (6.40)", notEnforced: macServerReason, before6: 41,
		props: []*prop{
			{name: "interface", parse: pIfOrAll, required: true},
			comment, disabled,
		},
		defaults: []map[string]string{{"interface": "all"}},
		readonly: defaultFlag,
		columns:  []string{"interface"},
	}
}

var (
	macServerV640         = macServerV640Menu("tool mac-server")
	macWinboxV640         = macServerV640Menu("tool mac-server mac-winbox")
	neighborDiscoveryV640 = &menu{
		path: "ip neighbor discovery", table: "ip neighbor discovery (6.40)", nameProp: "name", noAdd: true, notEnforced: neighborReason, before6: 41,
		props: []*prop{
			{name: "name", parse: pInterface, required: true},
			bProp("discover", "yes"),
			comment, disabled,
		},
		onDemand: func(t *tx, name string) map[string]string {
			if t == nil || t.ifaceExists(name) {
				return map[string]string{"name": name}
			}
			return nil
		},
		exportRef: func(it *item) string { return it.props["name"] },
		columns:   []string{"name", "discover"},
	}
	// neighborSettingsV640 is /ip neighbor discovery settings of 6.40 and
	// older: whether a new interface, and a new dynamic one, discovers by
	// default (a 6.34.6 export: "set default=yes default-for-dynamic=no").
	neighborSettingsV640 = &menu{
		path: "ip neighbor discovery settings", single: true, notEnforced: neighborReason, before6: 41,
		props: []*prop{
			bProp("default", "yes"),
			bProp("default-for-dynamic", "no"),
		},
	}
)

func init() {
	insertMenus("ip neighbor discovery-settings", neighborDiscoveryV640, neighborSettingsV640)
	insertMenus("tool mac-server", macServerV640)
	insertMenus("tool mac-server mac-winbox", macWinboxV640)
}
