package check

import (
	"fmt"
	"maps"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// masqueradeAllNote: a masquerade that names neither where the traffic
// leaves (out-interface, out-interface-list) nor where it goes (dst-*)
// rewrites every connection the router forwards, not only those to the
// internet: traffic routed between LAN segments and the connections of a
// port forward reach their server from the router's own address, so
// servers log the router instead of their clients. The lab's probes see
// the connections work, so only a note says it.
func (p *Plan) masqueradeAllNote(f *export.File, keep func(*export.Command) bool) {
	m := p.newMatcher(f, keep)
	for _, c := range f.Commands {
		if !keep(c) || !enabled(c) || c.Verb != "add" || c.MenuPath() != "ip firewall nat" ||
			c.Value("chain") != "srcnat" || c.Value("action") != "masquerade" {
			continue
		}
		if slices.ContainsFunc(c.Args, func(a export.Arg) bool {
			return strings.HasPrefix(a.Name, "out-") || strings.HasPrefix(a.Name, "dst-") ||
				a.Name == "routing-mark" || a.Name == "connection-mark" || a.Name == "packet-mark"
		}) {
			continue
		}
		// Only the connections the rule's other matchers may take: a
		// masquerade of the hotspot's src-address=192.168.40.0/24 was
		// said to take the connections between three LANs of other
		// subnets (realcheck18 D9); a srcnat rule acts only when all its
		// matchers do (NAT page of the manual).
		var who, segs []string
		if len(p.Segments) > 1 {
			for i, s := range p.Segments {
				for j, t := range p.Segments {
					pk := packet{src: hostIn(s.Prefix, 100), dst: hostIn(t.Prefix, 100), proto: "tcp", dstPort: 80, in: s.Interface, out: t.Interface, state: "new"}
					if i != j && s.Interface != t.Interface && m.match(c, pk) != no {
						segs = append(segs, s.Interface)
						break
					}
				}
			}
			if len(segs) > 0 {
				who = append(who, "connections between the LAN segments (from "+strings.Join(segs, ", ")+")")
			}
		}
		if slices.ContainsFunc(p.Forwards, func(fw Forward) bool {
			in := ""
			if len(p.WANs) > 0 {
				in = p.WANs[0].Interface
			}
			pk := packet{src: p.PeerAddr(), dst: fw.ToAddr, proto: "tcp", dstPort: fw.ToPort, in: in, dstnatted: true, state: "new"}
			if fw.Protocol != "" {
				pk.proto = fw.Protocol
			}
			return fw.ToAddr.IsValid() && m.match(c, pk) != no
		}) {
			who = append(who, "the port forwards' connections from the internet")
		}
		if len(who) == 0 {
			continue
		}
		// Every WAN keeps the masquerade (narrowMasquerade).
		lines := p.narrowMasquerade(c.Line)
		if len(lines) == 0 {
			continue
		}
		how := strings.Join(lines, "; ")
		what := "everything the router forwards"
		if len(p.Segments) > 1 && len(segs) < len(p.Segments) {
			what = "the connections it matches wherever they go"
		}
		p.Notes = append(p.Notes, fmt.Sprintf("line %d masquerades %s (no out-interface, out-interface-list or destination): %s also reach their server from the router's own address, so servers see the router instead of their clients (not probed); for the internet only: %s",
			c.Line, what, strings.Join(who, " and "), how))
	}
}

// wanListName is the interface list that holds every WAN interface and no
// LAN segment (defconf's WAN), "" when there is none.
func (p *Plan) wanListName(f *export.File, keep func(*export.Command) bool) string {
	if len(p.WANs) == 0 {
		return ""
	}
	var wans, segs []string
	for _, w := range p.WANs {
		wans = append(wans, w.Interface)
	}
	for _, s := range p.Segments {
		segs = append(segs, s.Interface)
	}
	return p.listHoldingOnly(f, keep, wans, segs)
}

// listHoldingOnly is the first interface list, by name, that holds every
// interface of want and none of avoid; "" when none does.
func (p *Plan) listHoldingOnly(f *export.File, keep func(*export.Command) bool, want, avoid []string) string {
	lists := p.memberLists(f, keep)
	for _, n := range slices.Sorted(maps.Keys(lists)) {
		m := lists[n]
		if slices.ContainsFunc(avoid, func(i string) bool { return slices.Contains(m, i) }) {
			continue
		}
		if !slices.ContainsFunc(want, func(i string) bool { return !slices.Contains(m, i) }) {
			return n
		}
	}
	return ""
}

// memberLists are the interface lists with their members, includes and
// excludes resolved as RouterOS does.
func (p *Plan) memberLists(f *export.File, keep func(*export.Command) bool) map[string][]string {
	direct := map[string][]string{}
	for _, c := range f.Commands {
		if keep(c) && c.MenuPath() == "interface list member" && c.Verb == "add" && enabled(c) {
			direct[c.Value("list")] = append(direct[c.Value("list")], c.Value("interface"))
		}
	}
	return withIncludes(f, keep, direct)
}

// segmentOutsideListNote: defconf's input chain ends with "drop all not
// coming from LAN" (in-interface-list=!LAN). A LAN segment added later
// (a new VLAN, a second port) whose interface nobody put in that list
// reaches the internet, since the masquerade asks only for the WAN list,
// but everything its hosts send to the router is dropped: its DNS when it
// resolves for the LAN, WinBox, WebFig. The forum's "the new VLAN has
// internet but no DNS". A guest segment may be cut off on purpose, so it
// is a note with the fix, not a finding. A WireGuard server's tunnel
// counts though no lab host stands on it: its road warriors are its hosts.
// listDrops are the input rules that drop (or reject) everything not
// coming from one interface list and nothing narrower, defconf's "drop
// all not coming from LAN" (in-interface-list=!LAN), each with its list.
func listDrops(f *export.File, keep func(*export.Command) bool) (rules []*export.Command, lists []string) {
	for _, c := range f.Commands {
		if !keep(c) || !enabled(c) || c.Verb != "add" || c.MenuPath() != "ip firewall filter" ||
			c.Value("chain") != "input" || (c.Value("action") != "drop" && c.Value("action") != "reject") {
			continue
		}
		list, ok := strings.CutPrefix(c.Value("in-interface-list"), "!")
		if !ok || list == "" || slices.ContainsFunc(c.Args, func(a export.Arg) bool {
			return !slices.Contains([]string{"chain", "action", "in-interface-list", "comment", "log", "log-prefix", "reject-with"}, a.Name)
		}) {
			continue // a narrower drop: what it takes depends on more than the list
		}
		rules, lists = append(rules, c), append(lists, list)
	}
	return rules, lists
}

// v6ForwardDrop is the first /ipv6 firewall forward rule that drops (or
// rejects) everything not coming from list and nothing narrower, or nil;
// before it, an accept of new connections from outside the list makes
// it no such drop for them (not weighed: defconf has none).
func v6ForwardDrop(f *export.File, keep func(*export.Command) bool, list string) *export.Command {
	for _, c := range routerOrder(f) {
		if !keep(c) || !enabled(c) || c.Verb != "add" || c.MenuPath() != "ipv6 firewall filter" ||
			c.Value("chain") != "forward" || (c.Value("action") != "drop" && c.Value("action") != "reject") {
			continue
		}
		if c.Value("in-interface-list") == "!"+list && !slices.ContainsFunc(c.Args, func(a export.Arg) bool {
			return !slices.Contains([]string{"chain", "action", "in-interface-list", "comment", "log", "log-prefix", "reject-with"}, a.Name)
		}) {
			return c
		}
	}
	return nil
}

// v6On says whether the export gives iface an IPv6 address (its own, or
// one from a pool): its hosts then have IPv6.
func v6On(f *export.File, keep func(*export.Command) bool, iface string) bool {
	return slices.ContainsFunc(f.Commands, func(c *export.Command) bool {
		return keep(c) && enabled(c) && c.Verb == "add" && c.MenuPath() == "ipv6 address" && c.Value("interface") == iface
	})
}

func (p *Plan) segmentOutsideListNote(f *export.File, keep func(*export.Command) bool) {
	lists := p.memberLists(f, keep)
	drops, dropLists := listDrops(f, keep)
	for i, c := range drops {
		list := dropLists[i]
		if _, known := lists[list]; !known {
			continue // an empty or unknown list: another check's business
		}
		for _, s := range p.Segments {
			// A WireGuard server's tunnel has no port, yet its road
			// warriors are hosts of it: the forum's "connected, but no
			// DNS" when wireguard1 is left out of LAN.
			who := "its hosts"
			if wgServes(f, keep, s.Interface) {
				who = wgPeersWho(f, keep, s.Interface)
			} else if s.Port == "" && !s.Tagged {
				continue
			}
			if slices.Contains(lists[list], s.Interface) {
				continue
			}
			if a := acceptFor(f, keep, lists, c.Line, s); a != nil {
				// An accept for the segment above the drop (the guests'
				// DNS and DHCP) is a policy: first match wins (Filter,
				// https://help.mikrotik.com/docs/spaces/ROS/pages/48660574/Filter),
				// so what it accepts is reachable, and joining the list
				// would lift the isolation (realcheck25 D1).
				if l := a.Value("src-address-list"); l != "" && acceptWhat(a) == "all" {
					// A management list, not a guest's narrow accept:
					// its hosts reach every service of the router.
					p.Notes = append(p.Notes, fmt.Sprintf("%s (%s) is not in the interface list %s: line %d accepts all input to the router from the address list %s, which holds addresses of it, before line %d drops the rest: the hosts in that list reach the router, the others not (not probed)",
						s.Interface, s.Prefix, list, a.Line, l, c.Line))
					continue
				}
				p.Notes = append(p.Notes, fmt.Sprintf("%s (%s) is not in the interface list %s: line %d accepts some of its input to the router (%s) before line %d drops the rest, taken as cut off on purpose (not probed)",
					s.Interface, s.Prefix, list, a.Line, acceptWhat(a), c.Line))
				continue
			}
			what := "WinBox, WebFig and every other service of the router"
			if p.routerResolves() {
				what = "the router's DNS (allow-remote-requests=yes), WinBox, WebFig and every other service of the router"
			}
			internet := "the internet"
			if d := v6ForwardDrop(f, keep, list); d != nil && v6On(f, keep, s.Interface) {
				// defconf's IPv6 forward chain, unlike the IPv4 one,
				// drops everything new not coming from LAN: the
				// segment's IPv6 reaches nothing beyond the router
				// (forum45 D6; defconf firewall, Building Advanced
				// Firewall, https://help.mikrotik.com/docs/display/ROS/Building+Advanced+Firewall).
				internet = fmt.Sprintf("the internet over IPv4 only (line %d drops their new IPv6 connections through the router)", d.Line)
			}
			if d := p.forwardDropsOut(f, keep, s); d != nil {
				// A forward chain that lets the list out and drops all
				// else (the forum's "handshake but no traffic") takes
				// the segment's way out too: saying it reaches the
				// internet misled (f76).
				p.Notes = append(p.Notes, fmt.Sprintf("%s (%s) is not in the interface list %s, and line %d drops all input not coming from %s: %s reach neither the internet (line %d drops their new connections through the router) nor %s (not probed); unless it is cut off on purpose: /interface list member add interface=%s list=%s",
					s.Interface, s.Prefix, list, c.Line, list, who, d.Line, what, s.Interface, list))
				continue
			}
			p.Notes = append(p.Notes, fmt.Sprintf("%s (%s) is not in the interface list %s, and line %d drops all input not coming from %s: %s reach %s but not %s (not probed); unless it is cut off on purpose: /interface list member add interface=%s list=%s",
				s.Interface, s.Prefix, list, c.Line, list, who, internet, what, s.Interface, list))
		}
	}
}

// forwardDropsOut is the IPv4 forward rule that drops (or rejects) a new
// connection from a host of segment s to the internet's peer out of the
// first WAN, when the export's rules decide it for sure; nil when an
// accept comes first, nothing decides, or the export has no WAN.
func (p *Plan) forwardDropsOut(f *export.File, keep func(*export.Command) bool, s Segment) *export.Command {
	if len(p.WANs) == 0 {
		return nil
	}
	return forwardDrop(p.newMatcher(f, keep), f, keep, s.Prefix, p.PeerAddr(), s.Interface, p.WANs[0].Interface)
}

// forwardDrop is the IPv4 forward rule that surely drops (or rejects) a
// new TCP connection from a host of prefix from, entering by in, to dst
// out of out; nil when an accept comes first or nothing decides.
func forwardDrop(m *matcher, f *export.File, keep func(*export.Command) bool, from netip.Prefix, dst netip.Addr, in, out string) *export.Command {
	pk := packet{src: hostIn(from, 100), dst: dst, proto: "tcp", dstPort: lanOutPort, in: in, out: out, state: "new", tcpFlags: "syn", clientPort: true}
	r, how := m.first(f, keep, "ip firewall filter", "forward", pk, map[string]bool{"accept": true, "drop": true, "reject": true})
	if r == nil || how != yes || r.Value("action") == "accept" {
		return nil
	}
	return r
}

// wgForwardNote: a WireGuard server's tunnel whose peers' new connections
// to every LAN segment the IPv4 forward chain drops, the forum's
// "handshake but no traffic": the handshake and a ping of the router's
// tunnel address go through the input chain, the connections to the LAN
// through the forward chain, and one that accepts the LAN list only out
// to the WAN and drops all else takes them (scenario
// wireguard-forward-chain). A chain that lets the tunnel into one
// segment keeps it out of the others on purpose: no note.
func (p *Plan) wgForwardNote(f *export.File, keep func(*export.Command) bool) {
	m := p.newMatcher(f, keep)
	for _, t := range p.Segments {
		if !wgServes(f, keep, t.Interface) {
			continue
		}
		var drop *export.Command
		var names []string
		for _, s := range p.Segments {
			if s.Interface == t.Interface || s.Port == "" && !s.Tagged {
				continue
			}
			r := forwardDrop(m, f, keep, t.Prefix, hostIn(s.Prefix, 10), t.Interface, s.Interface)
			if r == nil {
				drop = nil
				break
			}
			if drop == nil {
				drop = r
			}
			names = append(names, s.Interface)
		}
		if drop == nil {
			continue
		}
		p.Notes = append(p.Notes, fmt.Sprintf("line %d drops the new connections of %s's %s to every LAN segment (%s): the tunnel comes up and nothing behind the router answers (not probed); unless they are kept out on purpose, accept them above it: /ip firewall filter add chain=forward action=accept in-interface=%s out-interface-list=LAN place-before=%s",
			drop.Line, t.Interface, strings.TrimPrefix(wgPeersWho(f, keep, t.Interface), "its "), strings.Join(names, ", "), t.Interface, p.ruleSelector(drop.Line)))
	}
}

// unusedTableNote: a route in a routing table other than main is used
// only for a packet whose lookup some policy sends to that table: a
// /routing rule (v7; /ip route rule in v6) or a mangle mark-routing
// (Policy Routing, https://help.mikrotik.com/docs/x/RACTAw). A table
// with routes that nothing selects steers nothing: the hosts it was made
// for leave by main, the forum's "I made a table for ISP2 and my host
// still goes out ISP1".
func (p *Plan) unusedTableNote(f *export.File, keep func(*export.Command) bool) {
	type route struct {
		c     *export.Command
		table string
	}
	var routes []route
	for _, c := range f.Commands {
		if !keep(c) || !enabled(c) || c.Verb != "add" || c.MenuPath() != "ip route" {
			continue
		}
		t := c.Value("routing-table")
		if t == "" {
			t = c.Value("routing-mark")
		}
		if t == "" || t == "main" {
			continue
		}
		routes = append(routes, route{c, t})
	}
	noted := map[string]bool{}
	for _, r := range routes {
		if noted[r.table] {
			continue
		}
		noted[r.table] = true
		// Anything else naming the table (a rule, a mark, a VRF, a script,
		// a routing protocol's instance) may select it: no note then.
		word := regexp.MustCompile(`(^|[^A-Za-z0-9_.-])` + regexp.QuoteMeta(r.table) + `($|[^A-Za-z0-9_.-])`)
		if slices.ContainsFunc(f.Commands, func(c *export.Command) bool {
			m := c.MenuPath()
			return keep(c) && m != "ip route" && m != "routing table" && word.MatchString(c.Text())
		}) {
			continue
		}
		rule := "/routing rule add src-address=<the host> action=lookup table=" + r.table
		if strings.HasPrefix(f.Version, "6.") {
			rule = "/ip route rule add src-address=<the host> action=lookup table=" + r.table
		}
		p.Notes = append(p.Notes, fmt.Sprintf("line %d puts a route in the routing table %s, and no routing rule or mangle mark-routing sends any packet to that table: its routes are never used and the traffic it was made for leaves by the main table (not probed); for one host, e.g.: %s",
			r.c.Line, r.table, rule))
	}
}

// knockBelowDropNote: a rule that adds the WAN's sources to an address
// list (a port knock: the first connection to a closed port puts the
// source on a list that a later accept or dst-nat admits; Port knocking,
// https://help.mikrotik.com/docs/display/ROS/Port+knocking, "add
// additional rules before" the drop of the WAN) only counts what reaches
// it: placed below the input drop that takes the same packets from the
// WAN, it never sees one, the list stays empty and whatever admits the
// list never opens. Not probed: the check's lab does not know the knock.
func (p *Plan) knockBelowDropNote(f *export.File, keep func(*export.Command) bool) {
	w, m := p.firstWANMatcher(f, keep)
	if m == nil {
		return
	}
	for _, c := range f.Commands {
		if !keep(c) || !enabled(c) || c.Verb != "add" || c.MenuPath() != "ip firewall filter" ||
			c.Value("chain") != "input" || c.Value("action") != "add-src-to-address-list" {
			continue
		}
		proto := c.Value("protocol")
		port, err := strconv.Atoi(c.Value("dst-port"))
		list := c.Value("address-list")
		if err != nil || (proto != "tcp" && proto != "udp") || list == "" {
			continue
		}
		pk := packet{src: p.PeerAddr(), dst: p.WANAddr(w, Forward{}), proto: proto, dstPort: port, in: w.Interface, state: "new", local: true}
		if m.match(c, pk) != yes {
			continue
		}
		rule, how := m.first(f, keep, "ip firewall filter", "input", pk, map[string]bool{"accept": true, "drop": true, "reject": true})
		if rule == nil || how != yes || !m.order(f).before(rule, c) || (rule.Value("action") != "drop" && rule.Value("action") != "reject") {
			continue
		}
		var users []string
		for _, u := range f.Commands {
			if keep(u) && enabled(u) && u != c && (u.Value("src-address-list") == list || u.Value("src-address-list") == "!"+list) {
				users = append(users, strconv.Itoa(u.Line))
			}
		}
		opens := ""
		if len(users) > 0 {
			opens = fmt.Sprintf(" and line %s, which admits the list, never opens", strings.Join(users, ", "))
		}
		p.Notes = append(p.Notes, fmt.Sprintf("line %d adds the WAN's %s %d sources to the address list %s, but line %d above it drops those packets first: the rule never counts, the list stays empty%s (not probed); move it above the drop: /ip firewall filter move %s destination=%s",
			c.Line, proto, port, list, rule.Line, opens, p.ruleSelector(c.Line), p.ruleSelector(rule.Line)))
	}
}

// fwdExactNote: a static FWD entry answers the name it is written for
// and, only with match-subdomain=yes, the names under it (DNS page of the
// manual, "match-subdomain", default no;
// https://help.mikrotik.com/docs/spaces/ROS/pages/37748767/DNS). An
// entry meant to send a domain to its own server (corp.lan to the
// office's DNS) without it forwards corp.lan alone: host.corp.lan goes to
// the router's upstream servers, which do not know it, or, with none,
// fails. The lab has no such domain to ask, so it is a note.
func (p *Plan) fwdExactNote(f *export.File, keep func(*export.Command) bool) {
	for _, c := range f.Commands {
		if !keep(c) || !enabled(c) || c.Verb != "add" || c.MenuPath() != "ip dns static" ||
			c.Value("type") != "FWD" || c.Value("name") == "" || c.Value("match-subdomain") == "yes" {
			continue
		}
		name := c.Value("name")
		where := "to the router's upstream servers, which need not know them"
		if !p.hasUpstream() {
			where = "nowhere: the export gives the router no other DNS server, so they fail"
		}
		p.Notes = append(p.Notes, fmt.Sprintf("line %d forwards the name %s alone to %s (a FWD entry without match-subdomain=yes): names under it (www.%s) go %s (not probed); for the whole domain: /ip dns static set %s match-subdomain=yes",
			c.Line, name, c.Value("forward-to"), name, where, p.ruleSelector(c.Line)))
	}
}

// trackingOffNote: /ip firewall connection tracking set enabled=no turns
// the router's connection tracking off, and NAT stands on it: without
// tracked connections no dst-nat, masquerade or src-nat is applied, and
// the firewall's connection-state matchers see nothing established
// (Connection tracking page, https://help.mikrotik.com/docs/display/ROS/Connection+tracking:
// "disabling connection tracking will cause several firewall features to
// stop working", NAT among them). Every forward and the LAN's masquerade
// then fail. The lab router keeps tracking on (rosemu stores the setting
// and reports it not enforced), so it is a note, not probed.
func (p *Plan) trackingOffNote(f *export.File, keep func(*export.Command) bool) {
	for _, c := range f.Commands {
		if keep(c) && c.Verb == "set" && c.MenuPath() == "ip firewall connection tracking" && c.Value("enabled") == "no" {
			p.Notes = append(p.Notes, fmt.Sprintf("line %d turns connection tracking off (enabled=no): RouterOS does NAT only on tracked connections, so no dst-nat, masquerade or src-nat applies, every forward and the LAN's way to the internet fail, and the firewall's connection-state rules see no established connection (not probed: the lab router keeps tracking on); /ip firewall connection tracking set enabled=auto",
				c.Line))
		}
	}
}

// srcPortNote: a port forward with src-port= matches only connections
// whose source port is that one (the NAT page's src-port matcher,
// https://help.mikrotik.com/docs/display/ROS/NAT, matches the packet's
// source port), while a client on the internet connects from a port of
// its own choosing: the forward takes almost nothing. The lab's peer
// connects from such a port too, so its internet path fails there; the
// note says why (D3: the row failed with no word).
func (p *Plan) srcPortNote() {
	for i, fw := range p.Forwards {
		if fw.cmd == nil {
			continue
		}
		sp := fw.cmd.Value("src-port")
		if sp == "" || strings.HasPrefix(sp, "!") {
			continue
		}
		p.Notes = append(p.Notes, fmt.Sprintf("line %d (forward %d, %s/%d) matches only connections whose source port is %s: a client on the internet connects from a port of its own choosing, so the forward takes almost none of them, the lab's internet probe included (the source port is usually the server's port written in the wrong field); /ip firewall nat set %s !src-port",
			fw.Line, i+1, fw.Protocol, fw.DstPort, sp, p.ruleSelector(fw.Line)))
	}
}

// acceptFor returns the first enabled input accept above line that names
// segment s: by in-interface, by an interface list holding it, or by a
// src-address overlapping its subnet; nil when none does.
func acceptFor(f *export.File, keep func(*export.Command) bool, lists map[string][]string, line int, s Segment) *export.Command {
	o := orderOf(f)
	for _, c := range o.cmds {
		if !o.beforeLine(c, line) || !keep(c) || !enabled(c) || c.Verb != "add" || c.MenuPath() != "ip firewall filter" ||
			c.Value("chain") != "input" || c.Value("action") != "accept" {
			continue
		}
		if c.Value("in-interface") == s.Interface {
			return c
		}
		if l := c.Value("in-interface-list"); l != "" && !strings.HasPrefix(l, "!") && slices.Contains(lists[l], s.Interface) {
			return c
		}
		if pf, err := netip.ParsePrefix(c.Value("src-address")); err == nil && pf.Overlaps(s.Prefix) {
			return c
		}
		if a, err := netip.ParseAddr(c.Value("src-address")); err == nil && s.Prefix.Masked().Contains(a) {
			return c
		}
		// A management list (src-address-list=mgmt) whose static entries
		// hold addresses of the segment lets them in as surely as a
		// src-address does (forum56 D1: the note said a management VLAN
		// let in that way could not reach the router at all).
		if l := c.Value("src-address-list"); l != "" && !strings.HasPrefix(l, "!") && listCovers(f, keep, l, s.Prefix) {
			return c
		}
	}
	return nil
}

// listCovers says whether an enabled static entry of the address list
// holds an address of prefix (an address, a prefix or a range; entries
// by DNS name are not resolved here).
func listCovers(f *export.File, keep func(*export.Command) bool, list string, prefix netip.Prefix) bool {
	for _, e := range f.Commands {
		if !keep(e) || !enabled(e) || e.Verb != "add" || e.MenuPath() != "ip firewall address-list" || e.Value("list") != list {
			continue
		}
		ps, _ := parseAddrMatch(e.Value("address"))
		if slices.ContainsFunc(ps, prefix.Masked().Overlaps) {
			return true
		}
	}
	return false
}

// acceptWhat says what an accept takes: "udp/53,67", "all".
func acceptWhat(c *export.Command) string {
	proto, port := c.Value("protocol"), c.Value("dst-port")
	switch {
	case port != "" && proto != "":
		return proto + "/" + port
	case port != "":
		return "port " + port
	case proto != "":
		return proto
	}
	return "all"
}
