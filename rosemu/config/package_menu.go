package config

import (
	"strconv"
	"strings"

	"github.com/chrlab/chrlab/rosemu/script"
)

// /system package as scripts read it: [/system package get routeros
// version] (7) or [... get system version] (6) names the RouterOS version
// in backup file names and notices. The list holds that one package: a
// CHR's extra packages are not modelled. Source: Packages page of the
// manual, https://help.mikrotik.com/docs/display/ROS/Packages
var packageMenu = &menu{
	path: "system package", readOnly: true,
	props: []*prop{sProp("name", ""), sProp("version", "")},
	commands: map[string]menuCommand{
		"print": {run: (*tx).packagePrint},
		"find":  {run: (*tx).packageFind},
		"get":   {run: (*tx).packageGet},
		// enable and disable mark a package for the next reboot (a
		// RouterOS 6 script enables ipv6 and disables wireless so).
		"enable":  {syntax: packageMarkSyntax, run: (*tx).packageMark},
		"disable": {syntax: packageMarkSyntax, run: (*tx).packageMark},
		// downgrade reboots into the older packages uploaded to the
		// router (update scripts offer it after a failed upgrade); a lab
		// router has none uploaded, and the command fails saying so.
		// [verify] RouterOS's words when none are uploaded.
		"downgrade": {syntax: &script.Syntax{}, run: func(t *tx, _ *request) (result, error) {
			return result{}, &Error{Msg: "failure: no older packages have been uploaded (rosemu installs no packages)", Category: 4}
		}},
	},
}

var packageMarkSyntax = &script.Syntax{Params: map[string]bool{"numbers": true}, Unnamed: 1}

// packageNames are the packages of RouterOS 6 and 7 that enable and
// disable name: the Packages page of the manual lists them per version.
var packageNames = map[string]bool{
	"system": true, "routeros": true, "advanced-tools": true, "calea": true, "dhcp": true, "dude": true,
	"gps": true, "hotspot": true, "ipv6": true, "kvm": true, "lcd": true, "lora": true, "lte": true,
	"mpls": true, "multicast": true, "ntp": true, "openflow": true, "ppp": true, "routerboard": true,
	"routing": true, "security": true, "tr069-client": true, "ups": true, "user-manager": true,
	"wireless": true, "container": true, "iot": true, "wifi-qcom": true, "wifi-qcom-ac": true,
	"wifiwave2": true, "zerotier": true, "rose-storage": true, "extra-nic": true, "switch-marvell": true,
}

// packageReason says what rosemu does with enable and disable.
const packageReason = "rosemu installs no packages: a package enabled or disabled takes effect at a reboot, which a lab run does not do; nothing changes"

// packageMark checks the packages an enable or disable names; nothing is
// kept (rosemu has its menus whatever the packages), and validate reports
// the line as not enforced.
func (t *tx) packageMark(req *request) (result, error) {
	if !req.hasRef {
		return result{}, &Error{Msg: "missing value for argument numbers", Category: 1, arg: "numbers"}
	}
	for _, n := range strings.Split(req.ref, ",") {
		if !packageNames[n] && n != formatID(1) && n != "0" {
			return result{}, t.noSuchItem()
		}
	}
	t.r.sys.scriptGap = "/system package " + req.verb + ": " + packageReason
	return result{}, nil
}

func init() { insertMenus("system script", packageMenu) }

func (t *tx) packageRow() Row {
	name := "routeros"
	if t.v6() {
		name = "system"
	}
	return Row{{".id", formatID(1)}, {"name", name}, {"version", t.r.opts.Version}}
}

func (t *tx) packageSel(req *request) (bool, error) {
	if req.where == nil {
		return true, nil
	}
	return req.where(connValue(t.packageRow()))
}

func (t *tx) packageFind(req *request) (result, error) {
	ok, err := t.packageSel(req)
	if err != nil || !ok {
		return result{val: script.ArrayOf()}, err
	}
	return result{val: script.ArrayOf(script.ID(formatID(1)))}, nil
}

func (t *tx) packageGet(req *request) (result, error) {
	row := t.packageRow()
	name, _ := row.Get("name")
	if !req.hasRef {
		return result{}, &Error{Msg: "missing value for argument numbers", Category: 1, arg: "numbers"}
	}
	if req.ref != name && req.ref != formatID(1) && req.ref != "0" {
		return result{}, t.noSuchItem()
	}
	if len(req.extra) == 0 {
		return result{}, &Error{Msg: "missing value for argument value-name", Category: 1}
	}
	v, ok := row.Get(req.extra[0])
	if !ok {
		return result{}, &Error{Msg: "input does not match any value of value-name", Category: 1}
	}
	return result{val: script.Str(v)}, nil
}

func (t *tx) packagePrint(req *request) (result, error) {
	ok, err := t.packageSel(req)
	if err != nil {
		return result{}, err
	}
	var rows []Row
	if ok {
		rows = append(rows, t.packageRow())
	}
	if t.api {
		return result{rows: rows}, nil
	}
	text := ""
	for i, row := range rows {
		name, _ := row.Get("name")
		ver, _ := row.Get("version")
		text += strconv.Itoa(i) + " " + name + " " + ver + "\n"
	}
	return result{text: text, ret: text}, nil
}
