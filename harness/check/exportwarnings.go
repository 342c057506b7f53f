package check

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// Faults a forum helper names at first sight of an export and that no
// probe of the lab shows: the lab's probes open connections and see them
// work, whatever a queue or a DHCP lease of the export says. Both read
// "no problem found" before (chk52 D2, D3). They are warnings from the
// export alone, as the router's open services are, each with its line
// and the change that cures it.

// ExportWarnings are the export's faults that no probe shows, each naming
// its line.
func (p *Plan) ExportWarnings() []string {
	if p.export == nil {
		return p.v6Faults
	}
	live := p.liveCommands()
	out := append(append(fasttrackQueueWarnings(live), shadowedQueueWarnings(live)...), inboundTreeWarnings(live)...)
	out = append(append(out, p.leaseOffSubnetWarnings(live)...), pppoeMSSWarnings(live)...)
	out = append(out, onePoolWarnings(live)...)
	out = append(append(out, p.replyOnlyWarnings()...), p.bridgeFirewallWarnings()...)
	return append(append(out, p.mainNoDefaultWarnings()...), p.v6Faults...)
}

// replyOnlyWarnings: a LAN segment whose interface has arp=reply-only,
// with no DHCP server there that adds an ARP entry per lease
// (add-arp=yes) and no static /ip arp entry on it. The router then sends
// no ARP request and answers only the hosts its ARP table holds as static
// entries (ARP page of the manual,
// https://help.mikrotik.com/docs/spaces/ROS/pages/328252/ARP): it reaches
// no host of that LAN, which loses the internet, DNS and the router's own
// services. The lab showed it only in a note and read the broken paths as
// "cause not identified"; offline it was "no problem found" (forum66).
// A segment with static entries is left to the lab, which takes one of
// them for its client.
func (p *Plan) replyOnlyWarnings() []string {
	f := p.export
	keep := p.keeper(f)
	var out []string
	for _, s := range p.Segments {
		mode, at := arpOf(f, keep, s.Interface)
		if mode != "reply-only" || at == nil || addARPServer(f, keep, s.Interface) != nil || len(staticARP(f, keep, s.Interface)) > 0 {
			continue
		}
		fix := fmt.Sprintf("/ip dhcp-server set [ find interface=%s ] add-arp=yes", export.Quote(s.Interface))
		if !slices.ContainsFunc(f.Commands, func(c *export.Command) bool {
			return keep(c) && c.Verb == "add" && c.MenuPath() == "ip dhcp-server" && c.Value("interface") == s.Interface
		}) {
			fix = fmt.Sprintf("/%s set [ find name=%s ] arp=enabled", at.MenuPath(), export.Quote(s.Interface))
		}
		out = append(out, fmt.Sprintf("line %d: %s answers ARP only for static entries (arp=reply-only), and neither a DHCP server with add-arp=yes nor a static /ip arp entry gives it any: the router reaches no host of %s (no internet, no DNS, no answer from the router there); %s",
			at.Line, s.Interface, s.Prefix.Masked(), fix))
	}
	return out
}

// liveCommands are the commands the router runs: kept by the reading,
// not disabled, not one RouterOS 6 created disabled.
func (p *Plan) liveCommands() []*export.Command {
	keep := p.keeper(p.export)
	var out []*export.Command
	for _, c := range p.export.Commands {
		if keep(c) && enabled(c) && !createdDisabled(p.export, c) {
			out = append(out, c)
		}
	}
	return out
}

// fasttrackOnly are the arguments of a fasttrack rule that do not narrow
// which connections it takes: defconf's rule has only these, and so
// fasttracks every established connection of the forward chain.
var fasttrackOnly = map[string]bool{"chain": true, "action": true, "connection-state": true, "comment": true, "hw-offload": true, "disabled": true, "place-before": true, "log": true, "log-prefix": true}

// fasttrackQueueWarnings: a fasttrack rule that takes every established
// connection beside a queue fasttracked packets skip or never reach.
// FastTracked packets skip simple queues and queue trees with
// parent=global (FastTrack manual, "Fasttracked packets bypass firewall,
// connection tracking, simple queues, queue tree with parent=global, ...";
// https://help.mikrotik.com/docs/spaces/ROS/pages/328199/Packet+Flow+in+RouterOS
// says the same of the fast path): once a connection is fasttracked the
// queue sees only its first packets and the odd one the slow path takes,
// so the limit holds for nothing. The same goes for the dynamic simple
// queues a static lease's rate-limit and a PPP server's profile
// rate-limit make (DHCP page: "Adds a dynamic simple queue"; PPP AAA page:
// the profile's rate-limit is a session's, whichever server took it in:
// PPPoE, L2TP, SSTP, OVPN or PPTP;
// docs/pppoe.md: [verify] that the fast path takes PPP sessions), and
// for a tree under an interface whose leaves take packet marks: the
// interface's HTB still sees fasttracked packets, but they skip mangle
// (part of the firewall), so they carry no mark and the leaf takes none
// (forum57 D2; case f57-c10: 30.8 Gbit/s through a 2M tree under the LAN
// port until the fasttrack rule left the marked connections out). A
// fasttrack rule with any other matcher (connection-mark=no-mark, an
// address) may leave the queued traffic out, and /ip settings
// allow-fast-path=no turns the fast path off: no warning then.
func fasttrackQueueWarnings(live []*export.Command) []string {
	var ft *export.Command
	var queues []string
	pppServer := false
	var profiles []*export.Command
	for _, c := range live {
		switch c.MenuPath() + " " + c.Verb {
		case "ip settings set":
			if v := c.Value("allow-fast-path"); v == "no" || v == "false" {
				return nil
			}
		case "ip firewall filter add":
			if c.Value("action") != "fasttrack-connection" || ft != nil {
				continue
			}
			if !slices.ContainsFunc(c.Args, func(a export.Arg) bool { return !fasttrackOnly[a.Name] }) {
				ft = c
			}
		case "queue simple add":
			queues = append(queues, fmt.Sprintf("line %d's simple queue %s", c.Line, export.Quote(c.Value("name"))))
		case "queue tree add":
			if c.Value("parent") == "global" {
				queues = append(queues, fmt.Sprintf("line %d's queue tree (parent=global) %s", c.Line, export.Quote(c.Value("name"))))
			} else if marks := markedOnly(c.Value("packet-mark")); marks != "" {
				queues = append(queues, fmt.Sprintf("line %d's queue tree %s (packet-mark=%s, which mangle never sets on fasttracked packets)", c.Line, export.Quote(c.Value("name")), marks))
			}
		case "ip dhcp-server lease add":
			if strings.TrimSpace(c.Value("rate-limit")) != "" {
				queues = append(queues, fmt.Sprintf("line %d's lease rate-limit=%s (a dynamic simple queue)", c.Line, export.Quote(c.Value("rate-limit"))))
			}
		case "ppp profile add", "ppp profile set":
			if strings.TrimSpace(c.Value("rate-limit")) != "" {
				profiles = append(profiles, c)
			}
		case "interface pppoe-server server add", "interface ovpn-server server add":
			// ovpn-server's add is 7.17's form, several servers.
			pppServer = pppServer || enabled(c)
		case "interface l2tp-server server set", "interface sstp-server server set", "interface ovpn-server server set", "interface pptp-server server set":
			// One server per menu, off unless the export says enabled=yes.
			if v := c.Value("enabled"); v == "yes" || v == "true" {
				pppServer = true
			}
		}
	}
	if pppServer {
		for _, c := range profiles {
			queues = append(queues, fmt.Sprintf("line %d's PPP profile rate-limit=%s (a dynamic simple queue per session)", c.Line, export.Quote(c.Value("rate-limit"))))
		}
	}
	if ft == nil || len(queues) == 0 {
		return nil
	}
	sel := "[ find where action=fasttrack-connection ]"
	if cm := ft.Value("comment"); cm != "" {
		sel = fmt.Sprintf("[ find where comment=%s ]", export.Quote(cm))
	}
	// One queue "limits", several (joined with "and") "limit".
	list, verb := queues[0], "limits"
	if n := len(queues); n > 1 {
		list, verb = strings.Join(queues[:n-1], ", ")+" and "+queues[n-1], "limit"
	}
	return []string{fmt.Sprintf("line %d fasttracks every established connection, and fasttracked packets skip simple queues, queue trees with parent=global and mangle: %s %s only the first packets of each connection, not the traffic; /ip firewall filter disable %s (or leave the queued traffic out of the fasttrack rule)",
		ft.Line, list, verb, sel)}
}

// shadowedQueueWarnings: a simple queue below another whose address
// targets hold all of its own never sees a packet. RouterOS takes the
// simple queues in order and a packet is taken by the first whose target
// holds its source (upload) or destination (download): "Queue rules are
// processed in the order they appear in the list. If some packet matches
// the queue rule, then the queuing mechanism specified in that rule is
// applied to it, and no more rules are processed for that packet" (the
// old Manual:Queue; the Queues page, https://help.mikrotik.com/docs/display/ROS/Queues).
// The forum's "my per-user queue does not limit" is often a subnet queue
// above the user's (forum57 D3; case f57-c01: a host under a 2M /32 queue
// below a 20M /24 queue got 18.9 Mbit/s, 1.9 once moved above). Only
// queues of addresses are judged: an earlier queue that narrows what it
// takes (dst, packet-marks, time), has a parent, or whose target is an
// interface, and a later one with a parent or an interface target, are
// left alone.
//
// A configuration that reorders its simple queues (a move line, the
// warning's own fix pasted in, or an add with place-before) is not in
// the order of its add lines, which this reads: it is not judged.
func shadowedQueueWarnings(live []*export.Command) []string {
	if slices.ContainsFunc(live, func(c *export.Command) bool {
		_, before := c.Get("place-before")
		return c.MenuPath() == "queue simple" && (c.Verb == "move" || c.Verb == "add" && before)
	}) {
		return nil
	}
	type queue struct {
		c     *export.Command
		addrs []netip.Prefix
	}
	var earlier []queue
	var out []string
	for _, c := range live {
		if c.MenuPath() != "queue simple" || c.Verb != "add" {
			continue
		}
		addrs, ok := queueAddrs(c.Value("target"))
		if !ok || c.Value("parent") != "" && c.Value("parent") != "none" {
			continue
		}
		for _, e := range earlier {
			if !slices.ContainsFunc(addrs, func(a netip.Prefix) bool {
				return !slices.ContainsFunc(e.addrs, func(b netip.Prefix) bool { return b.Bits() <= a.Bits() && b.Contains(a.Addr()) })
			}) {
				out = append(out, fmt.Sprintf("line %d's simple queue %s never sees a packet: line %d's simple queue %s above it holds all of its targets (%s), and a packet is taken by the first simple queue whose target holds it; move it above: /queue simple move [ find where name=%s ] [ find where name=%s ]",
					c.Line, export.Quote(c.Value("name")), e.c.Line, export.Quote(e.c.Value("name")), c.Value("target"), export.Quote(c.Value("name")), export.Quote(e.c.Value("name"))))
				break
			}
		}
		if c.Value("dst") == "" && c.Value("packet-marks") == "" && c.Value("time") == "" && (c.Value("parent") == "" || c.Value("parent") == "none") {
			earlier = append(earlier, queue{c, addrs})
		}
	}
	return out
}

// inboundTreeWarnings: a queue tree under an interface whose leaf takes
// only packets that mangle marks as they come in by that same interface.
// A tree under an interface holds what leaves by it (old Manual:Queue:
// "Add the queue to the interface through which the traffic is leaving
// the router"), and upload that came in by the LAN port leaves by the WAN:
// the leaf takes nothing (forum57 D4; case f57-c04: 41 Gbit/s of upload
// through a 2M tree under the LAN port, 1.9 Mbit/s under the WAN). A mark
// that any rule sets without in-interface, or with another interface,
// may reach the tree, and is left alone.
func inboundTreeWarnings(live []*export.Command) []string {
	markedIn := map[string]string{} // packet mark -> the one in-interface every rule setting it names
	markLine := map[string]int{}
	trees := map[string]*export.Command{}
	for _, c := range live {
		switch {
		case c.MenuPath() == "ip firewall mangle" && c.Verb == "add" && c.Value("action") == "mark-packet":
			m, in := c.Value("new-packet-mark"), c.Value("in-interface")
			if prev, seen := markedIn[m]; !seen {
				markedIn[m], markLine[m] = in, c.Line
			} else if prev != in {
				markedIn[m] = ""
			}
		case c.MenuPath() == "queue tree" && c.Verb == "add":
			trees[c.Value("name")] = c
		}
	}
	var out []string
	for _, c := range live {
		if c.MenuPath() != "queue tree" || c.Verb != "add" {
			continue
		}
		root := c.Value("parent")
		for depth := 0; depth < 8 && trees[root] != nil; depth++ {
			root = trees[root].Value("parent")
		}
		marks := strings.Split(c.Value("packet-mark"), ",")
		if root == "" || root == "global" || c.Value("packet-mark") == "" || slices.ContainsFunc(marks, func(m string) bool {
			in := markedIn[strings.TrimSpace(m)]
			return in == "" || strings.HasPrefix(in, "!") || in != root
		}) {
			continue
		}
		m := strings.TrimSpace(marks[0])
		out = append(out, fmt.Sprintf("line %d's queue tree %s under %s takes packet-mark=%s, which line %d sets only on packets that come in by %s: a tree under an interface holds what leaves by it, so it takes nothing; put it under the interface that traffic leaves by (the WAN for upload) or under global",
			c.Line, export.Quote(c.Value("name")), root, c.Value("packet-mark"), markLine[m], root))
	}
	return out
}

// queueAddrs reads a simple queue's target as IPv4 addresses and
// prefixes; ok is false when it names anything else (an interface, IPv6)
// or nothing.
func queueAddrs(v string) ([]netip.Prefix, bool) {
	var out []netip.Prefix
	for _, t := range strings.Split(v, ",") {
		p, ok := prefixOf(strings.TrimSpace(t))
		if !ok {
			return nil, false
		}
		out = append(out, p.Masked())
	}
	return out, len(out) > 0
}

// markedOnly are the packet marks of a queue tree entry's packet-mark
// other than no-mark (which fasttracked packets carry), "" for none.
func markedOnly(v string) string {
	var out []string
	for _, m := range strings.Split(v, ",") {
		if m = strings.TrimSpace(m); m != "" && m != "no-mark" {
			out = append(out, m)
		}
	}
	return strings.Join(out, ",")
}

// leaseOffSubnetWarnings: a static DHCP lease whose address lies on none
// of the subnets the router holds on its server's interface (the LAN was
// renumbered, 192.168.1.0/24 to 192.168.88.0/24, and the lease kept the
// old address). The server answers for the subnets of its interface
// (DHCP manual, https://help.mikrotik.com/docs/spaces/ROS/pages/24805500/DHCP:
// a lease's options come from the /ip dhcp-server network that holds its
// address): the device gets no usable address from it, or one with no
// gateway the router holds [verify which of the two RouterOS does]; it is
// cut off either way. A lease on server=all (or none named) is judged
// against every server's interface.
func (p *Plan) leaseOffSubnetWarnings(live []*export.Command) []string {
	f := p.export
	keep := p.keeper(f)
	ix := index(f, keep)
	servers := map[string]string{} // name → interface
	for _, c := range live {
		if c.Verb == "add" && c.MenuPath() == "ip dhcp-server" && c.Value("relay") == "" {
			servers[c.Value("name")] = c.Value("interface")
		}
	}
	subnets := func(iface string) []netip.Prefix {
		var ps []netip.Prefix
		for _, ac := range ix.addrs {
			if pf, err := addrPrefix(ac); err == nil && pf.Addr().Is4() && ac.Value("interface") == iface {
				ps = append(ps, pf.Masked())
			}
		}
		return ps
	}
	var out []string
	for _, c := range live {
		if c.Verb != "add" || c.MenuPath() != "ip dhcp-server lease" {
			continue
		}
		a, err := netip.ParseAddr(c.Value("address"))
		if err != nil || !a.Is4() {
			continue // a pool name, or nothing the reading can judge
		}
		var ifaces []string
		if s := c.Value("server"); s != "" && s != "all" {
			iface, ok := servers[s]
			if !ok {
				continue // a server the export does not run
			}
			ifaces = []string{iface}
		} else {
			for _, iface := range servers {
				ifaces = append(ifaces, iface)
			}
		}
		var held []netip.Prefix
		for _, iface := range ifaces {
			held = append(held, subnets(iface)...)
		}
		if len(held) == 0 || slices.ContainsFunc(held, func(pf netip.Prefix) bool { return pf.Contains(a) }) {
			continue
		}
		var hs []string
		for _, h := range held {
			hs = append(hs, h.String())
		}
		slices.Sort(hs)
		who := c.Value("mac-address")
		if cm := c.Value("comment"); cm != "" {
			who = cm + " (" + who + ")"
		}
		out = append(out, fmt.Sprintf("line %d's static DHCP lease gives %s the address %s, on none of the subnets the router holds where its DHCP server runs (%s): that device gets no address it can use there; /ip dhcp-server lease set [ find where address=%s ] address=<a free address of %s>",
			c.Line, who, a, strings.Join(hs, ", "), a, hs[0]))
	}
	return out
}

// pppoeMSSWarnings: a PPPoE client whose PPP profile has
// change-tcp-mss=no and no change-mss rule in mangle. PPPoE carries 8
// bytes of header, so its MTU is 1492 at most: a TCP
// connection whose MSS is the LAN's 1460 sends segments too large for
// it, and where ICMP "fragmentation needed" does not come back (a server
// behind a firewall that drops it) the connection hangs after its first
// packets: "some sites do not load" (PPP AAA manual,
// https://help.mikrotik.com/docs/display/ROS/PPP+AAA, change-tcp-mss of
// /ppp profile; the default profiles have it on [verify], the Mangle
// manual's change-mss example clamps it by hand). A profile added without
// the setting takes the default profile's [verify].
func pppoeMSSWarnings(live []*export.Command) []string {
	mss := map[string]string{"default": "yes", "default-encryption": "yes"}
	clamp := false
	var clients []*export.Command
	for _, c := range live {
		switch c.MenuPath() + " " + c.Verb {
		case "ppp profile set":
			v, ok := c.Get("change-tcp-mss")
			if !ok {
				continue
			}
			switch t := strings.Join(strings.Fields(c.Target), " "); t {
			case "*0", "[ find default=yes ]", "default":
				mss["default"] = v
			case "*FFFFFFFE", "default-encryption":
				mss["default-encryption"] = v
			default:
				if name, ok := c.FindArg("name"); ok {
					mss[name] = v
				}
			}
		case "ppp profile add":
			mss[c.Value("name")] = c.Value("change-tcp-mss")
		case "ip firewall mangle add":
			if c.Value("action") == "change-mss" {
				clamp = true
			}
		case "interface pppoe-client add":
			clients = append(clients, c)
		}
	}
	if clamp {
		return nil
	}
	var out []string
	for _, c := range clients {
		prof := c.Value("profile")
		if prof == "" {
			prof = "default"
		}
		v, ok := mss[prof]
		if !ok {
			continue // a profile the export does not show
		}
		if v == "" || v == "default" {
			v = mss["default"]
		}
		if v != "no" {
			continue
		}
		out = append(out, fmt.Sprintf("line %d's PPPoE client %s uses the PPP profile %s, which has change-tcp-mss=no, and no mangle rule changes the MSS: TCP connections through the PPPoE link (MTU 1492 at most) announce the LAN's MSS, and where the ICMP that asks for smaller packets does not come back, downloads and some sites hang; /ppp profile set %s change-tcp-mss=yes (or /ip firewall mangle add chain=forward action=change-mss new-mss=clamp-to-pmtu protocol=tcp tcp-flags=syn out-interface=%s passthrough=yes)",
			c.Line, export.Quote(c.Value("name")), export.Quote(prof), export.Quote(prof), export.Quote(c.Value("name"))))
	}
	return out
}
