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
	pppoeClientMenu.commands["monitor"] = monitorCommand(pppoeClientStatus,
		"name", "status", "uptime", "active-links", "encoding", "service-name", "ac-name", "ac-mac", "mtu", "mru", "local-address", "remote-address")
	// /interface ethernet monitor <port> once [as-value] [file=]: the
	// port's name and status, link-ok while its link has carrier and
	// no-link once its cable is pulled (a lab step), with the rate and
	// duplex a CHR's virtio port shows [verify] while the link is up.
	// Scripts test it for a failover of their own. Source: Ethernet page
	// of the manual (monitor), https://help.mikrotik.com/docs/spaces/ROS/pages/8323191/Ethernet
	if ethernetMenu.commands == nil {
		ethernetMenu.commands = map[string]menuCommand{}
	}
	ethernetMenu.commands["monitor"] = monitorCommand(ethernetMonitor,
		"name", "status", "auto-negotiation", "rate", "full-duplex", "tx-flow-control", "rx-flow-control", "supported", "advertising", "link-partner-advertising")
}

// ethernetMonitor is what /interface ethernet monitor shows of a port.
func ethernetMonitor(t *tx, it *item) []Prop {
	ps := []Prop{{"name", it.props["name"]}}
	if !t.ifaceRunning(it) {
		return append(ps, Prop{"status", "no-link"})
	}
	return append(ps, Prop{"status", "link-ok"}, Prop{"auto-negotiation", "done"}, Prop{"rate", "1Gbps"}, Prop{"full-duplex", "yes"})
}

// monitorCommand is a menu's monitor <item> once [as-value] [file=]
// [do={ }]: one reading of status, as an array with as-value, to name.txt
// with file=, else printed as RouterOS aligns it. A do={ } block runs
// with the reading's values as its variables doVars ("/interface ethernet
// monitor ether1 once do={ :if ($rate = "10Mbps") do={ ... } }", the
// Scripting page's monitor-traffic example); a name the reading lacks (no
// rate while the link is down) is nothing there.
func monitorCommand(status func(t *tx, it *item) []Prop, doVars ...string) menuCommand {
	return menuCommand{
		syntax: &script.Syntax{
			Params:  map[string]bool{"numbers": true, "file": true, "interval": true, "duration": true},
			Flags:   map[string]bool{"once": true, "as-value": true, "without-paging": true},
			Unnamed: 1,
			DoVars:  doVars,
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
				for _, p := range status(t, items[0]) {
					arr.Keys[p.Name] = script.Str(p.Value)
				}
				return result{val: script.Value{Kind: script.KindArray, Arr: arr}}, nil
			}
			var b strings.Builder
			for _, it := range items {
				props := status(t, it)
				width := 0
				for _, p := range props {
					width = max(width, len(p.Name))
				}
				for _, p := range props {
					b.WriteString(strings.Repeat(" ", width-len(p.Name)) + p.Name + ": " + p.Value + "\n")
				}
			}
			if done, err := t.printToFile(req, b.String()); done || err != nil {
				return result{}, err
			}
			return result{text: b.String()}, nil
		},
	}
}
