package check

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// Cause names why a forward fails, in the forum's terms.
type Cause string

// The causes the diagnosis knows.
const (
	NoHairpin            Cause = "no hairpin rule: LAN clients on the server's own segment reach the server with their own address, it answers them directly and the connection never opens"
	BoundToWAN           Cause = "the dst-nat is bound to an interface the traffic does not arrive on, so it never matches (a LAN client's traffic arrives on the LAN; a PPPoE WAN's on the PPPoE interface, not on the port under it)"
	TakesOwnAddress      Cause = "the dst-nat also takes the router's own addresses: a LAN client asking the router itself on this port is forwarded to the server"
	HidesClients         Cause = "a masquerade hides internet clients: the server sees the router's address instead of the client's"
	HairpinTCPOnly       Cause = "the hairpin rule covers TCP only, and this service is UDP"
	FilterPortUnder      Cause = "the forward filter's accept for port forwards is bound to the port under the PPPoE client, but the connection comes in on the PPPoE interface itself, so it never matches and the drop below it takes the connection"
	FilterPublicPort     Cause = "the forward filter's accept for this forward names the public port, but the forward chain runs after dstnat and sees the server's port (to-ports), so it never matches and the drop below it takes the connection"
	DstAddressGone       Cause = "the dst-nat names an address the router does not hold, on none of its subnets (an address left from before the WAN was renumbered, or another router's): the connections come to the WAN's own address and the rule never matches them"
	LANDstAddress        Cause = "the dst-nat names a LAN address as its dst-address, but the internet's connections, and the LAN's to the public address, are addressed to the WAN's address: it never matches them"
	HairpinOutWAN        Cause = "the hairpin rule names the WAN as its out-interface, but hairpinned traffic leaves by the server's LAN interface (srcnat runs after routing), so it never matches"
	HairpinOutParent     Cause = "the hairpin rule names the interface under the server's VLAN as its out-interface, but routed packets leave by the VLAN interface itself (srcnat sees the VLAN as out-interface), so it never matches"
	HairpinOutPort       Cause = "the hairpin rule names a port of the server's bridge as its out-interface, but routed packets leave by the bridge itself (srcnat sees the bridge as out-interface; a port is only the out-bridge-port), so it never matches"
	HairpinPublicAddress Cause = "the hairpin rule names the public address, but srcnat runs after dstnat and sees the server's address, so it never matches"
	FilterPublicAddr     Cause = "the forward filter's accept for this forward names the public address, but the forward chain runs after dstnat and sees the server's address, so it never matches and the drop below it takes the connection"
	HairpinPublicPort    Cause = "the hairpin rule names the public port, but srcnat runs after dstnat and sees the server's port (to-ports), so it never matches"
	LiteralWAN           Cause = "the dst-nat names the WAN address literally, and the WAN is dynamic: it stops working when the ISP renumbers"
	ForwardDrops         Cause = "a forward filter rule drops the hairpinned traffic"
	ForwardDropsWAN      Cause = "a forward filter rule drops the connection from the internet (it comes in on the WAN, dst-nat or not)"
	NoPublicAddress      Cause = "the WAN address is not public (carrier-grade NAT or an ISP router in front): nothing from the internet can reach this router"
	EarlierRule          Cause = "an earlier rule takes this traffic before the forward"
	PortGateway          Cause = "the answers' route names the WAN port as its gateway, with no next hop: on Ethernet the router asks ARP for every destination, nobody answers, and the answers are lost"
	AddressOnBridgePort  Cause = "the LAN address is on a port of a bridge: RouterOS marks it invalid, so the hosts behind the bridge have no router address (nothing from or to that LAN is routed)"
	VLANNotOnBridge      Cause = "the LAN's VLAN interface is on a VLAN-filtering bridge that is not a tagged member of its VLAN: the bridge hands the router none of the VLAN's frames (or hands them untagged, to the bridge itself), so the VLAN interface hears nothing and nothing from or to that LAN is routed"
	VLANNoPort           Cause = "the LAN's VLAN is carried by no port of its VLAN-filtering bridge (no port has it as its pvid, and the bridge's VLAN table tags it on no port): no host can reach the router's address there, and nothing from or to that LAN is routed"
	NameListNoDNS        Cause = "the dst-nat matches an address list that holds only a DNS name, and the router's DNS has no upstream server: the name never resolves, the list stays empty and the rule never matches"
	NoRouteToServer      Cause = "no route leads to the forward's server but the default route through the WAN: the translated connection leaves by the WAN again and never reaches it (a server behind another LAN router needs a route through that router)"
	MarkOnlyWAN          Cause = "the dst-nat takes connections by their connection mark, and the mangle rule that sets the mark does not match a LAN client's connection to the public address (it is bound to the WAN): the connection is never marked and the dst-nat never matches"
	RawNotrack           Cause = "a raw notrack rule takes the forward's packets: untracked packets skip NAT, so the dst-nat never sees them and they stay addressed to the router (whose input accepts untracked: the router answers, refusing the port); the same rule leaves the answers of the LAN's masqueraded connections untracked, never translated back"
	RawDrops             Cause = "a raw drop rule takes the forward's packets before connection tracking and NAT"
	RawDropsAnswers      Cause = "a raw rule takes the server's answers: raw prerouting sees every packet that comes in, the answers too, before connection tracking translates them back, so they are still addressed to the router's LAN address the hairpin masquerade gave the connection (or to the client), and a drop (or notrack) of that address never lets them reach the client (a raw rule meant for the internet needs in-interface-list=WAN)"
	ForwardDropsAnswers  Cause = "a forward filter drop above the accept of established connections takes the server's answers (it has no connection-state=new): the connection never opens, though the drop was meant for connections the server's side starts"
	ForwardDropsLater    Cause = "the forward chain lets only the connection's first packet through (its accept asks connection-state=new or tcp-flags=syn) and a drop below takes the client's later packets, which are established: nothing accepts established connections above it, so the connection never opens"
	SrcNATAcceptFirst    Cause = "a srcnat accept above the hairpin rule takes the hairpinned connection and exempts it from NAT (a NAT bypass for a VPN written wider than the tunnel's subnets), so the server answers the client directly and the connection never opens"
	LANAddrNotHeld       Cause = "the dst-nat's dst-address is on a LAN subnet and the router does not hold it: hosts on that subnet ask ARP for it themselves and never send the packet to the router, so the dst-nat never sees it (the router answers ARP for an address it holds)"
	SourceExcluded       Cause = "the dst-nat excludes the client's own address by a negated source (written to keep the LAN's traffic off the rule): it keeps the LAN's clients off the public address too, so their connections reach the router, not the server"
	NameSkipsToPorts     Cause = "the name leads LAN clients straight to the server's own address (method 1), so they ask it on the public port; the forward's to-ports translation is skipped with the NAT and nothing listens there"
	SrcPortClient        Cause = "the dst-nat's src-port names the port the client connects from, but a client on the internet or the LAN connects from a port of its own choosing: the dst-nat takes almost none of its connections (the server's port belongs in dst-port or to-ports)"
	SrcAddressLAN        Cause = "the dst-nat's src-address names a LAN address (often the server's own, read as the device the port is for), but src-address is the sender of the packet, the client on the internet or the LAN: it never matches"
	RepliesOtherWAN      Cause = "the answers leave by another WAN: the main table's default route sends them out through the other ISP, which drops a source address it did not give (no connection mark routes the answers of connections that came in on this WAN back through it)"
)

// Finding is one cause the export shows, with the rule behind it.
type Finding struct {
	Forward int    // index into Plan.Forwards; -1 for the router's services
	Path    string // which path it breaks: "internet", "hairpin from bridge", "router services"
	Cause   Cause
	Line    int    // the export line of the rule behind it, 0 if none
	Rule    string // its text
	Detail  string
	// Enable is the line of a disabled rule that, enabled, would let the
	// connection through where the finding stops it (a LAN copy of the
	// forward, a forward accept for DSTNATed connections): the fix
	// enables it instead of writing a new rule. 0 if none.
	Enable int
	// Late is the line of an enabled accept below the rule that stops the
	// connection, written for it (it names a port or an address) and
	// never reached: appended at the end of the chain. 0 if none.
	Late int
	// Hash marks a finding a hash decides per connection (the answers of
	// RouterOS 7's ECMP route), read by hashed; it was read from the
	// word "ECMP" in Detail, which the tie that sends every answer out
	// of another WAN has too.
	Hash bool `json:",omitempty"`
	// Sources marks a NameListNoDNS finding of the forward's source
	// list (it admits nobody), not of its destination list.
	Sources bool `json:",omitempty"`
}

// disabledFix returns the line of a disabled rule of menu and chain,
// above before (0: anywhere), with one of actions, that matches pk and
// passes ok: enabled, it would be the first to match, since no enabled
// rule above the one that stops pk matches it (first match wins,
// help.mikrotik.com/docs/spaces/ROS/pages/48660574/Filter). With ok (a
// copy of the forward, to its server), a match the reading cannot weigh
// counts: an address list filled at run time (IP Cloud, a script) is
// what such a LAN copy is written with, as for an enabled one.
func disabledFix(f *export.File, keep func(*export.Command) bool, m *matcher, menu, chain string, before int, actions map[string]bool, pk packet, ok func(*export.Command) bool) int {
	o := m.order(f)
	for _, c := range o.cmds {
		if before != 0 && !o.beforeLine(c, before) {
			continue
		}
		act := c.Value("action")
		if act == "" {
			act = "accept" // the default action, which exports leave out
		}
		if enabled(c) || !keep(c) || c.Verb != "add" || c.MenuPath() != menu || c.Value("chain") != chain || !actions[act] {
			continue
		}
		if t := m.match(c, pk); (t == yes || t == unknown && ok != nil) && (ok == nil || ok(c)) {
			return c.Line
		}
	}
	return 0
}

// Expect is what the static diagnosis predicts for one probe.
type Expect struct {
	Forward int
	Path    string // internet, hairpin:<segment>, byname:<segment>
	From    string // the lab node
	Name    string // the name a byname path resolves
	Works   bool
	Might   bool // a rule the diagnosis does not model decides
	// Hash is set with Might when the hash of the main table's ECMP
	// default route (a RouterOS 7 tie) picks the WAN the answers, or the
	// router's own traffic, leave by: the path works or fails by the
	// connection's addresses.
	Hash bool
	// ServerSees is "client" or "router" when it works.
	ServerSees string
}

// Diagnose reads the rules of the export and predicts each forward's
// paths, with the causes of the failures it foresees. The lab run then
// shows what really happens; a prediction never replaces a probe.
func (p *Plan) Diagnose() ([]Finding, []Expect) {
	f := p.export
	keep := p.keeper(f)
	m := p.newMatcher(f, keep)
	var out []Finding
	var exp []Expect
	peer := p.PeerAddr()
	for i, fw := range p.Forwards {
		seg := p.segmentOf(fw.ToAddr)
		if seg == nil {
			if aside := p.asideSegment(f, fw.ToAddr, keep); aside != nil {
				// The server's network is on an interface the lab
				// cannot have (a radio's DMZ): not a routing fault of
				// the export.
				out = append(out, Finding{Forward: i, Path: "all", Line: aside.Line, Rule: aside.Raw,
					Detail: fmt.Sprintf("the forward's server %s is on %s, on %s, which the lab sets aside (a lab router has no such interface); not probed", fw.ToAddr, aside.Value("address"), aside.Value("interface"))})
				continue
			}
			if !needsNAT(fw.ToAddr) && fw.ToAddr.Is4() {
				// A dst-nat to a host on the internet (an old LAN
				// server's address sent to its hosted successor): the
				// default route reaches it.
				d := fmt.Sprintf("the forward's server %s is on the internet, reached by the default route through the WAN; not probed", fw.ToAddr)
				cause := Cause("")
				if a, err := netip.ParseAddr(fw.cmd.Value("dst-address")); err == nil {
					if s := p.segmentOf(a); s != nil && !p.isRouterAddr(a) {
						cause = LANAddrNotHeld
						d = fmt.Sprintf("dst-address=%s is on %s's subnet %s and is no address of the router", a, s.Interface, s.Prefix.Masked())
					}
				}
				out = append(out, Finding{Forward: i, Path: "all", Cause: cause, Line: fw.Line, Rule: fw.Text, Detail: d})
				continue
			}
			via, ok := p.routeTo(fw.ToAddr, keep)
			if line, proto := p.learnsRoutes(); via == "" && line > 0 {
				// A route the export does not list, learnt from a
				// neighbour the lab does not have: not judged.
				via, ok = fmt.Sprintf("by a route %s may learn: line %d runs it, and the lab has no %s neighbour", proto, line, proto), true
			}
			if !ok && !p.isRouterAddr(fw.ToAddr) {
				out = append(out, Finding{Forward: i, Path: "all", Cause: NoRouteToServer, Line: fw.Line, Rule: fw.Text,
					Detail: fmt.Sprintf("%s is on none of the router's networks and no route of the export covers it", fw.ToAddr)})
			} else {
				d := fmt.Sprintf("the forward's server %s is on none of the router's LAN segments", fw.ToAddr)
				if via != "" {
					d += " (reached " + via + ")"
				}
				out = append(out, Finding{Forward: i, Path: "all", Line: fw.Line, Rule: fw.Text, Detail: d})
				out = append(out, p.routedServerHairpin(f, keep, m, i, fw)...)
			}
			continue
		}
		if seg.onPort != "" {
			out = append(out, Finding{Forward: i, Path: "all", Cause: AddressOnBridgePort, Line: seg.addr.Line, Rule: seg.addr.Raw,
				Detail: fmt.Sprintf("%s is on %s, a port of bridge %s", seg.Prefix, seg.onPort, seg.Interface)})
		}
		if nf, ok := p.vlanNoPortFinding(seg); ok {
			// No port carries the VLAN: tagging the bridge in it would
			// still leave the LAN out of reach (realcheck25 D3).
			nf.Forward, nf.Path = i, "all"
			out = append(out, nf)
		} else if br, vid, entry, deaf := p.deafVLAN(seg.Interface, keep); deaf {
			out = append(out, deafVLANFinding(i, "all", seg.Interface, br, vid, entry))
		}
		out = append(out, p.listFindings(i, fw)...)
		if nf, _, ok := netmapNarrow(i, fw); ok {
			out = append(out, nf)
		}
		if l := p.nameOnlyList(fw); l != "" && !p.hasUpstream() {
			out = append(out, Finding{Forward: i, Path: "all", Cause: NameListNoDNS, Line: fw.Line, Rule: fw.Text,
				Detail: "dst-address-list=" + l})
		}
		if l := p.nameOnly(fw.cmd.Value("src-address-list")); l != "" && !p.hasUpstream() {
			// A forward that admits only a list of names (the office's
			// DynDNS name): the list stays empty, so it admits nobody.
			out = append(out, Finding{Forward: i, Path: "all", Cause: NameListNoDNS, Line: fw.Line, Rule: fw.Text,
				Detail: "src-address-list=" + l + ": the forward admits nobody", Sources: true})
		}
		for _, wi := range p.internetWANs(fw) {
			w := p.WANs[wi]
			wan := p.WANAddr(w, fw)
			if !wan.IsValid() {
				continue
			}
			behind := w.Behind()
			if a, ok := p.cgnatLease(w); ok {
				behind = "cgnat-lease"
				out = append(out, Finding{Forward: i, Path: "internet via " + w.Interface, Cause: NoPublicAddress,
					Detail: fmt.Sprintf("%s is a DHCP WAN and the forwards name %s, in the shared space %s of carrier-grade NAT: the ISP leases it from behind its NAT, which shares one public address among its customers and lets no connection from the internet in", w.Interface, a, cgnatSpace)})
			}
			if a, ok := p.routedPublicDst(fw); ok && w.Kind == "static" && behind != "" {
				// An ISP's inner router: its uplinks are private point-to-point
				// links to the ISP's own routers, and the public addresses
				// it holds are routed to it (rc32 C3: 25 forwards of such a
				// router read "nothing from the internet can reach this
				// router"). Whether the router in front routes the address
				// here is not in the export: said, not counted as a fault.
				out = append(out, Finding{Forward: i, Path: "internet via " + w.Interface, Line: fw.Line, Rule: fw.Text,
					Detail: fmt.Sprintf("%s has %s, not a public address, but the forward names %s, a public address this router holds or has a subnet of: it works from the internet if the router in front routes %s here (an ISP's inner router, a routed block), which the export does not show", w.Interface, w.Address, a, a)})
				behind = ""
			}
			switch behind {
			case "cgnat":
				out = append(out, Finding{Forward: i, Path: "internet via " + w.Interface, Cause: NoPublicAddress,
					Detail: fmt.Sprintf("%s has %s, in the shared space %s of carrier-grade NAT: the ISP's NAT shares one public address among its customers and lets no connection from the internet in", w.Interface, w.Address, cgnatSpace)})
			case "cpe":
				out = append(out, Finding{Forward: i, Path: "internet via " + w.Interface, Cause: NoPublicAddress,
					Detail: fmt.Sprintf("%s has %s, a private address: an ISP router in front holds the public address", w.Interface, p.WANAddr(w, fw))})
			}
			if d := fw.cmd.Value("dst-address"); d != "" && w.Kind != "static" && behind == "" {
				// An address the export itself puts on the WAN's interface
				// (a 1:1 NAT's beside the lease) stays when the ISP
				// renumbers; only the lease's does not (forum53 D3: the
				// fix widened such a netmap to every local address).
				if a, err := netip.ParseAddr(d); err == nil && a == wan && p.wanHolding(a) != w.Interface {
					out = append(out, Finding{Forward: i, Path: "after a renumbering", Cause: LiteralWAN, Line: fw.Line, Rule: fw.Text})
				}
			}
			if l := fw.cmd.Value("dst-address-list"); w.Kind != "static" && behind == "" {
				if entries, stale := p.staleList(keep, l); stale {
					out = append(out, Finding{Forward: i, Path: "after a renumbering", Cause: LiteralWAN, Line: fw.Line, Rule: fw.Text, Detail: staleListDetail(l, entries)})
				}
			}
			if as := p.unheldWANAddrs(w, fw); len(as) > 0 {
				out = append(out, Finding{Forward: i, Path: "internet via " + w.Interface, Cause: AddressNotHeld, Line: fw.Line, Rule: fw.Text,
					Detail: fmt.Sprintf("dst-address=%s, in %s on %s; the router holds %s only", fw.cmd.Value("dst-address"), w.Address.Masked(), w.Interface, w.Address.Addr())})
			}
			// From the internet.
			_, routed := p.routedBlock(wan)
			dst := wan
			if a, ok := p.staticOnDynamic(w, fw); ok {
				// The forward names a static address beside the lease
				// (WANAddr gives the lease): the internet's connections
				// come to that address, where the lab probes them too
				// (forwardTarget). Walked at the lease, a forward on a
				// second address read as taken by the one on the first
				// (forum69 C1).
				dst = a
			}
			pk := packet{src: peer, dst: dst, proto: fw.Protocol, dstPort: fw.DstPort, in: w.Interface, local: !routed || p.routerHolds(dst), state: "new", clientPort: true}
			e := Expect{Forward: i, Path: "internet", From: "peer", Works: true, ServerSees: "client"}
			p.walk(f, keep, m, &out, &e, i, fw, pk, seg, false)
			if d, spread, ok := p.cloudOtherWAN(fw, wi); ok {
				// The list's one address is the other WAN's (a
				// dual-PPPoE export's forwards on the IP Cloud name:
				// refused on the second line even with its answers
				// routed back), or on RouterOS 7's ECMP tie the WAN
				// the hash sends the router's update by.
				if spread {
					e.Might, e.Hash = true, true
				} else {
					e.Works = false
				}
				out = append(out, Finding{Forward: i, Path: "internet via " + w.Interface, Cause: CloudOneWAN, Line: fw.Line, Rule: fw.Text, Detail: d})
			}
			if behind != "" {
				// The finding above: nothing from the internet reaches
				// the router, whatever its rules let through (the lab's
				// CPE or CGNAT refuses the peer).
				e.Works = false
			}
			if r, table := p.inboundMark(m, keep, pk, fw.ToAddr); r != nil {
				e.Works = false
				out = append(out, inboundMarkFinding(i, e.Path, r, table))
			}
			if r, table := p.markedAnswers(m, keep, fw, seg, peer, &p.WANs[wi]); r != nil {
				e.Works = false
				out = append(out, markedAnswersFinding(i, e.Path, r, table))
			}
			if r := p.pccRule(m, keep, fw, seg, peer, wi); r != nil {
				e.Might = true
				out = append(out, p.pccFinding(i, wi, r))
			}
			r := p.markedRouteViaPort(wi)
			if r == nil {
				r = p.mainRouteViaPort(wi)
			}
			if r != nil {
				e.Works = false
				out = append(out, Finding{Forward: i, Path: "internet via " + w.Interface, Cause: PortGateway, Line: r.Line, Rule: r.Raw,
					Detail: "gateway=" + r.Value("gateway") + " on a " + w.Kind + " WAN"})
			}
			if t, mark := p.noFIBTable(keep); t != nil && len(p.WANs) > 1 {
				// The marks route nothing: the answers take the main
				// table's default route, which on RouterOS 7's ECMP tie
				// may be this WAN's.
				switch main, ecmp := p.defaultWAN(); {
				case slices.Contains(ecmp, wi):
					e.Might, e.Hash = true, true
					out = append(out, noFIBFinding(i, "internet via "+w.Interface, t, mark))
				case wi != main:
					e.Works = false
					out = append(out, noFIBFinding(i, "internet via "+w.Interface, t, mark))
				}
			}
			if r, other, ok := p.ruleSendsAnswers(wi, m, keep, packet{src: fw.ToAddr, dst: peer, proto: fw.Protocol, in: seg.Interface, dstnatted: true, state: "established"}); ok {
				e.Works = false
				out = append(out, Finding{Forward: i, Path: "internet via " + w.Interface, Cause: RuleSendsAnswers, Line: r.Line, Rule: r.Raw,
					Detail: fmt.Sprintf("connections come in on %s; the answers from %s take table %s, whose default route leaves by %s", w.Interface, fw.ToAddr, r.Value("table"), p.WANs[other].Interface)})
			}
			if r := p.fasttrackLosesMark(f, m, keep, wi, packet{src: fw.ToAddr, dst: peer, proto: fw.Protocol, in: seg.Interface, dstnatted: true, state: "established"}); r != nil {
				// A TCP connection needs the server's later packets; a UDP
				// exchange of one answer is over before the fast path.
				if fw.Protocol == "tcp" {
					e.Works = false
				} else {
					e.Might = true
				}
				out = append(out, p.fasttrackMarksFinding(i, wi, r))
			}
			if other, spread, ok := p.replyWAN(wi, m, keep, packet{src: fw.ToAddr, dst: peer, proto: fw.Protocol, in: seg.Interface, dstnatted: true, state: "established"}); ok {
				detail := fmt.Sprintf("connections come in on %s; the answers leave on %s, by the main table's default route", w.Interface, p.WANs[other].Interface)
				tie, first := p.tieWords()
				switch {
				case spread:
					// RouterOS 7's ECMP route: the hash of the answer's
					// addresses picks the WAN, this one or the other, so
					// the lab's probe may pass or time out; the fix
					// holds either way.
					e.Might, e.Hash = true, true
					detail = fmt.Sprintf("connections come in on %s; %s: the hash of each answer's source and destination address picks the WAN it leaves by, so some connections are answered through %s", w.Interface, p.ecmpWords(), p.WANs[other].Interface)
				case tie != "" && p.ecmpTies():
					e.Works = false
					detail = fmt.Sprintf("connections come in on %s; %s, which sends every answer out of one of those WANs, none of them this one", w.Interface, p.ecmpWords())
				case tie != "":
					e.Works = false
					detail += fmt.Sprintf(": its default routes tie (%s) and RouterOS 6 uses the first, line %d, keeping the others inactive", tie, first)
				default:
					e.Works = false
				}
				out = append(out, Finding{Forward: i, Path: "internet via " + w.Interface, Cause: RepliesOtherWAN, Detail: detail, Hash: spread})
			}
			if r, tunnel, ok := p.tunnelDefault(); ok && w.Behind() == "" && !(p.policyRouting() && !p.answerUnmarked(m, keep, packet{src: fw.ToAddr, dst: peer, proto: fw.Protocol, in: seg.Interface, dstnatted: true, state: "established"})) {
				e.Works = false
				out = append(out, Finding{Forward: i, Path: "internet via " + w.Interface, Cause: RepliesTunnel, Line: r.Line, Rule: r.Raw,
					Detail: fmt.Sprintf("connections come in on %s; the main table's default route leaves by %s", w.Interface, tunnel)})
			}
			exp = append(exp, e)
		}
		// Hairpin, from every segment with a lab host.
		wan := netip.Addr{}
		if len(p.WANs) > 0 {
			wan = p.WANAddr(p.WANs[p.hairpinWAN(fw)], fw)
		}
		name, direct := p.byNameTarget(fw)
		resolves := p.routerResolves()
		for _, s := range p.Segments {
			if s.Port == "" || !wan.IsValid() || !p.clientRoom(s) {
				continue
			}
			client := hostIn(s.Prefix, 100)
			_, routed := p.routedBlock(wan)
			pk := packet{src: client, dst: wan, proto: fw.Protocol, dstPort: fw.DstPort, in: s.Interface, local: !routed || p.routerHolds(wan), state: "new", clientPort: true}
			e := Expect{Forward: i, Path: "hairpin:" + s.Interface, From: "client-" + s.Interface, Works: true, ServerSees: "client"}
			p.walk(f, keep, m, &out, &e, i, fw, pk, seg, s.Interface == seg.Interface)
			if mark, ok := p.markedPort(f, keep, fw.cmd.Value("connection-mark")); ok && m.match(mark, pk) == no {
				e.Works = false
				out = append(out, Finding{Forward: i, Path: e.Path, Cause: MarkOnlyWAN, Line: mark.Line, Rule: mark.Raw,
					Detail: fmt.Sprintf("the dst-nat at line %d takes connection-mark=%s only", fw.Line, fw.cmd.Value("connection-mark"))})
			}
			if r, table := p.markedAnswers(m, keep, fw, seg, client, nil); r != nil {
				e.Works = false
				out = append(out, markedAnswersFinding(i, e.Path, r, table))
			}
			// Also when the dst-nat misses the request now (bound to the
			// WAN) and the path is broken for that: the fix makes a rule
			// take it, and the mark then sends it to the ISP (a 7.9
			// dual-PPPoE export's hairpins were "unreachable" with the
			// fix).
			if r, table, marker := p.hairpinMark(m, keep, pk, fw.ToAddr); r != nil && (m.match(fw.cmd, pk) == yes || !e.Works) {
				e.Works = false
				out = append(out, hairpinMarkFinding(i, e.Path, r, table, marker))
			}
			if br, vid, entry, deaf := p.deafVLAN(s.Interface, keep); deaf && s.Interface != seg.Interface {
				// The client's own VLAN hears nothing from the router
				// (the server's is reported for all paths above).
				e.Works = false
				out = append(out, deafVLANFinding(i, e.Path, s.Interface, br, vid, entry))
			}
			exp = append(exp, e)
			// Through a name the router's static DNS gives the server's
			// own address (method 1): the client connects to the server
			// directly, no NAT on the way.
			if direct && resolves {
				e := Expect{Forward: i, Path: "byname:" + s.Interface, From: "client-" + s.Interface, Works: fw.ToPort == fw.DstPort, ServerSees: "client", Name: name}
				if !e.Works {
					// The name skips the NAT, port translation and all:
					// the client asks the server on the public port.
					out = append(out, Finding{Forward: i, Path: e.Path, Cause: NameSkipsToPorts, Line: fw.Line, Rule: fw.Text,
						Detail: fmt.Sprintf("%s is %s in the router's static DNS; the client asks %s:%d, the server listens on %d", name, fw.ToAddr, fw.ToAddr, fw.DstPort, fw.ToPort)})
				}
				exp = append(exp, e)
			}
			// The router's own address on this segment, same port.
			// Only a certain match: a rule whose address list the reading
			// cannot resolve (a DNS name's) is not said to take it.
			if hit, how := m.first(f, keep, "ip firewall nat", "dstnat",
				packet{src: client, dst: s.Prefix.Addr(), proto: fw.Protocol, dstPort: fw.DstPort, in: s.Interface, local: true, state: "new"},
				map[string]bool{"dst-nat": true, "netmap": true, "accept": true, "redirect": true}); hit == fw.cmd && how == yes && !p.portFreed(fw.DstPort) && p.routerHasPort(fw) && !p.capturesPort(fw) {
				out = append(out, Finding{Forward: i, Path: "router's own address on " + s.Interface, Cause: TakesOwnAddress, Line: fw.Line, Rule: fw.Text,
					Detail: ownAddressDetail(fw, s)})
			}
		}
	}
	out = append(out, p.takesServices()...)
	out = append(out, p.takesWireGuard()...)
	out = append(out, p.vpnInputDrops()...)
	out = append(out, p.vpnPoolFindings()...)
	out = append(out, p.rwFasttrackFindings()...)
	out = append(out, p.vpnDNSFindings()...)
	out = append(out, p.toRouterFindings()...)
	out = append(out, p.srcnatFindings()...)
	out = append(out, p.takesInternetFindings()...)
	out = append(out, p.lanOutFindings()...)
	out = append(out, p.lanDNSFindings()...)
	out = append(out, p.dhcpSubnetFindings()...)
	out = append(out, p.bridgePortFindings(out)...)
	out = append(out, p.noFIBOutFindings(out)...)
	// A recursive route RouterOS never activates: the answers of a forward
	// on its WAN leave by the backup's route because of it, and the scope
	// is the fix, not policy routing around it.
	if rs := p.recursiveScopeFindings(); len(rs) > 0 {
		out = slices.DeleteFunc(out, func(f Finding) bool {
			return f.Cause == RepliesOtherWAN && slices.ContainsFunc(rs, func(r Finding) bool { return r.Path == f.Path })
		})
		out = append(out, rs...)
	}
	out = append(out, p.wanBridgeFindings()...)
	out = append(out, p.vlanBridgePortFindings()...)
	out = append(out, p.wanReachFindings(out)...)
	out = append(out, p.vlanNoPortFindings(out)...)
	out = append(out, p.deafVLANFindings(out)...)
	// A forward that admits only some sources (src-address-list=...) fails
	// for the lab's peer and clients by design: what its paths would need
	// is no finding, and no fix should rewrite it. A masquerade that hides
	// its allowed clients from the server is one all the same.
	p.allowListDrops(out)
	out = slices.DeleteFunc(out, func(f Finding) bool {
		if f.Forward >= 0 && f.Forward < len(p.Forwards) && f.Cause == ForwardDropsWAN && f.Line == p.Forwards[f.Forward].AllowLine {
			return true
		}
		if f.Forward < 0 || f.Forward >= len(p.Forwards) || p.Forwards[f.Forward].Sources == "" || f.Cause == HidesClients {
			return false
		}
		if seg, ok := strings.CutPrefix(f.Path, "hairpin:"); ok {
			return !slices.Contains(p.Forwards[f.Forward].SourcesLAN, seg)
		}
		return f.Path == "internet" || strings.HasPrefix(f.Path, "internet via ")
	})
	for k := range out {
		if n := out[k].Enable; n != 0 {
			d := fmt.Sprintf("line %d would let it through, but it is disabled", n)
			if out[k].Detail != "" {
				d = out[k].Detail + "; " + d
			}
			out[k].Detail = d
		}
		if n := out[k].Late; n != 0 {
			d := fmt.Sprintf("line %d would let it through, but it comes after this rule and is never reached", n)
			if out[k].Detail != "" {
				d = out[k].Detail + "; " + d
			}
			out[k].Detail = d
		}
	}
	return dedupe(out), exp
}

// sameTarget reports whether rule is a dst-nat or netmap to the forward's
// server and port.
func (p *Plan) sameTarget(rule *export.Command, fw Forward) bool {
	if rule == nil || fw.cmd == nil {
		return false
	}
	if a := rule.Value("action"); a != "dst-nat" && a != "netmap" {
		return false
	}
	if a, err := toAddr(rule); err != nil || a != fw.ToAddr {
		return false
	}
	port := firstPort(rule.Value("to-ports"))
	if port == 0 {
		port = fw.DstPort // the packet's own port, which matched the rule
	}
	return port == fw.ToPort
}

// walk follows one connection through dstnat, the forward filter and
// srcnat, and records what stops it or changes what the server sees.
func (p *Plan) walk(f *export.File, keep func(*export.Command) bool, m *matcher, out *[]Finding, e *Expect, i int, fw Forward, pk packet, seg *Segment, sameSegment bool) {
	// raw prerouting comes first: an untracked packet skips NAT.
	if rule, how := m.first(f, keep, "ip firewall raw", "prerouting", pk, map[string]bool{"notrack": true, "drop": true, "accept": true}); rule != nil && how == yes {
		switch rule.Value("action") {
		case "notrack":
			e.Works = false
			*out = append(*out, Finding{Forward: i, Path: e.Path, Cause: RawNotrack, Line: rule.Line, Rule: rule.Raw})
			return
		case "drop":
			e.Works = false
			*out = append(*out, Finding{Forward: i, Path: e.Path, Cause: RawDrops, Line: rule.Line, Rule: rule.Raw})
			return
		}
	}
	hit, how := m.first(f, keep, "ip firewall nat", "dstnat", pk, map[string]bool{"dst-nat": true, "netmap": true, "accept": true, "redirect": true, "src-nat": true, "masquerade": true})
	if how == unknown {
		e.Might = true
	}
	if hit != fw.cmd && how == yes && p.sameTarget(hit, fw) {
		// Another rule sends it to the same server and port (a LAN copy
		// of the forward, written before or after it): the forward's
		// traffic arrives all the same.
		hit = fw.cmd
	}
	if hit != fw.cmd && how == yes {
		e.Works = false
		*out = append(*out, Finding{Forward: i, Path: e.Path, Cause: EarlierRule, Line: hit.Line, Rule: hit.Raw})
		return
	}
	if hit == nil {
		e.Works = false
		bound := false
		if v := fw.cmd.Value("in-interface"); v != "" && v != pk.in {
			*out = append(*out, Finding{Forward: i, Path: e.Path, Cause: BoundToWAN, Line: fw.Line, Rule: fw.Text, Detail: "in-interface=" + v + ", traffic arrives on " + pk.in})
			bound = true
		} else if v := fw.cmd.Value("in-interface-list"); v != "" && listMisses(m, v, pk.in) {
			d := "in-interface-list=" + v + ", traffic arrives on " + pk.in
			if port := p.listHoldsPortOf(v, pk.in); port != "" {
				d += fmt.Sprintf("; the list holds %s, the port under %s, not %s itself", port, pk.in, pk.in)
			}
			*out = append(*out, Finding{Forward: i, Path: e.Path, Cause: BoundToWAN, Line: fw.Line, Rule: fw.Text, Detail: d})
			bound = true
		} else if j := fw.jump; j != nil && m.match(j, pk) == no {
			// The forward is in a user chain whose jump does not
			// match: named by what of the jump fails, as for the
			// forward's own line above (realcheck17 D2: a jump that
			// failed on its dst-address was blamed on its interface
			// list, which held the interface).
			via := fmt.Sprintf("the jump to chain %s (line %d), where the forward is at line %d", j.Value("jump-target"), j.Line, fw.Line)
			if v := j.Value("in-interface"); v != "" && v != pk.in && v != "all" {
				*out = append(*out, Finding{Forward: i, Path: e.Path, Cause: BoundToWAN, Line: j.Line, Rule: j.Raw,
					Detail: fmt.Sprintf("%s: in-interface=%s, traffic arrives on %s", via, v, pk.in)})
				bound = true
			} else if v := j.Value("in-interface-list"); v != "" && listMisses(m, v, pk.in) {
				*out = append(*out, Finding{Forward: i, Path: e.Path, Cause: BoundToWAN, Line: j.Line, Rule: j.Raw,
					Detail: fmt.Sprintf("%s: in-interface-list=%s, traffic arrives on %s", via, v, pk.in)})
				bound = true
			} else if d := j.Value("dst-address"); d != "" && m.addr(d, pk.dst) == no {
				// As for the forward's own dst-address below: on a
				// dynamic WAN the lab takes the address for the lease
				// of the day (WANAddr), so it fails only on a static one.
				if a, err := netip.ParseAddr(d); err == nil && p.unheldElsewhere(a, pk) {
					*out = append(*out, Finding{Forward: i, Path: e.Path, Cause: DstAddressGone, Line: j.Line, Rule: j.Raw,
						Detail: fmt.Sprintf("%s: dst-address=%s, the connection is addressed to %s, the address of %s", via, d, pk.dst, p.holderOf(pk.dst))})
					bound = true
				}
			}
		}
		if d := fw.cmd.Value("dst-address"); !bound && d != "" && m.addr(d, pk.dst) == no {
			if a, err := netip.ParseAddr(strings.TrimPrefix(d, "!")); err == nil && !strings.HasPrefix(d, "!") && p.segmentOf(a) != nil && !needsNAT(a) {
				// An address of a public subnet the router routes
				// (rc33's rotko-bkk50: 160.22.181.174 of the /29 on
				// SAX-BKK-01): the internet's connections to it pass
				// this router, and the rule takes them; it was
				// LANDstAddress, "it never matches them". What the
				// rules alone cannot judge: whether the ISP routes the
				// subnet here.
				*out = append(*out, Finding{Forward: i, Path: e.Path, Line: fw.Line, Rule: fw.Text,
					Detail: fmt.Sprintf("dst-address=%s, an address of the public subnet %s on %s: the internet's connections to it pass this router when the ISP routes that subnet here, and the rule takes them; not read at the WAN's address %s", d, p.segmentOf(a).Prefix.Masked(), p.segmentOf(a).Interface, pk.dst)})
				bound = true
			} else if err == nil && !strings.HasPrefix(d, "!") && p.segmentOf(a) != nil {
				*out = append(*out, Finding{Forward: i, Path: e.Path, Cause: LANDstAddress, Line: fw.Line, Rule: fw.Text,
					Detail: fmt.Sprintf("dst-address=%s, the connection is addressed to %s", d, pk.dst)})
				bound = true
			} else if err == nil && !strings.HasPrefix(d, "!") && p.unheldElsewhere(a, pk) {
				*out = append(*out, Finding{Forward: i, Path: e.Path, Cause: DstAddressGone, Line: fw.Line, Rule: fw.Text,
					Detail: fmt.Sprintf("dst-address=%s, the connection is addressed to %s, the address of %s", d, pk.dst, p.holderOf(pk.dst))})
				bound = true
			}
		}
		if !bound {
			// A negated source written to keep the LAN's own traffic
			// off the forward (src-address=!192.168.88.0/24 on a rule
			// with no destination) keeps the LAN's clients off the
			// public address too.
			for _, k := range []string{"src-address", "src-address-list"} {
				v, neg := negated(fw.cmd.Value(k))
				if !neg || v == "" {
					continue
				}
				t := m.addr(v, pk.src)
				if k == "src-address-list" {
					t = m.list(v, pk.src)
				}
				if t == yes {
					*out = append(*out, Finding{Forward: i, Path: e.Path, Cause: SourceExcluded, Line: fw.Line, Rule: fw.Text,
						Detail: fmt.Sprintf("%s=!%s, the client is %s", k, v, pk.src)})
					bound = true
					break
				}
			}
		}
		if v := fw.cmd.Value("src-address"); !bound && v != "" && !strings.HasPrefix(v, "!") && fw.Sources == "" && m.match(&export.Command{Args: []export.Arg{{Name: "src-address", Value: v}}}, pk) == no {
			// src-address names a LAN host, the server itself most often
			// (read as "the device the port is for"): the packet's sender
			// is the client, on the internet or the LAN.
			*out = append(*out, Finding{Forward: i, Path: e.Path, Cause: SrcAddressLAN, Line: fw.Line, Rule: fw.Text,
				Detail: fmt.Sprintf("src-address=%s, the connection comes from %s", v, pk.src)})
			bound = true
		}
		if v := fw.cmd.Value("src-port"); !bound && v != "" && !strings.HasPrefix(v, "!") && pk.clientPort && !coversPorts(v, 1024, 65535) {
			*out = append(*out, Finding{Forward: i, Path: e.Path, Cause: SrcPortClient, Line: fw.Line, Rule: fw.Text,
				Detail: fmt.Sprintf("src-port=%s, the client connects from a port of its own choosing", v)})
			bound = true
		}
		if !bound && !pk.local && fw.cmd.Value("dst-address-type") == "local" {
			*out = append(*out, Finding{Forward: i, Path: e.Path, Cause: NotLocal, Line: fw.Line, Rule: fw.Text,
				Detail: fmt.Sprintf("%s is not an address of the router", pk.dst)})
		}
		if !bound {
			return
		}
		if d := p.routerAnswersInstead(f, keep, m, pk); d != "" {
			(*out)[len(*out)-1].Detail += "; " + d
		}
		// A disabled copy of the forward that would take this traffic.
		if n := disabledFix(f, keep, m, "ip firewall nat", "dstnat", 0, map[string]bool{"dst-nat": true, "netmap": true}, pk,
			func(c *export.Command) bool { return p.sameTarget(c, fw) }); n != 0 {
			(*out)[len(*out)-1].Enable = n
		}
		// Walk on as if the binding were fixed, so that the diagnosis
		// also finds what would break the path next (the hairpin rule)
		// and the fix is whole.
	}
	publicDst, publicPort := pk.dst, pk.dstPort
	pk.connMark, pk.markKnown = p.connMarkOf(m, keep, fw, pk)
	pk.dst, pk.dstPort, pk.dstnatted, pk.local = fw.ToAddr, fw.ToPort, true, false
	pk.out = seg.Interface
	if pk.proto == "tcp" && pk.state == "new" {
		pk.tcpFlags = "syn" // the forward chain sees the connection's first packet
	}
	if rule, how := m.first(f, keep, "ip firewall filter", "forward", pk, map[string]bool{"accept": true, "drop": true, "reject": true, "fasttrack-connection": true}); rule != nil {
		act := rule.Value("action")
		if how == unknown {
			e.Might = true
		} else if act == "accept" {
			p.walkLater(f, keep, m, out, e, i, pk, rule)
		} else if act == "drop" || act == "reject" {
			e.Works = false
			cause := ForwardDrops
			if e.Path == "internet" {
				cause = ForwardDropsWAN
			}
			*out = append(*out, Finding{Forward: i, Path: e.Path, Cause: cause, Line: rule.Line, Rule: rule.Raw,
				Enable: disabledFix(f, keep, m, "ip firewall filter", "forward", rule.Line, map[string]bool{"accept": true}, pk, nil),
				Late:   lateAccept(f, keep, m, "forward", rule.Line, pk)})
			if r := publicPortAccept(f, keep, m, pk, fw); r != nil && m.order(f).before(r, rule) {
				*out = append(*out, Finding{Forward: i, Path: e.Path, Cause: FilterPublicPort, Line: r.Line, Rule: r.Raw,
					Detail: fmt.Sprintf("dst-port=%s; the forward chain sees %d", r.Value("dst-port"), pk.dstPort)})
			}
			if r := publicAddrAccept(f, keep, m, pk, publicDst, publicPort); r != nil && m.order(f).before(r, rule) {
				*out = append(*out, Finding{Forward: i, Path: e.Path, Cause: FilterPublicAddr, Line: r.Line, Rule: r.Raw,
					Detail: fmt.Sprintf("dst-address=%s; the forward chain sees %s", r.Value("dst-address"), pk.dst)})
			}
			if r, l, in := p.listMiss(f, keep, m, pk, "ip firewall filter", "forward", map[string]bool{"accept": true}, rule.Line); r != nil {
				*out = append(*out, listMissFinding(i, e.Path, r, l, in))
			}
			if r, port := p.portUnderAccept(f, keep, m, pk); r != nil && m.order(f).before(r, rule) {
				*out = append(*out, Finding{Forward: i, Path: e.Path, Cause: FilterPortUnder, Line: r.Line, Rule: r.Raw,
					Detail: fmt.Sprintf("%s is the port under %s; the connection comes in on %s", port, pk.in, pk.in)})
			}
		}
	}
	rule, how := m.first(f, keep, "ip firewall nat", "srcnat", pk, map[string]bool{"accept": true, "masquerade": true, "src-nat": true, "netmap": true})
	snat := rule != nil && how == yes && rule.Value("action") != "accept"
	if how == unknown {
		e.Might = true
	}
	switch {
	case sameSegment && !snat:
		e.Works = false
		cause := NoHairpin
		line, text := fw.Line, fw.Text
		if r := p.tcpHairpin(f, keep, m, pk); fw.Protocol == "udp" && r != nil {
			cause, line, text = HairpinTCPOnly, r.Line, r.Raw
		} else if r := publicPortHairpin(f, keep, m, pk, fw); r != nil {
			cause, line, text = HairpinPublicPort, r.Line, r.Raw
		} else if r := publicAddrHairpin(f, keep, m, pk, publicDst, publicPort); r != nil {
			cause, line, text = HairpinPublicAddress, r.Line, r.Raw
		} else if r := p.outWANHairpin(f, keep, m, pk); r != nil {
			cause, line, text = HairpinOutWAN, r.Line, r.Raw
		} else if r := p.outParentHairpin(f, keep, m, pk); r != nil {
			cause, line, text = HairpinOutParent, r.Line, r.Raw
		} else if r := p.outPortHairpin(f, keep, m, pk); r != nil {
			cause, line, text = HairpinOutPort, r.Line, r.Raw
		}
		if r, l, in := p.listMiss(f, keep, m, pk, "ip firewall nat", "srcnat", map[string]bool{"masquerade": true, "src-nat": true}, 0); r != nil && cause == NoHairpin {
			*out = append(*out, listMissFinding(i, e.Path, r, l, in))
		}
		if rule != nil && how == yes && rule.Value("action") == "accept" && cause == NoHairpin {
			// The first srcnat rule the hairpinned packet meets is an
			// accept (first match ends the chain: rules are taken top
			// to bottom, https://help.mikrotik.com/docs/spaces/ROS/pages/3211299/NAT).
			cause, line, text = SrcNATAcceptFirst, rule.Line, rule.Raw
		}
		before := 0
		if rule != nil {
			before = rule.Line // an accept above: a disabled hairpin rule must come before it
		}
		*out = append(*out, Finding{Forward: i, Path: e.Path, Cause: cause, Line: line, Rule: text,
			Enable: disabledFix(f, keep, m, "ip firewall nat", "srcnat", before, map[string]bool{"masquerade": true, "src-nat": true, "netmap": true}, pk, nil)})
	case snat:
		e.ServerSees = "router"
		if e.Path == "internet" {
			hc := Finding{Forward: i, Path: e.Path, Cause: HidesClients, Line: rule.Line, Rule: rule.Raw}
			if how := p.towardLAN(rule); how != "" {
				// A masquerade written for the server's side (realcheck33
				// C4): it may be meant, and no fix moves it to a WAN,
				// where it would never match.
				hc.Detail = fmt.Sprintf("the rule is written for the LAN side (%s): it may be meant, to bring the answers back through this router when the server's default gateway is another router or another line; if the server's gateway is this router, src-address=<the LAN's subnet> on it keeps the LAN's connections translated and lets the internet clients' addresses through; no fix is given", how)
			}
			*out = append(*out, hc)
		}
	}
	if sameSegment && !snat {
		return // the server answers the client on the segment, not through the router
	}
	p.walkAnswer(f, keep, m, out, e, i, fw, pk, seg, rule, snat)
}

// RoutedServerHairpin is the cause of a forward to a server behind a
// second router that sits on a LAN segment: the clients of that segment
// reach the server by the public address through this router, but the
// second router answers them straight on the segment.
const RoutedServerHairpin Cause = "the server is behind another router on this segment (the route's gateway): a client here asking the public address is sent there through this router, but the other router sends the server's answers straight back to the client on the segment, not through this router, so they are never translated back and the connection never opens; like a server on the segment itself, it needs a hairpin masquerade"

// routedServerHairpin finds, for a forward to a server reached through a
// static route whose gateway is on a LAN segment with clients (a second
// router at 192.168.88.2 with the lab's 10.20.0.0/24 behind it), the
// segment's missing hairpin: the dst-nat takes the client's connection to
// the public address and no srcnat rule gives it the router's address, so
// the second router, which has the client's segment connected, answers the
// client directly (the NAT page's hairpin NAT,
// https://help.mikrotik.com/docs/spaces/ROS/pages/3211299/NAT).
func (p *Plan) routedServerHairpin(f *export.File, keep func(*export.Command) bool, m *matcher, i int, fw Forward) []Finding {
	if len(p.WANs) == 0 {
		return nil
	}
	var route *export.Command
	for _, c := range f.Commands {
		if !keep(c) || !enabled(c) || c.Verb != "add" || c.MenuPath() != "ip route" {
			continue
		}
		if c.Value("routing-table") != "" && c.Value("routing-table") != "main" || c.Value("routing-mark") != "" {
			continue
		}
		if pf, err := netip.ParsePrefix(c.Value("dst-address")); err == nil && pf.Bits() > 0 && pf.Masked().Contains(fw.ToAddr) {
			if route == nil || pf.Bits() > netip.MustParsePrefix(route.Value("dst-address")).Bits() {
				route = c
			}
		}
	}
	if route == nil {
		return nil
	}
	gw, err := netip.ParseAddr(route.Value("gateway"))
	if err != nil {
		return nil
	}
	s := p.segmentOf(gw)
	if s == nil || s.Port == "" || p.isRouterAddr(gw) || !p.clientRoom(*s, gw) {
		return nil
	}
	wan := p.WANAddr(p.WANs[p.hairpinWAN(fw)], fw)
	if !wan.IsValid() {
		return nil
	}
	client := hostIn(s.Prefix, 100)
	pk := packet{src: client, dst: wan, proto: fw.Protocol, dstPort: fw.DstPort, in: s.Interface, local: true, state: "new"}
	hit, how := m.first(f, keep, "ip firewall nat", "dstnat", pk, map[string]bool{"dst-nat": true, "netmap": true, "accept": true, "redirect": true, "src-nat": true, "masquerade": true})
	if how != yes || hit == nil || hit != fw.cmd && !p.sameTarget(hit, fw) {
		return nil // the LAN's connection does not reach this forward: not this finding's question
	}
	pk.dst, pk.dstPort, pk.dstnatted, pk.local, pk.out = fw.ToAddr, fw.ToPort, true, false, s.Interface
	rule, how := m.first(f, keep, "ip firewall nat", "srcnat", pk, map[string]bool{"accept": true, "masquerade": true, "src-nat": true, "netmap": true})
	if how == unknown || rule != nil && how == yes && rule.Value("action") != "accept" {
		return nil
	}
	return []Finding{{Forward: i, Path: "hairpin:" + s.Interface, Cause: RoutedServerHairpin, Line: route.Line, Rule: route.Raw,
		Detail: fmt.Sprintf("%s is reached through %s on %s; the dst-nat at line %d sends %s's connection there with the client's own address", fw.ToAddr, gw, s.Interface, fw.Line, client)}}
}

// outParentHairpin finds a hairpin rule bound to the interface a VLAN
// segment sits on (out-interface=bridge for servers on vlan20 on the
// bridge): it would take the hairpinned packet if that left by the bridge,
// but routed packets leave by the VLAN interface, which is what srcnat's
// out-interface sees.
func (p *Plan) outParentHairpin(f *export.File, keep func(*export.Command) bool, m *matcher, pk packet) *export.Command {
	parent := ""
	for _, c := range f.Commands {
		if keep(c) && enabled(c) && c.MenuPath() == "interface vlan" && c.Verb == "add" && c.Value("name") == pk.out {
			parent = c.Value("interface")
		}
	}
	if parent == "" {
		return nil
	}
	return hairpinRuleOut(f, keep, m, pk, func(out string) bool { return out == parent })
}

// hairpinRuleOut is the srcnat masquerade, src-nat or netmap whose
// out-interface is one that names (the interface under the server's VLAN,
// a port of its bridge) and that would be the hairpin rule if routed
// packets left by that interface: it matches the packet with that
// out-interface and not as it leaves.
func hairpinRuleOut(f *export.File, keep func(*export.Command) bool, m *matcher, pk packet, names func(string) bool) *export.Command {
	for _, c := range f.Commands {
		if !keep(c) || !enabled(c) || c.MenuPath() != "ip firewall nat" || c.Verb != "add" || c.Value("chain") != "srcnat" {
			continue
		}
		if a := c.Value("action"); a != "masquerade" && a != "src-nat" && a != "netmap" {
			continue
		}
		out := c.Value("out-interface")
		if out == "" || !names(out) {
			continue
		}
		q := pk
		q.out = out
		if m.match(c, q) == yes && m.match(c, pk) == no {
			return c
		}
	}
	return nil
}

// outPortHairpin is the srcnat rule that would be the hairpin rule if
// routed packets left by a port of the server's bridge: out-interface=ether2
// with ether2 a port of bridge1, the LAN's L3 interface. RouterOS routes
// out of the bridge, so the rule never matches (forum's "hairpin rule on
// the server's port", f69 C2; scenarios/bridge-out-interface shows the
// counter at 0); it was reported as no hairpin rule at all.
func (p *Plan) outPortHairpin(f *export.File, keep func(*export.Command) bool, m *matcher, pk packet) *export.Command {
	ports := map[string]bool{}
	for _, c := range f.Commands {
		if keep(c) && enabled(c) && c.MenuPath() == "interface bridge port" && c.Verb == "add" && c.Value("bridge") == pk.out {
			ports[c.Value("interface")] = true
		}
	}
	if len(ports) == 0 {
		return nil
	}
	return hairpinRuleOut(f, keep, m, pk, func(out string) bool { return ports[out] })
}

// routerAnswersInstead says, for a packet no dst-nat takes that is
// addressed to the router, which of the router's own services answers it
// in the server's place when the input chain lets it in: the forum's
// "from home I get the MikroTik login page instead of my site" for a
// forward of 80 tried from the LAN (the router's www listens on 80,
// https://help.mikrotik.com/docs/spaces/ROS/pages/103841820/Services).
func (p *Plan) routerAnswersInstead(f *export.File, keep func(*export.Command) bool, m *matcher, pk packet) string {
	if !pk.local || pk.proto != "tcp" {
		return ""
	}
	name := p.serviceName(pk.dstPort)
	if name == "" {
		return ""
	}
	if allowed, ok := p.serviceAddresses()[name]; ok && !allowed(pk.src) {
		return ""
	}
	rule, how := m.first(f, keep, "ip firewall filter", "input", pk, map[string]bool{"accept": true, "drop": true, "reject": true})
	if how != yes && rule != nil || rule != nil && rule.Value("action") != "accept" {
		return ""
	}
	label := map[string]string{"winbox": "WinBox", "ssh": "SSH", "www": "WebFig login page"}[name]
	return fmt.Sprintf("the connection stays the router's, and its own %s (port %d) answers the client in the server's place", label, pk.dstPort)
}

// walkLater follows the client's later packets of a connection whose first
// packet the forward chain accepted: they are established (connection
// tracking saw the first one), so an accept that asks connection-state=new
// or tcp-flags=syn no longer takes them, and a drop below with no accept
// of established connections above it ends the connection after its
// first packet (a TCP connection never opens: the client's ACK is
// dropped). Filter manual, connection-state:
// https://help.mikrotik.com/docs/spaces/ROS/pages/48660574/Filter.
func (p *Plan) walkLater(f *export.File, keep func(*export.Command) bool, m *matcher, out *[]Finding, e *Expect, i int, pk packet, first *export.Command) {
	if first.Value("connection-state") == "" && first.Value("tcp-flags") == "" {
		return // an accept that asks no state takes the later packets too
	}
	later := pk
	later.state = "established"
	if later.proto == "tcp" {
		later.tcpFlags = "ack"
	}
	rule, how := m.first(f, keep, "ip firewall filter", "forward", later, map[string]bool{"accept": true, "drop": true, "reject": true, "fasttrack-connection": true})
	if rule == nil || how != yes {
		return
	}
	if a := rule.Value("action"); a == "drop" || a == "reject" {
		e.Works = false
		*out = append(*out, Finding{Forward: i, Path: e.Path, Cause: ForwardDropsLater, Line: rule.Line, Rule: rule.Raw,
			Detail: fmt.Sprintf("line %d accepts the first packet only: %s", first.Line, ruleQuote(first.Raw))})
	}
}

// walkAnswer follows the server's answer back into the router: it comes in
// on the server's segment and meets raw prerouting before connection
// tracking translates it back (raw sees it still addressed to the
// masquerade's address, or to the client), then the forward filter as an
// established connection. Packet flow:
// https://help.mikrotik.com/docs/spaces/ROS/pages/328227/Packet+Flow+in+RouterOS;
// raw ("prerouting - used to process any packet entering the router",
// before connection tracking): https://help.mikrotik.com/docs/x/LoCkBw.
func (p *Plan) walkAnswer(f *export.File, keep func(*export.Command) bool, m *matcher, out *[]Finding, e *Expect, i int, fw Forward, pk packet, seg *Segment, snatRule *export.Command, snat bool) {
	ans := packet{src: fw.ToAddr, dst: pk.src, proto: pk.proto, in: seg.Interface, state: "established"}
	if snat {
		switch snatRule.Value("action") {
		case "masquerade":
			ans.dst, ans.local = seg.Prefix.Addr(), true
		case "src-nat":
			a, err := netip.ParseAddr(strings.Split(snatRule.Value("to-addresses"), "-")[0])
			if err != nil {
				return
			}
			ans.dst, ans.local = a, p.isRouterAddr(a)
		default:
			return
		}
	}
	if !ans.dst.IsValid() {
		return
	}
	if rule, how := m.first(f, keep, "ip firewall raw", "prerouting", ans, map[string]bool{"notrack": true, "drop": true, "accept": true}); rule != nil && how == yes {
		if a := rule.Value("action"); a == "drop" || a == "notrack" {
			e.Works = false
			*out = append(*out, Finding{Forward: i, Path: e.Path, Cause: RawDropsAnswers, Line: rule.Line, Rule: rule.Raw,
				Detail: fmt.Sprintf("the answers come in on %s addressed to %s", seg.Interface, ans.dst)})
			return
		}
	}
	// The forward chain sees the answer translated back, towards the
	// client, leaving by the interface the connection came in on.
	ans.dst, ans.local, ans.out, ans.dstnatted = pk.src, false, pk.in, true
	if !ans.dst.IsValid() || ans.out == "" {
		return
	}
	if rule, how := m.first(f, keep, "ip firewall filter", "forward", ans, map[string]bool{"accept": true, "drop": true, "reject": true, "fasttrack-connection": true}); rule != nil && how == yes {
		if a := rule.Value("action"); a == "drop" || a == "reject" {
			e.Works = false
			*out = append(*out, Finding{Forward: i, Path: e.Path, Cause: ForwardDropsAnswers, Line: rule.Line, Rule: rule.Raw,
				Detail: fmt.Sprintf("the answers come in on %s and leave by %s", seg.Interface, ans.out)})
		}
	}
}

// publicPortHairpin returns the src-nat rule that would hairpin the packet
// if srcnat saw the forward's public port, for a forward that translates
// the port (dst-port=8080 to-ports=80): the rule was written with the
// port the client uses, and srcnat, after dstnat, sees the server's.
// (help.mikrotik.com/docs/spaces/ROS/pages/328227/Packet+Flow+in+RouterOS:
// dstnat is in prerouting, srcnat in postrouting.)
// publicPortAccept returns the forward filter accept that would let the
// connection through if the forward chain saw the forward's public port,
// for a forward that translates the port (dst-port=8443 to-ports=443): the
// accept was written with the port the client uses, and the forward chain,
// after dstnat, sees the server's.
func publicPortAccept(f *export.File, keep func(*export.Command) bool, m *matcher, pk packet, fw Forward) *export.Command {
	if fw.DstPort == 0 || fw.DstPort == pk.dstPort {
		return nil
	}
	pk.dstPort = fw.DstPort
	rule, how := m.first(f, keep, "ip firewall filter", "forward", pk, map[string]bool{"accept": true, "drop": true, "reject": true, "fasttrack-connection": true})
	if rule == nil || how != yes || rule.Value("action") != "accept" {
		return nil
	}
	return rule
}

// publicAddrAccept returns the forward filter accept that would let the
// connection through if the forward chain saw the address the client
// asked for (dst-address=<the WAN address>, with the public or the
// server's port): written with what the client uses, while the forward
// chain, after dstnat, sees the server's address.
func publicAddrAccept(f *export.File, keep func(*export.Command) bool, m *matcher, pk packet, public netip.Addr, publicPort int) *export.Command {
	return atPublicAddr(f, keep, m, pk, public, publicPort, "ip firewall filter", "forward",
		map[string]bool{"accept": true, "drop": true, "reject": true, "fasttrack-connection": true},
		func(r *export.Command) bool { return r.Value("action") == "accept" })
}

// atPublicAddr returns the first rule of menu's chain that certainly
// takes the packet as if it still had the public address (with the
// server's port, then the public one) and that want keeps, when the rule
// names a dst-address: the rule was written with what the client uses.
func atPublicAddr(f *export.File, keep func(*export.Command) bool, m *matcher, pk packet, public netip.Addr, publicPort int, menu, chain string, acts map[string]bool, want func(*export.Command) bool) *export.Command {
	if !public.IsValid() || public == pk.dst {
		return nil
	}
	pk.dst = public
	for _, port := range []int{pk.dstPort, publicPort} {
		pk.dstPort = port
		rule, how := m.first(f, keep, menu, chain, pk, acts)
		if rule != nil && how == yes && want(rule) && rule.Value("dst-address") != "" {
			return rule
		}
	}
	return nil
}

func publicPortHairpin(f *export.File, keep func(*export.Command) bool, m *matcher, pk packet, fw Forward) *export.Command {
	if fw.DstPort == 0 || fw.DstPort == pk.dstPort {
		return nil
	}
	pk.dstPort = fw.DstPort
	rule, how := m.first(f, keep, "ip firewall nat", "srcnat", pk, map[string]bool{"accept": true, "masquerade": true, "src-nat": true, "netmap": true})
	if rule == nil || how != yes || rule.Value("action") == "accept" {
		return nil
	}
	return rule
}

// publicAddrHairpin returns the src-nat rule that would hairpin the packet
// if srcnat saw the public address the client asked for (dst-address=<the
// WAN address>, with the public or the server's port): the rule was
// written with what the client uses, and srcnat, after dstnat, sees the
// server's address (help.mikrotik.com/docs/spaces/ROS/pages/3211299/NAT,
// "Hairpin NAT").
func publicAddrHairpin(f *export.File, keep func(*export.Command) bool, m *matcher, pk packet, public netip.Addr, publicPort int) *export.Command {
	return atPublicAddr(f, keep, m, pk, public, publicPort, "ip firewall nat", "srcnat",
		map[string]bool{"accept": true, "masquerade": true, "src-nat": true, "netmap": true},
		func(r *export.Command) bool { return r.Value("action") != "accept" })
}

// outWANHairpin returns the src-nat rule aimed at the server (its
// dst-address or dst-address-list holds the server's address) that would
// hairpin the packet if it left by a WAN: written with out-interface=ether1
// or out-interface-list=WAN, as if the hairpin went out to the internet.
// srcnat runs after routing and sees the interface the packet leaves by,
// the server's LAN (help.mikrotik.com/docs/spaces/ROS/pages/328227/Packet+Flow+in+RouterOS).
func (p *Plan) outWANHairpin(f *export.File, keep func(*export.Command) bool, m *matcher, pk packet) *export.Command {
	for _, c := range f.Commands {
		if !keep(c) || !enabled(c) || c.MenuPath() != "ip firewall nat" || c.Verb != "add" || c.Value("chain") != "srcnat" {
			continue
		}
		if a := c.Value("action"); a != "masquerade" && a != "src-nat" && a != "netmap" {
			continue
		}
		aimed := false
		if d := c.Value("dst-address"); d != "" && m.addr(d, pk.dst) == yes {
			aimed = true
		}
		if l := c.Value("dst-address-list"); l != "" && m.list(l, pk.dst) == yes {
			aimed = true
		}
		if !aimed || c.Value("out-interface") == "" && c.Value("out-interface-list") == "" {
			continue
		}
		for _, w := range p.WANs {
			q := pk
			q.out = w.Interface
			if m.match(c, q) == yes && m.match(c, pk) == no {
				return c
			}
		}
	}
	return nil
}

// tcpHairpin returns the src-nat rule that would hairpin the packet if it
// were TCP, nil when none would.
func (p *Plan) tcpHairpin(f *export.File, keep func(*export.Command) bool, m *matcher, pk packet) *export.Command {
	pk.proto = "tcp"
	rule, how := m.first(f, keep, "ip firewall nat", "srcnat", pk, map[string]bool{"accept": true, "masquerade": true, "src-nat": true})
	if rule == nil || how != yes || rule.Value("action") == "accept" {
		return nil
	}
	return rule
}

func dedupe(in []Finding) []Finding {
	seen := map[string]bool{}
	var out []Finding
	for _, f := range in {
		k := fmt.Sprint(f.Forward, f.Path, f.Cause, f.Line)
		if strings.HasPrefix(f.Path, lanInternetPrefix) {
			// Segments on one bridge share its name in the path; their
			// subnets (the Detail's start) tell them apart (rc29 C6).
			k += " " + f.Detail
		}
		if f.Cause == VPNInputDrops {
			// One drop takes each port of a server (an L2TP/IPsec
			// server's 500, 4500 and 1701): each needs its accept, and
			// a fix of the first alone left the others for another run.
			k += " " + f.Detail
		}
		if !seen[k] {
			seen[k] = true
			out = append(out, f)
		}
	}
	return out
}

// segmentOf returns the LAN segment whose prefix holds a.
// routeTo says how the router reaches a, from the export alone: an
// address of one of its interfaces whose network holds it (a WAN, a
// tunnel), or a route other than the default whose destination holds it.
// ok is false when only a default route would take it.
func (p *Plan) routeTo(a netip.Addr, keep func(*export.Command) bool) (via string, ok bool) {
	for _, c := range p.export.Commands {
		if !keep(c) || !enabled(c) || c.Verb != "add" {
			continue
		}
		switch c.MenuPath() {
		case "ip address":
			if pf, err := netip.ParsePrefix(c.Value("address")); err == nil && pf.Masked().Contains(a) {
				return "on " + c.Value("interface"), true
			}
		case "ip route":
			dst := c.Value("dst-address")
			if pf, err := netip.ParsePrefix(dst); err == nil && pf.Bits() > 0 && pf.Masked().Contains(a) {
				return fmt.Sprintf("through %s, route at line %d", c.Value("gateway"), c.Line), true
			}
		case "ppp secret":
			// A VPN client's address: its dynamic route comes with the session.
			if c.Value("remote-address") == a.String() {
				return "to the VPN client " + c.Value("name"), true
			}
		case "interface wireguard peers":
			for _, v := range strings.Split(c.Value("allowed-address"), ",") {
				if pf, err := netip.ParsePrefix(v); err == nil && pf.Masked().Contains(a) {
					return "through WireGuard " + c.Value("interface"), true
				}
			}
		case "ip pool":
			// A pool of VPN or DHCP addresses: a session's route.
			if rs, _ := poolRangesOf(c.Value("ranges")); inRanges(rs, a) {
				return "in the pool " + c.Value("name"), true
			}
		}
	}
	// A DHCP client's network is not in the export (the lease brings it):
	// the server may sit there, on an ISP router's LAN.
	for _, w := range p.WANs {
		if w.Kind == "dhcp" {
			return "", true
		}
	}
	return "", false
}

func (p *Plan) segmentOf(a netip.Addr) *Segment {
	for i := range p.Segments {
		if p.Segments[i].Prefix.Masked().Contains(a) {
			return &p.Segments[i]
		}
	}
	return nil
}

// WANAddr is the address the lab gives the router on w: the export's own
// on a static WAN; on a dynamic one the address a forward names literally
// (so that the forward works until the renumbering shows it breaking), or
// the lab's.
func (p *Plan) WANAddr(w WAN, fw Forward) netip.Addr {
	if a, ok := p.staticOnDynamic(w, fw); ok {
		// The forward names an address the export puts on the dynamic
		// WAN itself (a 1:1 NAT's): the lease is another address of its
		// subnet, so that this one stays on the ISP's wire and the
		// masquerade leaves with the lease, as on the router (forum53
		// D3: the lab leased the router the 1:1 address, and the
		// masquerade seemed to give the host its own).
		sub := netip.PrefixFrom(a, 24).Masked()
		for l := sub.Addr().Next().Next(); sub.Contains(l); l = l.Next() {
			if l != a {
				return l
			}
		}
	}
	if a, ok := p.extraAddr(w, fw); ok {
		return a
	}
	if w.Address.IsValid() {
		return w.Address.Addr()
	}
	if fw.cmd != nil {
		// A forward written with a literal address on a dynamic WAN
		// names the lease of the day, unless that address is one of the
		// LAN's (dst-address=192.168.88.1, the router's LAN address,
		// which the internet's connections never carry).
		// Nor when a blackhole route of the export holds it: the
		// address is of a block the ISP routes to the router (a 1:1
		// NAT's), not the lease (realcheck17 D4: the lab leased one
		// NAT's address, and the internet's probes of every other
		// forward reached that NAT's server).
		// A forward in a chain reached by a jump that names the
		// address (dst-address=A jump-target=port-forward) names it
		// too.
		lit := fw.cmd.Value("dst-address")
		if lit == "" && fw.jump != nil {
			lit = fw.jump.Value("dst-address")
		}
		if a, err := netip.ParseAddr(lit); err == nil && !p.staticOwns(a) && p.segmentOf(a) == nil && p.blackholeBlock(a) == nil {
			return a
		}
	}
	return p.dynamicAddr(w)
}

// staticOwns reports whether a is on the subnet of one of the export's
// static WANs: a forward naming it is that WAN's, not a dynamic one's (a
// fibre line's address beside an LTE backup).
func (p *Plan) staticOwns(a netip.Addr) bool {
	for _, w := range p.WANs {
		if w.Address.IsValid() && w.Address.Masked().Contains(a) {
			return true
		}
	}
	return false
}

// publicSpan reports whether a rule's dst-address from lo to hi is all
// the router's static public addresses: on a static WAN's subnet, or in a
// block routed to the first WAN.
func (p *Plan) publicSpan(lo, hi netip.Addr) bool {
	if p.staticOwns(lo) && p.staticOwns(hi) {
		return true
	}
	_, okLo := p.routedBlock(lo)
	_, okHi := p.routedBlock(hi)
	return okLo && okHi
}

// dynamicChoices are the networks the lab leases dynamic WANs from, in
// order, one per dynamic WAN: 203.0.113.0/24, then /24s of 198.18.0.0/15
// (RFC 2544's benchmarking space) away from the lab's internet.
var dynamicChoices = []netip.Prefix{
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("198.18.100.0/24"),
	netip.MustParsePrefix("198.18.101.0/24"),
	netip.MustParsePrefix("198.18.102.0/24"),
	netip.MustParsePrefix("198.18.103.0/24"),
}

// dynamicAddr is the lab's address for a dynamic WAN that no forward
// names: .2 of the first of dynamicPool that the export's networks, the
// lab's internet and the dynamic WANs before it leave free, and that no
// address list of the export's drop rules holds (droppingList).
func (p *Plan) dynamicAddr(w WAN) netip.Addr {
	var taken []netip.Prefix
	taken = append(taken, p.internetNet())
	for _, x := range p.WANs {
		if x.Address.IsValid() {
			taken = append(taken, x.Address.Masked())
		}
		if (x.Kind == "dhcp" || x.Kind == "pppoe") && x.Gateway.IsValid() {
			taken = append(taken, netip.PrefixFrom(x.Gateway, 24).Masked())
		}
		if x.Behind() == "cpe" {
			// A WAN behind an ISP router: the lab's CPE owns the
			// public address on its upstream network, 203.0.113.0/24
			// (Case), which a dynamic WAN beside it cannot lease from.
			taken = append(taken, netip.MustParsePrefix("203.0.113.0/24"))
		}
	}
	for _, s := range p.Segments {
		taken = append(taken, s.Prefix.Masked())
	}
	k := 0
	for _, x := range p.WANs {
		if x.Interface == w.Interface {
			break
		}
		if !x.Address.IsValid() {
			k++
		}
	}
	for _, c := range dynamicPool() {
		free := true
		for _, t := range taken {
			free = free && !t.Overlaps(c)
		}
		if r, _ := p.droppingList(c, bothLists...); !free || r != nil {
			continue
		}
		if k == 0 {
			return c.Addr().Next().Next()
		}
		k--
	}
	return netip.MustParseAddr("203.0.113.2")
}

// hostIn returns the n-th address of a prefix, for a lab host.
func hostIn(p netip.Prefix, n int) netip.Addr {
	a := p.Masked().Addr()
	for k := 0; k < n; k++ {
		a = a.Next()
	}
	if !p.Contains(a) {
		a = p.Masked().Addr().Next().Next()
	}
	return a
}

// freeHost returns the first address of p from its n-th host on (then from
// its first) that is not taken and, in an IPv4 prefix of /30 or wider, not
// its network or broadcast address; false when there is none. It never
// leaves p: walking on from an address outside a small prefix never came
// back into it.
func freeHost(p netip.Prefix, n int, taken map[netip.Addr]bool) (netip.Addr, bool) {
	p = p.Masked()
	usable := func(a netip.Addr) bool {
		if taken[a] {
			return false
		}
		return !(p.Addr().Is4() && p.Bits() <= 30 && (a == p.Addr() || !p.Contains(a.Next())))
	}
	start := hostIn(p, n)
	for a := start; a.IsValid() && p.Contains(a); a = a.Next() {
		if usable(a) {
			return a, true
		}
	}
	for a := p.Addr(); a.IsValid() && a != start && p.Contains(a); a = a.Next() {
		if usable(a) {
			return a, true
		}
	}
	return netip.Addr{}, false
}

// asideSegment returns the /ip address line, set aside with its interface
// (a DMZ on a radio), whose network holds a, when no kept route covers a.
func (p *Plan) asideSegment(f *export.File, a netip.Addr, keep func(*export.Command) bool) *export.Command {
	if _, ok := p.routeTo(a, keep); ok {
		return nil
	}
	for _, c := range f.Commands {
		if keep(c) || c.MenuPath() != "ip address" || c.Verb != "add" || !enabled(c) {
			continue
		}
		if pf, err := netip.ParsePrefix(c.Value("address")); err == nil && pf.Masked().Contains(a) {
			return c
		}
	}
	return nil
}

// keeper says which commands the lab keeps.
func (p *Plan) keeper(f *export.File) func(*export.Command) bool {
	aside := map[int]bool{}
	for _, a := range p.Aside {
		if a.Param == "" { // a parameter set aside leaves its line in
			aside[a.Line] = true
		}
	}
	// The stand-in's DHCP client and --map's copied WAN list members take
	// the line of what they stand for, which stays set aside
	// (standinwan.go): they are kept by themselves, not by their line.
	return func(c *export.Command) bool { return !aside[c.Line] || p.keptByItself(c) }
}

// withRefused widens keep to the lines the lab router refused (not those
// check set aside before the lab, hardware and unreadable lines): what
// the export configures, for a diagnosis that must stay the export's
// though the emulator may lack what RouterOS takes on such a line.
func (p *Plan) withRefused(keep func(*export.Command) bool) func(*export.Command) bool {
	refused := map[int]bool{}
	for _, a := range p.Aside {
		if a.Param == "" && strings.HasPrefix(a.Reason, refusedPrefix) {
			refused[a.Line] = true
		}
	}
	if len(refused) == 0 {
		return keep
	}
	return func(c *export.Command) bool { return keep(c) || refused[c.Line] }
}

// String describes a finding on one line.
func (f Finding) String() string {
	s := string(f.Cause)
	if s == "" {
		s = f.Detail
	} else if f.Detail != "" {
		s += " (" + f.Detail + ")"
	}
	if f.Line > 0 {
		s += fmt.Sprintf("; line %d: %s", f.Line, ruleQuote(f.Rule))
	}
	return readable(f.Path + ": " + s)
}

// ownAddressDetail says which of the router's ports a forward takes on a
// segment's address: the probed port, or every port
// when the rule names none (a "DMZ": WebFig, WinBox, SSH and the DNS of
// the router from that LAN go to the server).
//
// It says what in the rule takes them: dst-address-type=local, or no
// destination at all (the cause said "dst-address-type=local" of a rule
// that has none, the forum's dst-nat with a port only).
func ownAddressDetail(fw Forward, s Segment) string {
	why := ""
	if fw.cmd != nil {
		switch {
		case fw.cmd.Value("dst-address-type") == "local":
			why = "dst-address-type=local holds them; "
		case fw.cmd.Value("dst-address") == "" && fw.cmd.Value("dst-address-list") == "" && fw.cmd.Value("dst-address-type") == "":
			why = "the rule names no destination, so every address is its; "
		}
	}
	if fw.cmd != nil && matchedPorts(fw.cmd) == "" {
		return fmt.Sprintf("%severy port of %s from %s: WebFig, WinBox, SSH and the router's DNS go to the server", why, s.Prefix.Addr(), s.Interface)
	}
	return fmt.Sprintf("%s%s:%d from %s", why, s.Prefix.Addr(), fw.DstPort, s.Interface)
}

// listHoldsPortOf returns the physical port of WAN interface iface (a PPPoE
// client's ether1) when interface list list holds that port and not iface:
// a defconf WAN list a PPPoE client was added to the router after. "" else.
func (p *Plan) listHoldsPortOf(list, iface string) string {
	for _, w := range p.WANs {
		if w.Interface != iface || w.Port == "" || w.Port == iface {
			continue
		}
		var port, self bool
		for _, c := range p.export.Commands {
			if c.MenuPath() == "interface list member" && c.Verb == "add" && c.Value("list") == list && enabled(c) {
				port = port || c.Value("interface") == w.Port
				self = self || c.Value("interface") == iface
			}
		}
		if port && !self {
			return w.Port
		}
	}
	return ""
}

// listMisses reports whether an in-interface-list matcher (negated or not)
// certainly does not match traffic arriving on in: only then is the forward
// bound away from it (a list that holds the interface binds nothing, and
// another matcher is what misses).
func listMisses(m *matcher, v, in string) bool {
	l, neg := negated(v)
	t := m.ifList(l, in)
	if neg {
		t = t.not()
	}
	return t == no
}

// portUnderAccept returns the forward filter accept that would let the
// connection through if it came in on the port under its PPPoE WAN
// (in-interface=ether1, or a list that holds ether1 and not pppoe-out1),
// with that port: written for the Ethernet port, it never sees the
// traffic, which arrives on the PPPoE interface.
func (p *Plan) portUnderAccept(f *export.File, keep func(*export.Command) bool, m *matcher, pk packet) (*export.Command, string) {
	for _, w := range p.WANs {
		if w.Interface != pk.in || w.Port == "" || w.Port == pk.in || w.Kind != "pppoe" {
			continue
		}
		under := pk
		under.in = w.Port
		r, how := m.first(f, keep, "ip firewall filter", "forward", under, map[string]bool{"accept": true, "drop": true, "reject": true, "fasttrack-connection": true})
		if r == nil || how != yes || r.Value("action") != "accept" && r.Value("action") != "" {
			return nil, ""
		}
		if r.Value("in-interface") == w.Port || r.Value("in-interface-list") != "" && p.listHoldsPortOf(r.Value("in-interface-list"), pk.in) != "" {
			return r, w.Port
		}
	}
	return nil, ""
}

// unheldElsewhere reports whether a forward's dst-address a is out of the
// router's reach while the probe goes to one of its static WAN addresses:
// no interface holds a, it is on no WAN's subnet (unheldWANAddrs speaks
// of those) and in no block routed to the router, and no published ARP
// entry answers for it. A static WAN renumbered by the ISP leaves such a
// rule behind; a dynamic WAN's literal address is LiteralWAN's.
func (p *Plan) unheldElsewhere(a netip.Addr, pk packet) bool {
	if !a.Is4() || p.routerHolds(a) || p.staticOwns(a) || p.segmentOf(a) != nil || p.publishedARP(a) {
		return false
	}
	if _, ok := p.routedBlock(a); ok {
		return false
	}
	wi := p.wanOfInterface(pk.in)
	if wi < 0 && len(p.WANs) > 0 {
		wi = 0 // a hairpin: the LAN client asks the first WAN's address
	}
	return wi >= 0 && p.WANs[wi].Kind == "static" && p.WANs[wi].Behind() == "" && p.routerHolds(pk.dst)
}

// holderOf names the interface that holds the router's address a.
func (p *Plan) holderOf(a netip.Addr) string {
	for _, w := range p.WANs {
		if w.Address.IsValid() && w.Address.Addr() == a {
			return w.Interface
		}
	}
	return "the router"
}

// lateAccept is the first enabled accept of chain below line that matches
// pk and names a port or an address (an accept written for this
// connection, appended at the end of the chain with "add" instead of
// placed before the drop; first match wins, the Filter page of the
// manual): 0 when there is none.
func lateAccept(f *export.File, keep func(*export.Command) bool, m *matcher, chain string, line int, pk packet) int {
	o := m.order(f)
	for _, c := range o.cmds {
		if !o.afterLine(c, line) || c.MenuPath() != "ip firewall filter" || c.Verb != "add" || !keep(c) || !enabled(c) ||
			c.Value("chain") != chain || c.Value("action") != "accept" {
			continue
		}
		if c.Value("dst-port") == "" && c.Value("dst-address") == "" && c.Value("connection-nat-state") == "" {
			continue
		}
		if m.match(c, pk) == yes {
			return c.Line
		}
	}
	return 0
}

// deafVLANFinding is VLANNotOnBridge for the LAN VLAN iface on path.
func deafVLANFinding(i int, path, iface, br string, vid int, entry *export.Command) Finding {
	f := Finding{Forward: i, Path: path, Cause: VLANNotOnBridge,
		Detail: fmt.Sprintf("%s is VLAN %d on bridge %s, and the bridge's VLAN table does not list %s as tagged in VLAN %d", iface, vid, br, br, vid)}
	if entry != nil {
		f.Line, f.Rule = entry.Line, entry.Raw
	}
	return f
}

// blackholeBlock is the export's enabled blackhole route of a public
// block wider than a /32 that holds a (add blackhole dst-address=
// 55.69.0.0/16 on 7, type=blackhole on 6): what a router does with an
// address block its ISP routes to it; nil when there is none.
func (p *Plan) blackholeBlock(a netip.Addr) *export.Command {
	for _, c := range p.export.Commands {
		if c.MenuPath() != "ip route" || c.Verb != "add" || !enabled(c) {
			continue
		}
		// 7's blackhole is a bare word, which the reader keeps in the
		// raw line only.
		if !slices.Contains(strings.Fields(c.Raw), "blackhole") && c.Value("type") != "blackhole" {
			continue
		}
		if d, err := netip.ParsePrefix(c.Value("dst-address")); err == nil && d.Bits() < 32 && d.Masked().Contains(a) && !d.Addr().IsPrivate() {
			return c
		}
	}
	return nil
}
