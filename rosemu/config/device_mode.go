package config

import "github.com/chrlab/chrlab/rosemu/script"

// /system device-mode: the features RouterOS 7 lets a router use, which
// only someone at the router may widen. Container set-up scripts begin
// with "/system device-mode update container=yes" (a multicast-relay
// container's app.rsc); it was "bad command name device-mode", and the
// script stopped there. On a router the update waits up to
// activation-timeout for a press of the reset or mode button or a power
// cycle and is cancelled without one; rosemu has neither, takes the update
// at once and gates nothing by it (its containers are stored only). The
// menu has print, get and update, no set. Sources: the Device-mode page of
// the manual (https://help.mikrotik.com/docs/x/eoCwBQ: "update: please
// activate by turning power off or pressing reset or mode button in
// 5m00s") and the feature list of 7.19.4's advanced mode in a forum
// thread (https://forum.mikrotik.com/t/default-device-mode-modes-exhaustive-list/264507/12).
// [verify] the first 7.x with the menu, and the default mode before 7.17
// (the manual's early text says enterprise).

const deviceModeReason = "rosemu has no device-mode: the update takes effect without the button press or power cycle RouterOS waits for, and gates no feature"

var deviceModeMenu = &menu{
	path: "system device-mode", single: true, readOnly: true, major: 7, notEnforced: deviceModeReason,
	props: []*prop{
		{name: "mode", parse: pEnum("advanced", "basic", "home", "rose", "enterprise"), def: "advanced", show: true, sinceMinor7: 17},
		{name: "mode", parse: pEnum("enterprise", "home"), def: "enterprise", show: true, beforeMinor7: 17},
		bProp("scheduler", "yes"),
		bProp("socks", "yes"),
		bProp("fetch", "yes"),
		bProp("pptp", "yes"),
		bProp("l2tp", "yes"),
		bProp("bandwidth-test", "yes"),
		bProp("traffic-gen", "no"),
		bProp("sniffer", "yes"),
		bProp("ipsec", "yes"),
		bProp("romon", "yes"),
		bProp("proxy", "yes"),
		bProp("hotspot", "yes"),
		bProp("smb", "yes"),
		bProp("email", "yes"),
		bProp("zerotier", "yes"),
		bProp("container", "no"),
		bProp("install-any-version", "no"),
		bProp("partitions", "no"),
		bProp("routerboard", "no"),
		bProp("flagging-enabled", "yes"),
	},
}

func init() {
	params := map[string]bool{"activation-timeout": true}
	for _, p := range deviceModeMenu.props {
		params[p.name] = true
	}
	deviceModeMenu.commands = map[string]menuCommand{
		"update": {syntax: &script.Syntax{Params: params}, run: deviceModeUpdate},
	}
	insertMenus("system identity", deviceModeMenu)
}

// deviceModeUpdate sets the features named; activation-timeout, how long
// RouterOS would wait for the confirmation, is checked and dropped.
func deviceModeUpdate(t *tx, req *request) (result, error) {
	up := *req
	up.args = nil
	for _, a := range req.args {
		if a.name == "activation-timeout" {
			if _, err := pTime(t, a.name, a.value); err != nil {
				return result{}, err
			}
			continue
		}
		up.args = append(up.args, a)
	}
	return t.set(deviceModeMenu, &up)
}
