package check

import (
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
	rosversion "github.com/chrlab/chrlab/rosemu/version"
)

// Failover: a router with a backup default route (a larger distance
// through another WAN) moves the LAN's traffic there when the main WAN's
// route goes out of use, and a route through a port that is not running
// is out of use: pulling the main WAN's cable is the one failure every
// distance failover handles ("Failover (WAN Backup)" page of the manual,
// https://help.mikrotik.com/docs/spaces/ROS/pages/26476608/Failover+WAN+Backup).
// The lab pulls it (the scenario action link-down) and probes each LAN
// segment's way to the internet, which shows whether the LAN gets out by
// the backup line (a masquerade written for the main WAN only does not
// take it: "failover switches, but nothing loads"). What it finds is
// reported beside the verdict, as the note on the backup's masquerade is:
// a failover is the export's design, not a path of its forwards.

// failoverPrefix starts the path of a LAN segment's probe to the internet
// while the main WAN's cable is out: failover:<segment>.
const failoverPrefix = "failover:"

// failoverPlan returns the lab port of the main WAN, whose cable the lab
// pulls, and the backup WANs a default route of the main table leads to.
// ok is false when there is nothing to prove: one WAN, no backup route, a
// routed network, a main WAN without a port of its own in the lab (LTE, a
// tunnel) or on a port that also carries a LAN segment (a trunk, which the
// pull would cut off too), or a PPPoE main WAN: its session ends only when
// its keepalive misses the server and comes back only when it dials again,
// which the phases after this one would wait for.
func (p *Plan) failoverPlan() (port string, backups []int, ok bool) {
	port, backups, why := p.failoverWhy()
	return port, backups, why == ""
}

// failoverWhy is failoverPlan with the reason it has nothing to prove, ""
// when it has.
func (p *Plan) failoverWhy() (port string, backups []int, why string) {
	if len(p.WANs) < 2 {
		return "", nil, "one WAN"
	}
	if p.routedNetwork() {
		return "", nil, "the router sits inside a routed network"
	}
	main := p.mainWAN()
	if main < 0 {
		// Each reason of its own: a PCC export whose every default route
		// has a routing mark was told "two or more share the least
		// distance, or none leads to a WAN the lab wires" (realcheck18
		// D11), which fits neither.
		if words, _ := p.equalWords(); words != "" {
			return "", nil, "the main table's default routes share the least distance (" + words + "): no one of them is the main line and another its backup"
		}
		inMain := false
		p.defaultRoutes(false, func(*export.Command, int, int) { inMain = true })
		if !inMain {
			return "", nil, "the main table has no default route (each is in a routing table of its own, as PCC writes them): which WAN a connection leaves by the marks decide, so no WAN is the main line whose cable the lab would pull"
		}
		return "", nil, "no default route of the main table leads to a WAN the lab wires"
	}
	if p.WANs[main].Kind == "pppoe" {
		return "", nil, fmt.Sprintf("the main line %s is a PPPoE client, whose session ends only when its keepalive misses the server", p.WANs[main].Interface)
	}
	p.defaultRoutes(false, func(_ *export.Command, wi, _ int) {
		if wi >= 0 && wi != main && !slices.Contains(backups, wi) {
			backups = append(backups, wi)
		}
	})
	w := p.WANs[main]
	for _, pt := range p.Ports {
		if pt.Name == w.Port && w.Port != "" {
			port = pt.Lab
		}
	}
	if len(backups) == 0 {
		// A recursive default route that never becomes active (forum46
		// D2) is the line the export meant as the main one: say so.
		for _, ir := range p.inactiveRecursives() {
			if ir.wan != main && routeDst(ir.route) == "0.0.0.0/0" {
				return "", nil, fmt.Sprintf("the default route by %s (line %d) never becomes active (the scope of the route to its gateway, see the diagnosis), so %s carries everything and has no backup to fail over to", ir.route.Value("gateway"), ir.route.Line, w.Interface)
			}
		}
		return "", nil, fmt.Sprintf("no default route of the main table leads to a WAN other than the main line %s", w.Interface)
	}
	if port == "" {
		return "", nil, fmt.Sprintf("the main line %s has no port of its own in the lab", w.Interface)
	}
	for _, s := range p.Segments {
		if s.Port == w.Port {
			return "", nil, fmt.Sprintf("the main line's port %s carries a LAN too, which pulling its cable would cut off", w.Port)
		}
	}
	for _, wi := range backups {
		if p.WANs[wi].Port == w.Port {
			return "", nil, fmt.Sprintf("the backup %s rides the main line's cable %s", p.WANs[wi].Interface, w.Port)
		}
	}
	return port, backups, ""
}

// failoverSteps pulls the main WAN's cable, probes every LAN segment's way
// to the internet's peer, and plugs the cable back.
func (p *Plan) failoverSteps(c *Case, b *strings.Builder, phase string) {
	port, _, why := p.failoverWhy()
	var segs []Segment
	for _, s := range p.Segments {
		if c.Clients[s.Interface] != "" && needsNAT(s.Prefix.Addr()) {
			segs = append(segs, s)
		}
	}
	if why == "" && len(segs) == 0 {
		why = "no LAN segment has a lab client to test it from"
	}
	if why != "" {
		// Two lines and no failover test: the reader of a "failover"
		// export must know it was not proven (a dual-WAN export's
		// verdict said "no problem found", and nothing of its failover).
		if len(p.WANs) >= 2 {
			note := "failover between the WANs is not tested: " + why
			if !slices.Contains(p.Notes, note) {
				p.Notes = append(p.Notes, note)
			}
		}
		return
	}
	fmt.Fprintf(b, "  - action: link-down\n    interface: %s\n", port)
	c.Steps = append(c.Steps, -1)
	for _, s := range segs {
		p.add(c, b, Probe{Forward: -1, Path: failoverPrefix + s.Interface, Phase: phase, From: c.Clients[s.Interface],
			To: fmt.Sprintf("peer:%d", lanOutPort), Kind: "tcp"}, "5s")
	}
	fmt.Fprintf(b, "  - action: link-up\n    interface: %s\n", port)
	c.Steps = append(c.Steps, -1)
	p.silentSteps(c, b, phase, segs)
}

// failoverWrong reports whether a segment's probe with the main WAN's
// cable out did not reach the internet's peer.
func failoverWrong(o Outcome) bool {
	return strings.HasPrefix(o.Probe.Path, failoverPrefix) && !reachedPeer(o)
}

// failoverWarning says what a failed failover probe means.
func failoverWarning(o Outcome) string {
	seg := strings.TrimPrefix(o.Probe.Path, failoverPrefix)
	return fmt.Sprintf("with the main WAN's cable pulled, LAN %s does not reach the internet's host (%s, answered by %s): the failover to the backup line does not carry it (a note says why when the export's rules tell)", seg, o.Result, orNobody(o.By))
}

// A silent ISP: the line is up and the main ISP no longer answers (its
// modem or router hangs, its network is down behind a live Ethernet). A
// distance failover does not see it: the main default route stays in use
// as long as its port is running. RouterOS notices only what the export
// asks it to watch: check-gateway=ping on the route (the gateway answers
// pings, or after two missed ones, 10 s apart, the route is out of use;
// on a recursive next hop the pings go to that host beyond the ISP), the
// same property of a RouterOS 7 DHCP client for the default route it adds,
// or a netwatch or script that moves the routes. The lab makes the ISP's
// node facing the router drop everything it sends there (netem loss 100 %
// on its link), probes each LAN's way out, and gives the ISP its voice
// back; an export that watches the gateway must then carry the LAN by the
// backup, and return to the main line once the ISP answers again.

const (
	// silentPrefix starts the path of a LAN segment's probe to the
	// internet while the main ISP is silent: silent:<segment>.
	silentPrefix = "silent:"
	// failbackPrefix starts the path of the probe, after the ISP answers
	// again, that waits for the LAN to be back on the main line.
	failbackPrefix = "failback:"
	// silentSettle bounds how long the lab waits for check-gateway to act
	// (RouterOS: two missed pings 10 s apart) and for the route to come
	// back (the next answered ping).
	silentSettle = "40s"
)

// gatewayWatch is what the export does when its main ISP goes silent.
type gatewayWatch struct {
	line  int    // the line of the main WAN's default route or DHCP client
	watch string // what notices a silent gateway; empty: nothing does
	skip  string // why the lab does not silence the ISP; empty: it does
	fix   string // the line that makes RouterOS watch the gateway, when one fits
}

// mainGatewayWatch finds the main WAN's default route in use (the lowest
// distance of the main table) and whether it watches its gateway.
func (p *Plan) mainGatewayWatch(main int) gatewayWatch {
	var w gatewayWatch
	for _, c := range p.export.Commands {
		if c.Verb != "add" || !enabled(c) {
			continue
		}
		switch c.MenuPath() {
		case "tool netwatch":
			return gatewayWatch{skip: fmt.Sprintf("a netwatch (line %d) may move the routes, and the check lab sets netwatch aside", c.Line)}
		case "system script", "system scheduler":
			if src := c.Value("source") + c.Value("on-event"); strings.Contains(src, "ip route") || strings.Contains(src, "ip/route") {
				return gatewayWatch{skip: fmt.Sprintf("a script (line %d) changes routes; what it does when the ISP is silent depends on hosts beyond the lab", c.Line)}
			}
		}
	}
	best := 1 << 30
	consider := func(c *export.Command, d int) {
		if d >= best {
			return
		}
		best = d
		w = gatewayWatch{line: c.Line}
		cg := c.Value("check-gateway")
		switch {
		case cg == "ping" && c.MenuPath() == "ip dhcp-client":
			w.watch = fmt.Sprintf("the DHCP client's check-gateway=ping (line %d)", c.Line)
		case cg == "ping":
			gw, _ := firstGateway(c.Value("gateway"))
			w.watch = fmt.Sprintf("check-gateway=ping on the default route (line %d)", c.Line)
			if a, err := netip.ParseAddr(gw); err == nil && p.wanOfAddr(a) < 0 {
				w.watch = fmt.Sprintf("check-gateway=ping on the default route's recursive next hop %s (line %d)", gw, c.Line)
			}
		case cg == "arp":
			w.skip = fmt.Sprintf("check-gateway=arp (line %d): the lab's silent ISP may still answer ARP where the kernel lacks netem", c.Line)
		case cg != "" && cg != "none":
			w.skip = fmt.Sprintf("check-gateway=%s (line %d) is not enforced by the lab router", cg, c.Line)
		case p.standInClient(c):
			w.fix = p.standInWatchFix(c)
		case c.MenuPath() == "ip dhcp-client":
			// The client's own check-gateway came with 7.19 (ver46 D2):
			// an older router refuses the line this would suggest.
			if v := p.LabVersion(); v == "" || rosversion.AtLeast(v, 7, 19) {
				w.fix = fmt.Sprintf("/ip dhcp-client set [find interface=%s] check-gateway=ping", c.Value("interface"))
			}
		default:
			w.fix = fmt.Sprintf("/ip route set [find dst-address=0.0.0.0/0 gateway=%s] check-gateway=ping", c.Value("gateway"))
			if c.Value("dst-address") == "" {
				w.fix = fmt.Sprintf("/ip route set [find gateway=%s] check-gateway=ping", c.Value("gateway"))
			}
		}
	}
	p.defaultRoutes(false, func(c *export.Command, wi, dist int) {
		// A PPPoE client's route is the session's: its silence is not
		// probed (silentSteps).
		if wi == main && c.MenuPath() != "interface pppoe-client" {
			consider(c, dist)
		}
	})
	if w.line == 0 && w.skip == "" {
		w.skip = "the main WAN's default route was not found"
	}
	return w
}

// silentSteps silences the main ISP, probes each segment's way out, gives
// the ISP its voice back and, when the export watches the gateway, waits
// for each segment to be back on the main line (seen as its address).
func (p *Plan) silentSteps(c *Case, b *strings.Builder, phase string, segs []Segment) {
	main := p.mainWAN()
	lab, ok := c.wanLab[main]
	if main < 0 || !ok {
		return
	}
	w := p.mainGatewayWatch(main)
	if w.skip != "" {
		return
	}
	seen := map[string]netip.Addr{}
	if w.watch != "" {
		// The failback is seen by the address the internet sees again:
		// the main line's, when the LAN is masqueraded (or NATed by the
		// ISP); another src-nat address is not waited for, so the phase
		// is left out rather than leave the router on the backup.
		for _, s := range segs {
			a, ok := p.mainSeen(main, s, lab)
			if !ok {
				return
			}
			seen[s.Interface] = a
		}
	}
	fmt.Fprintf(b, "  - action: netem\n    node: %s\n    network: %s\n    loss: 100\n", lab.node, lab.network)
	c.Steps = append(c.Steps, -1)
	within := ""
	if w.watch != "" {
		within = silentSettle
	}
	for _, s := range segs {
		p.add(c, b, Probe{Forward: -1, Path: silentPrefix + s.Interface, Phase: phase, From: c.Clients[s.Interface],
			To: fmt.Sprintf("peer:%d", lanOutPort), Kind: "tcp", Watch: w.watch}, within)
	}
	fmt.Fprintf(b, "  - action: netem\n    node: %s\n    network: %s\n    clear: true\n", lab.node, lab.network)
	c.Steps = append(c.Steps, -1)
	if w.watch == "" {
		return
	}
	for _, s := range segs {
		pr := Probe{Forward: -1, Path: failbackPrefix + s.Interface, Phase: phase, From: c.Clients[s.Interface],
			To: fmt.Sprintf("peer:%d", lanOutPort), Kind: "tcp", Want: seen[s.Interface].String()}
		fmt.Fprintf(b, "  - probe: tcp\n    from: %s\n    to: %s\n    expect: {result: ok, server_saw: %s, within: %s}\n", pr.From, pr.To, pr.Want, silentSettle)
		c.Steps = append(c.Steps, len(c.Probes))
		c.Probes = append(c.Probes, pr)
	}
}

// mainSeen is the address the internet sees segment s's hosts as when they
// leave by the main WAN: the ISP's or its router's for a WAN behind one,
// else the WAN's own address when a masquerade takes them. ok is false
// when another rule decides (a src-nat to another address, none at all).
func (p *Plan) mainSeen(main int, s Segment, lab wanLab) (netip.Addr, bool) {
	w := p.WANs[main]
	if lab.seen.IsValid() && w.Behind() != "" {
		return lab.seen, true
	}
	f := p.export
	keep := p.keeper(f)
	m := p.newMatcher(f, keep)
	pk := packet{src: hostIn(s.Prefix, 100), dst: p.PeerAddr(), proto: "tcp", dstPort: lanOutPort, in: s.Interface, out: w.Interface, state: "new"}
	hit, how := m.first(f, keep, "ip firewall nat", "srcnat", pk,
		map[string]bool{"masquerade": true, "src-nat": true, "netmap": true, "same": true, "accept": true})
	if hit == nil || how != yes || hit.Value("action") != "masquerade" {
		return netip.Addr{}, false
	}
	return lab.seen, lab.seen.IsValid()
}

// silentWrong reports whether a segment's probe with the main ISP silent
// did not reach the internet's peer; failbackWrong whether the segment
// was not back on the main line in time.
func silentWrong(o Outcome) bool {
	return strings.HasPrefix(o.Probe.Path, silentPrefix) && !reachedPeer(o)
}

func failbackWrong(o Outcome) bool {
	return strings.HasPrefix(o.Probe.Path, failbackPrefix) && (!reachedPeer(o) || o.Saw != o.Probe.Want)
}

// silentWarning says what a failed probe with the main ISP silent, or a
// failback that did not come, means.
func silentWarning(o Outcome) string {
	if seg, ok := strings.CutPrefix(o.Probe.Path, failbackPrefix); ok {
		return fmt.Sprintf("after the main ISP answers again, LAN %s is not back on the main line within %s (%s, seen as %s, not %s)", seg, silentSettle, o.Result, orNobody(o.Saw), o.Probe.Want)
	}
	seg := strings.TrimPrefix(o.Probe.Path, silentPrefix)
	if o.Probe.Watch == "" {
		return fmt.Sprintf("with the main ISP silent behind a live link, LAN %s does not reach the internet's host (%s): the failover works on a dead link only, since nothing watches the main gateway (a note gives the line)", seg, o.Result)
	}
	return fmt.Sprintf("with the main ISP silent behind a live link, LAN %s does not reach the internet's host within %s (%s, answered by %s), although %s watches it: the backup line does not carry it", seg, silentSettle, o.Result, orNobody(o.By), o.Probe.Watch)
}

// silentNote tells, offline and in the lab, that a failover by distance
// alone follows a dead link only, with the line that would watch the
// main gateway.
func (p *Plan) silentNote() {
	if len(p.WANs) < 2 || p.routedNetwork() || !p.hasBackupRoute() {
		return
	}
	main := p.mainWAN()
	if main < 0 || p.WANs[main].Kind == "pppoe" {
		return
	}
	w := p.mainGatewayWatch(main)
	if w.skip != "" || w.watch != "" {
		return
	}
	fix := "; a DHCP client before RouterOS 7.19 cannot watch its gateway: add-default-route=no and a static default route with check-gateway=ping, or recursive routes"
	if w.fix != "" {
		fix = "; " + w.fix
	}
	if gw, ok := strings.CutPrefix(w.fix, "/ip route set [find dst-address=0.0.0.0/0 gateway="); ok {
		// check-gateway=ping watches the ISP's own gateway; a recursive
		// next hop watches a host beyond it (Failover page). A next hop
		// that is already such a host needs only the ping.
		gw = strings.TrimSuffix(gw, "] check-gateway=ping")
		if a, err := netip.ParseAddr(gw); err == nil && p.wanOfAddr(a) >= 0 {
			fix += fmt.Sprintf(" (it pings %s; to watch a host beyond it, route that host by it, /ip route add dst-address=<host>/32 gateway=%s scope=10, and the default route by the host, gateway=<host> target-scope=11 check-gateway=ping)", gw, gw)
		}
	}
	p.noteFailoverGap(silentPrefix, fmt.Sprintf("the main WAN %s's default route (line %d) does not watch its gateway: the backup takes over when the main port loses its link, not when the ISP goes silent behind a live one (%s)%s", p.WANs[main].Interface, w.line, p.silentExample(p.WANs[main].Interface), fix))
}

// hasBackupRoute reports whether a default route of the main table leads
// to another WAN than the main one.
func (p *Plan) hasBackupRoute() bool {
	main := p.mainWAN()
	found := false
	p.defaultRoutes(false, func(_ *export.Command, wi, _ int) {
		found = found || wi >= 0 && wi != main
	})
	return main >= 0 && found
}

// dhcpTieNote: a DHCP client adds its own default route (add-default-route
// yes unless set; default-route-distance, 1 in RouterOS's print of a
// dynamic DHCP route [verify: the DHCP client page gives no default]).
// Beside a static default route of another WAN at that distance it ties
// the main line, and RouterOS 7 spreads connections over both (ECMP, IP
// Routing page; RouterOS 6 keeps one of them active, ecmpTies), while the export's own larger-distance default route
// through a gateway on no static subnet (the LTE modem's, reached only
// over the leased subnet) says that line was meant as the backup. check
// said "no problem found" offline and only the lab's failover note named
// the tie (realcheck25 D5). A note, not a finding: every path still
// works, and which line a connection takes is the router's choice.
func (p *Plan) dhcpTieNote(f *export.File, keep func(*export.Command) bool) {
	ix := index(f, keep)
	onStatic := func(gw netip.Addr) bool {
		for _, a := range ix.addrs {
			if pf, err := netip.ParsePrefix(a.Value("address")); err == nil && pf.Bits() < 32 && pf.Masked().Contains(gw) {
				return true
			}
		}
		return false
	}
	dist := func(c *export.Command, key string) int {
		if n, err := strconv.Atoi(c.Value(key)); err == nil {
			return n
		}
		return 1
	}
	for _, iface := range slices.Sorted(maps.Keys(ix.dhcp)) {
		c := ix.dhcp[iface]
		if c.Value("add-default-route") == "no" || c.Value("default-route-tables") != "" {
			continue
		}
		d := dist(c, "default-route-distance")
		var tie, backup *export.Command
		for _, r := range ix.defRoutes {
			if !enabled(r) {
				continue
			}
			gw, err := netip.ParseAddr(strings.SplitN(r.Value("gateway"), "%", 2)[0])
			if err != nil {
				continue
			}
			switch rd := dist(r, "distance"); {
			case rd == d && onStatic(gw) && tie == nil:
				tie = r
			case rd > d && !onStatic(gw) && backup == nil:
				backup = r
			}
		}
		if tie == nil || backup == nil {
			continue
		}
		// RouterOS 7 joins the tie into one ECMP route; RouterOS 6 keeps
		// one of two separate routes of one distance active, not
		// necessarily the main line's [verify which] (review43 finding 8).
		spread := "RouterOS 7 spreads connections over both lines (ECMP)"
		if !p.ecmpTies() {
			spread = "RouterOS 6 makes one of the two routes active, not necessarily the main line's, and sends every connection that way"
		}
		p.Notes = append(p.Notes, fmt.Sprintf("line %d's DHCP client on %s adds its own default route at distance %d, the distance of line %d's default route by %s: %s, while line %d's distance=%s default route by %s says the line on %s was meant as the backup: /ip dhcp-client set [ find interface=%s ] default-route-distance=%s",
			c.Line, iface, d, tie.Line, tie.Value("gateway"), spread, backup.Line, backup.Value("distance"), backup.Value("gateway"), iface, export.Quote(iface), backup.Value("distance")))
	}
}
