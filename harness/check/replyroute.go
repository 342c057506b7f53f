package check

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// A router with two WANs answers every connection by its routing table.
// A connection that came in on the second WAN is answered by the main
// table's default route, out through the first, with the second WAN's
// address as its source: the first ISP drops it (anti-spoofing, BCP 38),
// and the forward works from the internet on one WAN only. RouterOS's
// remedy is policy routing: mark the connections that come in on a WAN,
// and route their answers by that mark through it (help.mikrotik.com,
// "Policy Routing"; the forum's "port forward on the second WAN").

// mainWAN returns the WAN the main routing table's default route leaves
// by: the static default route or the DHCP or PPPoE client's route with
// the smallest distance. -1 when there is none, or two WANs tie (the
// router spreads over both).
func (p *Plan) mainWAN() int {
	best, bestDist, tie := -1, 1<<30, false
	consider := func(wi, dist int) {
		switch {
		case wi < 0:
		case dist < bestDist:
			best, bestDist, tie = wi, dist, false
		case dist == bestDist && wi != best:
			tie = true
		}
	}
	distance := func(c *export.Command, key string) int {
		if d, err := strconv.Atoi(c.Value(key)); err == nil {
			return d
		}
		return 1
	}
	for _, c := range p.export.Commands {
		if c.Verb != "add" || !enabled(c) {
			continue
		}
		switch c.MenuPath() {
		case "ip route":
			dst := c.Value("dst-address")
			if (dst != "" && dst != "0.0.0.0/0") || (c.Value("routing-table") != "" && c.Value("routing-table") != "main") || c.Value("routing-mark") != "" {
				continue
			}
			consider(p.wanOfGateway(c.Value("gateway")), distance(c, "distance"))
		case "ip dhcp-client":
			if c.Value("add-default-route") != "no" {
				consider(p.wanOfInterface(c.Value("interface")), distance(c, "default-route-distance"))
			}
		case "interface pppoe-client":
			if c.Value("add-default-route") == "yes" {
				name := c.Value("name")
				if name == "" {
					name = "pppoe-out1"
				}
				consider(p.wanOfInterface(name), distance(c, "default-route-distance"))
			}
		}
	}
	if tie {
		return -1
	}
	return best
}

// wanOfInterface is the index of the WAN whose L3 interface is name, -1 if none.
func (p *Plan) wanOfInterface(name string) int {
	for i, w := range p.WANs {
		if w.Interface == name {
			return i
		}
	}
	return -1
}

// wanOfGateway is the WAN a route's gateway lies on: an address in its
// subnet, or its interface named (pppoe-out1, or 198.51.100.1%ether2).
func (p *Plan) wanOfGateway(gw string) int {
	first, iface, _ := strings.Cut(strings.Split(gw, ",")[0], "%")
	if iface != "" {
		return p.wanOfInterface(iface)
	}
	if a, err := netip.ParseAddr(first); err == nil {
		for i, w := range p.WANs {
			if w.Address.IsValid() && w.Address.Masked().Contains(a) {
				return i
			}
		}
		return -1
	}
	return p.wanOfInterface(first)
}

// policyRouting reports whether the export routes by anything but the
// destination: routing marks, routing rules, mangle's route action. Such
// an export may well answer each WAN's connections through it; the
// diagnosis does not follow the marks, so it says nothing of them.
func (p *Plan) policyRouting() bool {
	for _, c := range p.export.Commands {
		if c.Verb != "add" || !enabled(c) {
			continue
		}
		switch c.MenuPath() {
		case "ip firewall mangle":
			if a := c.Value("action"); a == "mark-routing" || a == "route" {
				return true
			}
		case "routing rule", "ip route rule":
			return true
		}
	}
	return false
}

// replyWAN reports, for a forward's WAN wi, the other WAN its answers
// leave by, when nothing steers them back: two or more WANs, no policy
// routing, and the main default route on another WAN. Only WANs the fix
// can route through are said to break (a static WAN with its gateway, a
// PPPoE client): a DHCP WAN's gateway changes with its lease.
func (p *Plan) replyWAN(wi int) (int, bool) {
	if len(p.WANs) < 2 || p.policyRouting() {
		return 0, false
	}
	w := p.WANs[wi]
	if w.Behind() != "" || (w.Kind == "static" && !w.Gateway.IsValid()) || (w.Kind != "static" && w.Kind != "pppoe") {
		return 0, false
	}
	m := p.mainWAN()
	if m < 0 || m == wi {
		return 0, false
	}
	return m, true
}

// replyRouteFix is the policy routing that answers the connections that
// came in on WAN wi through it, for a server on seg: a connection mark at
// the door, a routing mark on the server's answers (and the router's own)
// and a default route through the WAN in a table of its own. RouterOS 6
// has no routing tables to add: its routes take the routing mark itself.
func (p *Plan) replyRouteFix(wi int, seg *Segment) (keys, lines []string) {
	w := p.WANs[wi]
	cm, rm := "in-"+w.Interface, "via-"+w.Interface
	gw := w.Interface
	if w.Kind == "static" {
		gw = w.Gateway.String()
	}
	v6 := strings.HasPrefix(p.labVersion, "6.")
	route := fmt.Sprintf("/ip route add dst-address=0.0.0.0/0 gateway=%s routing-table=%s comment=%s", gw, export.Quote(rm), export.Quote("answers through "+w.Interface))
	if v6 {
		route = fmt.Sprintf("/ip route add dst-address=0.0.0.0/0 gateway=%s routing-mark=%s comment=%s", gw, export.Quote(rm), export.Quote("answers through "+w.Interface))
	}
	if !v6 {
		keys = append(keys, "table "+rm)
		lines = append(lines, fmt.Sprintf("/routing table add name=%s fib", export.Quote(rm)))
	}
	keys = append(keys, "mark "+cm, "answer "+cm+" "+seg.Interface, "output "+cm, "route "+rm)
	lines = append(lines,
		fmt.Sprintf("/ip firewall mangle add chain=prerouting action=mark-connection connection-mark=no-mark in-interface=%s new-connection-mark=%s passthrough=yes comment=%s",
			export.Quote(w.Interface), export.Quote(cm), export.Quote("came in on "+w.Interface)),
		fmt.Sprintf("/ip firewall mangle add chain=prerouting action=mark-routing connection-mark=%s in-interface=%s new-routing-mark=%s passthrough=no comment=%s",
			export.Quote(cm), export.Quote(seg.Interface), export.Quote(rm), export.Quote("answers from "+seg.Interface+" through "+w.Interface)),
		fmt.Sprintf("/ip firewall mangle add chain=output action=mark-routing connection-mark=%s new-routing-mark=%s passthrough=no comment=%s",
			export.Quote(cm), export.Quote(rm), export.Quote("the router's answers through "+w.Interface)),
		route)
	return keys, lines
}

// fasttrackUnmarked returns a selector of the enabled fasttrack rules that
// take marked connections too (no connection-mark=no-mark).
func (p *Plan) fasttrackUnmarked() (string, bool) {
	for _, c := range p.export.Commands {
		if c.MenuPath() == "ip firewall filter" && c.Verb == "add" && enabled(c) && c.Value("action") == "fasttrack-connection" && c.Value("connection-mark") == "" {
			return "[ find where action=fasttrack-connection ]", true
		}
	}
	return "", false
}
