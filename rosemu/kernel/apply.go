package kernel

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sort"
	"strings"
	"syscall"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// routeProto marks the routes Apply owns ("proto static" in ip route), so
// that syncing never touches connected routes or routes of other programs.
const routeProto = netlink.RouteProtocol(unix.RTPROT_STATIC)

// emptyRuleset removes rosemu's table and nothing else.
var emptyRuleset = fmt.Sprintf("table ip %s {}\ndelete table ip %s\n", TableName, TableName)

// Apply brings the data plane to st: the firewall through one atomic
// `nft -f`, then addresses and routes through netlink. On failure it undoes
// what it changed, restores the previous firewall, and returns an error that
// names the step that failed. A route whose gateway is not reachable is not
// an error: RouterOS keeps such a route inactive, and InactiveRoutes lists
// it; the next Apply tries it again.
func (d *Dataplane) Apply(st *State) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.applyLocked(st)
}

// applyLocked is Apply for a caller that holds d.mu (the gateway checker).
func (d *Dataplane) applyLocked(st *State) error {
	dyn := d.liveDynEntries()
	live := dynListNames(dyn)
	dyn6 := d.liveDynEntries6()
	if len(st.Helpers) > 0 || d.logGroup != st.LogGroup || len(live) > 0 || len(dyn6) > 0 {
		cp := *st
		cp.Helpers = d.availableHelpers(st.Helpers)
		cp.LogGroup = d.logGroup
		cp.LiveDynLists = live
		if st.IPv6 != nil {
			v6 := *st.IPv6
			v6.LogGroup = d.logGroup
			v6.LiveDynLists = dynListNames(dyn6)
			cp.IPv6 = &v6
		}
		st = &cp
	}
	st = d.ipsecTunPresent(st)
	text, err := Render(st)
	if err != nil {
		return fmt.Errorf("apply state: %w", err)
	}
	prev := d.applied
	text6, err := Render6(st.IPv6, st.InterfaceLists)
	if err != nil {
		return fmt.Errorf("apply state: %w", err)
	}
	// A change that leaves the IPv4 firewall as it is (a virtual
	// router's state, an address, a route) keeps the loaded ruleset with
	// its counters, meters and dynamic entries, and runs no nft: a router
	// with twenty virtual routers commits once per change of state.
	if text != prev || prev == "" {
		// Rule counters survive the reload, as RouterOS keeps them
		// across configuration changes.
		loaded := d.keepCounters(text, dyn)
		// connection-limit and dst-limit keep their per-address state
		// too, and connection-rate its measured connections.
		var kept map[string]bool
		loaded, kept = keepMeters("ip", prev, text, loaded)
		if err := d.loadRuleset(loaded); err != nil {
			return fmt.Errorf("apply firewall: %w", err) // nft -f is atomic: nothing changed
		}
		d.dropBase(text)
		d.rateSetsLoaded(text, kept)
	}
	var undo []func() error
	loaded6 := false
	fail := func(err error) error {
		errs := []error{err}
		for i := len(undo) - 1; i >= 0; i-- {
			if uerr := undo[i](); uerr != nil {
				errs = append(errs, fmt.Errorf("roll back: %w", uerr))
			}
		}
		// Deleting a bridge or VLAN takes its addresses and routes along,
		// which the undo steps cannot give back: the previous interfaces,
		// addresses and routes are synced again as a whole (bridge.go).
		if rerr := d.restoreL2(prevL2(d.last, st)); rerr != nil {
			errs = append(errs, fmt.Errorf("roll back bridges and vlans: %w", rerr))
		} else if d.last != nil {
			errs = errs[:1]
		}
		restore := prev
		if restore == "" {
			restore = emptyRuleset
		}
		if rerr := d.loadRuleset(restore); rerr != nil {
			errs = append(errs, fmt.Errorf("roll back firewall: %w", rerr))
		} else {
			// The whole table was loaded again: its connection-rate
			// sets are new.
			d.rateSetsLoaded(prev, nil)
		}
		if loaded6 {
			restore6 := d.applied6
			if restore6 == "" {
				restore6, _ = Render6(nil, nil)
			}
			if rerr := d.loadRuleset(restore6); rerr != nil {
				errs = append(errs, fmt.Errorf("roll back IPv6 firewall: %w", rerr))
			}
		}
		return errors.Join(errs...)
	}
	// The ip6 table is loaded only by a configuration with IPv6 and
	// removed when it loses it, so an IPv4 router (or a guest kernel
	// without IPv6 nftables) never needs it.
	if (st.IPv6 != nil || d.applied6 != "") && text6 != d.applied6 {
		// The IPv6 rules keep their counters across the reload too.
		// So do the addresses its rules added to address lists, and
		// the per-address state of connection-limit and dst-limit.
		loaded, _ := keepMeters("ip6", d.applied6, text6, d.keepCounters6(withDynEntries(text6, dyn6)))
		if err := d.loadRuleset(loaded); err != nil {
			return fail(fmt.Errorf("apply IPv6 firewall: %w", err))
		}
		d.dropBase(text6)
		loaded6 = true
	}
	if err := d.syncL2(snapshotL2(st)); err != nil {
		return fail(err)
	}
	if err := d.syncPorts(st, &undo); err != nil {
		return fail(err)
	}
	if err := d.syncIPSettings(st, &undo); err != nil {
		return fail(err)
	}
	if err := d.syncAddresses(st, &undo); err != nil {
		return fail(err)
	}
	if err := d.syncNeighbors(st, &undo); err != nil {
		return fail(err)
	}
	if err := d.syncPublished(st, &undo); err != nil {
		return fail(err)
	}
	prevPub := d.currentPubWant()
	undo = append(undo, func() error { return d.syncPubResponders(prevPub) })
	if err := d.syncPubResponders(onLinkPublished(st)); err != nil {
		return fail(err)
	}
	// The arp table is loaded only while some interface is
	// arp=reply-only, so a kernel without nftables' arp family is never
	// asked for it.
	textARP := RenderARP(st)
	if (len(replyOnly(st)) > 0 || d.appliedARP != "") && textARP != d.appliedARP {
		if err := d.loadRuleset(textARP); err != nil {
			return fail(fmt.Errorf("apply arp=reply-only: %w", err))
		}
		prevARP := d.appliedARP
		undo = append(undo, func() error {
			d.appliedARP = prevARP
			if prevARP == "" {
				return d.loadRuleset(RenderARP(&State{}))
			}
			return d.loadRuleset(prevARP)
		})
		d.appliedARP = ""
		if len(replyOnly(st)) > 0 {
			d.appliedARP = textARP
		}
	}
	if err := d.syncIPsecEgress(st); err != nil {
		return fail(fmt.Errorf("apply ipsec egress: %w", err))
	}
	// The bridge table, like the arp table, is loaded only while the
	// configuration has a horizon group or a bridge filter rule.
	textBr, err := RenderBridge(st)
	if err != nil {
		return fail(fmt.Errorf("apply bridge horizon and filter: %w", err))
	}
	if (bridgeTableNeeded(st) || d.appliedBr != "") && textBr != d.appliedBr {
		loadedBr := textBr
		if d.appliedBr != "" {
			// The bridge filter's counters survive the reload too.
			if raw, err := d.rawCountersBr(); err == nil {
				loadedBr = withCounters(textBr, d.shown(raw))
			}
		}
		if err := d.loadRuleset(loadedBr); err != nil {
			return fail(fmt.Errorf("apply bridge horizon and filter: %w", err))
		}
		d.dropBase(textBr)
		prevBr := d.appliedBr
		undo = append(undo, func() error {
			d.appliedBr = prevBr
			if prevBr == "" {
				return d.loadRuleset(fmt.Sprintf("table bridge %s {}\ndelete table bridge %s\n", BridgeTableName, BridgeTableName))
			}
			return d.loadRuleset(prevBr)
		})
		d.appliedBr = ""
		if bridgeTableNeeded(st) {
			d.appliedBr = textBr
		}
	}
	if err := d.flushLearned(st, d.last); err != nil {
		return fail(err)
	}
	inactive, err := d.syncRoutes(st, &undo)
	if err != nil {
		return fail(err)
	}
	if err := d.syncRules(st, &undo); err != nil {
		return fail(err)
	}
	if err := d.syncIPv6(st, &undo); err != nil {
		return fail(err)
	}
	if err := d.syncQueues(st); err != nil {
		return fail(err)
	}
	// Last, since it cannot fail the Apply: a kernel without timeout
	// policies keeps its own and says so.
	d.syncTracking(st)
	d.applied, d.inactive, d.last = text, inactive, st
	d.applied6 = ""
	if st.IPv6 != nil {
		d.applied6 = text6
	}
	// Read once here, not by the firewall log's lookup on every packet.
	d.untracks = false
	for _, t := range []string{d.applied, d.applied6, d.appliedCT} {
		d.untracks = d.untracks || strings.Contains(t, "notrack")
	}
	d.watchGateways(st)
	return nil
}

// InactiveRoutes returns the routes of the last Apply that the kernel
// refused because their gateway is not reachable, and the installed ones
// whose next hops' links have no carrier.
func (d *Dataplane) InactiveRoutes() []Route {
	d.mu.Lock()
	defer d.mu.Unlock()
	// And those whose link lost carrier since: a script's "is the main
	// route active" read true after the cable was pulled, and never
	// switched.
	return append(append([]Route(nil), d.inactive...), d.linkDownRoutes()...)
}

// loadRuleset feeds text to `nft -f -` inside the router namespace; nft
// applies a file as one transaction, so the table is replaced atomically.
func (d *Dataplane) loadRuleset(text string) error {
	if _, err := run(d.ns, text, d.nft, "-f", "-"); err != nil {
		return fmt.Errorf("load table ip %s with nft: %w", TableName, err)
	}
	return nil
}

// Ruleset returns the live table as nft prints it, counters included.
func (d *Dataplane) Ruleset() (string, error) {
	out, err := run(d.ns, "", d.nft, "list", "table", "ip", TableName)
	if err != nil {
		return "", fmt.Errorf("list table ip %s: %w", TableName, err)
	}
	return out, nil
}

// syncAddresses makes the IPv4 addresses of the ports and of every
// interface named in st.Addresses exactly those of st. Removals go first so
// that an address can move between interfaces.
func (d *Dataplane) syncAddresses(st *State, undo *[]func() error) error {
	want, names, err := addressPlan(st, st.Addresses, netip.Addr.Is4, "only IPv4 is modelled")
	if err != nil {
		return err
	}
	// lo's 127.0.0.1 stays, and lo is synced also when the configuration
	// gives it no address (any more).
	if want[loopback] == nil {
		want[loopback] = map[netip.Prefix]bool{netip.MustParsePrefix("127.0.0.1/8"): true}
		names = append(names, loopback)
	}
	// The point-to-point peers the addresses must have: an address whose
	// peer changed (or that gained or lost one) is removed and added
	// again, as its prefix alone does not tell them apart.
	peers := map[string]map[netip.Prefix]netip.Addr{}
	for _, a := range st.Addresses {
		if a.Peer.IsValid() && a.Peer.Is4() {
			if peers[a.Interface] == nil {
				peers[a.Interface] = map[netip.Prefix]netip.Addr{}
			}
			peers[a.Interface][a.Prefix] = a.Peer
		}
	}
	// An address of a VRF's interface has its connected route in the
	// VRF's table, not main's (vrfConnected): one that joined or left a
	// VRF is added again with or without the kernel's prefix route.
	inVRF := map[string]map[netip.Prefix]bool{}
	for _, a := range st.Addresses {
		if a.VRF != "" {
			if inVRF[a.Interface] == nil {
				inVRF[a.Interface] = map[netip.Prefix]bool{}
			}
			inVRF[a.Interface][a.Prefix] = true
		}
	}
	links := map[string]netlink.Link{}
	have := map[string]map[netip.Prefix]netlink.Addr{}
	for _, n := range names {
		l, err := d.nl.LinkByName(LinkName(n))
		if err != nil {
			return fmt.Errorf("sync addresses of interface %s: find it in the router namespace: %w", n, err)
		}
		links[n] = l
		addrs, err := d.nl.AddrList(l, netlink.FAMILY_V4)
		if err != nil {
			return fmt.Errorf("sync addresses of interface %s: list them: %w", n, err)
		}
		have[n] = map[netip.Prefix]netlink.Addr{}
		for _, a := range addrs {
			if p, ok := ipnetPrefix(a.IPNet); ok {
				have[n][p] = a
			}
		}
	}
	for _, n := range names {
		l := links[n]
		for _, p := range sortedPrefixes(have[n]) {
			a := have[n][p]
			if want[n][p] && addrPeer(a) == peers[n][p] && (a.Flags&unix.IFA_F_NOPREFIXROUTE != 0) == inVRF[n][p] {
				continue
			}
			if err := d.nl.AddrDel(l, &a); err != nil {
				return fmt.Errorf("remove address %s from interface %s: %w", p, n, err)
			}
			delete(have[n], p)
			*undo = append(*undo, func() error {
				a := netlink.Addr{IPNet: a.IPNet, Broadcast: a.Broadcast, Peer: a.Peer}
				return d.nl.AddrAdd(l, &a)
			})
		}
	}
	for _, n := range names {
		l := links[n]
		var add []netip.Prefix
		for p := range want[n] {
			if _, ok := have[n][p]; !ok {
				add = append(add, p)
			}
		}
		sort.Slice(add, func(i, j int) bool { return add[i].String() < add[j].String() })
		for _, p := range add {
			// A nil broadcast makes netlink compute it, so the subnet's
			// broadcast address is of type broadcast as on RouterOS.
			a := &netlink.Addr{IPNet: prefixIPNet(p)}
			if peer := peers[n][p]; peer.IsValid() {
				// ip addr add 1.1.1.1 peer 2.2.2.2/32: the kernel adds
				// the link route to the peer, which the default route
				// by it needs (without it the route is refused as
				// unreachable and the WAN carries nothing).
				a.Peer = prefixIPNet(netip.PrefixFrom(peer, 32))
			}
			if inVRF[n][p] {
				a.Flags = unix.IFA_F_NOPREFIXROUTE
			}
			if err := d.nl.AddrAdd(l, a); err != nil {
				return fmt.Errorf("add address %s to interface %s: %w", p, n, err)
			}
			*undo = append(*undo, func() error { return d.nl.AddrDel(l, &netlink.Addr{IPNet: prefixIPNet(p)}) })
		}
	}
	return nil
}

// addrPeer is the point-to-point peer of a kernel address, invalid for
// an ordinary one (the kernel reports its own address as IFA_ADDRESS).
func addrPeer(a netlink.Addr) netip.Addr {
	if a.Peer == nil || a.IPNet == nil || a.Peer.IP.Equal(a.IPNet.IP) {
		return netip.Addr{}
	}
	p, ok := netip.AddrFromSlice(a.Peer.IP.To4())
	if !ok {
		return netip.Addr{}
	}
	return p
}

// loopback is the namespace's loopback link, RouterOS 7's lo.
const loopback = "lo"

// addressPlan maps every link of st (ports, bridges, VLANs, TUN links)
// and every interface addrs names to the prefixes it must have, and lists
// those interfaces in order; an address of the other family is an error
// (why says so).
func addressPlan(st *State, addrs []Address, family func(netip.Addr) bool, why string) (map[string]map[netip.Prefix]bool, []string, error) {
	want := map[string]map[netip.Prefix]bool{}
	for _, p := range st.l2Names() {
		want[p] = map[netip.Prefix]bool{}
	}
	for _, a := range addrs {
		if !family(a.Prefix.Addr()) {
			return nil, nil, fmt.Errorf("sync address %s on %s: %s", a.Prefix, a.Interface, why)
		}
		if want[a.Interface] == nil {
			want[a.Interface] = map[netip.Prefix]bool{}
		}
		want[a.Interface][a.Prefix] = true
	}
	// RouterOS 7's loopback interface lo is the namespace's own: the
	// addresses a configuration gives it (an OSPF or BGP router id) go
	// there beside the loopback address, which stays.
	if want[loopback] != nil {
		lo := netip.MustParsePrefix("127.0.0.1/8")
		if family(netip.IPv6Loopback()) {
			lo = netip.MustParsePrefix("::1/128")
		}
		want[loopback][lo] = true
	}
	names := make([]string, 0, len(want))
	for n := range want {
		names = append(names, n)
	}
	sort.Strings(names)
	return want, names, nil
}

// routeKey identifies a route for syncing: destination, gateway or
// interface, and metric.
func routeKey(dst string, gw string, link int, metric int, table int, typ int, src string) string {
	if typ == unix.RTN_UNSPEC {
		typ = unix.RTN_UNICAST
	}
	return fmt.Sprintf("%s via %s dev %d metric %d table %d type %d src %s", dst, gw, link, metric, table, typ, src)
}

// syncRoutes makes rosemu's routes in the main table exactly those of st.
// RouterOS distance becomes the kernel metric, so a lower distance wins as
// it does on RouterOS.
func (d *Dataplane) syncRoutes(st *State, undo *[]func() error) ([]Route, error) {
	wanted := map[string]wantRoute{}
	var order []string
	var inactiveDown []Route // gateways that failed check-gateway
	groups := map[string]*hopGroup{}
	var gorder []string
	ids := tableIDs(st)
	noFIB := map[string]bool{}
	for _, t := range st.RoutingTables {
		noFIB[t.Name] = t.NoFIB
	}
	local := st.localAddrs()
	for _, ro := range append(vrfConnected(st), st.Routes...) {
		if !ro.Dst.Addr().Is4() {
			return nil, fmt.Errorf("sync route %s: only IPv4 is modelled", ro.Dst)
		}
		table, ok := ids[ro.Table]
		if !ok {
			return nil, fmt.Errorf("sync route %s: routing table %s does not exist", ro.Dst, ro.Table)
		}
		if ro.VRF != "" {
			return nil, fmt.Errorf("sync route %s: vrf-interface=%s is not supported by rosemu (VRFs are not modelled)", ro.Dst, ro.VRF)
		}
		switch ro.CheckGateway {
		case "", "ping", "arp":
		default:
			return nil, fmt.Errorf("sync route %s: check-gateway=%s is not supported by rosemu (ping and arp are)", ro.Dst, ro.CheckGateway)
		}
		if d.gatewayDown(ro) || noFIB[ro.Table] {
			inactiveDown = append(inactiveDown, ro)
			continue
		}
		r := netlink.Route{Dst: prefixIPNet(ro.Dst.Masked()), Priority: ro.Distance, Protocol: routeProto, Table: table}
		srcText := ""
		if ro.PrefSrc.IsValid() && !local[ro.PrefSrc] {
			// A pref-src that is none of the router's addresses (a
			// typo, a DHCP WAN address that changed or has not come
			// yet): Linux refuses it as a source hint. RouterOS keeps
			// the configuration: 6 leaves the route inactive, 7
			// installs it [verify]. It is checked again on every
			// apply, so the route takes its source once the address
			// is there (a DHCP lease bound later).
			if st.PrefSrcInactive {
				inactiveDown = append(inactiveDown, ro)
				continue
			}
		} else if ro.PrefSrc.IsValid() {
			r.Src = net.IP(ro.PrefSrc.AsSlice())
			srcText = ro.PrefSrc.String()
		}
		var hops []*netlink.NexthopInfo
		if typ, ok := routeTypes[ro.Type]; ok && typ != unix.RTN_UNICAST {
			r.Type = typ
		} else {
			for _, g := range routeGateways(ro.Gateway) {
				if d.hopDown(ro, g) {
					continue // check-gateway left this next hop out
				}
				if d.gatewayUnreachable(st, ro, g) {
					// RouterOS leaves it out of the set; the kernel would
					// refuse the whole multipath route for it.
					continue
				}
				h, err := d.routeHop(st, ro, g)
				if err != nil {
					return nil, err
				}
				if h != nil {
					hops = append(hops, h)
				}
			}
			if len(hops) == 0 {
				// An interface that is not up yet (a PPPoE client still
				// dialling, a tunnel): RouterOS keeps the route, inactive,
				// until the interface is running; the commit that records
				// the session finds the link and installs it. Likewise a
				// route whose gateways are all unreachable: kept out of the
				// groups below, it cannot take a reachable route of the
				// same distance down with it.
				inactiveDown = append(inactiveDown, ro)
				continue
			}
		}
		// Routes of one destination, table and distance share a key
		// without their gateways: RouterOS 7 balances over them as over
		// one route's several gateways, so their next hops join (on
		// RouterOS 6, NoECMPTies, the first stays and the others are
		// kept inactive, as the kernel would refuse them).
		gk := routeKey(ro.Dst.Masked().String(), "", 0, ro.Distance, table, int(r.Type), srcText)
		if g, ok := groups[gk]; ok && len(hops) > 0 && len(g.hops) > 0 && !st.NoECMPTies {
			g.hops = append(g.hops, hops...)
			g.ros = append(g.ros, ro)
			continue
		}
		if _, dup := groups[gk]; dup {
			inactiveDown = append(inactiveDown, ro) // the kernel has no room for it
			continue
		}
		groups[gk] = &hopGroup{r: r, ro: ro, ros: []Route{ro}, hops: hops}
		gorder = append(gorder, gk)
	}
	for _, gk := range gorder {
		g := groups[gk]
		r := g.r
		hops := uniqueHops(g.hops)
		if len(hops) == 1 {
			r.Gw, r.LinkIndex, r.Flags = hops[0].Gw, hops[0].LinkIndex, hops[0].Flags
			if r.Gw == nil {
				r.Scope = netlink.SCOPE_LINK
			}
		} else if len(hops) > 1 {
			r.MultiPath = hops
		}
		src := ""
		if r.Src != nil {
			src = r.Src.String()
		}
		k := routeKey(ro4Dst(r), hopsText(hops), hopsLink(hops), r.Priority, r.Table, int(r.Type), src)
		if _, dup := wanted[k]; !dup {
			order = append(order, k)
		}
		wanted[k] = wantRoute{r: r, ro: g.ro, ros: g.ros}
	}
	inactive, err := d.reconcileRoutes(netlink.FAMILY_V4, wanted, order, v4Key, undo)
	// What each installed route stands for, so that InactiveRoutes can
	// name the routes whose next hop's link lost carrier since.
	d.installed = map[string][]Route{}
	for k, w := range wanted {
		if w.ros != nil {
			d.installed[k] = w.ros
		} else {
			d.installed[k] = []Route{w.ro}
		}
	}
	return append(inactiveDown, inactive...), err
}

// localAddrs are the router's IPv4 addresses in st, the preferred
// sources a route may name (Linux wants a local address; the loopback's
// 127.0.0.1 is always one).
func (st *State) localAddrs() map[netip.Addr]bool {
	m := map[netip.Addr]bool{netip.AddrFrom4([4]byte{127, 0, 0, 1}): true}
	for _, a := range st.Addresses {
		m[a.Prefix.Addr()] = true
	}
	return m
}

// v4Key is an IPv4 kernel route's routeKey.
func v4Key(r netlink.Route) string {
	hops := r.MultiPath
	if len(hops) == 0 {
		hops = []*netlink.NexthopInfo{{Gw: r.Gw, LinkIndex: r.LinkIndex}}
	}
	src := ""
	if r.Src != nil {
		src = r.Src.String()
	}
	return routeKey(ro4Dst(r), hopsText(hops), hopsLink(hops), r.Priority, r.Table, r.Type, src)
}

// linkDownRoutes are the installed routes every next hop of which is on a
// link without carrier (the kernel's RTNH_F_LINKDOWN): with
// ignore_routes_with_linkdown the kernel passes them over, as RouterOS
// makes them inactive when the port loses its link. The caller holds d.mu.
func (d *Dataplane) linkDownRoutes() []Route {
	if len(d.installed) == 0 || d.nl == nil {
		return nil
	}
	current, err := d.nl.RouteListFiltered(netlink.FAMILY_V4,
		&netlink.Route{Table: unix.RT_TABLE_UNSPEC, Protocol: routeProto},
		netlink.RT_FILTER_TABLE|netlink.RT_FILTER_PROTOCOL)
	if err != nil {
		return nil
	}
	var out []Route
	for _, r := range current {
		down := r.Flags&unix.RTNH_F_LINKDOWN != 0
		if len(r.MultiPath) > 0 {
			down = true
			for _, h := range r.MultiPath {
				down = down && h.Flags&unix.RTNH_F_LINKDOWN != 0
			}
		}
		if down {
			out = append(out, d.installed[v4Key(r)]...)
		}
	}
	return out
}

// hopGroup is one kernel route being built: the routes of one destination,
// table and distance, and their next hops.
type hopGroup struct {
	r    netlink.Route
	ro   Route
	ros  []Route
	hops []*netlink.NexthopInfo
}

// routeHop is the next hop of one gateway g of route ro: an address
// (through the immediate gateway when it is recursive), an address on an
// interface, or an interface. nil when the interface is not there yet.
func (d *Dataplane) routeHop(st *State, ro Route, g string) (*netlink.NexthopInfo, error) {
	gwName, ifName := routeGateway(g)
	if gw, err := netip.ParseAddr(gwName); err == nil {
		if !gw.Is4() {
			return nil, fmt.Errorf("sync route %s: gateway %s is not IPv4", ro.Dst, gw)
		}
		if !connected(st, gw) && ifName == "" {
			// A recursive gateway: install the route through the
			// immediate gateway of the route that resolves it.
			if imm, ok := resolveRecursive(st, ro, gw, d.gatewayDown); ok {
				gw = imm
			}
		}
		h := &netlink.NexthopInfo{Gw: net.IP(gw.AsSlice())}
		if ifName == "" {
			if link := vrfLink(st, gw); link != "" && vrfOf(g) != "" {
				// gateway=A@vrf from another table: A is on a VRF's
				// subnet, whose connected route main lacks, so the
				// kernel would refuse it as unreachable. It is on
				// that interface's link (route leaking).
				ifName = link
				g = gw.String() + "%" + link
				h.Flags = int(netlink.FLAG_ONLINK)
			}
		}
		if ifName != "" {
			l, err := d.nl.LinkByName(gatewayLink(g))
			if err != nil {
				return nil, fmt.Errorf("sync route %s: gateway interface %q is not in the router namespace: %w", ro.Dst, ifName, err)
			}
			h.LinkIndex = l.Attrs().Index
		}
		return h, nil
	}
	l, err := d.nl.LinkByName(LinkName(gwName))
	if isLinkNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sync route %s: gateway %q is neither an address nor an interface of the router: %w", ro.Dst, g, err)
	}
	return &netlink.NexthopInfo{LinkIndex: l.Attrs().Index}, nil
}

// gatewayUnreachable reports whether g is an address gateway the router
// cannot reach: on none of its subnets and no point-to-point peer, not
// resolved through another route, and not on a link route the kernel has
// (a PPPoE session's peer or a lease the configuration does not list).
// RouterOS keeps a route by such a gateway inactive and leaves such a next
// hop out of an ECMP set (IP Routing page, ECMP: "All reachable next-hops
// are copied to FIB"; a unicast route needs "at least one reachable
// next-hop"). The kernel refuses a multipath route with one unreachable
// next hop whole, so a stale default route of the same distance took the
// working one down with it (realcheck30 D1: a 7.21.3 Chateau's export).
func (d *Dataplane) gatewayUnreachable(st *State, ro Route, g string) bool {
	gwName, ifName := routeGateway(g)
	gw, err := netip.ParseAddr(gwName)
	if err != nil || ifName != "" || !gw.Is4() {
		return false
	}
	if connected(st, gw) {
		return d.connectedDown(st, gw)
	}
	for _, a := range st.Addresses {
		if a.Peer == gw {
			return false
		}
	}
	if _, ok := resolveRecursive(st, ro, gw, d.gatewayDown); ok {
		return false
	}
	// The kernel's own view: a gateway on a link route (Gw nil) is
	// reachable; one found only through another gateway, or not at
	// all, is not.
	routes, err := d.nl.RouteGet(net.IP(gw.AsSlice()))
	return err != nil || len(routes) == 0 || routes[0].Gw != nil
}

// connectedDown reports whether every address whose subnet holds gw is on
// a link the kernel has administratively down (a disabled port): RouterOS
// keeps a route by such a gateway inactive, while the kernel refuses a
// multipath route with it whole (ENETDOWN), so two default routes of one
// distance, one by a disabled second WAN, left none. A link it cannot find
// is left to the kernel.
func (d *Dataplane) connectedDown(st *State, gw netip.Addr) bool {
	for _, a := range st.Addresses {
		if !a.Prefix.Masked().Contains(gw) {
			continue
		}
		l, err := d.nl.LinkByName(LinkName(a.Interface))
		if err != nil || l.Attrs().Flags&net.FlagUp != 0 {
			return false
		}
	}
	return true
}

// uniqueHops drops repeated next hops (two routes through one gateway).
func uniqueHops(hops []*netlink.NexthopInfo) []*netlink.NexthopInfo {
	seen := map[string]bool{}
	var out []*netlink.NexthopInfo
	for _, h := range hops {
		k := hopText(h)
		if !seen[k] {
			seen[k] = true
			out = append(out, h)
		}
	}
	return out
}

// hopText names a next hop for a route's key: its gateway, or its
// interface when it has none (the kernel reports the device it resolved a
// gateway to, so a gateway's key leaves the device out).
func hopText(h *netlink.NexthopInfo) string {
	if h.Gw != nil {
		return h.Gw.String()
	}
	if h.LinkIndex != 0 {
		return fmt.Sprintf("dev%d", h.LinkIndex)
	}
	return ""
}

// hopsText is the gateways part of a route's key: its next hops' names,
// sorted (the kernel may list a multipath route's next hops in another
// order), or "" for an interface route (hopsLink names it).
func hopsText(hops []*netlink.NexthopInfo) string {
	if len(hops) == 1 && hops[0].Gw == nil {
		return ""
	}
	var names []string
	for _, h := range hops {
		names = append(names, hopText(h))
	}
	sort.Strings(names)
	return strings.Join(names, ",")
}

// hopsLink is the interface part of a route's key: the interface of a
// route with one next hop and no gateway.
func hopsLink(hops []*netlink.NexthopInfo) int {
	if len(hops) == 1 && hops[0].Gw == nil {
		return hops[0].LinkIndex
	}
	return 0
}

// ro4Dst is a kernel route's destination as its key names it.
func ro4Dst(r netlink.Route) string {
	if p, ok := ipnetPrefix(r.Dst); ok {
		return p.String()
	}
	return "0.0.0.0/0"
}

// wantRoute is a route Apply installs and the RouterOS route it is.
type wantRoute struct {
	r  netlink.Route
	ro Route
	// ros are all the routes a multipath route joins (ro among them);
	// nil for a route that is only ro.
	ros []Route
}

// reconcileRoutes makes rosemu's routes of family (its proto static
// routes of every table) exactly wanted: a route the kernel has that key
// (its routeKey, as keyOf reads it from the kernel) does not name goes,
// and the wanted ones it lacks are added in order. A route the kernel
// refuses for its gateway or interface is returned inactive, as RouterOS
// keeps it: ENETUNREACH, EHOSTUNREACH (no route to the gateway), ENETDOWN
// (the interface is disabled: a port or a WireGuard link set down), and
// EEXIST (another route of the same destination and distance is there;
// RouterOS would balance over both, rosemu keeps the first).
func (d *Dataplane) reconcileRoutes(family int, wanted map[string]wantRoute, order []string, keyOf func(netlink.Route) string, undo *[]func() error) ([]Route, error) {
	// Table UNSPEC with the table filter lists rosemu's routes of every
	// table, those of the routing tables included.
	current, err := d.nl.RouteListFiltered(family,
		&netlink.Route{Table: unix.RT_TABLE_UNSPEC, Protocol: routeProto},
		netlink.RT_FILTER_TABLE|netlink.RT_FILTER_PROTOCOL)
	if err != nil {
		return nil, fmt.Errorf("sync routes: list the kernel's static routes: %w", err)
	}
	have := map[string]bool{}
	for _, r := range current {
		k := keyOf(r)
		if _, ok := wanted[k]; ok {
			have[k] = true
			continue
		}
		r := r
		if err := d.nl.RouteDel(&r); err != nil && !isNotFound(err) {
			return nil, fmt.Errorf("remove route %s: %w", k, err)
		}
		*undo = append(*undo, func() error { return d.nl.RouteAdd(&r) })
	}
	var inactive []Route
	for _, k := range order {
		if have[k] {
			continue
		}
		w := wanted[k]
		r := w.r
		if err := d.nl.RouteAdd(&r); err != nil {
			if errors.Is(err, syscall.ENETUNREACH) || errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.EEXIST) || errors.Is(err, syscall.ENETDOWN) {
				if w.ros != nil {
					inactive = append(inactive, w.ros...)
				} else {
					inactive = append(inactive, w.ro)
				}
				continue
			}
			return nil, fmt.Errorf("add route %s: %w", k, err)
		}
		*undo = append(*undo, func() error { return d.nl.RouteDel(&r) })
	}
	return inactive, nil
}

func prefixIPNet(p netip.Prefix) *net.IPNet {
	return &net.IPNet{IP: net.IP(p.Addr().AsSlice()), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}
}

func ipnetPrefix(n *net.IPNet) (netip.Prefix, bool) {
	if n == nil {
		return netip.Prefix{}, false
	}
	ip, ok := netip.AddrFromSlice(n.IP.To4())
	if !ok {
		return netip.Prefix{}, false
	}
	ones, bits := n.Mask.Size()
	if bits != 32 {
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(ip, ones), true
}

func sortedPrefixes(m map[netip.Prefix]netlink.Addr) []netip.Prefix {
	out := make([]netip.Prefix, 0, len(m))
	for p := range m {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

func isNotFound(err error) bool {
	return errors.Is(err, syscall.ESRCH) || errors.Is(err, syscall.ENOENT) || strings.Contains(err.Error(), "no such process")
}

func isExist(err error) bool {
	return errors.Is(err, syscall.EEXIST)
}

// isLinkNotFound reports whether a link lookup found no such interface.
func isLinkNotFound(err error) bool {
	var nf netlink.LinkNotFoundError
	return err != nil && errors.As(err, &nf)
}
