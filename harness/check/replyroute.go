package check

import (
	"fmt"
	"net/netip"
	"slices"
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
// the smallest distance. -1 when there is none, or two WANs tie
// (defaultWAN says what the lab router, by its RouterOS version, makes of
// a tie; the callers that read -1 as "either WAN" are right on 7).
func (p *Plan) mainWAN() int {
	best, bestDist, tie := -1, 1<<30, false
	consider := func(_ *export.Command, wi, dist int) {
		switch {
		case wi < 0:
		case dist < bestDist:
			best, bestDist, tie = wi, dist, false
		case dist == bestDist && wi != best:
			tie = true
		}
	}
	p.defaultRoutes(false, consider)
	if tie {
		return -1
	}
	return best
}

// defaultRoutes calls fn with the line, WAN and distance of every enabled
// default route of the export: static routes, and those DHCP and PPPoE
// clients add. With anyTable, routes of other routing tables count too
// (the tables policy routing sends the LAN's connections to).
func (p *Plan) defaultRoutes(anyTable bool, fn func(c *export.Command, wi, dist int)) {
	for _, c := range p.export.Commands {
		if c.Verb != "add" || !enabled(c) {
			continue
		}
		switch c.MenuPath() {
		case "ip route":
			dst := c.Value("dst-address")
			if dst != "" && dst != "0.0.0.0/0" {
				continue
			}
			if !anyTable && ((c.Value("routing-table") != "" && c.Value("routing-table") != "main") || c.Value("routing-mark") != "") {
				continue
			}
			p.routeWANs(c, func(wi int) { fn(c, wi, routeDistance(c, "distance")) })
		case "ip dhcp-client":
			if c.Value("add-default-route") != "no" {
				fn(c, p.wanOfInterface(c.Value("interface")), routeDistance(c, "default-route-distance"))
			}
		case "interface pppoe-client":
			if c.Value("add-default-route") == "yes" {
				name := c.Value("name")
				if name == "" {
					name = "pppoe-out1"
				}
				fn(c, p.wanOfInterface(name), routeDistance(c, "default-route-distance"))
			}
		}
	}
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

// wanOfRoute is the WAN a static route's gateway lies on: an address in
// its subnet, or its interface named (pppoe-out1, or 198.51.100.1%ether2).
// A gateway on no WAN is looked up in the export's other routes, as
// RouterOS resolves a recursive next hop (gateway=8.8.8.8 target-scope=11
// over dst-address=8.8.8.8/32 gateway=<ISP1> scope=10, the forum's
// recursive failover): the WAN of the most specific route that holds it
// and whose scope is at most the route's target-scope. -1 when none does:
// RouterOS never makes the route active (forum46 D2: the host route
// without scope=10 left the recursive default route inactive, and the
// check took it for the main line).
func (p *Plan) wanOfRoute(c *export.Command) int {
	_, target := routeScopes(c)
	return p.wanOfGatewayDepth(c.Value("gateway"), target, 0)
}

// routeWANs calls fn with the WAN of each of a route's gateways, once per
// WAN: a route with gateways on two WANs ("gateway=203.0.113.1,198.18.0.1")
// is one ECMP route over both (IP Routing page, ECMP, both versions), as
// two routes of one distance are on RouterOS 7. It was read by its first
// gateway alone, so a forward on the second WAN whose answers the hash
// sends out of the first went unsaid (forum67 C1). fn gets -1 once when
// no gateway is on a WAN.
func (p *Plan) routeWANs(c *export.Command, fn func(wi int)) {
	gws := strings.Split(c.Value("gateway"), ",")
	if len(gws) < 2 {
		fn(p.wanOfRoute(c))
		return
	}
	_, target := routeScopes(c)
	var seen []int
	for _, gw := range gws {
		if wi := p.wanOfGatewayDepth(strings.TrimSpace(gw), target, 0); wi >= 0 && !slices.Contains(seen, wi) {
			seen = append(seen, wi)
			fn(wi)
		}
	}
	if len(seen) == 0 {
		fn(-1)
	}
}

// Static routes' scope and target-scope when the export leaves them out
// (IP Routing page, https://help.mikrotik.com/docs/display/ROS/IP+Routing;
// rosemu/kernel applies the same).
const (
	defaultRouteScope       = 30
	defaultRouteTargetScope = 10
)

// routeScopes is a static route's scope and target-scope, RouterOS's
// defaults where the export gives none.
func routeScopes(c *export.Command) (scope, target int) {
	scope, target = defaultRouteScope, defaultRouteTargetScope
	if n, err := strconv.Atoi(c.Value("scope")); err == nil {
		scope = n
	}
	if n, err := strconv.Atoi(c.Value("target-scope")); err == nil {
		target = n
	}
	return scope, target
}

// maxRecursion bounds the lookups of a recursive next hop; RouterOS
// resolves a few levels, and a loop of routes must not loop here.
const maxRecursion = 4

// wanOfGatewayDepth finds gw's WAN through routes whose scope is at most
// target (a connected subnet's scope is 10, within every target-scope).
func (p *Plan) wanOfGatewayDepth(gw string, target, depth int) int {
	first, iface := firstGateway(gw)
	if iface != "" {
		return p.wanOfInterface(iface)
	}
	a, err := netip.ParseAddr(first)
	if err != nil {
		return p.wanOfInterface(first)
	}
	if wi := p.wanOfAddr(a); wi >= 0 {
		return wi
	}
	if depth >= maxRecursion {
		return -1
	}
	best, bestBits := -1, -1
	for _, c := range p.export.Commands {
		if c.Verb != "add" || c.MenuPath() != "ip route" || !enabled(c) {
			continue
		}
		if t := c.Value("routing-table"); t != "" && t != "main" || c.Value("routing-mark") != "" {
			continue
		}
		if scope, _ := routeScopes(c); scope > target {
			continue
		}
		// A hand-written route names a host without /32 (the manual's
		// failover page: dst-address=8.8.8.8 scope=10), as RouterOS takes it.
		d, ok := prefixOf(c.Value("dst-address"))
		if !ok || d.Bits() == 0 || d.Bits() <= bestBits || !d.Contains(a) {
			continue
		}
		if wi := p.wanOfRouteDepth(c, depth+1); wi >= 0 {
			best, bestBits = wi, d.Bits()
		}
	}
	return best
}

func (p *Plan) wanOfRouteDepth(c *export.Command, depth int) int {
	_, target := routeScopes(c)
	return p.wanOfGatewayDepth(c.Value("gateway"), target, depth)
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
// routing, and the main default route on another WAN. WANs of the kinds
// the fix can route through: a static WAN with its gateway, a PPPoE
// client, a DHCP client (its gateway comes with the lease).
//
// With policy routing in the export, the answers are still said to leave
// by the main WAN when nothing can steer them: no routing rule, and every
// mangle rule that marks routing certainly does not match the server's
// answer (answer; a forward's server outside the LAN half a src-address
// mark sends to the other ISP, with no connection mark for what came in).
//
// spread is true when the main table's default routes tie on RouterOS 7
// and wi is one of their WANs: the one ECMP route sends each answer by the
// hash of its addresses, through wi or through other, so the forward may
// work or not. A WAN outside such a tie is answered through one of the
// tied WANs, certainly another (other is the first of them).
func (p *Plan) replyWAN(wi int, m *matcher, keep func(*export.Command) bool, answer packet) (other int, spread, ok bool) {
	if len(p.WANs) < 2 || p.policyRouting() && !p.answerUnmarked(m, keep, answer) {
		return 0, false, false
	}
	w := p.WANs[wi]
	switch {
	case w.Behind() != "":
		return 0, false, false
	case w.Kind == "static" && !w.Gateway.IsValid():
		return 0, false, false
	case w.Kind != "static" && w.Kind != "pppoe" && w.Kind != "dhcp":
		return 0, false, false
	}
	main, ecmp := p.defaultWAN()
	if len(ecmp) > 0 {
		for _, t := range ecmp {
			if t != wi {
				return t, slices.Contains(ecmp, wi), true
			}
		}
		return 0, false, false
	}
	if main < 0 || main == wi {
		return 0, false, false
	}
	return main, false, true
}

// tiedDefaults returns the WANs of the main table's default routes that
// tie for the smallest distance, in the export's order, with the line of
// each WAN's first such route, when they are all static routes of the
// export and leave by two or more WANs (a 7.15 RB5009's "add
// gateway=203.0.113.1" and "add gateway=198.18.7.1" with no distance).
// nil when there is no tie, or a tied route is a DHCP or PPPoE client's
// (left alone: what the client's route ties with is not read here).
func (p *Plan) tiedDefaults() (wans, lines []int) {
	bestDist, dynamic := 1<<30, false
	p.defaultRoutes(false, func(c *export.Command, wi, dist int) {
		switch {
		case wi < 0 || dist > bestDist:
		case dist < bestDist:
			wans, lines, bestDist, dynamic = []int{wi}, []int{c.Line}, dist, c.MenuPath() != "ip route"
		case c.MenuPath() != "ip route":
			dynamic = true
		case !slices.Contains(wans, wi):
			wans, lines = append(wans, wi), append(lines, c.Line)
		}
	})
	if dynamic || len(wans) < 2 {
		return nil, nil
	}
	return wans, lines
}

// equalDefaults returns the WANs of the main table's default routes that
// share the least distance when they leave by two or more WANs, a DHCP or
// PPPoE client's route included (a 6.46 router's DHCP client on ether1,
// distance 1 by default, beside "add distance=1 gateway=192.168.30.1"),
// with a line of each: none of them is a backup. On RouterOS 7 they are
// one ECMP route (ecmpTies); on RouterOS 6 separate routes of one
// distance leave one of them active [verify which], and only a route
// with two gateways is spread. nil when one route has the least distance.
func (p *Plan) equalDefaults() (wans, lines []int) {
	best := 1 << 30
	p.defaultRoutes(false, func(c *export.Command, wi, dist int) {
		switch {
		case wi < 0 || dist > best:
		case dist < best:
			wans, lines, best = []int{wi}, []int{c.Line}, dist
		case !slices.Contains(wans, wi):
			wans, lines = append(wans, wi), append(lines, c.Line)
		}
	})
	if len(wans) < 2 {
		return nil, nil
	}
	return wans, lines
}

// equalWords names equalDefaults' routes by line and WAN ("line 6 by
// ether1, line 8 by ether2"), with the WANs' indexes; "" without them.
func (p *Plan) equalWords() (string, []int) {
	wans, lines := p.equalDefaults()
	return p.lineWANWords(wans, lines), wans
}

// lineWANWords names routes by line and WAN, "line 6 by ether1, line 8 by
// ether2"; one route's gateways on several WANs go together, "line 6 by
// ether1 and ether2".
func (p *Plan) lineWANWords(wans, lines []int) string {
	var names []string
	for k := 0; k < len(wans); {
		ifaces := []string{p.WANs[wans[k]].Interface}
		n := k + 1
		for ; n < len(wans) && lines[n] == lines[k]; n++ {
			ifaces = append(ifaces, p.WANs[wans[n]].Interface)
		}
		names = append(names, fmt.Sprintf("line %d by %s", lines[k], strings.Join(ifaces, " and ")))
		k = n
	}
	return strings.Join(names, ", ")
}

// ecmpTies reports whether the lab router joins default routes of one
// table and distance into one ECMP route, as RouterOS 7 does ("AS+" on
// the IP Routing page, https://help.mikrotik.com/docs/display/ROS/IP+Routing;
// rosemu's kernel.State.NoECMPTies): every version but RouterOS 6, on
// which rosemu installs the first and keeps the others inactive [verify].
// An export without a version runs on rosemu's default, a RouterOS 7.
func (p *Plan) ecmpTies() bool { return !strings.HasPrefix(p.labVersion, "6.") }

// defaultWAN is the WAN the main table's default route leaves by, as the
// lab router installs it: mainWAN, or on RouterOS 6 the first of a tie of
// static routes (tiedDefaults). On RouterOS 7 such a tie is one ECMP route
// over the WANs in ecmp, and wi is -1: each connection leaves by the hash
// of its addresses. -1 and nil when there is no default route, or a tie
// the diagnosis does not read (a DHCP or PPPoE client's route in it).
func (p *Plan) defaultWAN() (wi int, ecmp []int) {
	if wi := p.mainWAN(); wi >= 0 {
		return wi, nil
	}
	tied, lines := p.tiedDefaults()
	switch {
	case len(tied) == 0:
		return -1, nil
	case p.ecmpTies() || oneRoute(lines):
		return -1, tied
	}
	return tied[0], nil
}

// oneRoute reports whether a tie is one route's gateways (every line the
// same): ECMP on RouterOS 6 too, where separate routes of one distance
// leave one active.
func oneRoute(lines []int) bool {
	return len(lines) > 1 && !slices.ContainsFunc(lines, func(l int) bool { return l != lines[0] })
}

// ecmpWords says how the main table's tie is one ECMP route, with its
// routes by line and WAN: two routes of one distance that RouterOS 7
// joins, or one route with gateways on several WANs.
func (p *Plan) ecmpWords() string {
	tied, lines := p.tiedDefaults()
	tie := p.lineWANWords(tied, lines)
	if oneRoute(lines) {
		return fmt.Sprintf("the main table's default route has gateways on several WANs (%s), one ECMP route", tie)
	}
	return fmt.Sprintf("the main table's default routes tie (%s) and RouterOS 7 installs them as one ECMP route", tie)
}

// tieWords names the main table's tied default routes by line and WAN
// ("line 47 by ether1, line 48 by ether2") and the line of the first; ""
// without a tie.
func (p *Plan) tieWords() (string, int) {
	tied, lines := p.tiedDefaults()
	if len(tied) == 0 {
		return "", 0
	}
	return p.lineWANWords(tied, lines), lines[0]
}

// answerUnmarked reports whether the export's policy routing certainly
// leaves answer to the main table: no routing rule, no mangle route
// action, and every mark-routing rule in prerouting (where the answer
// from the LAN is marked) certainly misses it; a mark-routing rule in any
// other chain but output (which the answer does not pass) may be jumped
// to, and is not weighed.
func (p *Plan) answerUnmarked(m *matcher, keep func(*export.Command) bool, answer packet) bool {
	for _, c := range p.export.Commands {
		if c.Verb != "add" || !enabled(c) || !keep(c) {
			continue
		}
		switch c.MenuPath() {
		case "routing rule", "ip route rule":
			return false
		case "ip firewall mangle":
			switch a := c.Value("action"); {
			case a == "route":
				return false
			case a != "mark-routing":
			case c.Value("chain") == "output":
			case c.Value("chain") != "prerouting" || m.match(c, answer) != no:
				return false
			}
		}
	}
	return true
}

// replyRouteFix is the policy routing that answers the connections that
// came in on WAN wi through it, for a server on seg: a connection mark at
// the door, a routing mark on the server's answers (and the router's own)
// and a default route through the WAN in a table of its own. RouterOS 6
// has no routing tables to add: its routes take the routing mark itself.
//
// A DHCP WAN's gateway comes with its lease: the route takes the client's
// gateway now, and the client's script puts it back on every new lease
// (RouterOS runs it with $bound and $"gateway-address"). A client that has
// a script of its own keeps it: no fix is proposed then (ok false).
func (p *Plan) replyRouteFix(wi int, seg *Segment) (keys, lines []string, ok bool) {
	w := p.WANs[wi]
	cm, rm := "in-"+w.Interface, "via-"+w.Interface
	v6 := strings.HasPrefix(p.labVersion, "6.")
	if t := p.wanTable(wi); t != "" {
		// The export already has a table whose default route leaves
		// by this WAN (often unused: no mark sends anything to it):
		// the marks take it, and no second table with the same route
		// is added (chk58 D5).
		keys = append(keys, "mark "+cm, "answer "+cm+" "+seg.Interface, "output "+cm)
		return keys, append(lines, p.replyMarks(w, seg, cm, t)...), true
	}
	table := "routing-table=" + export.Quote(rm)
	if v6 {
		table = "routing-mark=" + export.Quote(rm)
	}
	comment := "answers through " + w.Interface
	gw := w.Interface
	var script, lease string
	switch w.Kind {
	case "static":
		gw = w.Gateway.String()
	case "dhcp":
		client := p.dhcpClientOn(w.Interface)
		if client == nil || client.Value("script") != "" {
			return nil, nil, false
		}
		sel := "[ find where interface=" + export.Quote(w.Interface) + " ]"
		gw = "$gw"
		// A client without a lease yet has no gateway: the route waits
		// for the script instead of failing with "gateway not specified".
		lease = ":local gw [/ip dhcp-client get " + sel + " gateway]; :if ([:len $gw] > 0) do={"
		remove := "/ip route remove [find where comment=" + export.Quote(comment) + "]"
		script = fmt.Sprintf("/ip dhcp-client set %s script=%s", sel, export.Quote(
			":if ($bound=1) do={"+remove+"; /ip route add dst-address=0.0.0.0/0 gateway=$\"gateway-address\" "+table+" comment="+export.Quote(comment)+"} else={"+remove+"}"))
	}
	route := fmt.Sprintf("/ip route add dst-address=0.0.0.0/0 gateway=%s %s comment=%s", gw, table, export.Quote(comment))
	if lease != "" {
		route = lease + route + "}"
	}
	if !v6 {
		keys = append(keys, "table "+rm)
		lines = append(lines, fmt.Sprintf("/routing table add name=%s fib", export.Quote(rm)))
	}
	keys = append(keys, "mark "+cm, "answer "+cm+" "+seg.Interface, "output "+cm, "route "+rm)
	lines = append(append(lines, p.replyMarks(w, seg, cm, rm)...), route)
	if script != "" {
		keys = append(keys, "script "+rm)
		lines = append(lines, script)
	}
	return keys, lines, true
}

// replyMarks are the mangle rules of replyRouteFix: the connection mark
// at WAN w's door, the routing mark rm on the answers from seg and on the
// router's own.
func (p *Plan) replyMarks(w WAN, seg *Segment, cm, rm string) []string {
	return []string{
		fmt.Sprintf("/ip firewall mangle add chain=prerouting action=mark-connection connection-mark=no-mark in-interface=%s new-connection-mark=%s passthrough=yes comment=%s",
			export.Quote(w.Interface), export.Quote(cm), export.Quote("came in on "+w.Interface)),
		fmt.Sprintf("/ip firewall mangle add chain=prerouting action=mark-routing connection-mark=%s in-interface=%s new-routing-mark=%s passthrough=no comment=%s",
			export.Quote(cm), export.Quote(seg.Interface), export.Quote(rm), export.Quote("answers from "+seg.Interface+" through "+w.Interface)),
		fmt.Sprintf("/ip firewall mangle add chain=output action=mark-routing connection-mark=%s new-routing-mark=%s passthrough=no comment=%s",
			export.Quote(cm), export.Quote(rm), export.Quote("the router's answers through "+w.Interface)),
	}
}

// wanTable is the routing table (RouterOS 6: the routing mark) of an
// enabled default route of the export that leaves by static WAN wi's
// gateway, "" if none. On RouterOS 7 the table must be added with fib,
// or its routes stay out of the forwarding table (nofib.go). A DHCP
// WAN's gateway changes with its lease: not matched.
func (p *Plan) wanTable(wi int) string {
	w := p.WANs[wi]
	if w.Kind != "static" || !w.Gateway.IsValid() || p.export == nil {
		return ""
	}
	keep := p.keeper(p.export)
	v6 := strings.HasPrefix(p.labVersion, "6.")
	for _, c := range p.export.Commands {
		if c.MenuPath() != "ip route" || c.Verb != "add" || !keep(c) || !enabled(c) {
			continue
		}
		if d := c.Value("dst-address"); d != "" && d != "0.0.0.0/0" {
			continue
		}
		gw, _, _ := strings.Cut(c.Value("gateway"), "%")
		if a, err := netip.ParseAddr(gw); err != nil || a != w.Gateway {
			continue
		}
		t := c.Value("routing-table")
		if v6 {
			t = c.Value("routing-mark")
		}
		if t == "" || t == "main" {
			continue
		}
		if v6 || slices.ContainsFunc(p.export.Commands, func(r *export.Command) bool {
			// The flag written bare is the command's target (nofib.go).
			fib := r.Value("fib") == "yes" || slices.Contains(strings.Fields(r.Target), "fib")
			return r.MenuPath() == "routing table" && r.Verb == "add" && keep(r) && enabled(r) && r.Value("name") == t && fib
		}) {
			return t
		}
	}
	return ""
}

// dhcpClientOn is the export's DHCP client on iface, nil if none.
func (p *Plan) dhcpClientOn(iface string) *export.Command {
	for _, c := range p.export.Commands {
		if c.MenuPath() == "ip dhcp-client" && c.Verb == "add" && c.Value("interface") == iface {
			return c
		}
	}
	return nil
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

// markedRouteViaPort returns the export's route of a routing mark (or
// table) whose gateway is the WAN's own Ethernet-like interface: a route
// "gateway=ether2" that answers are steered to. On Ethernet, a VLAN or a
// bridge such a route has no next hop: the router asks ARP for every
// destination, and only an ISP that answers ARP for the whole internet
// (proxy ARP) makes it work. A PPPoE client's interface has one peer, so
// its routes may name it.
func (p *Plan) markedRouteViaPort(wi int) *export.Command {
	w := p.WANs[wi]
	if w.Kind == "pppoe" || w.Behind() != "" {
		return nil
	}
	for _, c := range p.export.Commands {
		if c.MenuPath() != "ip route" || c.Verb != "add" || !enabled(c) {
			continue
		}
		dst := c.Value("dst-address")
		table := c.Value("routing-table")
		if dst != "" && dst != "0.0.0.0/0" || (c.Value("routing-mark") == "" && (table == "" || table == "main")) {
			continue
		}
		if gw, _ := firstGateway(c.Value("gateway")); gw == w.Interface {
			return c
		}
	}
	return nil
}

// mainRouteViaPort returns the main table's default route of a static WAN
// whose gateway is the WAN's own port (gateway=ether1), when no default
// route of main names a next hop beside it: every answer, and the LAN's
// whole internet, then waits on ARP for its destination, as with
// markedRouteViaPort's routes. A DHCP WAN's client installs its own route
// with the lease's gateway, so only static WANs are read.
func (p *Plan) mainRouteViaPort(wi int) *export.Command {
	w := p.WANs[wi]
	if w.Kind != "static" || w.Behind() != "" {
		return nil
	}
	var port *export.Command
	for _, c := range p.export.Commands {
		if c.MenuPath() != "ip route" || c.Verb != "add" || !enabled(c) {
			continue
		}
		dst, table := c.Value("dst-address"), c.Value("routing-table")
		if dst != "" && dst != "0.0.0.0/0" || c.Value("routing-mark") != "" || table != "" && table != "main" {
			continue
		}
		gw, _ := firstGateway(c.Value("gateway"))
		if _, err := netip.ParseAddr(gw); err == nil {
			return nil
		}
		if gw == w.Interface && port == nil {
			port = c
		}
	}
	return port
}

// portRouteFix gives the marked route its next hop: the static WAN's
// gateway, or a DHCP WAN's lease gateway now and, through the client's
// script, on every new lease (ok false when the client has a script of
// its own, which the fix does not replace).
func (p *Plan) portRouteFix(wi int, route *export.Command) (keys, lines []string, ok bool) {
	w := p.WANs[wi]
	sel := p.ruleSelector(route.Line)
	switch w.Kind {
	case "static":
		if !w.Gateway.IsValid() {
			return nil, nil, false
		}
		return []string{"port route " + sel}, []string{fmt.Sprintf("/ip route set %s gateway=%s", sel, w.Gateway)}, true
	case "dhcp":
		client := p.dhcpClientOn(w.Interface)
		if client == nil || client.Value("script") != "" {
			return nil, nil, false
		}
		csel := "[ find where interface=" + export.Quote(w.Interface) + " ]"
		mark := "routing-mark=" + export.Quote(route.Value("routing-mark"))
		if route.Value("routing-mark") == "" {
			mark = "routing-table=" + export.Quote(route.Value("routing-table"))
		}
		keep := "/ip route set [find where dst-address=0.0.0.0/0 and " + mark + "] gateway=$\"gateway-address\""
		return []string{"port route " + sel, "port route script " + w.Interface}, []string{
			// Without a lease yet the route waits for the script.
			fmt.Sprintf(":local gw [/ip dhcp-client get %s gateway]; :if ([:len $gw] > 0) do={/ip route set %s gateway=$gw}", csel, sel),
			fmt.Sprintf("/ip dhcp-client set %s script=%s", csel, export.Quote(":if ($bound=1) do={"+keep+"}")),
		}, true
	}
	return nil, nil, false
}

// firstGateway splits a route's gateway= value: its first gateway (of a
// comma list), an address or an interface name, and the interface after
// a % (198.51.100.1%ether2), if any.
func firstGateway(v string) (gw, iface string) {
	gw, iface, _ = strings.Cut(strings.Split(v, ",")[0], "%")
	return gw, iface
}

// RuleSendsAnswers is the cause of a routing rule that sends a forward's
// answers to a table whose default route leaves by another WAN.
const RuleSendsAnswers Cause = "a routing rule sends the server's answers to a routing table whose default route leaves by another WAN, which drops a source address it did not give: the forward's connections come in on this WAN and are never answered through it (routing rules choose the table by the packet's source, not by the WAN its connection came in on)"

// ruleSendsAnswers finds the routing rule (/routing rule in RouterOS 7,
// /ip route rule in 6) that takes a forward's answer (from its server, to
// the internet's peer, coming in from the server's segment) to a table of
// its own whose default route leaves by another WAN than wi: the server's
// own traffic sent to the second ISP ("backups go out ISP2"), its answers
// to the first ISP's forward with it. The first rule that certainly
// matches decides (rules are taken in order; src-address, dst-address and
// interface, the incoming one, are what a rule matches, and lookup and
// lookup-only-in-table look in its table:
// https://help.mikrotik.com/docs/spaces/ROS/pages/331612232/routing+rule,
// and the Policy Routing page, https://help.mikrotik.com/docs/x/RACTAw);
// a rule check cannot read (min-prefix, a chain of its own), a routing
// mark the answer may carry, or a mangle route action leave it unsaid.
func (p *Plan) ruleSendsAnswers(wi int, m *matcher, keep func(*export.Command) bool, answer packet) (*export.Command, int, bool) {
	if len(p.WANs) < 2 {
		return nil, 0, false
	}
	marked := false
	for _, c := range p.export.Commands {
		if c.Verb == "add" && enabled(c) && keep(c) && c.MenuPath() == "ip firewall mangle" {
			if a := c.Value("action"); a == "route" || a == "mark-routing" && c.Value("chain") != "output" && m.match(c, answer) != no {
				marked = true
			}
		}
	}
	if marked {
		return nil, 0, false
	}
	for _, c := range p.export.Commands {
		if c.Verb != "add" || !enabled(c) || !keep(c) || (c.MenuPath() != "routing rule" && c.MenuPath() != "ip route rule") {
			continue
		}
		if c.Value("routing-mark") != "" {
			continue // the answer carries no routing mark
		}
		match := yes
		for _, k := range []string{"src-address", "dst-address"} {
			v := c.Value(k)
			if v == "" {
				continue
			}
			a := answer.src
			if k == "dst-address" {
				a = answer.dst
			}
			match = and(match, m.addr(v, a))
		}
		if v := c.Value("interface"); v != "" {
			match = and(match, iface(v, answer.in))
		}
		for _, a := range c.Args {
			switch a.Name {
			case "src-address", "dst-address", "interface", "action", "table", "comment", "disabled":
			default:
				match = and(match, unknown) // a matcher check does not read
			}
		}
		if match == no {
			continue
		}
		if match != yes {
			return nil, 0, false
		}
		act := c.Value("action")
		if act != "" && act != "lookup" && act != "lookup-only-in-table" {
			return nil, 0, false
		}
		table := c.Value("table")
		if table == "" || table == "main" {
			return nil, 0, false
		}
		other, best := -1, 1<<30
		for _, r := range p.export.Commands {
			if r.Verb != "add" || !enabled(r) || !keep(r) || r.MenuPath() != "ip route" {
				continue
			}
			if r.Value("routing-table") != table && r.Value("routing-mark") != table {
				continue
			}
			if d := r.Value("dst-address"); d != "" && d != "0.0.0.0/0" {
				continue
			}
			dist := 1
			if n, err := strconv.Atoi(r.Value("distance")); err == nil {
				dist = n
			}
			if w := p.wanOfRoute(r); w >= 0 && dist < best {
				other, best = w, dist
			}
		}
		if other < 0 || other == wi {
			return nil, 0, false
		}
		return c, other, true
	}
	return nil, 0, false
}

// wanOfAddr is the WAN whose subnet holds a (or whose gateway it is, for a
// WAN without an address of its own), -1 if none.
func (p *Plan) wanOfAddr(a netip.Addr) int {
	for i, w := range p.WANs {
		if w.Address.IsValid() && w.Address.Masked().Contains(a) || !w.Address.IsValid() && w.Gateway == a {
			return i
		}
	}
	return -1
}

// markRuleFix is the routing rule the answers' routing mark needs when a
// routing rule of the export sends them elsewhere (RuleSendsAnswers):
// rules are taken in order and one that matches by src-address takes a
// marked packet too, so the mark's lookup-only-in-table rule goes before
// the export's first rule. The finding the lab proved (a POP's forwards
// answered through the other ISP by "src-address=10.10.12.6/32 table=KE
// ISP 2") had no fix, and the hairpin fix was the only one applied
// (realcheck22 D4). RouterOS: routing-mark matches the mark mangle set,
// lookup-only-in-table looks in that table only
// (https://help.mikrotik.com/docs/spaces/ROS/pages/331612232/routing+rule;
// /ip route rule in RouterOS 6, https://wiki.mikrotik.com/wiki/Manual:IP/Route#Rule).
func (p *Plan) markRuleFix(wi int) (key, line string, ok bool) {
	rm := "via-" + p.WANs[wi].Interface
	menu := "/routing rule"
	if strings.HasPrefix(p.labVersion, "6.") {
		menu = "/ip route rule"
	}
	first := 0
	for _, c := range routerOrder(p.export) {
		if c.Verb == "add" && enabled(c) && (c.MenuPath() == "routing rule" || c.MenuPath() == "ip route rule") {
			first = c.Line
			break
		}
	}
	if first == 0 {
		return "", "", false
	}
	return "rule " + rm, fmt.Sprintf("%s add routing-mark=%s action=lookup-only-in-table table=%s comment=%s place-before=%s",
		menu, export.Quote(rm), export.Quote(rm), export.Quote("answers through "+p.WANs[wi].Interface), p.ruleSelector(first)), true
}
