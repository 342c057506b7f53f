package config

// neighborListMenu is /ip neighbor: the routers the discovery protocols
// (MNDP, CDP, LLDP) found on the router's interfaces. rosemu sends and
// answers none of them (neighborReason), so the list is always empty:
// print, find, "print count-only" and "print as-value" see no neighbour,
// and a script that walks it ("[/ip neighbor find where identity~...]",
// a public script setting identities and passwords on neighbours, LLDP
// inventory scripts) runs and finds nothing, as on a router whose peers
// speak no discovery protocol. Was "bad command name find", which refused
// the whole script. Source: Neighbor discovery page of the manual,
// https://help.mikrotik.com/docs/display/ROS/Neighbor+discovery;
// [verify] its columns.
var neighborListMenu = &menu{path: "ip neighbor", readOnly: true, notEnforced: neighborReason,
	columns: []string{"interface", "address", "mac-address", "identity", "version", "board"}}

func init() { insertMenus("ip neighbor discovery-settings", neighborListMenu) }
