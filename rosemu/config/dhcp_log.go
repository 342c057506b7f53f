package config

import (
	"fmt"
	"strings"
	"time"

	"github.com/chrlab/chrlab/rosemu/script"
)

// logMenu is /log: print (and find, get) over the entries that the memory
// actions of /system logging kept (logbook.go), oldest first: what :log,
// failing event scripts, the services and the firewall's log=yes rules
// wrote. buffer names the memory action, as RouterOS 7 shows it.
var logMenu = &menu{
	path: "log", readOnly: true,
	props:   []*prop{{name: "time"}, {name: "topics"}, {name: "message"}, {name: "buffer"}},
	columns: []string{"time", "topics", "message"},
}

// logItems shows the router's log as items. Ids are fixed while the
// buffers wrap. The entries
// that the scripts running now wrote with :log come after the kept ones:
// a script that logs and then reads /log finds its own lines, as on
// RouterOS, where :log writes the entry when it runs (Log page,
// https://help.mikrotik.com/docs/display/ROS/Log; Scripting page, :log
// "write a message to the system log"). rosemu keeps them with the run
// until it ends, so that they were invisible to /log before.
func (t *tx) logItems() []*item {
	var pending []script.LogEntry
	for _, in := range t.running {
		pending = append(pending, in.Log...)
	}
	entries := t.r.book.kept(pending)
	out := make([]*item, 0, len(entries))
	// Times are the router's clock's, in its /system clock time zone.
	loc := clockLocation(t.m)
	for _, e := range entries {
		out = append(out, &item{id: e.id, props: map[string]string{
			"time": e.Time.In(loc).Format("2006-01-02 15:04:05"), "topics": e.Topics, "message": e.Msg, "buffer": e.buffer,
		}})
	}
	return out
}

// printLog writes /log print as RouterOS does: no header and no numbers,
// one "time topics message" line per entry; the time alone for an entry
// of today, with its date otherwise (2024-09-15 09:54:33 on RouterOS 7,
// sep/15 09:54:33 on 6, with the year when it is another year). (Log
// page of the manual: "If logs are printed on the same date when the log
// entry was added, then only the time will be shown.")
func (t *tx) printLog(b *strings.Builder, items []*item) {
	now := t.now
	if now.IsZero() {
		now = time.Now()
	}
	loc := clockLocation(t.m)
	now = now.In(loc)
	v6 := t.v6()
	for _, it := range items {
		ts := it.props["time"]
		when, err := time.ParseInLocation("2006-01-02 15:04:05", ts, loc)
		if err == nil {
			switch {
			case when.Year() == now.Year() && when.YearDay() == now.YearDay():
				ts = when.Format("15:04:05")
			case v6 && when.Year() == now.Year():
				ts = strings.ToLower(when.Format("Jan/02 15:04:05"))
			case v6:
				ts = strings.ToLower(when.Format("Jan/02/2006 15:04:05"))
			}
		}
		fmt.Fprintf(b, " %s %s %s\n", ts, it.props["topics"], it.props["message"])
	}
}

// The commands info, warning, error and debug write an entry, as :log
// does: "/log info \"lease bound\"" and "/log warning message=..." in the
// lease and netwatch scripts of real exports (the Log page of the manual,
// https://help.mikrotik.com/docs/display/ROS/Log: "/log info|warning|error|debug").
// They were refused as "bad command name info", which refused the whole
// script line at load.
func init() {
	logMenu.commands = map[string]menuCommand{}
	for _, lvl := range []string{"info", "warning", "error", "debug"} {
		lvl := lvl
		logMenu.commands[lvl] = menuCommand{
			syntax: &script.Syntax{Params: map[string]bool{"message": true}, Unnamed: 1},
			run: func(t *tx, req *request) (result, error) {
				msg, ok := argValue(req.args, "message")
				if !ok {
					msg, ok = req.ref, req.hasRef
				}
				if !ok {
					return result{}, &Error{Msg: "missing value for argument message", Category: 1, arg: "message"}
				}
				t.r.appendLog(script.LogEntry{Time: t.now, Topics: "script," + lvl, Msg: msg})
				return result{}, nil
			},
		}
	}
}
