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
