package config

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/script"
)

// buildState resolves the model into what the data plane needs: enabled
// addresses and routes, interface lists with the built-ins computed,
// address lists with only enabled IP entries, and rules in list order.
func buildState(t *tx, _ []string) *kernel.State {
	s := &kernel.State{InterfaceLists: map[string][]string{}, AddressLists: map[string][]kernel.AddrEntry{}}
	s.IPSettings = ipSettings(t.m)
	s.Tracking = trackingState(t.m)
	if !t.v6() {
		s.GatewayCheck = gatewayCheckState(t.m)
	}
	// RouterOS 7 groups routes of one destination, table and distance
	// into ECMP; 6 is taken to keep the first [verify].
	s.NoECMPTies = t.v6()
	// A route whose pref-src is none of the router's addresses: inactive
	// on 6 (IP/Route page of the v6 manual [verify]), installed on 7
	// without the source (prefSrcUse reports it).
	s.PrefSrcInactive = t.v6()
	for _, e := range t.m.tables["interface ethernet"] {
		s.Ports = append(s.Ports, e.props["name"])
		if arp := vOr(e.props["arp"], "enabled"); e.disabled() || arp != "enabled" {
			if s.PortStates == nil {
				s.PortStates = map[string]kernel.PortState{}
			}
			s.PortStates[e.props["name"]] = kernel.PortState{Disabled: e.disabled(), ARP: arp}
		}
	}
	// Leased addresses and routes of DHCP clients follow the static ones.
	for _, a := range append(append(append(append([]*item(nil), t.m.tables["ip address"]...), t.dhcpAddresses()...), t.pppoeAddresses()...), t.pppServerAddresses()...) {
		// An address on a bridge port is invalid on RouterOS and unused.
		// One on a PPP client whose session is not up waits for it: the
		// interface has no link in the kernel until then.
		if a.disabled() || t.addressInvalid(a) || t.onPPPClientDown(a) {
			continue
		}
		p, err := netip.ParsePrefix(a.props["address"])
		if err != nil {
			continue
		}
		// Only a configured address's network= is taken as its peer: the
		// PPP sessions' addresses keep the links they had.
		var peer netip.Addr
		if slices.Contains(t.m.tables["ip address"], a) {
			peer = ptpPeer(a)
		}
		s.Addresses = append(s.Addresses, kernel.Address{Prefix: p, Interface: a.props["interface"], Peer: peer})
	}
	for _, n := range t.m.tables["ip arp"] {
		a, err := netip.ParseAddr(n.props["address"])
		if n.disabled() || err != nil {
			continue
		}
		if n.props["published"] == "yes" {
			// Answered whether or not the entry has a MAC: the router
			// answers with its own. One on its own interface's network
			// is answered by the kernel's responder (pubarp.go).
			s.PublishedARP = append(s.PublishedARP, kernel.Neighbor{Addr: a, Interface: n.props["interface"]})
		}
		if arpStored(n) != "" {
			continue
		}
		s.StaticARP = append(s.StaticARP, kernel.Neighbor{Addr: a, MAC: n.props["mac-address"], Interface: n.props["interface"]})
	}
	// A lease's entry yields to a configured one for its address.
	for _, n := range leaseARP(t.m) {
		if !slices.ContainsFunc(s.StaticARP, func(c kernel.Neighbor) bool { return c.Addr == n.Addr && c.Interface == n.Interface }) {
			s.StaticARP = append(s.StaticARP, n)
		}
	}
	for _, r := range append(append(append(append([]*item(nil), t.m.tables["ip route"]...), t.dhcpRoutes()...), t.pppoeRoutes()...), t.pppServerRoutes()...) {
		// A route of distance 255 is never used (unusableDistance).
		if r.disabled() || routeDistance(r) == unusableDistance || noGatewayStored(r) != "" {
			continue
		}
		s.Routes = append(s.Routes, kernelRoute(r))
	}
	for _, l := range t.m.tables["interface list"] {
		name := l.props["name"]
		var members []string
		switch {
		case l.builtin:
			members = builtinListMembers(t.m, name, t.allInterfaces())
		default:
			// An included all or static is every interface (bridges,
			// VLANs, PPPoE clients, WireGuard), as the built-in list
			// itself: not only the ports (https://help.mikrotik.com/docs/x/LADWAg).
			members = listMembers(t, name, t.allInterfaces(), map[string]bool{})
		}
		s.InterfaceLists[name] = members
	}
	// The four kinds of entries are read in turn, not copied into one
	// slice: renderCheck builds the state after each of the first 300
	// rules, and copying a 20,000-entry list each time was a third of it.
	for _, es := range [][]*item{t.m.tables["ip firewall address-list"], t.fqdnChildren(addressListTable), t.leaseListItems(), t.pppListItems()} {
		for _, e := range es {
			list := e.props["list"]
			have, ok := s.AddressLists[list]
			if !ok {
				s.AddressLists[list] = nil
			}
			if e.disabled() || (t.listHeads && len(have) > 0) {
				continue
			}
			if entry, ok := addrEntry(e.props["address"]); ok {
				s.AddressLists[list] = append(have, entry)
			}
		}
	}
	l2State(t, s)
	s.Filter = rules(t.m.tables["ip firewall filter"], s)
	s.NAT = rules(t.m.tables["ip firewall nat"], s)
	s.Mangle = rules(t.m.tables["ip firewall mangle"], s)
	s.Raw = rules(t.m.tables["ip firewall raw"], s)
	s.Helpers = servicePortHelpers(t.m)
	s.Queues = simpleQueues(t.m)
	s.TreeQueues = treeQueues(t.m)
	s.InterfaceQueues = interfaceQueues(t.m)
	hotspotState(t, s)
	for _, a := range t.pppoeAddresses() {
		s.SessionLinks = append(s.SessionLinks, a.props["interface"])
	}
	s.SessionLinks = append(s.SessionLinks, pppServerIfaceNames(t.m)...)
	s.MSSClamps = append(mssClamps(t), tunnelClamps(t.m)...)
	s.IPsecPolicies = ipsecPolicies(t.m)
	s.TunLinks = wireguardLinks(t.m)
	vrrpState(t.m, s)
	kernelState(t.m, s)
	s.IPv6 = ipv6State(t)
	off := t.clockOffset()
	for _, rs := range [][]kernel.Rule{s.Filter, s.NAT, s.Mangle, s.Raw} {
		pseudoIfaceLists(t, s, rs)
		utcWindows(rs, off)
	}
	if s.IPv6 != nil {
		for _, rs := range [][]kernel.Rule{s.IPv6.Filter, s.IPv6.NAT, s.IPv6.Raw} {
			utcWindows(rs, off)
		}
	}
	routingState(t, s)
	// A routing rule's in-interface on a renamed port is the kernel's
	// link (routingState runs after kernelState).
	for i := range s.RoutingRules {
		s.RoutingRules[i].Interface = kernelName(t.m, s.RoutingRules[i].Interface)
	}
	return s
}

// addrEntry converts a stored address-list address; DNS names give false.
func addrEntry(v string) (kernel.AddrEntry, bool) {
	if a, err := netip.ParseAddr(v); err == nil {
		return kernel.AddrEntry{Prefix: netip.PrefixFrom(a, 32)}, true
	}
	if p, err := netip.ParsePrefix(v); err == nil {
		return kernel.AddrEntry{Prefix: p}, true
	}
	if f, to, ok := strings.Cut(v, "-"); ok {
		from, err1 := netip.ParseAddr(f)
		end, err2 := netip.ParseAddr(to)
		if err1 == nil && err2 == nil {
			return kernel.AddrEntry{From: from, To: end}, true
		}
	}
	return kernel.AddrEntry{}, false
}

// rules copies rules for the kernel. Address lists a rule names exist in
// the state even when empty, so that the renderer can always refer to them.
func rules(items []*item, s *kernel.State) []kernel.Rule {
	var out []kernel.Rule
	for _, it := range items {
		props := map[string]string{}
		for k, v := range it.props {
			if k == "disabled" && v != "yes" {
				continue
			}
			props[k] = v
		}
		for _, k := range []string{"src-address-list", "dst-address-list"} {
			if l := strings.TrimPrefix(props[k], "!"); l != "" {
				if _, ok := s.AddressLists[l]; !ok {
					s.AddressLists[l] = nil
				}
			}
		}
		out = append(out, kernel.Rule{ID: it.ID(), Props: props})
	}
	return out
}

// kernelRoute is the kernel's view of a route item.
func kernelRoute(r *item) kernel.Route {
	dst := r.props["dst-address"]
	if dst == "" {
		dst = "0.0.0.0/0"
	}
	p, _ := netip.ParsePrefix(dst)
	d := 1
	if v := r.props["distance"]; v != "" {
		d, _ = strconv.Atoi(v)
	}
	kr := kernel.Route{Dst: p, Gateway: r.props["gateway"], Distance: d}
	routeDetails(r, &kr)
	return kr
}

// gatewayCheckState is check-gateway's timing from RouterOS 7's /routing
// settings: a check every check-gateway-ping-interval, each waiting
// check-gateway-ping-timeout for its answer, the gateway down after
// check-gateway-ping-count unanswered checks in a row (routing settings
// page, https://help.mikrotik.com/docs/spaces/ROS/pages/331612248/routing+settings;
// that the count is of checks in a row, as the 10 s x 2 default of the IP
// Routing page, is [verify]). A count of 0 is taken as 1 [verify].
func gatewayCheckState(m *model) *kernel.GatewayCheck {
	props := settingsOf(m, "routing settings")
	get := func(k string) string { return effective(routingSettingsMenu, props, k) }
	iv, ok1 := script.ParseTime(get("check-gateway-ping-interval"))
	to, ok2 := script.ParseTime(get("check-gateway-ping-timeout"))
	n, err := strconv.Atoi(get("check-gateway-ping-count"))
	if !ok1 || !ok2 || err != nil || iv <= 0 {
		return nil
	}
	// A timeout longer than the interval would overlap the next check.
	return &kernel.GatewayCheck{Interval: iv, Timeout: min(to, iv), Failures: max(n, 1)}
}
