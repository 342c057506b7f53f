package check

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
	"github.com/chrlab/chrlab/harness/lab"
)

// Probe is one probe the check runs, with what it tells.
type Probe struct {
	Forward int    // index into Plan.Forwards; -1 for the router's own services
	Path    string // internet, hairpin:<segment>, service:<name>@<where>
	Phase   string // before, renumbered, fixed
	From    string
	To      string
	Kind    string // tcp, udp, http, port, resolve-then-connect
	Name    string // the name a resolve-then-connect probe asks for
	Port    int    // the port it then connects to
	Connect string // how it reaches the answer: udp for a UDP forward, empty for TCP
	// NoPublic marks a path that comes in through the public address of
	// a WAN behind carrier-grade NAT or an ISP router: nothing on the
	// router can open it, so it does not count against the fix.
	NoPublic bool
	// ByDesign marks a path of a forward that admits only some sources
	// (Forward.Sources): it fails by design and is not counted broken.
	ByDesign bool `json:",omitempty"`
	// Gap marks a LAN path (hairpin:, byname:) of a forward written for
	// the internet alone (hairpinGapForwards): a hairpin gap, said in a
	// warning and not counted broken.
	Gap bool `json:",omitempty"`
	// Wanted marks a probe of the router's own service from the internet
	// that the export's input chain accepts by its port: the service
	// should answer there, and a forward that takes the port is wrong.
	Wanted bool `json:",omitempty"`
	// Want is the source address the internet should see from a host
	// with a src-nat of its own (path srcnat:<host>).
	Want string `json:",omitempty"`
	// Watch is, for a probe with the main ISP silent (path silent:<segment>),
	// what in the export notices a silent gateway (check-gateway=ping on
	// line N); empty when nothing does.
	Watch string `json:",omitempty"`
	// HTTPPath is an http probe's path and query (a hotspot login's
	// /login?username=..&password=..); empty for /.
	HTTPPath string `json:",omitempty"`
}

// Case is the lab and the steps of one check run, as a scenario file a
// user can read and run again with chrlab lab --file.
type Case struct {
	YAML   string
	Probes []Probe // in step order; actions have no entry
	// Steps maps each step of the scenario to its probe, -1 for actions.
	Steps []int
	// Servers maps a forward's target address to its lab node.
	Servers map[netip.Addr]string
	// Clients maps a LAN segment's interface to its lab node.
	Clients map[string]string
	// FixUntried are the fix's lines (indexes into Fix.Lines) the lab
	// leaves out of its fix step: its router refuses them.
	FixUntried []int
	// HairpinOnly says the fixed phase runs only the hairpin lines of
	// hairpin gaps (labCase): the findings' fix has no line.
	HairpinOnly bool
	// segClient is the client wired on each LAN segment (by index in
	// Plan.Segments): two segments on one bridge (a second address on a
	// bridge port) share an interface, and Clients keeps the last.
	segClient map[int]string
	// wanLab is what the lab put behind each WAN (by index in Plan.WANs):
	// the node that faces the router and the address the internet sees.
	wanLab map[int]wanLab
	// own is, per forward (index into Plan.Forwards), the lab nodes that
	// stand for its own server(s) and its rule's line: a forward's path
	// works only when one of them answers. Two dst-nats of one port
	// send the same probe; the first that matches takes it (NAT page of
	// the manual), so an answer from the other's server is the earlier
	// rule's, not this forward's (realcheck19 D1).
	own map[int]ownServers
	// routerWAN is the address the lab gives the router on each WAN (its
	// lease on a DHCP WAN before a renumbering) on a DHCP WAN: a server that
	// sees it was reached through a src-nat to the WAN address, not from
	// the client (forum38 D6).
	routerWAN map[netip.Addr]bool
	// leases are the lab hosts that lease their address from the router's
	// DHCP server (a LAN client behind arp=reply-only with add-arp=yes):
	// a probe from one that found no route had no lease (Outcomes).
	leases map[string]bool
}

// ownServers are the lab nodes of one forward's server(s), its line, and
// what of a connection its rule matches on: the protocol ("" any) and the
// dst-port value ("" any), by which takenBy tells which of the forwards
// to one server took another forward's probe.
type ownServers struct {
	nodes []string
	line  int
	proto string
	ports string
	port  int // the public port the forward's probes ask
}

// wanLab is the lab's side of a WAN: the node on the router's WAN network
// (its ISP, or the ISP router in front of a private WAN), that network, and
// the address the internet sees a masqueraded LAN host as.
type wanLab struct {
	node, network string
	seen          netip.Addr
}

// internetChoices are the networks the lab's stand-in for the internet
// behind every ISP may take, in order: the first that none of the export's
// networks overlaps. Exports shared on forums often have their public
// addresses replaced with documentation ranges, so the lab must not insist
// on one of them. 203.0.113.0/24 is left out: the lab leases a dynamic WAN
// from it.
var internetChoices = []netip.Prefix{
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("198.18.0.0/24"),
	netip.MustParsePrefix("198.19.0.0/24"),
	// Last: an address no bogon list holds, for an export that drops
	// every documentation and benchmarking range from the WAN (the lab's
	// peer was dropped by its raw rule). The lab is closed: nothing of
	// it leaves this machine.
	netip.MustParsePrefix("11.22.33.0/24"),
}

// cpeUpstreams are the networks above a private WAN's ISP router (where
// its public address is), in order: the first that no network of the lab
// overlaps. A second private WAN takes the next one; both once took
// 203.0.113.0/24 and the lab of a dual-WAN export behind two ISP routers
// was refused.
var cpeUpstreams = []netip.Prefix{
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("198.18.200.0/24"),
	netip.MustParsePrefix("198.19.200.0/24"),
	netip.MustParsePrefix("11.22.44.0/24"),
	// Four more in the benchmarking block (RFC 2544's 198.18.0.0/15):
	// a 5-WAN PCC export behind five ISP routers took the four above
	// for its first four WANs, and the lab was refused "every upstream
	// network ... overlaps the export's", which none did (realcheck26 D8).
	netip.MustParsePrefix("198.18.201.0/24"),
	netip.MustParsePrefix("198.19.201.0/24"),
	netip.MustParsePrefix("198.18.202.0/24"),
	netip.MustParsePrefix("198.19.202.0/24"),
}

// cpeUpstream returns the first of cpeUpstreams that overlaps nothing the
// lab has.
func cpeUpstream(overlaps func(netip.Prefix) bool) (netip.Prefix, error) {
	for _, up := range cpeUpstreams {
		if !overlaps(up) {
			return up, nil
		}
	}
	return netip.Prefix{}, fmt.Errorf("the lab has %d upstream networks for ISP routers in front of private WANs (%v), and each is taken by another private WAN's ISP router or overlaps a network of the export", len(cpeUpstreams), cpeUpstreams)
}

// chooseInternet picks the lab's internet network away from every WAN and
// LAN network of the export and from this machine's own networks.
func (p *Plan) chooseInternet() {
	for _, c := range internetChoices {
		clash := lab.HostOwnsIn(c)
		for _, w := range p.WANs {
			if w.Address.IsValid() && subnetFor(w.Address).Overlaps(c) {
				clash = true
			}
			if (w.Kind == "dhcp" || w.Kind == "pppoe") && w.Gateway.IsValid() && netip.PrefixFrom(w.Gateway, 24).Masked().Overlaps(c) {
				clash = true // the lab leases beside the gateway (pinDHCPGateways)
			}
		}
		for _, s := range p.Segments {
			if s.Prefix.Masked().Overlaps(c) {
				clash = true
			}
		}
		clash = clash || p.droppedSource(c)
		if !clash {
			p.internet = c
			return
		}
	}
	p.internet = internetChoices[0] // the lab then names the overlap
}

// rangeRest are the addresses of a forward's to-addresses range after its
// first (ToAddr), at most 15 of them; none for one address.
func rangeRest(fw Forward) []netip.Addr {
	if fw.cmd == nil {
		return nil
	}
	lo, hi, ok := strings.Cut(fw.cmd.Value("to-addresses"), "-")
	a, err1 := netip.ParseAddr(lo)
	b, err2 := netip.ParseAddr(hi)
	if !ok || err1 != nil || err2 != nil || !a.Is4() || !b.Is4() || a != fw.ToAddr || b.Less(a) {
		return nil
	}
	var out []netip.Addr
	for x := a.Next(); x.IsValid() && !b.Less(x) && len(out) < 15; x = x.Next() {
		out = append(out, x)
	}
	return out
}

// droppedSource reports whether a drop or reject rule of the raw or filter
// table takes sources in c by an address list (a bogon list holding the
// documentation ranges): the lab's peer and DNS there would be dropped, a
// host on the real internet would not.
func (p *Plan) droppedSource(c netip.Prefix) bool {
	r, _ := p.droppingList(c, "src-address-list")
	return r != nil
}

// internetNet is the lab's internet network (198.51.100.0/24 unless the
// export uses it).
func (p *Plan) internetNet() netip.Prefix {
	if !p.internet.IsValid() {
		return internetChoices[0]
	}
	return p.internet
}

// PeerAddr is the WAN peer's address on the lab's internet.
func (p *Plan) PeerAddr() netip.Addr { return hostIn(p.internetNet(), 50) }

// publicDNS is the lab's stand-in public resolver, on the internet: the
// router's DNS servers are replaced by it, and it answers the export's
// names with the WAN addresses.
func (p *Plan) publicDNS() netip.Addr { return hostIn(p.internetNet(), 53) }

// labNet is one network of the generated lab.
type labNet struct {
	name   string
	subnet netip.Prefix
	trunk  string // a VLAN of this wire network
	vlan   int
}

// subnetFor returns the /24 holding p (or p itself when it is larger), the
// size a lab network needs.
func subnetFor(p netip.Prefix) netip.Prefix {
	if p.Bits() > 24 {
		return netip.PrefixFrom(p.Addr(), 24).Masked()
	}
	return p.Masked()
}

// fitSubnet is the lab network for an export's prefix: the /24 holding it
// (subnetFor), or the prefix itself, from a /30 up, when that /24 holds
// another of the export's networks (two /30 transfer links of one /24).
func (pl *Plan) fitSubnet(p netip.Prefix) netip.Prefix {
	sub := subnetFor(p)
	if p.Bits() <= 24 || p.Bits() > 30 {
		return sub
	}
	for _, o := range pl.exportPrefixes() {
		if o.Masked() != p.Masked() && sub.Overlaps(o) {
			return p.Masked()
		}
	}
	return sub
}

// exportPrefixes are the export's LAN segments and static WAN prefixes.
func (pl *Plan) exportPrefixes() []netip.Prefix {
	var out []netip.Prefix
	for _, s := range pl.Segments {
		out = append(out, s.Prefix)
	}
	for _, w := range pl.WANs {
		if w.Address.IsValid() {
			out = append(out, w.Address)
		}
	}
	return out
}

// Case builds the lab shaped like the user's network and the probes:
// every forward from the internet and from every LAN segment, the
// router's services from the LAN and the WAN, after a renumbering when a
// WAN is dynamic, and all of it again with the fix applied.
func (p *Plan) Case(fx Fix) (*Case, error) {
	c := &Case{Servers: map[netip.Addr]string{}, Clients: map[string]string{}, segClient: map[int]string{}, leases: map[string]bool{}}
	p.fixResolves = fixResolves(fx)
	p.labDNS()
	var public netip.Addr // the first WAN's public address, which the export's names resolve to
	internet := p.internetNet()
	used := []netip.Prefix{internet}
	overlaps := func(x netip.Prefix) bool {
		for _, u := range used {
			if u.Overlaps(x) {
				return true
			}
		}
		return false
	}
	var nets []labNet
	addNet := func(name string, sub netip.Prefix) error {
		if overlaps(sub) {
			return fmt.Errorf("the export's %s (%s) overlaps another network of the lab", name, sub)
		}
		used = append(used, sub)
		nets = append(nets, labNet{name: name, subnet: sub})
		return nil
	}
	// A port with nothing untagged behind it still needs a wire of its
	// own: a free /24 of 172.31.0.0/16, or of the pools after it when the
	// export's own networks cover that one (a LAN of 172.16.0.0/12).
	spareNet := func(name string) (netip.Prefix, error) {
		for _, pool := range sparePools {
			for s := range subnets24(pool) {
				if !overlaps(s) {
					return s, addNet(name, s)
				}
			}
		}
		return netip.Prefix{}, fmt.Errorf("no free /24 is left for the lab's network %s: the export's networks cover %s", name, joinPrefixes(sparePools))
	}
	// vlanOf makes network a VLAN of wire, whose router port carries it
	// tagged.
	vlanOf := func(network, wire string, vid int) {
		for i := range nets {
			if nets[i].name == network {
				nets[i].trunk, nets[i].vlan = wire, vid
			}
		}
	}
	var ports []string // YAML of the router's ports in lab order
	var nodes []string
	portIndex := map[string]int{}
	for _, pt := range p.Ports {
		// The lab port keeps the export's number (ether5 stays ether5
		// when ether4 is absent), so the wire goes on that one.
		if n, ok := etherIndex(pt.Lab); ok {
			portIndex[pt.Name] = n - 1
		}
	}
	ports = make([]string, p.PortCount())
	dynamic := false
	var bridged *export.Command // the bridge port line of router.wan's port, a DHCP WAN
	// renumberTo is the address renumber-wan gives a PPPoE WAN that also
	// holds static addresses (none: the ISP's next free one), and
	// sessionRoutes the ISP routes of those addresses through the
	// session, per node.
	var renumberTo netip.Addr
	sessionRoutes := map[int][]string{}
	ispNodes := 0
	// Each ISP routes its customers' network; with several WANs each must
	// also know the others', so that the peer behind the first reaches
	// every WAN address.
	type ispRoute struct {
		node int
		to   netip.Prefix
		via  netip.Addr
	}
	var ispRoutes []ispRoute
	for wi, w := range p.WANs {
		name := "wan"
		if wi > 0 {
			name = fmt.Sprintf("wan%d", wi+1)
		}
		var sub netip.Prefix
		var routerAddr, ispAddr netip.Addr
		kind := "static"
		switch w.Kind {
		case "static":
			sub = p.fitSubnet(w.Address)
			routerAddr = w.Address.Addr()
			ispAddr = w.Gateway
			if w.Peer.IsValid() {
				// A point-to-point WAN (1.1.1.1/32, network=2.2.2.2):
				// the ISP answers as the peer on the link, and the lab
				// network is the narrowest one holding both ends (at
				// least the /24 of the address), so that the ISP reaches
				// the router's /32 on the wire as RouterOS's peer does.
				ispAddr, sub = w.Peer, covering(subnetFor(w.Address), w.Peer)
				if zeroNet.Overlaps(sub) {
					// Linux installs no link route for a subnet in
					// 0.0.0.0/8, so the ISP would not reach the router
					// (a template's 1.1.1.1 with peer 2.2.2.2 needs
					// 0.0.0.0/6): say so rather than probe a dead wire.
					return nil, fmt.Errorf("the point-to-point WAN %s (%s, peer %s): the narrowest lab network holding both ends is %s, which reaches into 0.0.0.0/8, where Linux installs no route, so the lab cannot wire its ISP; a WAN whose ends are nearer (its peer in the same /8) can be checked", w.Interface, w.Address.Addr(), w.Peer, sub)
				}
			}
			if !ispAddr.IsValid() || ispAddr == routerAddr {
				// Inside the WAN's own prefix (a /29 of a /24), where
				// the router's on-link routes reach it.
				ispAddr = otherHost(w.Address, routerAddr)
				if w.Address.Bits() > 30 {
					ispAddr = otherHost(sub, routerAddr)
				}
			}
			if b := w.Behind(); b != "" {
				kind = b
			}
			if kind == "cgnat" && sub.Bits() < cgnatSpace.Bits() {
				// A prefix wider than the shared space (100.70.10.1/1):
				// the lab's carrier-grade NAT hands out its own space only.
				sub = cgnatSpace
				if !sub.Contains(ispAddr) || ispAddr == routerAddr {
					ispAddr = otherHost(sub, routerAddr)
				}
			}
		case "dhcp":
			if w.Behind() == "cpe" {
				// An ISP router in front leases the private address the
				// forwards name; it is not renumbered.
				kind, routerAddr = "cpe", w.Private
				sub = netip.PrefixFrom(routerAddr, 24).Masked()
				ispAddr = otherHost(sub, routerAddr)
				break
			}
			fallthrough
		default: // dhcp, pppoe: the lab leases the address a forward names, or its own
			kind = w.Kind
			if kind == "pppoe" {
				// The lab's PPPoE ISP renumbers too (renumber-wan hangs
				// the session up and the next one gets another address,
				// docs/pppoe.md): without the phase a PPPoE export's
				// "after a renumbering" finding read "not confirmed by
				// the lab", which never tried it (forum69 C3). Not when
				// the port under the session holds an address of its
				// own (a modem's management network): the step waits
				// for router.wan, which the runner then reads as the
				// port's address, and the run ended there
				// (rb750r2-6421: "the router did not take 203.0.113.3
				// within 60s (it has 10.254.11.2)").
				if c := p.addressOnPort(w); c != nil {
					n := fmt.Sprintf("the lab does not renumber %s: its port %s holds an address of its own (line %d), which the lab's renumbering step takes for the WAN's", w.Interface, w.Port, c.Line)
					if !slices.Contains(p.Notes, n) {
						p.Notes = append(p.Notes, n)
					}
				} else {
					dynamic = dynamic || p.wanTarget(wi) == "router.wan"
				}
			} else {
				// The lab's DHCP ISP renumbers, and renumber-wan
				// renumbers router.wan only, the lowest WAN port (an LTE
				// backup behind a static line is not renumbered).
				kind = "dhcp"
				if bp := p.wanPortInBridge(w); bp != nil && p.wanTarget(wi) == "router.wan" {
					bridged = bp
					// The port is a port of the LAN bridge: its DHCP
					// client leases nothing, so there is no address to
					// renumber, and renumber-wan's wait for the new
					// lease ended the whole run with "lab run failed"
					// (forum45 D8). The rest is probed: the router's
					// services on the WAN show it without an address.
					note := fmt.Sprintf("the lab does not renumber %s: it is a port of bridge %s (line %d), so its DHCP client leases nothing and there is no WAN address to renumber; the probes from the internet find the WAN without an address, and the fix's phase, with the port out of the bridge, probes them again", w.Interface, bp.Value("bridge"), bp.Line)
					if !slices.Contains(p.Notes, note) {
						p.Notes = append(p.Notes, note)
					}
				} else {
					dynamic = dynamic || p.wanTarget(wi) == "router.wan"
				}
			}
			routerAddr = p.dynamicAddr(w)
			named := false
			for _, fw := range p.Forwards {
				if a := p.WANAddr(w, fw); a != routerAddr {
					routerAddr, named = a, true
					break
				}
			}
			sub = netip.PrefixFrom(routerAddr, 24).Masked()
			ispAddr = otherHost(sub, routerAddr)
			if g := w.Gateway; g.IsValid() {
				// The export's routes name this WAN's gateway
				// (pinDHCPGateways): lease beside it, unless a forward
				// names an address elsewhere.
				gsub := netip.PrefixFrom(g, 24).Masked()
				if !named || gsub.Contains(routerAddr) && routerAddr != g {
					sub, ispAddr = gsub, g
					if !gsub.Contains(routerAddr) || routerAddr == g {
						routerAddr = otherHost(gsub, g)
					}
					if l := w.Lease; l.IsValid() && !named && gsub.Contains(l) && l != g {
						routerAddr = l // the address its src-nat sends from
					}
				}
			}
		}
		if err := addNet(name, sub); err != nil {
			return nil, err
		}
		ports[portIndex[w.Port]] = fmt.Sprintf("{network: %s, address: %s, role: wan}", name, routerAddr)
		offer := ""
		if w.VLAN > 0 {
			// The ISP sits in the VLAN the export's WAN rides in; the
			// router's port is on the wire, which carries it tagged.
			wire := name + "-wire"
			ws, err := spareNet(wire)
			if err != nil {
				return nil, err
			}
			vlanOf(name, wire, w.VLAN)
			ports[portIndex[w.Port]] = fmt.Sprintf("{network: %s, address: %s, role: wan}", wire, ws.Addr().Next())
			offer = fmt.Sprintf(", offer: %s", routerAddr)
		}
		isp := fmt.Sprintf("isp%d", wi+1)
		ispAt := internet.Addr().Next()
		for k := 0; k < ispNodes; k++ {
			ispAt = ispAt.Next()
		}
		ispNodes++
		routed := sub
		var up netip.Prefix // a private WAN's: the network above its ISP router
		if kind == "cpe" {
			var err error
			if up, err = cpeUpstream(overlaps); err != nil {
				return nil, err
			}
			routed = up
		}
		upAt := func(n int) netip.Addr { return hostIn(up, n) }
		ispRoutes = append(ispRoutes, ispRoute{node: len(nodes), to: routed, via: ispAt})
		facing, seen := isp, routerAddr
		switch kind {
		case "cpe":
			facing, seen = fmt.Sprintf("cpe%d", wi+1), upAt(2)
		case "cgnat":
			seen = ispAt
		}
		if c.wanLab == nil {
			c.wanLab = map[int]wanLab{}
			c.routerWAN = map[netip.Addr]bool{}
		}
		if routerAddr.IsValid() {
			c.routerWAN[routerAddr] = true
		}
		c.wanLab[wi] = wanLab{node: facing, network: name, seen: seen}
		if !public.IsValid() {
			switch kind {
			case "cpe":
				public = upAt(2)
			case "cgnat":
				public = ispAt
			default:
				public = routerAddr
			}
		}
		switch kind {
		case "cpe":
			// A private WAN: an ISP router in front owns the public
			// address; the user's own CPE forwards are unknown, so none.
			cpeNet := fmt.Sprintf("%s-up", name)
			if err := addNet(cpeNet, up); err != nil {
				return nil, err
			}
			nodes = append(nodes,
				fmt.Sprintf("  - name: %s\n    role: isp\n    interfaces:\n      - {network: %s, address: %s}\n      - {network: internet, address: %s}\n", isp, cpeNet, upAt(1), ispAt),
				fmt.Sprintf("  - name: cpe%d\n    role: cpe\n    gateway: %s\n    cpe: {inside: %s, public: %s}\n%s    interfaces:\n      - {network: %s, address: %s}\n      - {network: %s, address: %s}\n", wi+1, upAt(1), name, upAt(2), p.cpeDHCP(w, sub, routerAddr, ispAddr), cpeNet, upAt(2), name, ispAddr))
		case "cgnat":
			nodes = append(nodes, fmt.Sprintf("  - name: %s\n    role: isp\n    isp: {kind: cgnat, customer: %s, public: %s}\n    interfaces:\n      - {network: %s, address: %s}\n      - {network: internet, address: %s}\n", isp, name, ispAt, name, ispAddr, ispAt))
		case "pppoe":
			held := p.staticOnWAN(w)
			if wi == 0 || p.wanTarget(wi) == "router.wan" {
				// The renumbering names its address: the runner's own
				// choice, the next after an address of the router's
				// port, took the port's address under the session
				// (rb750r2-6421's 10.254.11.2 on eth1-ont, the modem's
				// management network) and the ISP refused it.
				for a := sub.Masked().Addr().Next(); sub.Contains(a); a = a.Next() {
					if a != routerAddr && a != ispAddr && !slices.Contains(held, a) {
						renumberTo = a
						break
					}
				}
			}
			if len(held) > 0 {
				// Addresses the export puts on the PPPoE client beside
				// the session's (a second public address): the ISP
				// routes each through the session, as a real ISP giving
				// them does (a route via the customer's address follows
				// the session, docs/pppoe.md); without it the internet
				// never reached them (forum69 C1's lab run). And the
				// renumbering gives the session none of them: the ISP's
				// next free address was the static one, and router.wan
				// then led to the other forward.
				for _, a := range held {
					sessionRoutes[len(nodes)] = append(sessionRoutes[len(nodes)], fmt.Sprintf("{to: %s/32, via: %s}", a, routerAddr))
				}
			}
			user, password, allow := p.pppoeClient(w.Interface)
			if c := p.pppoeClientLine(w.Interface); c != nil {
				// The client asks for an access concentrator or a service
				// by name (Telkom's ac-name=BRAS4-D6-BJM): RouterOS's client
				// takes only an offer that names them (the PPPoE page of
				// the manual: ac-name, service-name), so the lab's ISP
				// offers them; without, no session came up and the LAN's
				// way out read "broken, cause not identified"
				// (rb750r2-6421).
				if v := c.Value("ac-name"); v != "" {
					offer += fmt.Sprintf(", ac-name: %q", v)
				}
				if v := c.Value("service-name"); v != "" {
					offer += fmt.Sprintf(", service: %q", v)
				}
			}
			if allow != "" {
				// The ISP asks for what the client allows, strongest
				// first as RouterOS lists it.
				offer += fmt.Sprintf(", auth: %q", allow)
			}
			nodes = append(nodes, fmt.Sprintf("  - name: %s\n    role: isp\n    isp: {kind: pppoe, customer: %s, user: %q, password: %q, dns: [%s]%s}\n    interfaces:\n      - {network: %s, address: %s}\n      - {network: internet, address: %s}\n", isp, name, user, password, p.publicDNS(), offer, name, ispAddr, ispAt))
		case "dhcp":
			if p.lteStandIn(w.Interface) {
				// An LTE link has no ARP: a route by the interface
				// (gateway=lte1) reaches the carrier (standinwan.go).
				offer += ", proxy-arp: true"
			}
			nodes = append(nodes, fmt.Sprintf("  - name: %s\n    role: isp\n    isp: {kind: dhcp, customer: %s, dns: [%s]%s}\n    interfaces:\n      - {network: %s, address: %s}\n      - {network: internet, address: %s}\n", isp, name, p.publicDNS(), offer, name, ispAddr, ispAt))
		default:
			nodes = append(nodes, fmt.Sprintf("  - name: %s\n    role: isp\n    isp: {kind: static, customer: %s}\n    interfaces:\n      - {network: %s, address: %s}\n      - {network: internet, address: %s}\n", isp, name, name, ispAddr, ispAt))
		}
		// The hosts the export's routes reach through this next hop
		// (recursive failover's 8.8.8.8) answer at the node there: the
		// ISP, or the ISP router in front of a private WAN (the last
		// node added), which a silent line's loss then cuts off too.
		{
			if locals := p.hostsVia(ispAddr, used); len(locals) > 0 {
				var args []string
				for _, a := range locals {
					args = append(args, "--local, "+a.String())
				}
				nodes[len(nodes)-1] += "    args: [" + strings.Join(args, ", ") + "]\n"
			}
		}
	}
	for _, r := range ispRoutes {
		var routes []string
		for _, o := range ispRoutes {
			if o.node != r.node {
				routes = append(routes, fmt.Sprintf("{to: %s, via: %s}", o.to, o.via))
			}
		}
		if len(routes) > 0 {
			nodes[r.node] = strings.Replace(nodes[r.node], "    interfaces:\n", "    routes: ["+strings.Join(routes, ", ")+"]\n    interfaces:\n", 1)
		}
	}
	for n, add := range sessionRoutes {
		if strings.Contains(nodes[n], "    routes: [") {
			nodes[n] = strings.Replace(nodes[n], "    routes: [", "    routes: ["+strings.Join(add, ", ")+", ", 1)
		} else {
			nodes[n] = strings.Replace(nodes[n], "    interfaces:\n", "    routes: ["+strings.Join(add, ", ")+"]\n    interfaces:\n", 1)
		}
	}
	// Blocks routed to the router (a /29 on a loopback bridge): the
	// first ISP routes them to the router's first WAN address, the others
	// through the first ISP. Not behind a private WAN: the lab's ISP is
	// then above an ISP router, not on the WAN's wire, and its agent
	// failed "add route to 160.22.181.168/29 via 172.16.10.2: network is
	// unreachable", so the lab never started (rotko bkk50 on vm once its
	// nested subnets were built, realcheck33 C5), as routedBlocks already
	// says of a loopback's address.
	if blocks := p.routedBlocks(); len(blocks) > 0 && len(p.WANs) > 0 && p.WANs[0].Kind == "static" && p.WANs[0].Behind() == "" && len(ispRoutes) > 0 {
		for bi, r := range ispRoutes {
			via := p.WANs[0].Address.Addr()
			if bi > 0 {
				via = ispRoutes[0].via
			}
			var add []string
			for _, b := range blocks {
				add = append(add, fmt.Sprintf("{to: %s, via: %s}", b, via))
			}
			if strings.Contains(nodes[r.node], "    routes: [") {
				nodes[r.node] = strings.Replace(nodes[r.node], "    routes: [", "    routes: ["+strings.Join(add, ", ")+", ", 1)
			} else {
				nodes[r.node] = strings.Replace(nodes[r.node], "    interfaces:\n", "    routes: ["+strings.Join(add, ", ")+"]\n    interfaces:\n", 1)
			}
		}
	}
	// LAN segments: a client on each, and the forwards' servers.
	serverPorts := map[netip.Addr][]int{}
	for _, fw := range p.Forwards {
		serverPorts[fw.ToAddr] = append(serverPorts[fw.ToAddr], fw.ToPort)
		// A range of servers: the router gives each connection one
		// address of it (NAT page of the manual), so each has a server
		// (a hairpin went to .12 of .11-.13, where none answered).
		for _, a := range rangeRest(fw) {
			serverPorts[a] = append(serverPorts[a], fw.ToPort)
		}
	}
	// A LAN alias's target gets a server too, which its probes reach
	// (lanalias.go).
	for _, al := range p.aliases {
		port, _ := p.portOf(al)
		serverPorts[al.Target] = append(serverPorts[al.Target], port)
	}
	wires := map[int]string{}     // port index -> the network on its wire
	usedMACs := map[string]bool{} // the MACs lab hosts take from the export (reply-only LANs)
	segs := make([]int, 0, len(p.Segments))
	for si, s := range p.Segments { // untagged first: they are the trunks' native networks
		if s.Port != "" && !s.Tagged {
			segs = append(segs, si)
		}
	}
	for si, s := range p.Segments {
		if s.Port != "" && s.Tagged {
			segs = append(segs, si)
		}
	}
	for _, si := range segs {
		s := p.Segments[si]
		name := fmt.Sprintf("lan%d", si+1)
		if w, ok := p.widerOnSameWire(si); ok {
			// Two addresses of one interface, one subnet inside the
			// other (192.168.88.50/24 and 192.168.69.1/16 on one
			// bridge): one wire, so one lab network, the wider one,
			// whose hosts the router reaches by either address; si's
			// port is left unwired. Two networks of overlapping subnets
			// stopped the lab before it was built (realcheck33 C5).
			n := fmt.Sprintf("the lab gives %s's %s no network of its own: it lies inside %s on the same interface, whose lab network and hosts stand for both", s.Interface, s.Prefix.Masked(), w.Masked())
			if !slices.Contains(p.Notes, n) {
				p.Notes = append(p.Notes, n)
			}
			continue
		}
		if err := addNet(name, p.fitSubnet(s.Prefix)); err != nil {
			return nil, err
		}
		pi := portIndex[s.Port]
		switch {
		case !s.Tagged:
			ports[pi] = fmt.Sprintf("{network: %s, address: %s, role: lan}", name, s.Prefix.Addr())
			wires[pi] = name
		case wires[pi] != "":
			vlanOf(name, wires[pi], s.VLAN)
		default:
			// Nothing untagged behind the trunk port: a wire of its own.
			wire := fmt.Sprintf("trunk%d", pi+1)
			ws, err := spareNet(wire)
			if err != nil {
				return nil, err
			}
			ports[pi] = fmt.Sprintf("{network: %s, address: %s, role: lan}", wire, ws.Addr().Next())
			wires[pi] = wire
			vlanOf(name, wire, s.VLAN)
		}
		// The forwards' servers first: behind arp=reply-only they take
		// the MACs the router knows them by, which the client must not
		// take too.
		var addrs []netip.Addr
		for a := range serverPorts {
			if s.Prefix.Masked().Contains(a) {
				addrs = append(addrs, a)
			}
		}
		sort.Slice(addrs, func(i, j int) bool { return addrs[i].Less(addrs[j]) })
		var servers []string
		for _, a := range addrs {
			srv := fmt.Sprintf("server%d", len(c.Servers)+1)
			c.Servers[a] = srv
			var serve []string
			seen := map[int]bool{}
			for _, port := range serverPorts[a] {
				if !seen[port] {
					seen[port] = true
					serve = append(serve, fmt.Sprintf("{kind: whoami, port: %d}", port))
				}
			}
			gw, extra := fmt.Sprintf("    gateway: %s\n", s.Prefix.Addr()), ""
			if mac, dhcp, why := p.replyOnlyServer(s, a, usedMACs); why != "" {
				if mac != "" {
					usedMACs[mac] = true
					extra = ", mac: " + mac
				}
				if dhcp {
					// The lease's router option sets its route.
					gw, extra = "", ", dhcp: true"+extra
				}
				if !slices.Contains(p.Notes, why) {
					p.Notes = append(p.Notes, why)
				}
			}
			servers = append(servers, fmt.Sprintf("  - name: %s\n    role: server\n%s    serve: [%s]\n    interfaces: [{network: %s, address: %s%s}]\n", srv, gw, strings.Join(serve, ", "), name, a, extra))
		}
		client := fmt.Sprintf("client%d", si+1)
		taken := map[netip.Addr]bool{s.Prefix.Addr(): true}
		for a := range serverPorts {
			taken[a] = true
		}
		if ca, ok := freeHost(s.Prefix, 100, taken); ok {
			c.Clients[s.Interface] = client
			c.segClient[si] = client
			gw, extra := fmt.Sprintf("    gateway: %s\n", s.Prefix.Addr()), ""
			if lease, known, why := p.replyOnlyClient(s, taken, usedMACs); why != "" {
				switch {
				case lease:
					// The lease's router option sets its route.
					gw, extra = "", ", dhcp: true"
					c.leases[client] = true
				case known.mac != "":
					ca, extra = known.addr, ", mac: "+known.mac
					usedMACs[known.mac] = true
				}
				if !slices.Contains(p.Notes, why) {
					p.Notes = append(p.Notes, why)
				}
			}
			nodes = append(nodes, fmt.Sprintf("  - name: %s\n    role: client\n%s    interfaces: [{network: %s, address: %s%s}]\n", client, gw, name, ca, extra))
		} else {
			// A /30 to another router holds the router and the forward's
			// server (that router) and nothing else: the server is
			// probed, from the internet and the other segments; this
			// segment has no client to probe from.
			p.Notes = append(p.Notes, fmt.Sprintf("LAN segment %s (%s) holds the router and the forward's server only: no lab client there, its paths from that segment are not probed", s.Interface, s.Prefix))
		}
		nodes = append(nodes, servers...)
	}
	// Ports with nothing behind them still exist, on networks of their own.
	for i := range ports {
		if ports[i] != "" {
			continue
		}
		name := fmt.Sprintf("unused%d", i+1)
		sub, err := spareNet(name)
		if err != nil {
			return nil, err
		}
		ports[i] = fmt.Sprintf("{network: %s, address: %s, role: lan}", name, sub.Addr().Next())
	}
	follow := p.followsWAN()
	nodes = append(nodes, p.dnsNode(public, follow))
	peerServe := ""
	if ports := p.lanInternetPorts(); len(ports) > 0 {
		// The ports a forward takes from the LAN's browsing: the peer
		// answers there, as a host on the internet would.
		serve := []string{"whoami"}
		for _, n := range ports {
			serve = append(serve, fmt.Sprintf("{kind: whoami, port: %d}", n))
		}
		peerServe = "    serve: [" + strings.Join(serve, ", ") + "]\n"
	}
	nodes = append(nodes, fmt.Sprintf("  - name: peer\n    role: peer\n    gateway: %s\n%s    interfaces: [{network: internet, address: %s}]\n", internet.Addr().Next(), peerServe, p.PeerAddr()))

	var b strings.Builder
	fmt.Fprintf(&b, "# chrlab check of %s: a lab shaped like the router's network, and the probes.\n", p.File)
	if v := p.LabVersion(); v != "" {
		fmt.Fprintf(&b, "# Run it again with: chrlab lab --file <this file> --routeros %s (the version the export came from)\n", v)
	} else {
		fmt.Fprintf(&b, "# Run it again with: chrlab lab --file <this file>\n")
	}
	fmt.Fprintf(&b, "name: check\ntitle: %q\n", "chrlab check of "+p.File)
	b.WriteString("lab:\n  name: check\n  router:\n    name: router\n")
	if follow {
		// IP Cloud checks the address every 5 s instead of 60 s.
		fmt.Fprintf(&b, "    emulator: [--cloud-check, 5s, --serial, %s]\n", labCloudSerial)
	}
	b.WriteString("    ports:\n")
	for _, pt := range ports {
		b.WriteString("      - " + pt + "\n")
	}
	b.WriteString("  networks:\n")
	nets = append([]labNet{{name: "internet", subnet: internet}}, nets...)
	for _, n := range nets {
		if n.trunk != "" {
			fmt.Fprintf(&b, "    - {name: %s, subnet: %s, trunk: %s, vlan: %d}\n", n.name, n.subnet, n.trunk, n.vlan)
			continue
		}
		fmt.Fprintf(&b, "    - {name: %s, subnet: %s}\n", n.name, n.subnet)
	}
	b.WriteString("  nodes:\n")
	for _, n := range nodes {
		for _, l := range strings.Split(strings.TrimRight(n, "\n"), "\n") {
			b.WriteString("  " + l + "\n")
		}
	}
	b.WriteString("router: |\n")
	for _, l := range strings.Split(strings.TrimRight(p.RSC, "\n"), "\n") {
		b.WriteString("  " + l + "\n")
	}
	for _, n := range p.blockNotes() {
		if !slices.Contains(p.Notes, n) {
			p.Notes = append(p.Notes, n)
		}
	}
	b.WriteString("steps:\n")
	p.steps(c, &b, "before", "")
	p.failoverSteps(c, &b, "before")
	if dynamic {
		b.WriteString("  - action: renumber-wan\n")
		if renumberTo.IsValid() {
			fmt.Fprintf(&b, "    to: %s\n", renumberTo)
		}
		c.Steps = append(c.Steps, -1)
		// The public DNS's answers are the first address: the by-name
		// probes are not repeated after a renumbering.
		p.forwardSteps(c, &b, "renumbered", "10s")
	}
	lines, untried := p.labFix(fx)
	c.FixUntried = untried
	// A fix the lab router refuses whole is not tried: a phase "with the
	// fix" without it would show the export again under the fix's name.
	if len(lines) > 0 {
		b.WriteString("  - action: configure\n    rsc: |\n")
		for _, l := range lines {
			b.WriteString("      " + l + "\n")
		}
		c.Steps = append(c.Steps, -1)
		if bridged != nil && slices.Contains(lines, wanBridgeFix(bridged)) {
			// The port out of the bridge, its DHCP client leases at its
			// next try: the phase's probes of router.wan wait for the
			// address (not for an answer: a "!error" holds on any
			// result once the router has it). Not judged: it is no
			// path of the report's.
			b.WriteString("  - probe: ping\n    from: peer\n    to: router.wan\n    expect: {result: \"!error\", within: 60s}\n")
			c.Steps = append(c.Steps, -1)
		}
		within := ""
		for _, why := range fx.Why {
			if why == string(NameListNoDNS) {
				// The router's DNS gets its servers with the fix: an
				// address list of names fills at the next lookup (the
				// router retries a failed name within seconds).
				within = "10s"
			}
		}
		if l := p.fixNameList(fx); l != "" && within == "" {
			// The fix enables or adds a forward on a list of DNS
			// names (a disabled LAN copy on dst-address-list=WAN-IP):
			// after a renumbering the list holds the new address only
			// once the name follows it (IP Cloud's check, the TTL, the
			// router's next lookup), as in the renumbered phase.
			within = nameListSettle
			if dynamic {
				within = nameListFollow
			}
		}
		p.steps(c, &b, "fixed", within)
		// What the fix could break: a LAN's way out by the second WAN
		// (failoverfix.go).
		p.failoverSteps(c, &b, "fixed")
	}
	c.YAML = b.String()
	c.own = map[int]ownServers{}
	for i, fw := range p.Forwards {
		var o ownServers
		for _, a := range append([]netip.Addr{fw.ToAddr}, rangeRest(fw)...) {
			if n, ok := c.Servers[a]; ok {
				o.nodes = append(o.nodes, n)
			}
		}
		// Every forward is recorded, one without a lab server too: its
		// probes may be answered by another's (takenBy).
		o.line, o.proto, o.port = fw.Line, fw.Protocol, fw.DstPort
		if fw.cmd != nil {
			o.ports = fw.cmd.Value("dst-port")
		}
		c.own[i] = o
	}
	if !slices.ContainsFunc(c.Steps, func(s int) bool { return s >= 0 }) {
		// No forward the lab can reach and no segment to probe the
		// router from: a lab would prove nothing (and chrlab lab refuses
		// a case without steps). Actions alone are no probe: an access
		// point's bridge on a DHCP client booted a 50 s lab whose one
		// step renumbered its WAN, and the verdict said its services
		// were checked (realcheck21 D4).
		why := "see what was set aside"
		if !p.isGateway() {
			why = "the router translates nothing, so its services are not probed from the lab's internet either"
		}
		return nil, &probeNothing{fmt.Sprintf("the lab would probe nothing: no port forward reaches a server on a LAN segment the lab has, and no LAN segment is left to probe the router's services from (%s)", why), !p.isGateway()}
	}
	return c, nil
}

// steps writes the probes of one phase: the forwards, then the router's
// own services.
func (p *Plan) steps(c *Case, b *strings.Builder, phase, within string) {
	p.hotspotLoginSteps(c, b, phase)
	p.forwardSteps(c, b, phase, within)
	p.aliasSteps(c, b, phase)
	p.srcnatSteps(c, b, phase)
	p.lanOutSteps(c, b, phase)
	p.lanInternetSteps(c, b, phase)
	p.lanDNSSteps(c, b, phase)
	p.lanReachSteps(c, b, phase)
	// The router's services: WebFig from each LAN (is it hijacked by a
	// forward?), WinBox, SSH and WebFig from the internet (are they open?).
	www := 0 // WebFig's port, 0 when it is disabled
	for _, svc := range p.services() {
		if svc.name == "www" {
			www = svc.port
		}
	}
	for si, s := range p.Segments {
		// The segment's own client: segments on one bridge share its
		// interface, and the last one's client asked every address
		// (through its own gateway, which may be the one that is not
		// there).
		client := c.segClient[si]
		if client == "" {
			client = c.Clients[s.Interface]
		}
		if client == "" {
			continue
		}
		if www > 0 {
			p.add(c, b, Probe{Forward: -1, Path: "service:www@" + s.Interface, Phase: phase, From: client, To: fmt.Sprintf("%s:%d", s.Prefix.Addr(), www), Kind: "http"}, "")
		}
	}
	// A device that is no gateway to the internet (an access point, a
	// CAP: no source NAT, no forward) has its "WAN" on the LAN, where its
	// services belong: probed from the lab's internet, they read "open to
	// the internet" where offline, by the same rule, said nothing.
	gateway := p.isGateway()
	if !gateway && len(p.WANs) > 0 {
		note := fmt.Sprintf("the router translates nothing (no source NAT, no forward): %s faces a LAN, not the internet, as an access point's uplink does; its services there are not probed as open to the internet", p.WANs[0].Interface)
		if p.routedNetwork() {
			// The routed network's note says who is upstream: a
			// neighbour router, not an access point's LAN.
			note = fmt.Sprintf("the router translates nothing (no source NAT, no forward): %s faces the routed network's neighbours, not the internet; its services there are not probed as open to the internet", p.WANs[0].Interface)
		}
		if !slices.Contains(p.Notes, note) {
			p.Notes = append(p.Notes, note)
		}
	}
	// A WAN with no public address of its own (an ISP router in front,
	// CGNAT): router.wan is what the internet can address, the upstream's
	// public address, so the probes would test that router, not this one
	// (realcheck18 D11: "unreachable", then "filtered" with no firewall
	// at all). Said, not probed.
	behind := gateway && len(p.WANs) > 0 && p.WANs[0].Behind() != ""
	if behind {
		note := fmt.Sprintf("the router's services on %s (WinBox, SSH, WebFig, DNS) are not probed from the internet: %s has no public address (an ISP router or carrier-grade NAT in front holds it), so the internet reaches that router, not this one", p.WANs[0].Interface, p.WANs[0].Interface)
		if !slices.Contains(p.Notes, note) {
			p.Notes = append(p.Notes, note)
		}
	}
	for _, svc := range p.services() {
		if !gateway || behind {
			break
		}
		port := struct {
			name string
			n    int
		}{svc.name, svc.port}
		wanted := false
		if p.forwardedOnWAN(port.n) {
			// What answers there is the forward's server, not the
			// router's service (its probes above say how it fares),
			// unless the input chain opens the port for the router's
			// own service: then the user wants the router there.
			if _, r := p.takenService(port.n); r == nil {
				continue
			}
			wanted = true
		}
		p.add(c, b, Probe{Forward: -1, Path: "service:" + port.name + "@wan", Phase: phase, From: "peer", To: fmt.Sprintf("router.wan:%d", port.n), Kind: "port", Wanted: wanted}, "")
		if wanted {
			// A handshake cannot tell the router's service from the
			// forward's server: a whoami exchange tells who took it.
			p.add(c, b, Probe{Forward: -1, Path: "service:" + port.name + "@wan", Phase: phase, From: "peer", To: fmt.Sprintf("router.wan:%d", port.n), Kind: "tcp", Wanted: true}, "")
		}
	}
	// A dst-nat to one of the router's own services (WinBox from outside
	// on 18291): the router should answer there.
	for _, fw := range p.ToRouter {
		if !slices.Contains(p.wansOf(fw), 0) {
			continue
		}
		if behind := p.WANs[0].Behind(); behind != "" {
			// router.wan is a private or shared address the lab's
			// internet has no route to (a 7.15 router behind its ISP's
			// edge router): the probe was "unreachable" whatever the
			// router's rules, and its warning blamed the input chain.
			w := p.WANs[0]
			a := w.Address.Addr()
			if behind == "cpe" && w.Private.IsValid() {
				a = w.Private
			}
			holder := map[string]string{"cpe": "an ISP router in front holds the public address", "cgnat": "the ISP's carrier-grade NAT holds the public address"}[behind]
			note := fmt.Sprintf("line %d forwards tcp/%d to the router's own %s:%d, but the WAN %s has %s, which the internet cannot address (%s): only a forward on the router in front reaches it; not probed from the internet", fw.Line, fw.DstPort, fw.ToAddr, fw.ToPort, w.Interface, a, holder)
			if !slices.Contains(p.Notes, note) {
				p.Notes = append(p.Notes, note)
			}
			continue
		}
		p.add(c, b, Probe{Forward: -1, Path: p.toRouterPath(fw), Phase: phase, From: "peer", To: fmt.Sprintf("router.wan:%d", fw.DstPort), Kind: "port", Wanted: true}, "")
	}
	// A router that answers its LAN's DNS queries (allow-remote-requests)
	// answers the internet's too unless the input chain drops them: an
	// open resolver. Any answer, even "no such name", says it is open.
	if gateway && !behind && (p.routerResolves() || phase == "fixed" && p.fixResolves) && !p.forwardsPort(53, "udp") {
		p.add(c, b, Probe{Forward: -1, Path: "service:dns@wan", Phase: phase, From: "peer", To: "router.wan:53", Kind: "dns", Name: openResolverName}, "")
	}
}

// openResolverName is what the internet's peer asks the router's DNS: a
// name of the reserved .example domain (RFC 2606), so that an open
// resolver answers at least "no such name".
const openResolverName = "open-resolver-check.example"

// forwardsPort reports whether a forward takes the port of proto on a WAN
// (then what answers there is its server, not the router): its dst-port
// names it, or it has none (a "DMZ" rule forwards every port; the import
// gives it a port to probe, so the rule's own dst-port is read).
func (p *Plan) forwardsPort(port int, proto string) bool {
	for _, fw := range p.Forwards {
		pr := fw.Protocol
		if fw.cmd != nil {
			pr = fw.cmd.Value("protocol") // the import gives a DMZ rule tcp to probe
		}
		if pr != "" && pr != proto && !(proto == "udp" && pr == "17") && !(proto == "tcp" && pr == "6") {
			continue
		}
		if fw.cmd == nil {
			if fw.DstPort == port || fw.DstPort == 0 {
				return true
			}
			continue
		}
		v, neg := negated(fw.cmd.Value("dst-port"))
		if v == "" || inPorts(v, port) != neg {
			return true
		}
	}
	return false
}

// forwardedOnWAN reports whether a TCP forward of the first WAN takes the
// port: its dst-port names it (80, 80,443, 8000-8100) or it has none.
func (p *Plan) forwardedOnWAN(port int) bool { return p.forwardTaking(port) >= 0 }

// forwardTaking returns the first TCP forward of the first WAN's own
// address whose dst-port names port or that has none, -1 when none does.
func (p *Plan) forwardTaking(port int) int {
	for i, fw := range p.Forwards {
		if fw.Protocol != "tcp" && fw.Protocol != "6" || !slices.Contains(p.wansOf(fw), 0) {
			continue
		}
		if _, ok := p.extraAddr(p.WANs[0], fw); ok {
			continue // another address of the WAN
		}
		if a, err := netip.ParseAddr(fw.cmd.Value("dst-address")); err == nil && a != p.WANAddr(p.WANs[0], fw) {
			// An address that is not the WAN's (a 1:1 NAT's of a routed
			// block): the WAN's own ports stay the router's.
			continue
		}
		spec := matchedPorts(fw.cmd)
		switch {
		case spec == "":
			return i
		case strings.HasPrefix(spec, "!"):
			if !inIDs(strings.TrimPrefix(spec, "!"), port) {
				return i
			}
		case inIDs(spec, port):
			return i
		}
	}
	return -1
}

func (p *Plan) forwardSteps(c *Case, b *strings.Builder, phase, within string) {
	// A path the export's rules break for certain is tried once: waiting
	// for it to come back after a renumbering only makes the run longer.
	found, exps := p.Diagnose()
	gap := p.hairpinGapForwards(found)
	broken := map[string]bool{}
	for _, e := range exps {
		if !e.Works && !e.Might {
			broken[fmt.Sprint(e.Forward, e.Path)] = true
		}
	}
	named := p.nameListForwards() // once: the check below runs per path
	wait := func(i int, path string) string {
		if broken[fmt.Sprint(i, path)] && phase != "fixed" {
			return ""
		}
		if within == "" && phase == "before" && onNameList(p.Forwards[i], named) {
			// The rule, or another on the same port (a LAN copy of
			// it), matches a list of DNS names (an IP Cloud name, a
			// dynamic DNS name): it has no entry until the router has
			// resolved them, and the lab's IP Cloud publishes the
			// address only at its first check. The path is judged once
			// the router had the time a running one has had.
			return nameListSettle
		}
		if phase == "renumbered" && onNameList(p.Forwards[i], named) {
			// The list follows the new address at IP Cloud's next
			// check, the record's TTL and the router's next lookup.
			return nameListFollow
		}
		return within
	}
	for i, fw := range p.Forwards {
		if _, ok := c.Servers[fw.ToAddr]; !ok {
			continue
		}
		kind := "tcp"
		if fw.Protocol == "udp" || fw.Protocol == "17" {
			kind = "udp"
		}
		byDesign := fw.Sources != ""
		for _, wi := range p.internetWANs(fw) {
			p.add(c, b, Probe{Forward: i, Path: "internet", Phase: phase, From: "peer", To: fmt.Sprintf("%s:%d", p.forwardTarget(wi, fw, true), fw.DstPort), Kind: kind,
				NoPublic: p.WANs[wi].Behind() != "", ByDesign: byDesign || fw.AllowList != ""}, wait(i, "internet"))
		}
		for _, s := range p.Segments {
			client := c.Clients[s.Interface]
			if client == "" {
				continue
			}
			byDesign := byDesign && !slices.Contains(fw.SourcesLAN, s.Interface)
			hk := kind
			if kind == "tcp" && fw.ToPort == 80 && p.serviceName(fw.DstPort) == "www" {
				// A forward of the router's own web port: a LAN client
				// the dst-nat misses gets the router's WebFig, which a
				// browser shows and an HTTP probe names (a whoami
				// exchange would only time out).
				hk = "http"
			}
			p.add(c, b, Probe{Forward: i, Path: "hairpin:" + s.Interface, Phase: phase, From: client, To: fmt.Sprintf("%s:%d", p.forwardTarget(p.hairpinWAN(fw), fw, false), fw.DstPort), Kind: hk, ByDesign: byDesign, Gap: gap[i]}, wait(i, "hairpin:"+s.Interface))
			// The same through the name, resolved as a LAN client does:
			// by the router when it answers the LAN, by the public DNS
			// otherwise; then a TCP connection, or for a UDP forward a
			// datagram exchange, with the answer at the forward's port.
			if name, direct := p.byNameTarget(fw); name != "" && phase != "renumbered" && !(direct && p.directDrop(fw, s) != nil) {
				// (A name that leads to the server on another segment
				// the forward chain drops is not probed: the export
				// keeps the segments apart, and the probe waited out.)
				resolver := "dns:53"
				if p.routerResolves() {
					resolver = fmt.Sprintf("%s:53", s.Prefix.Addr())
				}
				w := wait(i, "byname:"+s.Interface)
				if phase == "fixed" && p.followsWAN() {
					// After a renumbering the name takes IP Cloud's next
					// check, the record's TTL and the router's cache to
					// follow.
					w = "30s"
				}
				pr := Probe{Forward: i, Path: "byname:" + s.Interface, Phase: phase, From: client, To: resolver, Kind: "resolve-then-connect", Name: name, Port: fw.DstPort, ByDesign: byDesign, Gap: gap[i]}
				if kind == "udp" {
					pr.Connect = "udp"
				}
				// A public name on a WAN behind CGNAT or an ISP router
				// leads to the ISP's address, which forwards nothing here.
				pr.NoPublic = !direct && len(p.WANs) > 0 && p.WANs[0].Behind() != ""
				p.add(c, b, pr, w)
			}
		}
	}
}

// nameListForwards are the forwards whose rule matches a list of DNS
// names (nameOnlyList).
func (p *Plan) nameListForwards() []Forward {
	var out []Forward
	for _, o := range p.Forwards {
		if p.nameOnlyList(o) != "" {
			out = append(out, o)
		}
	}
	return out
}

// onNameList reports whether fw or another forward of the same port and
// protocol is one of named (nameListForwards).
func onNameList(fw Forward, named []Forward) bool {
	for _, o := range named {
		if o.DstPort == fw.DstPort && (o.Protocol == fw.Protocol || o.Protocol == "" || fw.Protocol == "") {
			return true
		}
	}
	return false
}

// fixNameList returns the first list of DNS names (nameOnly) a line of
// the fix matches with dst-address-list=, "" when none does.
func (p *Plan) fixNameList(fx Fix) string {
	for _, l := range fx.Lines {
		for _, f := range strings.Fields(l) {
			if v, ok := strings.CutPrefix(f, "dst-address-list="); ok {
				if n := p.nameOnly(strings.Trim(v, `"`)); n != "" {
					return n
				}
			}
		}
	}
	return ""
}

// nameListSettle is how long a forward on a list of DNS names may take to
// work after the configuration is applied: the lab's IP Cloud check (5 s),
// its record's TTL (10 s) and the router's next lookup.
const nameListSettle = "20s"

// nameListFollow is how long such a forward may take to follow a
// renumbered WAN: the same, from a record that may have just been cached.
const nameListFollow = "30s"

func (p *Plan) add(c *Case, b *strings.Builder, pr Probe, within string) {
	fmt.Fprintf(b, "  - probe: %s\n    from: %s\n    to: %s\n", pr.Kind, pr.From, pr.To)
	switch {
	case pr.Kind == "dns":
		fmt.Fprintf(b, "    name: %s\n", pr.Name)
	case pr.Name != "":
		fmt.Fprintf(b, "    name: %s\n    port: %d\n", pr.Name, pr.Port)
	}
	if pr.Connect != "" {
		fmt.Fprintf(b, "    connect: %s\n", pr.Connect)
	}
	if pr.HTTPPath != "" {
		fmt.Fprintf(b, "    path: %s\n", pr.HTTPPath)
	}
	if within != "" {
		fmt.Fprintf(b, "    expect: {result: ok, within: %s}\n", within)
	}
	c.Steps = append(c.Steps, len(c.Probes))
	c.Probes = append(c.Probes, pr)
}

// zeroNet is "this network" (RFC 1122), which Linux gives no link route.
var zeroNet = netip.MustParsePrefix("0.0.0.0/8")

// covering is the narrowest prefix holding sub and a.
func covering(sub netip.Prefix, a netip.Addr) netip.Prefix {
	for bits := sub.Bits(); bits > 0; bits-- {
		if c := netip.PrefixFrom(sub.Addr(), bits).Masked(); c.Contains(a) {
			return c
		}
	}
	return netip.PrefixFrom(a, 0).Masked()
}

// otherHost is an address of sub for the router's neighbour: .1, or .2
// when the router has .1.
func otherHost(sub netip.Prefix, router netip.Addr) netip.Addr {
	a := sub.Masked().Addr().Next()
	if a == router {
		a = a.Next()
	}
	return a
}

// sparePools are where the lab finds a /24 for a wire the export does not
// address, in order of preference.
var sparePools = []netip.Prefix{
	netip.MustParsePrefix("172.31.0.0/16"),
	netip.MustParsePrefix("10.254.0.0/16"),
	netip.MustParsePrefix("192.168.0.0/16"),
}

// subnets24 yields the /24s of an IPv4 pool of /24 or wider, in order.
func subnets24(pool netip.Prefix) func(yield func(netip.Prefix) bool) {
	return func(yield func(netip.Prefix) bool) {
		a := pool.Masked().Addr().As4()
		for n := 0; n < 1<<(24-pool.Bits()); n++ {
			b := a
			b[1] += byte(n >> 8)
			b[2] += byte(n)
			if !yield(netip.PrefixFrom(netip.AddrFrom4(b), 24)) {
				return
			}
		}
	}
}

func joinPrefixes(ps []netip.Prefix) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, ", ")
}

// labPassword is what the lab's PPPoE ISP and the router use when the
// export hides the client's password (RouterOS 7 exports do).
const labPassword = "chrlab"

// pppoeClient returns the user and password of the PPPoE client named
// iface, giving the client the lab's password in the lab-ready
// configuration when the export hides it, and the client's allow= (what
// the lab's ISP must ask for: a client with allow=chap,mschap2 never
// answers the lab ISP's default PAP, and its session never came up), ""
// when not set.
func (p *Plan) pppoeClient(iface string) (user, password, allow string) {
	if c := p.pppoeClientLine(iface); c != nil {
		user, password = c.Value("user"), c.Value("password")
		if user == "" {
			user = "chrlab"
			c.Set("user", user)
		}
		if password == "" {
			password = labPassword
			c.Set("password", password)
			p.Notes = append(p.Notes, fmt.Sprintf("line %d: the export hides the PPPoE password; the lab uses %q on both ends", c.Line, labPassword))
		}
		p.render(p.export, p.keeper(p.export))
		return user, password, c.Value("allow")
	}
	return "chrlab", labPassword, ""
}

// pppoeClientLine is the export's /interface pppoe-client add line of the
// client named iface, nil when there is none.
func (p *Plan) pppoeClientLine(iface string) *export.Command {
	for _, c := range p.export.Commands {
		if c.MenuPath() != "interface pppoe-client" || c.Verb != "add" {
			continue
		}
		if name := cmp.Or(c.Value("name"), "pppoe-out1"); name == iface {
			return c
		}
	}
	return nil
}

// cpeDHCP is the YAML that makes the ISP router in front of a DHCP WAN
// lease the router its address, as the user's ISP box does.
func (p *Plan) cpeDHCP(w WAN, sub netip.Prefix, router, gateway netip.Addr) string {
	if w.Kind != "dhcp" {
		return ""
	}
	return fmt.Sprintf("    serve: [dhcp]\n    args: [--dhcp-subnet, %s, --dhcp-offer, %s, --dhcp-lease, 10s, --dhcp-router, %s, --dhcp-dns, %s]\n", sub, router, gateway, p.publicDNS())
}

// widerOnSameWire returns the prefix of another segment on the same
// interface, with a lab port, whose subnet holds segment si's and is
// wider: si's hosts are on that segment's wire (a bridge is one wire
// whichever of its ports the import gave each address) and subnet.
func (p *Plan) widerOnSameWire(si int) (netip.Prefix, bool) {
	s := p.Segments[si]
	for sj, o := range p.Segments {
		if sj != si && o.Interface == s.Interface && o.Port != "" && o.Tagged == s.Tagged && o.VLAN == s.VLAN &&
			o.Prefix.Bits() < s.Prefix.Bits() && o.Prefix.Masked().Contains(s.Prefix.Addr()) {
			return o.Prefix, true
		}
	}
	return netip.Prefix{}, false
}

// staticOnWAN returns the IPv4 addresses the export puts on WAN w's own
// interface (a second public address on pppoe-out1), in export order.
func (p *Plan) staticOnWAN(w WAN) []netip.Addr {
	var out []netip.Addr
	keep := p.keeper(p.export)
	for _, c := range p.export.Commands {
		if c.MenuPath() != "ip address" || c.Verb != "add" || !keep(c) || !enabled(c) || c.Value("interface") != w.Interface {
			continue
		}
		v, _, _ := strings.Cut(c.Value("address"), "/")
		if a, err := netip.ParseAddr(v); err == nil && a.Is4() && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// addressOnPort returns the enabled /ip address line on the port under
// WAN w when w is another interface over it (a PPPoE client), nil when
// there is none.
func (p *Plan) addressOnPort(w WAN) *export.Command {
	if w.Port == "" || w.Port == w.Interface {
		return nil
	}
	keep := p.keeper(p.export)
	for _, c := range p.export.Commands {
		if c.MenuPath() == "ip address" && c.Verb == "add" && keep(c) && enabled(c) && c.Value("interface") == w.Port {
			return c
		}
	}
	return nil
}

// probeNothing is the error of a lab that would probe nothing. For a
// router that translates nothing (a switch whose management address has
// a default route, an access point) it is ErrNotARouter too: there is
// nothing a router between a LAN and the internet has to prove, so a lab
// run ends as --offline does (exit 0 when nothing is found), not as a lab
// that could not run (exit 3, docs/check-report.md "Exit codes"). A
// gateway whose forwards and segments were all set aside is no such
// router: its lab could not run.
type probeNothing struct {
	text      string
	notRouter bool
}

func (e *probeNothing) Error() string { return e.text }

func (e *probeNothing) Is(target error) bool { return e.notRouter && target == ErrNotARouter }
