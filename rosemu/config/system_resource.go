package config

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// BoardName is what rosemu answers for /system resource's board-name: it
// models a fresh CHR, and says that it is the emulator.
const BoardName = "CHR (rosemu)"

// resourceMenu is /system resource: read-only facts about the router.
// rosemu reports the version it emulates and the CHR it models, and the
// memory, CPU and disk figures of the machine it runs on, which is the lab
// router's (a CHR's are its virtual machine's): scripts read them
// (memory watchdogs that reboot below a threshold, "[/system resource get
// free-memory] / 1048576"), and every such script failed on the unknown
// value name.
var resourceMenu = &menu{
	path: "system resource", single: true, readOnly: true,
	readonly: func(t *tx, it *item) []Prop {
		up := time.Duration(0)
		if !t.r.sys.boot.IsZero() {
			up = t.now.Sub(t.r.sys.boot).Truncate(time.Second)
		}
		props := []Prop{
			{"uptime", rosUptime(up)},
			{"version", t.r.opts.Version + " (stable)"},
			{"architecture-name", "x86_64"},
			{"board-name", BoardName},
			{"platform", "MikroTik"},
			{"cpu", "x86_64"},
			{"cpu-count", strconv.Itoa(runtime.NumCPU())},
		}
		if total, free, ok := memInfo(); ok {
			props = append(props, Prop{"free-memory", strconv.FormatUint(free, 10)}, Prop{"total-memory", strconv.FormatUint(total, 10)})
		}
		if load, ok := cpuLoad(); ok {
			props = append(props, Prop{"cpu-load", strconv.Itoa(load)})
		}
		var fs unix.Statfs_t
		if unix.Statfs("/", &fs) == nil {
			props = append(props,
				Prop{"free-hdd-space", strconv.FormatUint(fs.Bavail*uint64(fs.Bsize), 10)},
				Prop{"total-hdd-space", strconv.FormatUint(fs.Blocks*uint64(fs.Bsize), 10)})
		}
		return props
	},
}

// resourceNumbers are /system resource's figures that get returns as
// numbers (bytes, percent, count), as RouterOS's get does.
var resourceNumbers = map[string]bool{"free-memory": true, "total-memory": true, "cpu-load": true, "cpu-count": true,
	"free-hdd-space": true, "total-hdd-space": true}

// memInfo reads MemTotal and MemAvailable from /proc/meminfo, in bytes.
func memInfo() (total, avail uint64, ok bool) {
	data, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0, 0, false
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		n, err := strconv.ParseUint(f[1], 10, 64)
		if err != nil {
			continue
		}
		switch f[0] {
		case "MemTotal:":
			total = n * 1024
		case "MemAvailable:":
			avail = n * 1024
		}
	}
	return total, avail, total > 0
}

// cpuLoad is the machine's CPU use in percent since the last reading (the
// first: since it booted), from /proc/stat. It does not wait for a second
// sample: every read of /system resource, a script's "get uptime" too,
// builds the whole row under the router's lock. RouterOS averages its own
// over a second.
func cpuLoad() (int, bool) {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, false
	}
	line, _, _ := strings.Cut(string(data), "\n")
	f := strings.Fields(line)
	if len(f) < 5 || f[0] != "cpu" {
		return 0, false
	}
	var busy, all uint64
	for i, v := range f[1:] {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return 0, false
		}
		all += n
		if i != 3 && i != 4 { // idle, iowait
			busy += n
		}
	}
	lastCPU.Lock()
	defer lastCPU.Unlock()
	prevBusy, prevAll := lastCPU.busy, lastCPU.all
	lastCPU.busy, lastCPU.all = busy, all
	if all <= prevAll || busy < prevBusy {
		return 0, true // no time counted since the last reading
	}
	return int((busy - prevBusy) * 100 / (all - prevAll)), true
}

// lastCPU is cpuLoad's previous reading.
var lastCPU struct {
	sync.Mutex
	busy, all uint64
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
