package check

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// A DHCP server hands its clients an address of its pool, and the
// gateway and netmask of the /ip dhcp-server network that holds that
// address (DHCP page of the manual,
// https://help.mikrotik.com/docs/spaces/ROS/pages/24805500/DHCP). When
// the pool, the network or its gateway lie outside the subnet the router
// holds on the server's interface (a defconf whose /ip address was
// renumbered from 192.168.66.1/24 to 192.168.70.1/24 and whose pool and
// network were left as they were), every client leases an address and a
// gateway the router does not hold there: it has no way out and no
// router DNS. The check said "no problem found" of such an export,
// offline and in the lab (realcheck19 D5): the lab's clients have fixed
// addresses, so none of its probes goes through the DHCP server. The
// finding is from the export's rules alone; the lab carries it (its path
// is never probed, unprobedPaths).

// dhcpPrefix begins the Path of a finding on a DHCP server's segment.
const dhcpPrefix = "dhcp:"

// DHCPOffSubnet is the cause of a DHCP server whose pool, network or
// gateway is not on the subnet the router holds on its interface.
const DHCPOffSubnet Cause = "the DHCP server hands out addresses or a gateway outside the subnet the router holds on its interface: its clients get an address and a gateway the router does not hold there, so they have no way out and no router DNS"

// DHCPNoNetwork is the cause of a DHCP server whose pool no /ip
// dhcp-server network holds: the server needs its networks to work (wiki
// Manual:IP/DHCP_Server, "In order for the DHCP server to work, IP pools
// must also be configured ... and the DHCP networks"), and rosemu offers
// nothing then, as the lab shows; the cause said its clients got an
// address without gateway or DNS, which neither the emulator nor the
// manual has (forum45 D2).
const DHCPNoNetwork Cause = "the DHCP server has no /ip dhcp-server network for its pool: the server needs that network (it carries the mask, gateway and DNS servers of a lease), and without it its clients get no address"

// DHCPOnWAN is the cause of a DHCP server that runs on a WAN interface:
// it answers the DHCP discovers of the ISP's segment.
const DHCPOnWAN Cause = "a DHCP server runs on the WAN: it offers leases on the ISP's segment, to the ISP's equipment and any other device there (other customers' on a shared segment), beside any DHCP server of the ISP's, and the LAN gains nothing from it"

// DHCPOnBridgePort is the cause of a DHCP server whose interface is a
// port of a bridge. RouterOS receives a bridge port's frames on the
// bridge: the server has to run on the bridge, where the router's address
// of that LAN is, as the Bridge and DHCP pages of the manual configure it
// (https://help.mikrotik.com/docs/display/ROS/Bridging+and+Switching,
// https://help.mikrotik.com/docs/display/ROS/DHCP). [verify] whether
// RouterOS marks such a server invalid or only leaves it silent.
const DHCPOnBridgePort Cause = "the DHCP server runs on a port of a bridge: the port's frames go up the bridge, so the server never sees its clients' requests and they get no address"

// dhcpDNSFor is the DNS server the fix's network hands out: the router
// itself when it answers its LAN's queries (allow-remote-requests=yes),
// else the servers the router resolves through (/ip dns servers=), else
// none.
func (p *Plan) dhcpDNSFor(router netip.Addr) string {
	keep := p.keeper(p.export)
	servers := ""
	for _, c := range p.export.Commands {
		if !keep(c) || c.MenuPath() != "ip dns" || c.Verb != "set" {
			continue
		}
		if c.Value("allow-remote-requests") == "yes" {
			return router.String()
		}
		if v := c.Value("servers"); v != "" {
			servers = v
		}
	}
	return servers
}

// dhcpRange is one range of an /ip pool: lo-hi, or a single address.
type dhcpRange struct{ lo, hi netip.Addr }

// poolRanges reads an /ip pool's ranges= ("192.168.66.10-192.168.66.254",
// "10.0.0.0/24", "10.0.0.5", comma-separated); false when one does not
// parse as IPv4, so that nothing is said of a pool the reading cannot read.
func poolRanges(v string) ([]dhcpRange, bool) {
	out, all := poolRangesOf(v)
	return out, all && len(out) > 0
}

// poolRangesOf is the one reader of an /ip pool's ranges=: the ranges
// that parse as IPv4, and whether all did. The DHCP checks judge a pool
// only when all did (poolRanges); the readers of which addresses a pool
// hands out (a VPN's or DHCP server's clients) take those that parse.
// Three readers stood apart before, and the one behind "in the pool ..."
// saw only the first 1024 addresses of a range.
func poolRangesOf(v string) (out []dhcpRange, all bool) {
	all = true
	for _, r := range strings.Split(v, ",") {
		r = strings.TrimSpace(r)
		if lo, hi, ok := strings.Cut(r, "-"); ok {
			l, e1 := netip.ParseAddr(lo)
			h, e2 := netip.ParseAddr(hi)
			if e1 != nil || e2 != nil || !l.Is4() || !h.Is4() || h.Less(l) {
				all = false
				continue
			}
			out = append(out, dhcpRange{l, h})
		} else if pf, err := netip.ParsePrefix(r); err == nil && pf.Addr().Is4() {
			out = append(out, dhcpRange{pf.Masked().Addr(), lastOf(pf)})
		} else if a, err := netip.ParseAddr(r); err == nil && a.Is4() {
			out = append(out, dhcpRange{a, a})
		} else {
			all = false
		}
	}
	return out, all
}

// inRanges reports whether a lies in one of rs.
func inRanges(rs []dhcpRange, a netip.Addr) bool {
	return slices.ContainsFunc(rs, func(r dhcpRange) bool { return !a.Less(r.lo) && !r.hi.Less(a) })
}

// in reports whether the whole range lies in p.
func (r dhcpRange) in(p netip.Prefix) bool { return p.Contains(r.lo) && p.Contains(r.hi) }

// overlaps reports whether some address of the range lies in p.
func (r dhcpRange) overlaps(p netip.Prefix) bool {
	return p.Contains(r.lo) || p.Contains(r.hi) || (r.lo.Less(p.Masked().Addr()) && lastOf(p).Less(r.hi))
}

func (r dhcpRange) String() string {
	if r.lo == r.hi {
		return r.lo.String()
	}
	return r.lo.String() + "-" + r.hi.String()
}

// dhcpFix is one line of the fix for a DHCPOffSubnet finding, keyed by
// the finding's line.
type dhcpFix struct{ key, line string }

// dhcpSubnetFindings returns, for each enabled DHCP server whose interface
// holds an address of the router, a finding for its pool when part of it
// lies outside those subnets, and one for the network that holds the
// pool's addresses when that network or its gateway does (a gateway that
// is none of the router's addresses on the interface, unless the router
// routes by it itself: a router that only serves DHCP on a LAN whose way
// out is another box). A pool inside the subnet with no network for it is
// a finding on the network line that is on none of the router's subnets.
func (p *Plan) dhcpSubnetFindings() []Finding {
	out, _ := p.dhcpSubnet()
	return out
}

// dhcpSubnet returns the findings and, by finding line, the fix's line.
func (p *Plan) dhcpSubnet() ([]Finding, map[int]dhcpFix) {
	f := p.export
	if f == nil {
		return nil, nil
	}
	keep := p.keeper(f)
	ix := index(f, keep)
	fixes := map[int]dhcpFix{}
	var out []Finding
	pools := map[string]*export.Command{}
	var networks []*export.Command
	for _, c := range f.Commands {
		if !keep(c) || !enabled(c) || c.Verb != "add" {
			continue
		}
		switch c.MenuPath() {
		case "ip pool":
			pools[c.Value("name")] = c
		case "ip dhcp-server network":
			networks = append(networks, c)
		}
	}
	// own is the router's subnets on iface; all its subnets anywhere.
	own := func(iface string) []netip.Prefix {
		var ps []netip.Prefix
		for _, ac := range ix.addrs {
			if pf, err := netip.ParsePrefix(ac.Value("address")); err == nil && pf.Addr().Is4() && ac.Value("interface") == iface {
				ps = append(ps, pf)
			}
		}
		return ps
	}
	// vrrpAddrs is the addresses of the enabled VRRP interfaces over
	// iface.
	vrrpAddrs := func(iface string) []netip.Addr {
		var as []netip.Addr
		for _, c := range f.Commands {
			if !keep(c) || !enabled(c) || c.MenuPath() != "interface vrrp" || c.Verb != "add" || c.Value("interface") != iface {
				continue
			}
			for _, ac := range ix.addrs {
				if ac.Value("interface") != c.Value("name") {
					continue
				}
				if pf, err := addrPrefix(ac); err == nil && pf.Addr().Is4() {
					as = append(as, pf.Addr())
				}
			}
		}
		return as
	}
	var all []netip.Prefix
	for _, ac := range ix.addrs {
		if pf, err := netip.ParsePrefix(ac.Value("address")); err == nil && pf.Addr().Is4() {
			all = append(all, pf)
		}
	}
	onAny := func(ps []netip.Prefix, a netip.Addr) bool {
		return slices.ContainsFunc(ps, func(pf netip.Prefix) bool { return pf.Masked().Contains(a) })
	}
	// The router's own next hops: a gateway it routes by itself is a way
	// out of that LAN by design.
	routesBy := func(a netip.Addr) bool {
		return slices.ContainsFunc(ix.routes, func(r *export.Command) bool {
			g, _ := firstGateway(r.Value("gateway"))
			return g == a.String()
		})
	}
	// networkFor is the most specific network that holds a, as the
	// server picks it for a lease.
	networkFor := func(a netip.Addr) (*export.Command, netip.Prefix) {
		var best *export.Command
		var bp netip.Prefix
		for _, n := range networks {
			if pf, err := netip.ParsePrefix(n.Value("address")); err == nil && pf.Masked().Contains(a) && (best == nil || pf.Bits() > bp.Bits()) {
				best, bp = n, pf.Masked()
			}
		}
		return best, bp
	}
	reported := map[int]bool{}
	for _, srv := range f.Commands {
		if !keep(srv) || !enabled(srv) || srv.Verb != "add" || srv.MenuPath() != "ip dhcp-server" || srv.Value("relay") != "" {
			continue
		}
		iface, name := srv.Value("interface"), srv.Value("name")
		// A server RouterOS 6 added disabled (no disabled=no in its
		// export) hands out nothing: what it would hand out is a note,
		// with the fix in its text, not a finding.
		off := createdDisabled(f, srv)
		from := len(out)
		// A port that holds the WAN's address and a LAN address whose
		// subnet holds the server's pool (a Chateau-style ether1 with
		// defconf's 192.168.88.1/24 beside the ISP's lease): the server
		// runs on the interface and answers on its whole wire (DHCP page,
		// server "interface", https://help.mikrotik.com/docs/display/ROS/DHCP),
		// so it is that LAN's server too; disabling it would leave the
		// LAN without leases. A note, not the WAN finding; the LAN's
		// checks below judge it.
		lanToo := ""
		if w := p.wanNamed(iface); w != nil {
			if pc := pools[srv.Value("address-pool")]; pc != nil {
				if ranges, ok := poolRanges(pc.Value("ranges")); ok && len(ranges) > 0 {
					for _, sub := range own(iface) {
						if w.Address.IsValid() && sub.Masked() == w.Address.Masked() {
							continue
						}
						if !slices.ContainsFunc(ranges, func(r dhcpRange) bool { return !r.in(sub.Masked()) }) {
							lanToo = sub.String()
						}
					}
				}
			}
			// dhcpSubnet runs again for the diagnosis and the fix: the
			// note is added once (rc30 C4: printed twice).
			if note := fmt.Sprintf("line %d's DHCP server runs on %s, the WAN (%s), which also holds the LAN address %s that its pool is in: it is that LAN's server on the same wire, and it also answers DHCP requests from the ISP's side", srv.Line, iface, w.Why, lanToo); lanToo != "" && !reported[srv.Line] && !slices.Contains(p.Notes, note) {
				p.Notes = append(p.Notes, note)
			}
		}
		if w := p.wanNamed(iface); w != nil && !reported[srv.Line] && lanToo == "" {
			// A server on the WAN port (`/ip dhcp-server add
			// interface=ether1` where ether1 leads to the ISP): it
			// leases into the ISP's segment, not the LAN's; its pool
			// and network are not judged against the WAN's subnet. The
			// fix disables it, which keeps its settings should it be
			// meant for a port that is no WAN.
			reported[srv.Line] = true
			sel := dhcpServerSel(name, iface)
			out = append(out, Finding{Forward: -1, Path: dhcpPrefix + iface, Cause: DHCPOnWAN, Line: srv.Line, Rule: srv.Raw,
				Detail: fmt.Sprintf("server %s on %s, the WAN (%s), hands out leases there", export.Quote(name), iface, w.Why)})
			fixes[srv.Line] = dhcpFix{"dhcp server off the WAN " + iface, "/ip dhcp-server set " + sel + " disabled=yes"}
			disabledNotes(out[from:], fixes, off, srv.Line)
			continue
		}
		if br := bridgeOfPort(ix, iface); br != "" && !reported[srv.Line] {
			// A server on a bridge port: the port's frames go up the
			// bridge, where the router's address is, and the server on
			// the port answers none of them (forum51 D3; the lab's
			// rosemu leaves its client without a lease). The fix moves it
			// to the bridge, where the clients' requests arrive.
			reported[srv.Line] = true
			sel := dhcpServerSel(name, iface)
			out = append(out, Finding{Forward: -1, Path: dhcpPrefix + iface, Cause: DHCPOnBridgePort, Line: srv.Line, Rule: srv.Raw,
				Detail: fmt.Sprintf("server %s on %s, a port of bridge %s", export.Quote(name), iface, br)})
			fixes[srv.Line] = dhcpFix{"dhcp server on bridge " + br, "/ip dhcp-server set " + sel + " interface=" + export.Quote(br)}
			disabledNotes(out[from:], fixes, off, srv.Line)
			continue
		}
		subs := own(iface)
		pc := pools[srv.Value("address-pool")]
		if len(subs) == 0 || pc == nil {
			continue // no address on the interface, or static-only leases
		}
		ranges, ok := poolRanges(pc.Value("ranges"))
		if !ok {
			continue
		}
		sub := subs[0]
		held := map[netip.Addr]bool{}
		for _, s := range subs {
			held[s.Addr()] = true
		}
		// The router also answers on iface's segment at the addresses of
		// the VRRP interfaces whose interface= is iface: the virtual
		// address is the gateway a VRRP design hands its clients, so that
		// they follow it to the backup router (VRRP manual,
		// https://help.mikrotik.com/docs/display/ROS/VRRP; RFC 5798 §1).
		// Taken as an address the router does not hold, the fix moved the
		// clients to the real address and took the failover away
		// (realcheck23 D2). A VLAN over iface is not counted: it is
		// another segment (tagged frames), which iface's untagged clients
		// do not reach; nor is a bridge iface is a port of (a DHCP server
		// on a bridge port serves nothing).
		for _, a := range vrrpAddrs(iface) {
			if slices.ContainsFunc(subs, func(s netip.Prefix) bool { return s.Masked().Contains(a) }) {
				held[a] = true
			}
		}
		var outside, inside []dhcpRange
		for _, r := range ranges {
			if slices.ContainsFunc(subs, func(s netip.Prefix) bool { return r.in(s.Masked()) }) {
				inside = append(inside, r)
			} else {
				outside = append(outside, r)
				if slices.ContainsFunc(subs, func(s netip.Prefix) bool { return r.overlaps(s.Masked()) }) {
					sub = subs[slices.IndexFunc(subs, func(s netip.Prefix) bool { return r.overlaps(s.Masked()) })]
				}
			}
		}
		where := fmt.Sprintf("%s, which holds %s", iface, subnetList(subs))
		path := dhcpPrefix + iface
		if len(outside) > 0 && !reported[pc.Line] {
			reported[pc.Line] = true
			var strs, fixed []string
			for _, r := range outside {
				strs = append(strs, r.String())
			}
			for _, r := range ranges {
				if slices.Contains(outside, r) {
					r = moveRange(r, sub.Masked(), held)
				}
				if s := r.String(); !slices.Contains(fixed, s) {
					fixed = append(fixed, s)
				}
			}
			how := "lies outside"
			if len(inside) > 0 || slices.ContainsFunc(outside, func(r dhcpRange) bool { return r.overlaps(sub.Masked()) }) {
				how = "lies partly outside"
			}
			out = append(out, Finding{Forward: -1, Path: path, Cause: DHCPOffSubnet, Line: pc.Line, Rule: pc.Raw,
				Detail: fmt.Sprintf("server %s on %s: pool %s (%s) %s the subnet of %s", export.Quote(name), iface, export.Quote(pc.Value("name")), strings.Join(strs, ","), how, where)})
			fixes[pc.Line] = dhcpFix{"dhcp pool " + pc.Value("name"), fmt.Sprintf("/ip pool set [ find where name=%s ] ranges=%s", export.Quote(pc.Value("name")), strings.Join(fixed, ","))}
		}
		// The network the server hands out with the pool's addresses:
		// that of its first address (the fixed pool's when it moved).
		first := moveRange(ranges[0], sub.Masked(), held).lo
		if len(inside) > 0 {
			first = inside[0].lo
		}
		n, np := networkFor(ranges[0].lo)
		if len(outside) == 0 || n == nil {
			n, np = networkFor(first)
		}
		if n == nil {
			// A pool on the subnet and no network for it: the network
			// line on none of the router's subnets is the one written
			// for it (one only, or the reading cannot tell which).
			var orphans []*export.Command
			for _, c := range networks {
				if pf, err := netip.ParsePrefix(c.Value("address")); err == nil && !slices.ContainsFunc(all, func(s netip.Prefix) bool { return s.Masked().Overlaps(pf.Masked()) }) {
					orphans = append(orphans, c)
				}
			}
			if len(orphans) == 1 {
				n = orphans[0]
				np, _ = netip.ParsePrefix(n.Value("address"))
				np = np.Masked()
			}
		}
		if n == nil && len(outside) == 0 && !reported[srv.Line] {
			// D8: no network holds the pool's addresses at all. The
			// server leases them, but gateway and DNS servers come from
			// the matching network only (DHCP page of the manual), so
			// the clients get an address and no way out.
			reported[srv.Line] = true
			routerAddr := sub.Addr()
			for _, s := range subs {
				if s.Masked().Contains(first) {
					routerAddr, sub = s.Addr(), s
					break
				}
			}
			dns := p.dhcpDNSFor(routerAddr)
			detail := fmt.Sprintf("server %s on %s leases pool %s (%s), and no /ip dhcp-server network holds %s", export.Quote(name), iface, export.Quote(pc.Value("name")), pc.Value("ranges"), sub.Masked())
			line := fmt.Sprintf("/ip dhcp-server network add address=%s gateway=%s", sub.Masked(), routerAddr)
			if dns != "" {
				line += " dns-server=" + dns
			} else {
				// A router that does not answer its LAN's queries is no
				// DNS server to hand out, and turning its resolver on is
				// a choice of the user's (an open resolver on a WAN with
				// no input rule). A network without dns-server= hands
				// out the router's own DNS servers (DNS page; forum40 D7),
				// so the line needs none: say what the clients get.
				detail += "; the router answers no DNS query of its LAN (no allow-remote-requests=yes), so the network names no dns-server=: its clients get the router's own DNS servers (servers= and those its WAN lease brought), or set dns-server= to a resolver they may use"
			}
			out = append(out, Finding{Forward: -1, Path: path, Cause: DHCPNoNetwork, Line: srv.Line, Rule: srv.Raw, Detail: detail})
			fixes[srv.Line] = dhcpFix{"dhcp network for " + name, line}
			disabledNotes(out[from:], fixes, off, srv.Line)
			continue
		}
		if n == nil || reported[n.Line] {
			disabledNotes(out[from:], fixes, off, srv.Line)
			continue
		}
		gw := strings.TrimSpace(strings.Split(n.Value("gateway"), ",")[0])
		ga, gerr := netip.ParseAddr(gw)
		netOff := !slices.ContainsFunc(subs, func(s netip.Prefix) bool { return s.Masked().Contains(np.Addr()) && np.Bits() >= s.Bits() })
		gwOff := gerr == nil && !held[ga] && !routesBy(ga)
		if !netOff && gwOff && slices.ContainsFunc(subs, func(s netip.Prefix) bool { return s.Masked().Contains(ga) }) &&
			!slices.ContainsFunc(ix.addrs, func(ac *export.Command) bool {
				a, err := netip.ParseAddr(strings.Split(ac.Value("address"), "/")[0])
				return err == nil && a == ga
			}) {
			// Another host on the LAN's own subnet: DHCP may hand out any
			// gateway (DHCP page: "the default gateway to be used by DHCP
			// clients"), and the clients reach it on their wire. A VPN or
			// filtering box the user put there on purpose was called off
			// the subnet, and the fix moved every client back to the
			// router, out of its tunnel (realcheck27 D3). Said, not fixed:
			// the router's NAT and forwards are not the clients' way out.
			// An address the router holds on another segment (a VLAN, a
			// VRRP interface over another port) stays a finding: nobody
			// answers for it on this wire.
			note := fmt.Sprintf("server %s on %s hands out gateway %s, another host on its subnet, not the router (line %d): the clients leave through that host, so the router's masquerade, failover and filter are not on their way out (not probed); if the router should be their gateway, set gateway=%s on that network", export.Quote(name), iface, ga, n.Line, sub.Addr())
			if !slices.Contains(p.Notes, note) {
				p.Notes = append(p.Notes, note)
			}
			gwOff = false
		}
		if !netOff && !gwOff {
			disabledNotes(out[from:], fixes, off, srv.Line)
			continue
		}
		reported[n.Line] = true
		routerAddr := sub.Addr()
		var what []string
		set := ""
		if netOff {
			what = append(what, fmt.Sprintf("network %s", np))
			set += " address=" + sub.Masked().String()
		}
		if gerr == nil && !held[ga] && (gwOff || netOff) {
			what = append(what, fmt.Sprintf("gateway %s (none of the router's addresses there)", ga))
			set += " gateway=" + routerAddr.String()
		}
		// A DNS server of the old subnet's router address goes with the
		// gateway.
		if d := n.Value("dns-server"); d != "" {
			var ds []string
			moved := false
			for _, x := range strings.Split(d, ",") {
				if a, err := netip.ParseAddr(strings.TrimSpace(x)); err == nil && (a == ga && !held[a] || np.Contains(a) && !onAny(all, a)) {
					x, moved = routerAddr.String(), true
				}
				if !slices.Contains(ds, x) {
					ds = append(ds, x)
				}
			}
			if moved {
				what = append(what, fmt.Sprintf("DNS server %s", d))
				set += " dns-server=" + strings.Join(ds, ",")
			}
		}
		out = append(out, Finding{Forward: -1, Path: path, Cause: DHCPOffSubnet, Line: n.Line, Rule: n.Raw,
			Detail: fmt.Sprintf("server %s on %s hands out %s: not on the subnet of %s", export.Quote(name), iface, strings.Join(what, " and "), where)})
		fixes[n.Line] = dhcpFix{"dhcp network " + n.Value("address"), fmt.Sprintf("/ip dhcp-server network set [ find where address=%s ]%s", export.Quote(n.Value("address")), set)}
		disabledNotes(out[from:], fixes, off, srv.Line)
	}
	return out, fixes
}

// wanNamed is the WAN read on the export's interface iface, nil when
// iface is no WAN.
func (p *Plan) wanNamed(iface string) *WAN {
	for i := range p.WANs {
		if p.WANs[i].Interface == iface {
			return &p.WANs[i]
		}
	}
	for i := range p.sharedWANs {
		if p.sharedWANs[i].Interface == iface {
			return &p.sharedWANs[i]
		}
	}
	return nil
}

// moveRange puts a pool range of another subnet into sub: the part of it
// inside sub when there is one, else the same host numbers in sub (the
// renumbered defconf's .10-.254), else every host of sub but the
// router's addresses' side.
func moveRange(r dhcpRange, sub netip.Prefix, held map[netip.Addr]bool) dhcpRange {
	first, last := sub.Addr().Next(), lastOf(sub).Prev()
	if sub.Bits() >= 31 {
		first, last = sub.Addr(), lastOf(sub)
	}
	if r.in(sub) {
		return r
	}
	clean := func(c dhcpRange) bool {
		if c.lo.Less(first) || last.Less(c.hi) || c.hi.Less(c.lo) {
			return false
		}
		for a := range held {
			if !a.Less(c.lo) && !c.hi.Less(a) {
				return false
			}
		}
		return true
	}
	if r.overlaps(sub) {
		c := r
		if c.lo.Less(first) {
			c.lo = first
		}
		if last.Less(c.hi) {
			c.hi = last
		}
		if clean(c) {
			return c
		}
	}
	hostBits := 32 - sub.Bits()
	shift := func(a netip.Addr) netip.Addr {
		b, s := a.As4(), sub.Addr().As4()
		v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
		w := uint32(s[0])<<24 | uint32(s[1])<<16 | uint32(s[2])<<8 | uint32(s[3])
		mask := uint32(1)<<hostBits - 1
		v = w&^mask | v&mask
		return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
	}
	if c := (dhcpRange{shift(r.lo), shift(r.hi)}); clean(c) {
		return c
	}
	// Every host of the subnet on the larger side of the router's
	// address.
	c := dhcpRange{first, last}
	for a := range held {
		if !sub.Contains(a) {
			continue
		}
		lo, hi := dhcpRange{c.lo, a.Prev()}, dhcpRange{a.Next(), c.hi}
		if a == c.lo {
			c = hi
		} else if a == c.hi {
			c = lo
		} else if lo.size() >= hi.size() {
			c = lo
		} else {
			c = hi
		}
	}
	return c
}

// size is the number of addresses in r.
func (r dhcpRange) size() uint32 {
	l, h := r.lo.As4(), r.hi.As4()
	lv := uint32(l[0])<<24 | uint32(l[1])<<16 | uint32(l[2])<<8 | uint32(l[3])
	hv := uint32(h[0])<<24 | uint32(h[1])<<16 | uint32(h[2])<<8 | uint32(h[3])
	return hv - lv + 1
}

// subnetList names the subnets of the router's addresses ps.
func subnetList(ps []netip.Prefix) string {
	var s []string
	for _, p := range ps {
		s = append(s, p.Masked().String())
	}
	return strings.Join(s, ", ")
}

// dhcpFixFor is the fix line of the DHCPOffSubnet finding on line.
func (p *Plan) dhcpFixFor(line int) (dhcpFix, bool) {
	_, fixes := p.dhcpSubnet()
	fl, ok := fixes[line]
	return fl, ok
}

// disabledNotes turns the findings of a server RouterOS 6 created
// disabled (off) into notes that carry their fix: nothing is handed out
// until the server is enabled, and enabling it as it is would hand out
// what the finding says.
func disabledNotes(fs []Finding, fixes map[int]dhcpFix, off bool, line int) {
	if !off {
		return
	}
	for i := range fs {
		fs[i].Detail = fmt.Sprintf("%s; the server (line %d) is disabled, RouterOS 6 adds a DHCP server disabled and the export writes no disabled=no, so nothing is handed out now; before enabling it: %s", strings.Replace(fs[i].Detail, " hands out ", " would hand out ", 1), line, fixes[fs[i].Line].line)
		fs[i].Cause = ""
		delete(fixes, fs[i].Line)
	}
}

// dhcpUnprobed says, for the verdict's unprobed paths, why a DHCP
// server's is one: the lab's clients have fixed addresses, and none
// leases from the router (a lease off the lab's wired subnet would have
// no wire to live on). "" when no path is a DHCP server's.
func dhcpUnprobed(paths []string) string {
	if slices.ContainsFunc(paths, func(s string) bool { return strings.HasPrefix(s, dhcpPrefix) }) {
		return "; the lab's LAN clients have fixed addresses, none leases from the router's DHCP server"
	}
	return ""
}

// dhcpServerSel selects a DHCP server in a fix line: by its name, or by
// its interface when the export names none.
func dhcpServerSel(name, iface string) string {
	if name == "" {
		return fmt.Sprintf("[ find where interface=%s ]", export.Quote(iface))
	}
	return fmt.Sprintf("[ find where name=%s ]", export.Quote(name))
}
