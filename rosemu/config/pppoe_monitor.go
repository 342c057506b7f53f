package config

import (
	"strings"

	"github.com/chrlab/chrlab/rosemu/script"
)

// /interface pppoe-client monitor <client> once [as-value] [file=name]:
// the client's status as the service reports it (connecting...,
// connected, disconnected, ...), and while the session is up its
// local-address, remote-address and mtu. Failover scripts read
// ([/interface pppoe-client monitor pppoe-out1 once as-value]->"status")
// or write the monitor to a file and look for "status: " in it. rosemu
// takes one reading whether or not once is given (a console monitor that
// runs until interrupted has no place in a script) [verify]; the do={ }
// form, which RouterOS runs with the values as variables, is not taken.
// Was "bad command name monitor". Source: PPPoE page of the manual
// (client monitor), https://help.mikrotik.com/docs/display/ROS/PPPoE, and
// the File page for file= (the output written to name.txt),
// https://help.mikrotik.com/docs/display/ROS/File
func init() {
	if pppoeClientMenu.commands == nil {
		pppoeClientMenu.commands = map[string]menuCommand{}
	}
	pppoeClientMenu.commands["monitor"] = menuCommand{
		syntax: &script.Syntax{
			Params:  map[string]bool{"numbers": true, "file": true, "interval": true, "duration": true},
			Flags:   map[string]bool{"once": true, "as-value": true, "without-paging": true},
			Unnamed: 1,
		},
		run: func(t *tx, req *request) (result, error) {
			items, err := t.items(req.menu, req)
			if err != nil {
				return result{}, err
			}
			if len(items) == 0 {
				return result{}, t.noSuchItem()
			}
			if req.flags["as-value"] {
				arr := &script.Array{Keys: map[string]script.Value{}}
				for _, p := range pppoeClientStatus(t, items[0]) {
					arr.Keys[p.Name] = script.Str(p.Value)
				}
				return result{val: script.Value{Kind: script.KindArray, Arr: arr}}, nil
			}
			var b strings.Builder
			for _, it := range items {
				props := pppoeClientStatus(t, it)
				width := 0
				for _, p := range props {
					width = max(width, len(p.Name))
				}
				for _, p := range props {
					b.WriteString(strings.Repeat(" ", width-len(p.Name)) + p.Name + ": " + p.Value + "\n")
				}
			}
			if file, ok := argValue(req.args, "file"); ok && file != "" {
				name := strings.TrimPrefix(file, "/")
				if !strings.HasSuffix(name, ".txt") {
					name += ".txt"
				}
				w, err := t.fileStore("file")
				if err != nil {
					return result{}, err
				}
				if err := w.WriteFile(name, []byte(b.String())); err != nil {
					return result{}, errFailure("file", err.Error())
				}
				return result{}, nil
			}
			return result{text: b.String()}, nil
		},
	}
}
