package config

// logMenu is a minimal /log: print (and find, get) over the entries that
// :log and failing event scripts wrote, oldest first. It exists so that a
// lease script's failure can be read the way RouterOS shows it; rosemu
// keeps no other log topics.
var logMenu = &menu{
	path: "log", readOnly: true,
	props:   []*prop{{name: "time"}, {name: "topics"}, {name: "message"}},
	columns: []string{"time", "topics", "message"},
}

// logItems shows the router's log as items. Ids count from the oldest kept
// entry, so they are stable only while the log does not wrap.
func (t *tx) logItems() []*item {
	out := make([]*item, 0, len(t.r.log))
	for i, e := range t.r.log {
		out = append(out, &item{id: uint64(i + 1), props: map[string]string{
			"time": e.Time.Format("2006-01-02 15:04:05"), "topics": e.Topics, "message": e.Msg,
		}})
	}
	return out
}
