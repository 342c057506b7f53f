package config

import (
	"strconv"
	"strings"
	"time"

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

// trafficRates are the names /interface monitor-traffic gives, in
// RouterOS's order.
var trafficRates = []string{"rx-packets-per-second", "rx-bits-per-second", "rx-drops-per-second", "rx-errors-per-second",
	"tx-packets-per-second", "tx-bits-per-second", "tx-drops-per-second", "tx-errors-per-second"}

// /interface monitor-traffic <interface> once [as-value]: the interface's
// rates over the last second, from two readings of its link counters a
// second apart (the router's lock is let go meanwhile, as for :delay).
// Traffic scripts read ($m->"rx-bits-per-second") and compare it with a
// threshold; it was refused as "bad command name monitor-traffic". An
// offline check (validate) waits nothing and reads zeros. Source:
// Interface page of the manual (monitor-traffic) [verify] the names and
// whether once waits a second. The command is registered with the generic
// /interface menu's others (iface_generic.go).
//
// trafficMonitor is one reading of /interface monitor-traffic.
func trafficMonitor(t *tx, it *item) []Prop {
	name, link := it.props["name"], trafficName(it)
	lt, ok := t.r.opts.Links.(LinkTraffic)
	rates := make([]uint64, len(trafficRates))
	if ok {
		c1, _ := lt.Traffic(link)
		t1 := time.Now()
		if t.outside(func() { time.Sleep(time.Second) }) == nil {
			c2, _ := lt.Traffic(link)
			secs := time.Since(t1).Seconds()
			per := func(a, b uint64) uint64 {
				if b < a || secs <= 0 {
					return 0
				}
				return uint64(float64(b-a) / secs)
			}
			rates = []uint64{per(c1.RxPackets, c2.RxPackets), 8 * per(c1.RxBytes, c2.RxBytes), per(c1.RxDrops, c2.RxDrops), per(c1.RxErrors, c2.RxErrors),
				per(c1.TxPackets, c2.TxPackets), 8 * per(c1.TxBytes, c2.TxBytes), per(c1.TxDrops, c2.TxDrops), per(c1.TxErrors, c2.TxErrors)}
		}
	}
	ps := []Prop{{"name", name}}
	for i, n := range trafficRates {
		ps = append(ps, Prop{n, strconv.FormatUint(rates[i], 10)})
	}
	return ps
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
					// Rates are numbers: scripts compare them.
					if strings.HasSuffix(p.Name, "-per-second") {
						if n, err := strconv.ParseInt(p.Value, 10, 64); err == nil {
							arr.Keys[p.Name] = script.Num(n)
						}
					}
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
