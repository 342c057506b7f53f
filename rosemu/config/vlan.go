package config

import "strconv"

// vlanMenu is /interface vlan: an 802.1Q sub-interface of a port or of a
// bridge (https://help.mikrotik.com/docs/spaces/ROS/pages/88014957/VLAN).
var vlanMenu = &menu{
	path: "interface vlan", nameProp: "name",
	props: []*prop{
		{name: "name", parse: pIfName},
		{name: "mtu", parse: pInt(68, 65535), def: "1500", show: true},
		{name: "arp", parse: pEnum("disabled", "enabled", "local-proxy-arp", "proxy-arp", "reply-only"), def: "enabled", show: true},
		{name: "arp-timeout", parse: pAutoOrTime, def: "auto", show: true},
		{name: "vlan-id", parse: pInt(1, 4095), required: true},
		{name: "interface", parse: pInterface, required: true},
		{name: "use-service-tag", parse: pBool, def: "no", isBool: true, show: true},
		{name: "loop-protect", parse: pEnum("default", "on", "off"), def: "default"},
		{name: "loop-protect-disable-time", parse: pTime, def: "5m"},
		{name: "loop-protect-send-interval", parse: pTime, def: "5s"},
		{name: "mvrp", parse: pBool, def: "no", isBool: true},
		// Early RouterOS 6 exports write a VLAN's L2 MTU ("add
		// interface=ether6 l2mtu=1594 name=... vlan-id=101" of a 6.27
		// export); stored, not applied. [verify] the last 6.x that
		// takes it.
		onlyV6(&prop{name: "l2mtu", parse: pInt(0, 65535), notEnforced: "rosemu keeps the lab's L2 MTU"}),
		comment, disabled,
	},
	check: checkVLAN,
	readonly: func(t *tx, it *item) []Prop {
		return []Prop{{"l2mtu", "1594"}, {"running", boolAPI(!it.disabled())}}
	},
	columns: []string{"name", "mtu", "arp", "vlan-id", "interface"},
}

func checkVLAN(t *tx, it *item) error {
	if err := checkIfaceName(t, it, "vlan"); err != nil {
		return err
	}
	if it.props["interface"] == it.props["name"] {
		return errFailure("interface", "vlan cannot be on itself")
	}
	if it.disabled() {
		return nil
	}
	// The added VLAN's props are read once, not once per VLAN: each one
	// added reads every other, and 2,000 VLANs made 10 million map reads.
	ifc, id := it.props["interface"], it.props["vlan-id"]
	for _, x := range t.m.tables["interface vlan"] {
		if x.id != it.id && x.props["vlan-id"] == id && x.props["interface"] == ifc && !x.disabled() {
			// [verify] RouterOS's wording for a second VLAN with the same
			// id on one interface.
			return errFailure("vlan-id", "vlan with vlan-id "+id+" already exists on "+ifc)
		}
	}
	return nil
}

// vlanMTUReason: rosemu keeps every port's MTU at 1500 (the lab's wires
// carry no more), and Linux caps a VLAN's MTU at its parent's, where
// RouterOS caps it at the parent's L2 MTU (a CCR's 9092, so 9000 fits).
const vlanMTUReason = "a VLAN's MTU above its port's 1500 is kept at 1500 (rosemu keeps the ports' MTU at 1500)"

// vlanMTUUse counts the VLANs whose MTU is above the 1500 their ports get.
func vlanMTUUse(m *model) []NotEnforcedItem {
	n := 0
	for _, it := range m.tables["interface vlan"] {
		if mtu, err := strconv.Atoi(effective(vlanMenu, it.props, "mtu")); err == nil && mtu > 1500 && !it.dynamic {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	return []NotEnforcedItem{{Path: "/interface vlan", Property: "mtu", Reason: vlanMTUReason, Count: n}}
}
