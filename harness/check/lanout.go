package check

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// The LAN's own way out: a masquerade written for another interface (the
// port under a PPPoE client, one WAN of two) or another subnet (a second
// LAN added later) leaves the LAN's connections untranslated, and the ISP
// drops their private sources. The forwards still work (conntrack undoes
// their dst-nat), so forum posts read "the port forward works, the server
// has no internet". NAT page of the manual: masquerade takes the address
// of the out-interface, for the packets its matchers select
// (https://help.mikrotik.com/docs/display/ROS/NAT).

// NoMasquerade is the cause of a LAN segment whose connections leave
// untranslated.
const NoMasquerade Cause = "no srcnat rule translates this LAN's connections to the internet as they leave by the WAN: they go out with their private addresses and the ISP drops them"

// LANSrcNATUnheld is a src-nat of the LAN's connections to an address of
// the WAN's subnet that no interface of the router holds (a second public
// address the ISP gave, never added, or a typo of the WAN's own): the
// connections leave with it, the ISP's gateway asks for it by ARP when the
// answers come, nobody answers, and they are lost. The forum's "I changed
// masquerade to src-nat and the internet stopped". A host's own src-nat
// has SrcNATUnheld.
const LANSrcNATUnheld Cause = "the src-nat gives this LAN's connections an address of the WAN's subnet that the router does not hold: the answers come back to that address, nobody answers ARP for it, and they are lost"

// lanOutPort is where the internet's peer answers the LAN's probe.
const lanOutPort = 12566

// lanOutWANs are the WANs the LAN's connections to the internet leave by:
// the main table's default route's, or all of those whose default routes
// share the least distance (RouterOS 7 spreads connections over them,
// RouterOS 6 keeps one of them active [verify which]; equalDefaults), or
// the only WAN.
func (p *Plan) lanOutWANs() []int {
	if wi := p.mainWAN(); wi >= 0 {
		return []int{wi}
	}
	if tied, _ := p.equalDefaults(); len(tied) > 0 {
		return tied
	}
	if len(p.WANs) == 1 {
		return []int{0}
	}
	return nil
}

// lanOutFindings names every LAN segment whose connections to the internet
// leave the main WAN with no srcnat rule to take them. With default routes
// of equal distance, a segment that no srcnat rule takes out of any of
// their WANs (whichever a connection leaves by, it goes untranslated):
// every WAN was called "the backup default route" in a note, and the
// LAN's way out was never probed (realcheck18 D7).
func (p *Plan) lanOutFindings() []Finding {
	wans := p.lanOutWANs()
	if len(wans) == 0 || p.routedNetwork() {
		return nil // no WAN, or the neighbours route the LAN (routednet.go)
	}
	f := p.export
	keep := p.keeper(f)
	m := p.newMatcher(f, keep)
	out := p.noDefaultRouteFindings()
	for _, s := range p.Segments {
		if s.Port == "" || !needsNAT(s.Prefix.Addr()) {
			// A public LAN (a routed block) leaves untranslated by design.
			continue
		}
		if p.managementLink(s) != "" {
			continue // said in a note (managementLinkNotes)
		}
		if note, ok := p.markedWayOut(m, keep, s); ok {
			if !slices.Contains(p.Notes, note) {
				p.Notes = append(p.Notes, note)
			}
			continue
		}
		taken := false
		for _, wi := range wans {
			w := p.WANs[wi]
			pk := packet{src: hostIn(s.Prefix, 100), dst: p.PeerAddr(), proto: "tcp", dstPort: lanOutPort, in: s.Interface, out: w.Interface, state: "new"}
			hit, how := m.first(f, keep, "ip firewall nat", "srcnat", pk,
				map[string]bool{"masquerade": true, "src-nat": true, "netmap": true, "same": true, "accept": true})
			if hit == nil {
				continue
			}
			taken = true
			if len(wans) > 1 {
				// Which of the equal routes a connection takes is the
				// router's choice: what a rule does on one of them is
				// not proven by a probe (otherWANOutNotes names a WAN
				// left untranslated).
				break
			}
			if to, err := toAddr(hit); how == yes && hit.Value("action") == "src-nat" && err == nil && p.unheldWAN(to) != "" {
				out = append(out, Finding{Forward: -1, Path: lanOutPath(s.Interface), Cause: LANSrcNATUnheld, Line: hit.Line, Rule: hit.Raw,
					Detail: fmt.Sprintf("%s leaving by %s takes %s, an address of %s's subnet; the router holds %s", s.Prefix.Masked(), w.Interface, to, p.unheldWAN(to), w.Address.Addr())})
			}
			if fd, ok := p.lanAnswersDropped(m, pk, s); ok {
				out = append(out, fd)
			}
			if fd, ok := p.lanForwardDropped(m, pk, s); ok {
				out = append(out, fd) // the srcnat takes what the filter never lets out (lanblocked.go)
			}
		}
		if taken {
			continue
		}
		w := p.WANs[wans[0]]
		// tcpFlags: the forward chain sees the connection's first packet.
		pk := packet{src: hostIn(s.Prefix, 100), dst: p.PeerAddr(), proto: "tcp", dstPort: lanOutPort, in: s.Interface, out: w.Interface, state: "new", tcpFlags: "syn"}
		// A segment the forward chain never lets out to the WAN needs no
		// masquerade there: the drop, not the srcnat, keeps it in, and
		// a masquerade changes nothing the filter lets through. A branch
		// router whose filter accepts listed pairs only was told to add
		// four masquerades to its private uplink, which the lab proved
		// useless (realcheck27 D6). Said in a note, not fixed: whether the
		// segment should reach the internet is the user's choice.
		if r, how := m.first(f, keep, "ip firewall filter", "forward", pk, map[string]bool{"accept": true, "drop": true, "reject": true}); r != nil && how == yes && r.Value("action") != "accept" {
			note := fmt.Sprintf("%s (%s): the forward chain drops its new connections to %s (line %d), so no srcnat rule takes them either; no masquerade is proposed: the filter keeps this LAN off the internet, on purpose or not (not probed)", s.Interface, s.Prefix.Masked(), w.Interface, r.Line)
			if !slices.Contains(p.Notes, note) {
				p.Notes = append(p.Notes, note)
			}
			if fd, ok := p.lanForwardDropped(m, pk, s); ok {
				out = append(out, fd) // the LAN has no way out: a finding, no fix (lanblocked.go)
			}
			continue
		}
		d := fmt.Sprintf("%s leaving by %s", s.Prefix.Masked(), w.Interface)
		if p.noDefaultRoute() {
			d = fmt.Sprintf("%s would leave by %s once a default route sends it there", s.Prefix.Masked(), w.Interface)
		}
		if len(wans) > 1 {
			words, _ := p.equalWords()
			d = fmt.Sprintf("%s leaving by any of the default routes of equal distance (%s)", s.Prefix.Masked(), words)
		}
		line, raw := 0, ""
		if r, list := p.lanOutList(m, pk, s); r != nil {
			d += fmt.Sprintf("; the masquerade takes src-address-list=%s, which does not hold %s", list, s.Prefix.Masked())
			line, raw = r.Line, r.Raw
		} else if r, list := p.listMasqueradeMissing(w.Interface); r != nil {
			d += fmt.Sprintf("; the masquerade on line %d names out-interface-list=%s, and %s is not in that list", r.Line, list, w.Interface)
		} else {
			d += "; " + p.srcnatWhy()
		}
		out = append(out, Finding{Forward: -1, Path: lanOutPath(s.Interface), Cause: NoMasquerade, Line: line, Rule: raw, Detail: d})
	}
	return out
}

// LANAnswersDropped is the cause of a LAN whose connections leave but
// whose answers the forward chain drops.
const LANAnswersDropped Cause = "the forward chain lets this LAN's new connections out, and a drop below takes the answers from the internet (they belong to established connections): nothing accepts established connections above it, so the LAN has no internet"

// lanAnswersDropped follows the answer to the LAN's connection (pk, which
// the forward chain accepts) back through the forward chain: it comes in
// on the WAN as an established connection towards the client (connection
// tracking has undone the masquerade before filtering). A drop it meets
// first, with no accept of established connections above it, ends every
// connection after its first packet (Filter manual, connection-state:
// https://help.mikrotik.com/docs/spaces/ROS/pages/48660574/Filter).
func (p *Plan) lanAnswersDropped(m *matcher, pk packet, s Segment) (Finding, bool) {
	f := p.export
	keep := p.keeper(f)
	acts := map[string]bool{"accept": true, "drop": true, "reject": true, "fasttrack-connection": true}
	if r, how := m.first(f, keep, "ip firewall filter", "forward", pk, acts); r != nil && (how != yes || r.Value("action") != "accept") {
		return Finding{}, false // the new connection itself is stopped (or unjudged): not this finding
	}
	ans := packet{src: pk.dst, dst: pk.src, proto: pk.proto, in: pk.out, out: pk.in, state: "established"}
	r, how := m.first(f, keep, "ip firewall filter", "forward", ans, acts)
	if r == nil || how != yes || r.Value("action") != "drop" && r.Value("action") != "reject" {
		return Finding{}, false
	}
	return Finding{Forward: -1, Path: lanOutPath(s.Interface), Cause: LANAnswersDropped, Line: r.Line, Rule: r.Raw,
		Detail: fmt.Sprintf("answers to %s come in on %s", s.Prefix.Masked(), pk.out)}, true
}

// needsNAT reports whether a is an address the internet does not route
// back: RFC 1918 or the shared space of carrier-grade NAT (RFC 6598).
func needsNAT(a netip.Addr) bool {
	return a.IsPrivate() || netip.MustParsePrefix("100.64.0.0/10").Contains(a)
}

func lanOutPath(seg string) string { return lanInternetPrefix + seg }

// lanOutList returns the srcnat rule that would take the segment's
// connections if its address list (src-address-list=LAN-subnets, a list
// the export states whole) held the segment's subnet, and that list: a
// segment added after the list was written.
func (p *Plan) lanOutList(m *matcher, pk packet, s Segment) (*export.Command, string) {
	f := p.export
	keep := p.keeper(f)
	for _, c := range f.Commands {
		if c.Verb != "add" || !enabled(c) || !keep(c) || c.MenuPath() != "ip firewall nat" || c.Value("chain") != "srcnat" {
			continue
		}
		if a := c.Value("action"); a != "masquerade" && a != "src-nat" {
			continue
		}
		list := c.Value("src-address-list")
		if list == "" || strings.HasPrefix(list, "!") || !m.fixedLists[list] {
			continue
		}
		with := *m
		with.addrLists = map[string][]netip.Prefix{}
		for k, v := range m.addrLists {
			with.addrLists[k] = v
		}
		with.addrLists[list] = append(append([]netip.Prefix(nil), m.addrLists[list]...), s.Prefix.Masked())
		if with.match(c, pk) == yes {
			return c, list
		}
	}
	return nil, ""
}

// lanOutFix adds the masquerade the segment lacks on WAN wi (one of
// lanOutWANs), or the segment's subnet to the address list the masquerade
// takes.
func (p *Plan) lanOutFix(f Finding, wi int) (key, line string, ok bool) {
	si := p.findingSegment(f)
	if si < 0 || wi < 0 || wi >= len(p.WANs) {
		return "", "", false
	}
	s := &p.Segments[si]
	// The subnet tells apart segments that share a bridge's name: keyed
	// by the name alone, the second one's masquerade was dropped as the
	// first one's (rc29 C6, hex-7206: 10.0.0.0/30 beside 192.168.88.0/24).
	seg := s.Interface + " " + s.Prefix.Masked().String()
	w := p.WANs[wi]
	if r := p.commandAt(f.Line); f.Cause == LANSrcNATUnheld && r != nil {
		// The address the rule gives goes on the WAN: the src-nat was
		// written for it, and a set of to-addresses would guess.
		to, err := toAddr(r)
		if err != nil {
			return "", "", false
		}
		return "address " + to.String(), fmt.Sprintf("/ip address add address=%s/%d interface=%s comment=%s", to, w.Address.Bits(), export.Quote(w.Interface),
			export.Quote("the address the src-nat at line "+fmt.Sprint(r.Line)+" gives")), true
	}
	if r := p.commandAt(f.Line); r != nil && f.Line != 0 {
		if list := r.Value("src-address-list"); list != "" {
			return "lan-out " + seg, fmt.Sprintf("/ip firewall address-list add list=%s address=%s comment=%s",
				export.Quote(list), s.Prefix.Masked(), export.Quote("LAN "+s.Interface)), true
		}
	}
	if _, list := p.listMasqueradeMissing(w.Interface); list != "" {
		// The WAN moved to a port the list does not hold (a new ISP on
		// another port): joining the list mends the masquerade and every
		// other rule written for the list (the forward's
		// in-interface-list=WAN, defconf's "drop all from WAN not
		// DSTNATed"), where a masquerade of its own would mend only the
		// LAN's way out.
		return "member " + list + " " + w.Interface, fmt.Sprintf("/interface list member add interface=%s list=%s", export.Quote(w.Interface), export.Quote(list)), true
	}
	return "lan-out " + seg + " " + w.Interface, fmt.Sprintf("/ip firewall nat add chain=srcnat action=masquerade src-address=%s out-interface=%s comment=%s",
		s.Prefix.Masked(), export.Quote(w.Interface), export.Quote("LAN "+s.Interface+" to the internet")), true
}

// listMasqueradeMissing returns an enabled srcnat masquerade written with
// out-interface-list=<list> and that list's name when the interface iface
// is in no such list: the rule was meant for the WAN and misses it
// (https://help.mikrotik.com/docs/spaces/ROS/pages/3211299/NAT, matchers
// of a rule). A list whose members are unknown (dynamic) is not judged.
func (p *Plan) listMasqueradeMissing(iface string) (*export.Command, string) {
	keep := p.keeper(p.export)
	for _, c := range p.export.Commands {
		if c.MenuPath() != "ip firewall nat" || c.Verb != "add" || !keep(c) || c.Value("chain") != "srcnat" || c.Value("action") != "masquerade" {
			continue
		}
		list := c.Value("out-interface-list")
		if list == "" || strings.HasPrefix(list, "!") || !p.hasList(list) {
			continue
		}
		in, members := false, 0
		for _, m := range p.export.Commands {
			if m.MenuPath() == "interface list member" && m.Verb == "add" && m.Value("list") == list && enabled(m) {
				members++
				in = in || m.Value("interface") == iface
			}
		}
		if !in && members > 0 {
			return c, list
		}
	}
	return nil, ""
}

// findingSegment is the index of the LAN segment a finding of the LAN's
// way out speaks of: segments on one bridge share its name (the path's),
// and the finding's Detail starts with the segment's own subnet. -1 when
// no segment has the name.
func (p *Plan) findingSegment(f Finding) int {
	name := strings.TrimPrefix(f.Path, lanInternetPrefix)
	first := -1
	for si, s := range p.Segments {
		if s.Interface != name {
			continue
		}
		if strings.HasPrefix(f.Detail, s.Prefix.Masked().String()+" ") {
			return si
		}
		if first < 0 {
			first = si
		}
	}
	return first
}

func (p *Plan) segmentByInterface(name string) *Segment {
	for i := range p.Segments {
		if p.Segments[i].Interface == name {
			return &p.Segments[i]
		}
	}
	return nil
}

// lanOutSteps probes, from the client of each LAN segment the diagnosis
// finds without a way out, the internet's peer.
func (p *Plan) lanOutSteps(c *Case, b *strings.Builder, phase string) {
	for _, f := range p.lanOutFindings() {
		si := p.findingSegment(f)
		if si < 0 {
			continue
		}
		s := &p.Segments[si]
		// Clients holds the last client of the segments that share a
		// bridge's name: the segment's own client probes its way out.
		client := cmp.Or(c.segClient[si], c.Clients[s.Interface])
		if client != "" {
			p.add(c, b, Probe{Forward: -1, Path: lanOutPath(s.Interface), Phase: phase, From: client,
				To: fmt.Sprintf("peer:%d", lanOutPort), Kind: "tcp", Want: "peer"}, "")
		}
	}
}

// otherWANOutNotes names the LAN segments whose connections would leave a
// WAN other than the main one untranslated: a failover's backup (a default
// route of the main table with a larger distance), with the masquerade
// written for the first WAN only. A routing table's default route is left
// out: which segments policy routing sends there the marks decide, which
// this does not follow. The lab proves it by pulling the main WAN's cable
// (failover.go), where it can (forum: "failover switches, but nothing
// loads over the backup line").
func (p *Plan) otherWANOutNotes() {
	// A routed network's segments leave untranslated by design
	// (routedNetworkNote), as they do by the main WAN (lanOutFindings).
	// Advising a masquerade for them beside that note contradicted it
	// (realcheck23 D3).
	if len(p.WANs) < 2 || p.routedNetwork() {
		return
	}
	main := p.mainWAN()
	routed := map[int]bool{}
	p.defaultRoutes(false, func(_ *export.Command, wi, _ int) {
		if wi >= 0 && wi != main {
			routed[wi] = true
		}
	})
	f := p.export
	keep := p.keeper(f)
	m := p.newMatcher(f, keep)
	proof := "not probed (the lab cannot pull the main WAN's cable alone: it shares its port with a LAN or the backup, or has none)"
	if _, _, ok := p.failoverPlan(); ok {
		proof = "the lab run pulls the main WAN's cable to see it (failover)"
	}
	// Default routes of equal distance are no backups: each carries the
	// LAN's connections (RouterOS 7's ECMP), or the one RouterOS 6 keeps
	// active does. A segment no srcnat rule takes out of any of them is a
	// finding (lanOutFindings), which the lab probes.
	words, tied := p.equalWords()
	found := map[string]bool{}
	if len(tied) > 0 {
		for _, fd := range p.lanOutFindings() {
			if fd.Cause == NoMasquerade {
				found[strings.TrimPrefix(fd.Path, lanInternetPrefix)] = true
			}
		}
	}
	for wi, w := range p.WANs {
		if !routed[wi] {
			continue
		}
		for _, s := range p.Segments {
			// A management address or a transfer link is no LAN to
			// translate (managementLinkNotes says so): the same
			// exemption as the main WAN's (lanOutFindings), else the
			// notes told the user to NAT what the report had just set
			// apart (realcheck23 D3).
			if s.Port == "" || !needsNAT(s.Prefix.Addr()) || p.managementLink(s) != "" {
				continue
			}
			if _, ok := p.markedWayOut(m, keep, s); ok {
				continue // it leaves by a marked table's route (lanOutFindings' note)
			}
			pk := packet{src: hostIn(s.Prefix, 100), dst: p.PeerAddr(), proto: "tcp", dstPort: lanOutPort, in: s.Interface, out: w.Interface, state: "new"}
			if hit, _ := m.first(f, keep, "ip firewall nat", "srcnat", pk,
				map[string]bool{"masquerade": true, "src-nat": true, "netmap": true, "same": true, "accept": true}); hit != nil {
				continue
			}
			if slices.Contains(tied, wi) {
				if found[s.Interface] {
					continue
				}
				// A warning offline, as a backup WAN without NAT is
				// (noteFailoverGap; no probe shows it): the classic
				// "second WAN at the same distance, masquerade on the
				// first only" read "no problem found", exit 0, while on
				// RouterOS 7 part of the LAN's connections leave
				// untranslated (chk57 D4).
				p.noteFailoverGap("ecmp:"+s.Interface, fmt.Sprintf("%s (%s) leaving by %s, one of the default routes of equal distance (%s), finds no srcnat rule: no backup, it carries connections beside the others (RouterOS 7 spreads them over these routes; RouterOS 6 uses the one it keeps active), and those would go out with private addresses; add /ip firewall nat add chain=srcnat action=masquerade out-interface=%s; not probed (which of the routes a connection takes is the router's choice)",
					s.Interface, s.Prefix.Masked(), w.Interface, words, w.Interface))
				continue
			}
			p.noteFailoverGap(failoverPrefix+s.Interface, fmt.Sprintf("%s (%s) leaving by %s, the backup default route sends traffic to when the main WAN fails, finds no srcnat rule: those connections would go out with private addresses; add /ip firewall nat add chain=srcnat action=masquerade out-interface=%s (or one masquerade by an interface list that holds both WANs, out-interface-list=WAN); %s",
				s.Interface, s.Prefix.Masked(), w.Interface, w.Interface, proof))
		}
	}
}

// managementLink says why a segment is a management or transit link and
// not a LAN whose connections the router must translate, "" when it is a
// LAN: the router serves nothing there (no DHCP server on it), has no NAT
// rule at all (nothing shows it translates for anyone), and its address is
// a host's, not a gateway's: neither the subnet's first nor last host
// (where home routers put theirs, 192.168.88.1, 192.168.1.254), or the
// subnet is a /30 or /31 transfer link. A CRS125 switch's management VLAN
// (10.0.77.2/24 on bridge.77) and a distribution router's core links and
// LANs at .3 were told to add a masquerade (realcheck21 D6). A home
// router that lacks its masquerade keeps the finding: its LAN address is
// .1 (or the last host), or it serves DHCP there, or it has a NAT rule.
func (p *Plan) managementLink(s Segment) string {
	if why := p.uplinkLink(s); why != "" {
		return why
	}
	if p.hasNATRule() || p.dhcpServerOn(s.Interface) {
		return ""
	}
	pf := s.Prefix
	first, last := pf.Masked().Addr().Next(), lastOf(pf).Prev()
	switch {
	case pf.Bits() >= 30:
		return fmt.Sprintf("%s (%s) is taken as a transfer link, not a LAN to translate: a /%d, no DHCP server on it and no NAT rule on the router (not probed)", s.Interface, pf, pf.Bits())
	case pf.Addr() != first && pf.Addr() != last:
		// A host's address on the bridge the WAN is on too: a switch's
		// management address beside its own uplink, in its own L2
		// domain. A router's LAN at .3 on a port of its own stays a LAN
		// (a lab router's export without its masquerade).
		br := p.bridgeUnder(s.Interface)
		for _, w := range p.WANs {
			if br != "" && p.bridgeUnder(w.Interface) == br {
				return fmt.Sprintf("%s (%s) is taken as a management address, not a LAN to translate: the router's address there is a host's (not the subnet's first or last, where a gateway sits), on bridge %s with the WAN %s, it serves no DHCP there and has no NAT rule at all, as a switch has (not probed)", s.Interface, pf, br, w.Interface)
			}
		}
		// A switch or access point managed out of band: its only LAN
		// address a host's on a bridge of ports, its DHCP client on a
		// port of its own outside the bridge (ether1_MGMT), and nothing
		// a router needs to route a LAN: no DHCP server anywhere, no
		// route, no firewall rule, no NAT rule. realcheck23 D4: such a
		// switch was told its bridge needed a masquerade, and the lab
		// proved it only by making the switch its client's gateway. A
		// router's LAN keeps the finding once it shows any of these (a
		// DHCP server, a route, a filter rule), or sits on a port of its
		// own rather than a bridge of ports.
		if br != "" && p.bridgeHasPorts(br) && !p.routesAnything() {
			for _, w := range p.WANs {
				if p.bridgeUnder(w.Interface) == "" {
					return fmt.Sprintf("%s (%s) is taken as a management address, not a LAN to translate: the router's address there is a host's (not the subnet's first or last, where a gateway sits) on bridge %s, its WAN %s is a port of its own outside the bridge, and it has no DHCP server, route, firewall or NAT rule at all, as a switch or access point managed out of band has (not probed)", s.Interface, pf, br, w.Interface)
				}
			}
		}
	}
	return ""
}

// bridgeUnder is the bridge an interface's frames cross: the bridge
// itself, the bridge of a port, or the bridge under a VLAN; "" for none.
func (p *Plan) bridgeUnder(name string) string {
	for depth := 0; depth < 4 && name != ""; depth++ {
		next := ""
		for _, c := range p.export.Commands {
			if c.Verb != "add" {
				continue
			}
			switch c.MenuPath() {
			case "interface bridge":
				if c.Value("name") == name {
					return name
				}
			case "interface bridge port":
				if c.Value("interface") == name {
					return c.Value("bridge")
				}
			case "interface vlan":
				if c.Value("name") == name {
					next = c.Value("interface")
				}
			}
		}
		name = next
	}
	return ""
}

// bridgeHasPorts reports whether an enabled port of the export is in
// bridge br.
func (p *Plan) bridgeHasPorts(br string) bool {
	keep := p.keeper(p.export)
	for _, c := range p.export.Commands {
		if c.Verb == "add" && c.MenuPath() == "interface bridge port" && keep(c) && enabled(c) && c.Value("bridge") == br {
			return true
		}
	}
	return false
}

// routesAnything reports whether the export has what a router that
// routes a LAN has: a DHCP server, a route, or a firewall filter rule.
func (p *Plan) routesAnything() bool {
	keep := p.keeper(p.export)
	for _, c := range p.export.Commands {
		if c.Verb != "add" || !keep(c) || !enabled(c) {
			continue
		}
		switch c.MenuPath() {
		case "ip dhcp-server", "ip route", "ip firewall filter":
			return true
		}
	}
	return false
}

// managementLinkNotes says of each segment managementLink sets apart why
// it gets no masquerade finding.
func (p *Plan) managementLinkNotes() {
	if len(p.lanOutWANs()) == 0 || p.routedNetwork() {
		return
	}
	for _, s := range p.Segments {
		if s.Port == "" || !needsNAT(s.Prefix.Addr()) {
			continue
		}
		if why := p.managementLink(s); why != "" {
			p.Notes = append(p.Notes, why)
		}
	}
}

// hasNATRule reports whether the export has any enabled /ip firewall nat
// rule, of either chain.
func (p *Plan) hasNATRule() bool {
	keep := p.keeper(p.export)
	for _, c := range p.export.Commands {
		if c.Verb == "add" && c.MenuPath() == "ip firewall nat" && keep(c) && enabled(c) {
			return true
		}
	}
	return false
}

// srcnatWhy says what the export's srcnat chain holds when none of its
// rules takes a LAN's connection: no rule at all, only disabled ones, or
// rules written for another interface or subnet. The cause said the last
// for every export, also for the many with no NAT rule at all, and sent
// the user looking for a rule that does not exist (realcheck23 D7).
func (p *Plan) srcnatWhy() string {
	keep := p.keeper(p.export)
	var on, off []string
	for _, c := range p.export.Commands {
		if c.Verb != "add" || c.MenuPath() != "ip firewall nat" || !keep(c) || c.Value("chain") != "srcnat" {
			continue
		}
		if enabled(c) {
			on = append(on, strconv.Itoa(c.Line))
		} else {
			off = append(off, strconv.Itoa(c.Line))
		}
	}
	lines := func(ls []string) string {
		if len(ls) == 1 {
			return "line " + ls[0]
		}
		return "lines " + strings.Join(ls, ", ")
	}
	switch {
	case len(on) > 0:
		return fmt.Sprintf("the srcnat rules of the export (%s) are written for another interface or another subnet", lines(on))
	case len(off) > 0:
		return fmt.Sprintf("the export has no enabled srcnat rule (%s disabled)", lines(off))
	}
	return "the export has no srcnat rule"
}

// dhcpServerOn reports whether an enabled DHCP server runs on iface.
func (p *Plan) dhcpServerOn(iface string) bool {
	keep := p.keeper(p.export)
	for _, c := range p.export.Commands {
		if c.Verb == "add" && c.MenuPath() == "ip dhcp-server" && keep(c) && enabled(c) && c.Value("interface") == iface {
			return true
		}
	}
	return false
}
