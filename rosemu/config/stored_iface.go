package config

import (
	"net/netip"
	"strings"

	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/script"
)

// Stored interfaces: interfaces of menus rosemu stores without enforcing
// (GRE, EoIP, VPN clients, ...). They exist in the model, so that addresses,
// routes, list members and rules may name them as in a real export, but
// not in the kernel: their addresses and the routes through them are left
// out of the kernel's state and reported as not enforced. Rules and
// interface lists keep naming them; nftables matches interface names as
// text, so a rule for a missing interface matches nothing.

// storedIfTables are the tables whose items are stored interfaces (the
// menus that hold them add themselves). WireGuard interfaces are links of
// the kernel (ifaceTables), but carry no frames: a VLAN on one is stored
// (frameless).
var storedIfTables []string

// frameless: the interface is a link that carries IP packets only (a
// WireGuard interface's TUN), so a VLAN on it is built nowhere.
func frameless(m *model, name string) bool {
	for _, it := range m.tables[wireguardTable] {
		if it.props["name"] == name {
			return true
		}
	}
	return false
}

const storedIfReason = "the interface is stored only (no such link in the emulator): the address or route carries no packets"

// storedIfWhy is storedIfReason in the words of the menu whose line names
// the stored interface: a bridge port of it forwards nothing, a rule or
// setting naming it sees no packet.
func storedIfWhy(path string) string {
	const stored = "the interface is stored only (no such link in the emulator): "
	switch {
	case path == "ip address" || path == "ip route" || path == "ipv6 address" || path == "ipv6 route":
		return storedIfReason
	case path == "interface bridge port":
		return stored + "the bridge port forwards nothing"
	}
	return stored + "what names it sees no packet"
}

// isStoredInterface: name is an interface of a stored menu, or a VLAN on
// one, by the configuration alone. It answers "does this name exist, and
// is it one of those" for a command (a rename's clash, an interface a
// property names). storedIndex answers "is it a link now" for the state
// given to the kernel, where a PPPoE server binding whose user's session
// is up is a link; outside sessions the two agree.
func isStoredInterface(m *model, name string) bool {
	return storedDepth(m, name, 0)
}

// loopbackIface is RouterOS 7's built-in loopback interface: v7 exports of
// routers running OSPF or BGP put their router-id address on it ("/ip
// address add address=10.255.0.1 interface=lo"). rosemu puts such
// addresses on the namespace's own loopback, so the router answers them
// and OSPF can announce them; RouterOS 6 has no such interface and
// refuses the name.
const loopbackIface = "lo"

// storedDepth: a stored interface, or a VLAN on one (a VLAN on a VRRP
// interface or a MAC VLAN is no more built than its parent). depth
// bounds a chain of VLANs on VLANs.
func storedDepth(m *model, name string, depth int) bool {
	for _, tbl := range storedIfTables {
		for _, it := range m.tables[tbl] {
			if it.props["name"] != name {
				continue
			}
			if tbl == vrrpTable {
				// A run virtual router is a link of the kernel; a VLAN
				// on one is not built.
				return depth > 0 || vrrpWhy(m, it, func(p string) bool { return storedDepth(m, p, depth+1) }) != ""
			}
			return true
		}
	}
	if depth > 8 {
		return false
	}
	for _, v := range m.tables["interface vlan"] {
		if v.props["name"] == name {
			return frameless(m, v.props["interface"]) || storedDepth(m, v.props["interface"], depth+1)
		}
	}
	return false
}

// storedIndex answers isStoredInterface for many names of one model: the
// stored interfaces and the VLANs' parents are read once (a 4,000-VLAN
// export took a scan of every VLAN for each name, 3.5 s; now linear).
func storedIndex(m *model) func(name string) bool {
	stored := map[string]bool{}
	var vrrpItems []*item
	for _, tbl := range storedIfTables {
		for _, it := range m.tables[tbl] {
			if tbl == vrrpTable {
				vrrpItems = append(vrrpItems, it)
				continue
			}
			stored[it.props["name"]] = true
		}
	}
	// A PPPoE server binding is a link while its user's session is up:
	// its static addresses and routes apply then, as on RouterOS.
	for _, n := range pppServerIfaceNames(m) {
		delete(stored, n)
	}
	noFrames := map[string]bool{}
	for _, it := range m.tables[wireguardTable] {
		noFrames[it.props["name"]] = true
	}
	parent := map[string]string{}
	for _, v := range m.tables["interface vlan"] {
		if _, ok := parent[v.props["name"]]; !ok {
			parent[v.props["name"]] = v.props["interface"]
		}
	}
	lookup := func(name string, runVRRP map[string]bool) bool {
		for depth := 0; ; depth++ {
			if stored[name] || (depth > 0 && (noFrames[name] || runVRRP[name])) {
				return true
			}
			p, ok := parent[name]
			if !ok || depth > 8 {
				return false
			}
			name = p
		}
	}
	// The virtual routers rosemu runs are links of the kernel, those it
	// cannot run are stored (vrrpWhy); a VLAN on either is not built.
	runVRRP := map[string]bool{}
	for _, it := range vrrpItems {
		runVRRP[it.props["name"]] = true
	}
	for _, it := range vrrpItems {
		if vrrpWhy(m, it, func(p string) bool { return lookup(p, runVRRP) }) != "" {
			stored[it.props["name"]] = true
		}
	}
	return func(name string) bool { return lookup(name, runVRRP) }
}

// gatewayIface is the interface a gateway names: "wg0" or "10.0.0.1%wg0".
func gatewayIface(gw string) string {
	if _, ifc, ok := strings.Cut(gw, "%"); ok {
		return ifc
	}
	return gw
}

// dropStoredInterfaces removes from s the addresses on stored interfaces
// and the routes through them, the VLANs on them and their bridge ports
// (a container's veth in a bridge): the kernel has no such link.
//
// A running tunnel (runningTunnel) is not simply left out: what is routed
// into it must go nowhere, as into a tunnel whose far end never answers,
// not out of another interface by the next route (the default route, in
// clear text and masqueraded). Each one is a TUN link that nothing reads
// (kernel.TunLink, as a WireGuard interface's): its addresses and the
// routes through it (gateway=<tunnel>, <address>%<tunnel>, a next hop in
// its subnet) are the kernel's, the firewall sees the packets leave by it
// (out-interface, change-mss), and the TUN drops them. A VLAN on a tunnel
// has no link (a TUN carries no frames): its subnets and the routes
// through it are blackhole routes of the same destination, distance and
// table, and the router's own address on it is on the loopback.
func dropStoredInterfaces(m *model, s *kernel.State) {
	isStoredInterface := storedIndex(m)
	vlans := s.VLANs[:0]
	for _, v := range s.VLANs {
		if !isStoredInterface(v.Name) {
			vlans = append(vlans, v)
		}
	}
	s.VLANs = vlans
	// An EoIP tunnel's TAP carries frames: its bridge port forwards.
	l2 := l2Tunnel(m)
	for i := range s.Bridges {
		ports := s.Bridges[i].Ports[:0]
		for _, p := range s.Bridges[i].Ports {
			if !isStoredInterface(p.Interface) || l2(p.Interface) {
				ports = append(ports, p)
			}
		}
		s.Bridges[i].Ports = ports
	}
	s.TunLinks = append(s.TunLinks, tunnelLinks(m)...)
	// Addresses on stored interfaces never reach s (addressInvalid: no
	// such link); a running tunnel's are read from the model.
	addrs := s.Addresses[:0]
	for _, a := range s.Addresses {
		if !isStoredInterface(a.Interface) {
			addrs = append(addrs, a)
		}
	}
	held, _ := tunnelNets(m)
	for _, h := range held {
		if h.link {
			addrs = append(addrs, kernel.Address{Prefix: netip.PrefixFrom(h.addr, h.prefix.Bits()), Interface: h.iface})
		} else {
			addrs = append(addrs, kernel.Address{Prefix: netip.PrefixFrom(h.addr, 32), Interface: loopbackIface})
		}
	}
	s.Addresses = addrs
	arp := s.StaticARP[:0]
	for _, n := range s.StaticARP {
		if !isStoredInterface(n.Interface) {
			arp = append(arp, n)
		}
	}
	s.StaticARP = arp
	tunnelOf := runningTunnel(m)
	routes := s.Routes[:0]
	for _, r := range s.Routes {
		tun, link := routeTunnel(r.Type, r.Gateway, s.Addresses, held, tunnelOf)
		switch {
		case tun != "" && link:
			routes = append(routes, r)
		case tun != "":
			// A gateway check's pings are lost in the tunnel as well:
			// the route is inactive, as RouterOS makes it once the
			// checks fail, and its traffic takes other routes.
			if r.CheckGateway == "" {
				routes = append(routes, kernel.Route{Dst: r.Dst, Distance: r.Distance, Table: r.Table, Type: "blackhole"})
			}
		case !isStoredInterface(gatewayIface(r.Gateway)):
			routes = append(routes, r)
		}
	}
	// The subnets of VLANs on tunnels, as their connected routes
	// (distance 0).
	seen := map[netip.Prefix]bool{}
	for _, h := range held {
		if !h.link && !seen[h.prefix] {
			seen[h.prefix] = true
			routes = append(routes, kernel.Route{Dst: h.prefix, Type: "blackhole"})
		}
	}
	s.Routes = routes
}

// tunnelNet is a subnet of an address on a running tunnel (or on a VLAN
// on one).
type tunnelNet struct {
	prefix netip.Prefix
	addr   netip.Addr // the router's own address in it
	iface  string     // the interface the address is on
	tunnel string     // the tunnel it is or rides on
	link   bool       // iface is the tunnel: a TUN link of the kernel
}

// runningTunnelTables are the stateless tunnels: RouterOS keeps such an
// interface running whatever the far end does ("GRE is the same as IPIP
// and EoIP which were originally developed as stateless tunnels. This
// means that if the remote end of the tunnel goes down, all traffic that
// was routed over the tunnels will get blackholed", GRE page of the
// manual), unless keepalive fails (keepaliveWhy). The VPN clients are
// not among them: a client that never connects (rosemu builds none) is not
// running, and RouterOS makes the routes through it inactive, as leaving
// them out of the kernel does.
var runningTunnelTables = []string{"interface gre", "interface ipip", "interface eoip",
	"interface gre6", "interface ipipv6", "interface eoipv6", "interface vxlan"}

// tunnelMTU is the mtu a running tunnel gets when its mtu is auto: the
// 1500 of the path less the encapsulation (GRE 24 bytes, IPIP 20, EoIP
// 42, their IPv6 kinds 20 more). [verify] RouterOS's actual-mtu. A
// VXLAN's mtu is its own (default 1500, vxlanTunLink).
var tunnelMTU = map[string]int{"interface gre": 1476, "interface ipip": 1480, "interface eoip": 1458,
	"interface gre6": 1456, "interface ipipv6": 1460, "interface eoipv6": 1438}

// tunnelLinks are the TUN links of the enabled running tunnels.
func tunnelLinks(m *model) []kernel.TunLink {
	var out []kernel.TunLink
	shadowed := vxlanShadowed(m)
	for _, tbl := range runningTunnelTables {
		for _, it := range m.tables[tbl] {
			if !it.disabled() {
				// A GRE, IPIP or EoIP link is the iptunnel
				// service's; the others are drained by the
				// dataplane.
				tl := kernel.TunLink{Name: it.props["name"], MTU: atoiOr(it.props["mtu"], tunnelMTU[tbl]), Sink: !builtTunnelTables[tbl]}
				if tbl == "interface vxlan" {
					tl = vxlanTunLink(m, it)
					if _, ok := shadowed[tl.Name]; ok {
						// Its VNI and port are an earlier VXLAN's
						// (vxlanSharedReason): a running link that
						// drops, as every VXLAN was before.
						tl = kernel.TunLink{Name: tl.Name, MTU: tl.MTU, Sink: true}
					}
				}
				if tbl == "interface eoip" {
					// EoIP carries Ethernet frames: a TAP, with
					// the tunnel's mac-address (unset: the
					// kernel's generated one).
					tl.TAP = true
					if !groupMAC(it.props["mac-address"]) {
						tl.MAC = it.props["mac-address"]
					}
				}
				out = append(out, tl)
			}
		}
	}
	return out
}

// runningTunnel returns, for an interface name, the enabled stateless
// tunnel it is or a VLAN on it rides on, "" for any other.
func runningTunnel(m *model) func(name string) string {
	tunnels := map[string]bool{}
	for _, tbl := range runningTunnelTables {
		for _, it := range m.tables[tbl] {
			if !it.disabled() {
				tunnels[it.props["name"]] = true
			}
		}
	}
	if len(tunnels) == 0 {
		// No name leads to a tunnel. validate asks on every line: the map
		// of 2,000 VLANs' parents built for each made loading them
		// quadratic.
		return func(string) string { return "" }
	}
	parent := map[string]string{}
	for _, v := range m.tables["interface vlan"] {
		if _, ok := parent[v.props["name"]]; !ok && !v.disabled() {
			parent[v.props["name"]] = v.props["interface"]
		}
	}
	return func(name string) string {
		for depth := 0; depth <= 8; depth++ {
			if tunnels[name] {
				return name
			}
			p, ok := parent[name]
			if !ok {
				return ""
			}
			name = p
		}
		return ""
	}
}

// routeTunnel is the running tunnel a route of type typ through gw leads
// into: the tunnel gw names (gre1, 172.16.0.2%gre1, or a VLAN on it), or
// the one whose subnet holds the next hop gw, when no address of the
// kernel's other links holds it more closely; "" for any other route.
// link says the route goes through the tunnel's own link (not a VLAN on
// it).
func routeTunnel(typ, gw string, kept []kernel.Address, held []tunnelNet, tunnelOf func(string) string) (tun string, link bool) {
	if typ != "" && typ != "unicast" {
		return "", false
	}
	if ifc := gatewayIface(gw); tunnelOf(ifc) != "" {
		return tunnelOf(ifc), tunnelOf(ifc) == ifc
	}
	ip, err := netip.ParseAddr(gw)
	if err != nil {
		return "", false
	}
	best := -1
	for _, h := range held {
		if h.prefix.Contains(ip) && h.prefix.Bits() > best {
			best, tun, link = h.prefix.Bits(), h.tunnel, h.link
		}
	}
	for _, a := range kept {
		if a.Interface != loopbackIface && tunnelOf(a.Interface) == "" && a.Prefix.Masked().Contains(ip) && a.Prefix.Bits() >= best {
			return "", false
		}
	}
	return tun, link
}

// tunnelNets are the subnets of the enabled IPv4 addresses on running
// tunnels in m (not on one that is a bridge port: RouterOS marks such an
// address invalid), and the addresses on the kernel's links.
func tunnelNets(m *model) (held []tunnelNet, kept []kernel.Address) {
	isStored := storedIndex(m)
	tunnelOf := runningTunnel(m)
	t := &tx{m: m}
	for _, a := range m.tables["ip address"] {
		p, err := netip.ParsePrefix(a.props["address"])
		if a.disabled() || err != nil || !p.Addr().Is4() {
			continue
		}
		ifc := a.props["interface"]
		if tun := tunnelOf(ifc); tun != "" {
			if !t.isSlave(ifc) {
				held = append(held, tunnelNet{prefix: p.Masked(), addr: p.Addr(), iface: ifc, tunnel: tun, link: ifc == tun})
			}
		} else if !isStored(ifc) {
			kept = append(kept, kernel.Address{Prefix: p, Interface: ifc})
		}
	}
	return held, kept
}

// routeIntoTunnel is the running tunnel the route item leads into, "" if
// none (tunnelNets of its model give held and kept).
func routeIntoTunnel(r *item, held []tunnelNet, kept []kernel.Address, tunnelOf func(string) string) (tun string, link bool) {
	if r.props["blackhole"] == "yes" {
		return "", false
	}
	return routeTunnel(r.props["type"], firstGateway(r.props["gateway"]), kept, held, tunnelOf)
}

// tunnelWhat names what a note is about: the running tunnel tun rosemu
// does not build, or, when it builds tun (an EoIP tunnel, whose TAP is a
// link), a VLAN on it, which it does not.
func tunnelWhat(tun string, built bool) string {
	if built {
		return "a VLAN on " + tun + ", which rosemu does not build (only the tunnel itself is a link)"
	}
	return tun + ", a tunnel rosemu does not build"
}

// intoTunnelReason is the note of a route into a running tunnel (built:
// into a VLAN on a built one).
func intoTunnelReason(tun string, built, checked bool) string {
	if checked {
		return "routed into " + tunnelWhat(tun, built) + ": its packets are dropped, and check-gateway's pings go unanswered there too, so the route becomes inactive and its traffic takes other routes, as on RouterOS when the far end does not answer"
	}
	return "routed into " + tunnelWhat(tun, built) + ": its packets are dropped, as in a tunnel whose far end never answers; nothing leaves by another interface"
}

// tunnelAddrReason is the note of an address on a running tunnel (built:
// on a VLAN on a built one).
func tunnelAddrReason(tun string, built bool) string {
	return "on " + tunnelWhat(tun, built) + ": the router holds the address, and what is routed to its subnet is dropped, as in a tunnel whose far end never answers"
}

// tunnelRuleReason is the note of a firewall rule whose key names a VLAN
// on the running tunnel tun (a rule naming the tunnel itself matches: it
// is a link).
func tunnelRuleReason(key, tun string, built bool) string {
	what := "a VLAN on " + tun + ", a tunnel rosemu does not build"
	if built {
		what = "a VLAN on " + tun + ", which rosemu does not build"
	}
	if key == "in-interface" {
		return "names " + what + ": nothing arrives from it, so the rule never matches"
	}
	return "names " + what + ": packets routed into it are dropped at the routing decision, before the forward and postrouting chains, so the rule never matches them"
}

// firewallTables are the IPv4 firewall tables whose rules may name a
// tunnel.
var firewallTables = []string{"ip firewall filter", "ip firewall nat", "ip firewall mangle", "ip firewall raw"}

// keepaliveWhy is the note of a running tunnel with keepalive set: the
// lab has no far end to answer it.
func keepaliveWhy(it *item) string {
	v, ok := it.props["keepalive"]
	if !ok {
		v = "10s,10"
	}
	if v == "" || it.disabled() {
		return ""
	}
	return "keepalive=" + v + ": the lab has no far end to answer it; RouterOS removes the tunnel's running flag once the keepalives go unanswered (interval times retries), and routes through it then become inactive, so its traffic takes other routes (the default route, in clear text); rosemu keeps the tunnel running for the whole run: what is routed into it is dropped"
}

// storedInterfaceUse counts the addresses and routes on stored interfaces,
// and the firewall rules naming a running tunnel, for NotEnforced.
func storedInterfaceUse(m *model) []NotEnforcedItem {
	isStoredInterface := storedIndex(m)
	tunnelOf := runningTunnel(m)
	held, kept := tunnelNets(m)
	var out []NotEnforcedItem
	add := func(path, key, why string) {
		for i := range out {
			if out[i].Path == path && out[i].Property == key && out[i].Reason == why {
				out[i].Count++
				return
			}
		}
		out = append(out, NotEnforcedItem{Path: path, Property: key, Reason: why, Count: 1})
	}
	built := builtTunnel(m)
	modelled := ipTunnelNamed(m)
	for _, a := range m.tables["ip address"] {
		ifc := a.props["interface"]
		if tun := tunnelOf(ifc); tun != "" && built(ifc) {
			// On a GRE or IPIP link: a real address of a real tunnel.
		} else if tun != "" {
			add("/ip address", "interface", tunnelAddrReason(tun, built(tun)))
		} else if isStoredInterface(ifc) && !modelled(ifc) {
			add("/ip address", "interface", storedIfReason)
		}
	}
	for _, r := range m.tables["ip route"] {
		if r.disabled() {
			continue
		}
		if tun, link := routeIntoTunnel(r, held, kept, tunnelOf); tun != "" && link && built(tun) {
			// Into a GRE or IPIP tunnel rosemu carries.
		} else if tun != "" {
			add("/ip route", "gateway", intoTunnelReason(tun, built(tun), gatewayChecked(r.props["check-gateway"])))
		} else if gw := gatewayIface(r.props["gateway"]); isStoredInterface(gw) && !modelled(gw) {
			add("/ip route", "gateway", storedIfReason)
		}
	}
	for _, tbl := range firewallTables {
		for _, it := range m.tables[tbl] {
			for _, key := range []string{"in-interface", "out-interface"} {
				if v := it.props[key]; tunnelOf(v) != "" && tunnelOf(v) != v {
					tun := tunnelOf(v)
					add("/"+tbl, key, tunnelRuleReason(key, tun, built(tun)))
				}
			}
		}
	}
	for _, tbl := range runningTunnelTables {
		for _, it := range m.tables[tbl] {
			if why := keepaliveWhy(it); why != "" && tbl != "interface vxlan" && !builtTunnelTables[tbl] {
				add("/"+tbl, "keepalive", why)
			}
		}
	}
	return out
}

// gatewayChecked: check-gateway v is one rosemu runs (ping, arp).
func gatewayChecked(v string) bool { return v == "ping" || v == "arp" }

// tunnelArgWhy is validate's note for a command that routes into a
// running tunnel, puts an address on one or names one in a firewall rule,
// "" for any other.
func tunnelArgWhy(m *model, path string, args []script.Arg) string {
	if path != "ip address" && path != "ip route" && !strings.HasPrefix(path, "ip firewall ") {
		return "" // before the tables are read: validate asks on every line
	}
	tunnelOf := runningTunnel(m)
	built := builtTunnel(m)
	switch path {
	case "ip address":
		if ifc := argLiteral(args, "interface"); built(ifc) {
			return ""
		} else if tun := tunnelOf(ifc); tun != "" {
			return "interface: " + tunnelAddrReason(tun, built(tun))
		}
	case "ip route":
		gw := firstGateway(argLiteral(args, "gateway"))
		if gw == "" || argLiteral(args, "blackhole") == "yes" {
			return ""
		}
		held, kept := tunnelNets(m)
		if tun, link := routeTunnel(argLiteral(args, "type"), gw, kept, held, tunnelOf); tun != "" && !(link && built(tun)) {
			return "gateway: " + intoTunnelReason(tun, built(tun), gatewayChecked(argLiteral(args, "check-gateway")))
		}
	case "ip firewall filter", "ip firewall nat", "ip firewall mangle", "ip firewall raw":
		for _, key := range []string{"in-interface", "out-interface"} {
			if v := argLiteral(args, key); tunnelOf(v) != "" && tunnelOf(v) != v {
				return key + ": " + tunnelRuleReason(key, tunnelOf(v), built(tunnelOf(v)))
			}
		}
	}
	return ""
}
