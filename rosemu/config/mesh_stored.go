package config

// /interface mesh and /interface mesh port: HWMP+, MikroTik's layer-2
// routing for wireless (and Ethernet) mesh networks of the wireless
// package. A 7.22.3 hAP ax3 export still writes "/interface mesh port add
// interface=*22 mesh=*23"; 6.x WDS meshes add "/interface mesh add
// name=mesh1" and put their WDS and Ethernet ports in it. rosemu forwards
// no frames by HWMP+: the mesh is a stored interface (addresses, lists and
// rules may name it) and its ports stay as they are. Names and defaults
// follow the Mesh page of the manual
// (https://help.mikrotik.com/docs/display/ROS/Mesh); the port's
// hello-interval, path-cost and port-type defaults are those of the
// HWMP+ page of the v6 wiki [verify].

const meshReason = "rosemu runs no HWMP+: the mesh interface is stored and forwards no frames, its ports stay independent"

var (
	meshMenu = &menu{
		path: "interface mesh", nameProp: "name", notEnforced: meshReason,
		props: []*prop{
			{name: "name", parse: pIfName, required: true},
			withParse("admin-mac", "00:00:00:00:00:00", pMAC),
			eProp("arp", "enabled", "disabled", "enabled", "proxy-arp", "reply-only"),
			bProp("auto-mac", "no"),
			sProp("hwmp-default-hoplimit", ""),
			withParse("hwmp-prep-lifetime", "5m", pTime),
			bProp("hwmp-preq-destination-only", "yes"),
			bProp("hwmp-preq-reply-and-forward", "yes"),
			iProp("hwmp-preq-retries", "2", 0, 255),
			withParse("hwmp-preq-waiting-time", "4s", pTime),
			withParse("hwmp-rann-interval", "10s", pTime),
			withParse("hwmp-rann-lifetime", "1s", pTime),
			sProp("hwmp-rann-propagation-delay", "0.5"),
			bProp("mesh-portal", "no"),
			iProp("mtu", "1500", 0, 65535),
			bProp("reoptimize-paths", "no"),
			comment, disabled,
		},
		check:   checkStoredIfName("interface mesh"),
		columns: []string{"name", "mtu"},
	}
	meshPortMenu = &menu{
		path: "interface mesh port", notEnforced: meshReason,
		props: []*prop{
			{name: "interface", parse: pInterface, required: true},
			{name: "mesh", parse: pNamed("interface mesh"), required: true},
			withParse("hello-interval", "10s", pTime),
			iProp("path-cost", "10", 0, 65535),
			eProp("port-type", "auto", "auto", "WDS", "ethernet", "wireless"),
			comment, disabled,
		},
		columns: []string{"interface", "mesh", "port-type"},
	}
)

func init() {
	storedIfTables = append(storedIfTables, "interface mesh")
	// Export order: the mesh with the other interfaces, its ports after
	// the bridge ports (as wireless and WDS interfaces are made first).
	insertMenus("interface vlan", meshMenu)
	insertMenus("interface bridge port", meshPortMenu)
}
