package config

import (
	"fmt"
	"time"
)

// BoardName is what rosemu answers for /system resource's board-name: it
// models a fresh CHR, and says that it is the emulator.
const BoardName = "CHR (rosemu)"

// resourceMenu is /system resource: read-only facts about the router.
// rosemu reports the version it emulates and the CHR it models; CPU and
// memory figures of the machine it runs on would mean nothing, so they are
// not shown.
var resourceMenu = &menu{
	path: "system resource", single: true, readOnly: true,
	readonly: func(t *tx, it *item) []Prop {
		up := time.Duration(0)
		if !t.r.sys.boot.IsZero() {
			up = t.now.Sub(t.r.sys.boot).Truncate(time.Second)
		}
		return []Prop{
			{"uptime", rosUptime(up)},
			{"version", t.r.opts.Version + " (stable)"},
			{"architecture-name", "x86_64"},
			{"board-name", BoardName},
			{"platform", "MikroTik"},
		}
	},
}

func init() { menus = append(menus, resourceMenu) }

// rosUptime writes a duration as RouterOS prints uptime: 1w2d3h4m5s, with
// the zero parts left out.
func rosUptime(d time.Duration) string {
	s := int64(d / time.Second)
	out := ""
	for _, u := range []struct {
		n    int64
		unit string
	}{{7 * 86400, "w"}, {86400, "d"}, {3600, "h"}, {60, "m"}} {
		if s >= u.n {
			out += fmt.Sprintf("%d%s", s/u.n, u.unit)
			s %= u.n
		}
	}
	if s > 0 || out == "" {
		out += fmt.Sprintf("%ds", s)
	}
	return out
}

// rpsMenu is /system resource irq rps: Receive Packet Steering per port,
// one built-in entry for each interface, disabled by default; CCR2004 and
// RB5009 exports of 7.19 write "set ether1 disabled=no". rosemu's ports
// are virtual links: the setting is stored. Source: the manual's IRQ and
// RPS section of the Resource page
// (https://help.mikrotik.com/docs/display/ROS/Resource) and those exports.
var rpsMenu = &menu{
	path: "system resource irq rps", nameProp: "name", noAdd: true,
	notEnforced: "rosemu's ports are virtual links: receive packet steering is stored, not applied",
	props: []*prop{
		{name: "name", parse: pInterface, required: true},
		{name: "disabled", parse: pBool, def: "yes", isBool: true, show: true},
	},
	onDemand: func(t *tx, name string) map[string]string {
		if t == nil || t.ifaceExists(name) {
			return map[string]string{"name": name}
		}
		return nil
	},
	exportRef: func(it *item) string { return it.props["name"] },
	columns:   []string{"name", "disabled"},
}

func init() { insertMenus("system identity", rpsMenu) }
