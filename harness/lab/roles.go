package lab

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Roles, ISP kinds and services: the parts of the lab grammar (docs/labs.md) that say what a node
// is for. Parse expands them into the plain fields the rest of the package runs (Forward, Serve,
// Args), so a lab written with them starts the same containers a hand-written one would.

// Node roles. Only isp and cpe change what the node does; the others say what it is for, in
// reports and in checks (a server must serve something).
var knownRoles = []string{"client", "server", "peer", "dns", "isp", "cpe", "host"}

// ISP kinds: what the access network in front of a router WAN does.
const (
	ISPStatic = "static" // a fixed address; the ISP routes it
	ISPDHCP   = "dhcp"   // the ISP leases the address (and can renumber it)
	ISPCGNAT  = "cgnat"  // 100.64.0.0/10 for the router, NATed by the ISP to a shared public address
	ISPPPPoE  = "pppoe"  // a PPPoE access concentrator (user space, PAP) gives the address by IPCP
)

var knownISPKinds = []string{ISPStatic, ISPDHCP, ISPCGNAT, ISPPPPoE}

// Router port roles: router.wan, router.wan2, ... name the wan ports in order; router.lan the lan
// port on the prober's network.
var knownPortRoles = []string{"wan", "lan"}

// Services a node can serve, with their default ports (0: none to give).
// http is whoami answering HTTP on its port (labagent's --http-port, which
// every whoami host also serves on 80).
var knownServices = map[string]int{"whoami": whoamiDefaultPort, "http": 80, "iperf3": 5201, "dns": 53, "doh": 443, "dhcp": 0, "dhcp6": 0, "cloud": 0, "ftp": 0}

const whoamiDefaultPort = 12566

// cgnatSpace is RFC 6598's shared address space, what carrier-grade NAT gives its customers.
var cgnatSpace = netip.MustParsePrefix("100.64.0.0/10")

// ISP is what an ISP node does for its customer network.
type ISP struct {
	Kind     string
	Customer string        // the network facing the customer (a router WAN port or a CPE)
	Public   netip.Addr    // cgnat: the shared public address, one of the node's own
	Lease    time.Duration // dhcp: lease time
	DNS      []netip.Addr  // dhcp, pppoe: DNS servers handed out
	User     string        // pppoe: the customer's user
	Password string        // pppoe: the customer's password
	// Auth is what a pppoe ISP asks the customer to log in with: a
	// RouterOS list of pap, chap, mschap1, mschap2, asked strongest first.
	// Empty is pap alone, what the lab's ISP has always asked for.
	Auth      string
	ACName    string // pppoe: the access concentrator's name (default lab-isp)
	Service   string // pppoe: the only service name offered (default any)
	AntiSpoof bool   // drop customer packets with a source the ISP did not give
	// ProxyARP makes the ISP answer ARP for every address it routes
	// elsewhere: a router whose default route names its WAN interface
	// (gateway=lte1, a modem's point-to-point link that check's
	// stand-in WAN puts on an ethernet port) then reaches the internet
	// through it, as it does through the carrier.
	ProxyARP bool
	// Offer is the address a dhcp or pppoe ISP gives the router. Without
	// it, the router's port address on the customer network; a customer
	// network that is a VLAN of a trunk has no router port of its own
	// (the port sits on the trunk), so it must say.
	Offer netip.Addr
	// PD is the IPv6 prefix the ISP delegates to the customer by DHCPv6
	// (any kind), routed to the client's link-local address; PDLease is
	// its lifetime (default 1m, renewed at half).
	PD      netip.Prefix
	PDLease time.Duration
	line    int
}

// CPE is an upstream router in front of ours: it owns the public address, NATs our router's WAN
// network to it and forwards chosen ports inwards (double NAT).
type CPE struct {
	Inside  string     // the network facing our router
	Public  netip.Addr // its own address upstream; `<node>.public` in scenarios
	Forward []PortForward
	line    int
}

// PortForward is one port a CPE forwards to an inside address.
type PortForward struct {
	Protocol string // tcp or udp
	Port     uint16
	To       netip.Addr // invalid: our router's address on the inside network
	ToPort   uint16     // 0: Port
}

// Route is a static route of a node.
type Route struct {
	To  netip.Prefix
	Via netip.Addr
}

// Service is one server a node runs on one port.
type Service struct {
	Kind string
	Port int // 0: the service's default
}

// serviceItem reads one serve entry: a name ("whoami") or a mapping ({kind: whoami, port: 80}).
func (p *parser) serviceItem(v *yaml.Node, node string) (Service, bool) {
	what := "node " + node + ": serve"
	var s Service
	switch v.Kind {
	case yaml.ScalarNode:
		s.Kind = v.Value
	case yaml.MappingNode:
		f := p.fields(v, what, "kind", "port")
		if f == nil {
			return s, false
		}
		s.Kind = p.str(f["kind"], what+": kind")
		if f["kind"] == nil {
			p.failAt(v, "%s: kind missing (one of %s)", what, strings.Join(serviceNames(), ", "))
			return s, false
		}
		if pv := f["port"]; pv != nil {
			s.Port = p.port(pv, what+": port")
			if def, known := knownServices[s.Kind]; known && def == 0 {
				p.failAt(pv, "%s: %s takes no port%s", what, s.Kind, map[bool]string{true: " (FTP listens on 21)", false: ""}[s.Kind == "ftp"])
			}
		}
	default:
		p.failAt(v, "%s: want a service name or {kind: ..., port: ...}, got %s", what, kindName(v))
		return s, false
	}
	if _, ok := knownServices[s.Kind]; !ok {
		p.failAt(v, "%s: unknown service %q (known: %s)", what, s.Kind, strings.Join(serviceNames(), ", "))
		return s, false
	}
	return s, true
}

func serviceNames() []string {
	var out []string
	for k := range knownServices {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func (p *parser) port(v *yaml.Node, what string) int {
	n, err := strconv.Atoi(p.str(v, what))
	if err != nil || n < 1 || n > 65535 {
		p.failAt(v, "%s: want a port from 1 to 65535, got %q", what, v.Value)
		return 0
	}
	return n
}

// serviceArgs turns a node's services into labagent's --serve list and port flags. A plain name
// keeps the service's default port; ports given with {kind, port} are added to it (whoami) or
// replace it (iperf3 and dns, which labagent runs on one port list).
func serviceArgs(svcs []Service) (serve []string, args []string) {
	ports := map[string][]int{}
	for _, s := range svcs {
		kind := s.Kind
		if kind == "http" {
			kind = "whoami"
		}
		if !slices.Contains(serve, kind) {
			serve = append(serve, kind)
		}
		port := s.Port
		if port == 0 {
			port = knownServices[s.Kind]
		}
		if port != 0 && !slices.Contains(ports[s.Kind], port) {
			ports[s.Kind] = append(ports[s.Kind], port)
		}
	}
	explicit := func(kind string) bool {
		for _, s := range svcs {
			if s.Kind == kind && s.Port != 0 {
				return true
			}
		}
		return false
	}
	join := func(ps []int) string {
		s := make([]string, len(ps))
		for i, p := range ps {
			s[i] = strconv.Itoa(p)
		}
		return strings.Join(s, ",")
	}
	// Without a port given, labagent's defaults hold (whoami 12566, iperf3 5201-5203, dns 53),
	// so labs written before ports could be given start exactly as they did.
	if explicit("whoami") {
		args = append(args, "--port", join(ports["whoami"]))
	}
	if explicit("iperf3") {
		var ps []int
		for _, s := range svcs {
			if s.Kind == "iperf3" && s.Port != 0 {
				ps = append(ps, s.Port)
			}
		}
		args = append(args, "--iperf-ports", join(ps))
	}
	if explicit("http") {
		for _, s := range svcs {
			if s.Kind == "http" && s.Port != 0 {
				args = append(args, "--http-port", strconv.Itoa(s.Port))
			}
		}
	}
	if explicit("dns") {
		for _, s := range svcs {
			if s.Kind == "dns" && s.Port != 0 {
				args = append(args, "--dns-port", strconv.Itoa(s.Port))
			}
		}
	}
	if explicit("doh") {
		for _, s := range svcs {
			if s.Kind == "doh" && s.Port != 0 {
				args = append(args, "--doh-port", strconv.Itoa(s.Port))
			}
		}
	}
	return serve, args
}

// role reads a node's role.
func (p *parser) role(v *yaml.Node, node string) string {
	r := p.str(v, "node "+node+": role")
	if !slices.Contains(knownRoles, r) {
		p.failAt(v, "node %s: unknown role %q (known: %s)", node, r, strings.Join(knownRoles, ", "))
	}
	return r
}

// portRole reads a router port's role.
func (p *parser) portRole(v *yaml.Node, owner string) string {
	r := p.str(v, owner+": role")
	if !slices.Contains(knownPortRoles, r) {
		p.failAt(v, "%s: unknown port role %q (known: %s)", owner, r, strings.Join(knownPortRoles, ", "))
	}
	return r
}

func (p *parser) isp(v *yaml.Node, node string) *ISP {
	what := "node " + node + ": isp"
	f := p.fields(v, what, "kind", "customer", "public", "lease", "dns", "antispoof", "user", "password", "ac-name", "service", "auth", "offer", "pd", "pd-lease", "proxy-arp")
	if f == nil {
		return nil
	}
	i := &ISP{Kind: ISPStatic, AntiSpoof: true, line: v.Line}
	if k := f["kind"]; k != nil {
		i.Kind = p.str(k, what+": kind")
		if !slices.Contains(knownISPKinds, i.Kind) {
			p.failAt(k, "%s: unknown kind %q (known: %s)", what, i.Kind, strings.Join(knownISPKinds, ", "))
		}
	}
	i.Customer = p.str(f["customer"], what+": customer")
	if pv := f["public"]; pv != nil {
		i.Public = p.addr(pv, what+": public")
		if i.Kind != ISPCGNAT {
			p.failAt(pv, "%s: public is for kind cgnat (the shared address), not %s", what, i.Kind)
		}
	}
	if lv := f["lease"]; lv != nil {
		d, err := time.ParseDuration(p.str(lv, what+": lease"))
		if err != nil || d < time.Second {
			p.failAt(lv, "%s: lease: want a duration of a second or more such as 10s, got %q", what, lv.Value)
		}
		i.Lease = d
		if i.Kind != ISPDHCP {
			p.failAt(lv, "%s: lease is for kind dhcp, not %s", what, i.Kind)
		}
	}
	for _, dv := range p.seq(f["dns"], what+": dns") {
		i.DNS = append(i.DNS, p.addr(dv, what+": dns"))
	}
	if ov := f["offer"]; ov != nil {
		i.Offer = p.addr(ov, what+": offer")
		if i.Kind != ISPDHCP && i.Kind != ISPPPPoE {
			p.failAt(ov, "%s: offer is for kinds dhcp and pppoe, not %s", what, i.Kind)
		}
	}
	if pv := f["pd"]; pv != nil {
		pfx, err := netip.ParsePrefix(p.str(pv, what+": pd"))
		switch {
		case err != nil || !pfx.Addr().Is6() || pfx.Addr().Is4In6():
			p.failAt(pv, "%s: pd: want an IPv6 prefix such as 3fff:200::/56, got %q", what, pv.Value)
		case pfx != pfx.Masked():
			p.failAt(pv, "%s: pd %s has host bits set (did you mean %s?)", what, pfx, pfx.Masked())
		case pfx.Bits() > 64:
			p.failAt(pv, "%s: pd %s is longer than /64: a LAN needs a /64", what, pfx)
		}
		i.PD = pfx
	}
	if lv := f["pd-lease"]; lv != nil {
		d, err := time.ParseDuration(p.str(lv, what+": pd-lease"))
		if err != nil || d < 4*time.Second || d > 24*time.Hour {
			p.failAt(lv, "%s: pd-lease: want a duration from 4s to 24h such as 1m, got %q", what, lv.Value)
		}
		i.PDLease = d
		if f["pd"] == nil {
			p.failAt(lv, "%s: pd-lease without pd", what)
		}
	}
	p.pppoeFields(i, f, what, v.Line)
	if len(i.DNS) > 0 && i.Kind != ISPDHCP && i.Kind != ISPPPPoE {
		p.failAt(f["dns"], "%s: dns is for kinds dhcp and pppoe, not %s (a static WAN sets its DNS in the router's configuration)", what, i.Kind)
	}
	if av := f["antispoof"]; av != nil {
		b, err := strconv.ParseBool(av.Value)
		if err != nil || av.Kind != yaml.ScalarNode {
			p.failAt(av, "%s: antispoof: want true or false, got %q", what, av.Value)
		}
		i.AntiSpoof = b
	}
	if av := f["proxy-arp"]; av != nil {
		b, err := strconv.ParseBool(av.Value)
		if err != nil || av.Kind != yaml.ScalarNode {
			p.failAt(av, "%s: proxy-arp: want true or false, got %q", what, av.Value)
		}
		i.ProxyARP = b
	}
	return i
}

func (p *parser) cpe(v *yaml.Node, node string) *CPE {
	what := "node " + node + ": cpe"
	f := p.fields(v, what, "inside", "public", "forward")
	if f == nil {
		return nil
	}
	c := &CPE{line: v.Line}
	c.Inside = p.str(f["inside"], what+": inside")
	if pv := f["public"]; pv != nil {
		c.Public = p.addr(pv, what+": public")
	}
	for _, fv := range p.seq(f["forward"], what+": forward") {
		ff := p.fields(fv, what+": forward", "protocol", "port", "to", "to-port")
		if ff == nil {
			continue
		}
		pf := PortForward{Protocol: "tcp"}
		if pv := ff["protocol"]; pv != nil {
			pf.Protocol = p.str(pv, what+": forward: protocol")
			if pf.Protocol != "tcp" && pf.Protocol != "udp" {
				p.failAt(pv, "%s: forward: unknown protocol %q (known: tcp, udp)", what, pf.Protocol)
			}
		}
		if pv := ff["port"]; pv != nil {
			pf.Port = uint16(p.port(pv, what+": forward: port"))
		} else {
			p.failAt(fv, "%s: forward without port", what)
		}
		if tv := ff["to"]; tv != nil {
			pf.To = p.addr(tv, what+": forward: to")
		}
		if tv := ff["to-port"]; tv != nil {
			pf.ToPort = uint16(p.port(tv, what+": forward: to-port"))
		}
		c.Forward = append(c.Forward, pf)
	}
	return c
}

func (p *parser) routes(v *yaml.Node, node string) []Route {
	what := "node " + node + ": routes"
	var out []Route
	for _, rv := range p.seq(v, what) {
		f := p.fields(rv, what, "to", "via")
		if f == nil {
			continue
		}
		var r Route
		if tv := f["to"]; tv != nil {
			pfx, err := netip.ParsePrefix(p.str(tv, what+": to"))
			if err != nil || pfx.Addr().Is4In6() {
				p.failAt(tv, "%s: to: want a prefix such as 192.0.2.0/24 or fd00:99::/64, got %q", what, tv.Value)
			}
			r.To = pfx.Masked()
		} else {
			p.failAt(rv, "%s: route without to", what)
		}
		if vv := f["via"]; vv != nil && r.To.Addr().Is6() {
			r.Via = p.addr6(vv, what+": via")
		} else if vv != nil {
			r.Via = p.addr(vv, what+": via")
		} else {
			p.failAt(rv, "%s: route without via", what)
		}
		out = append(out, r)
	}
	return out
}

// expandRoles checks roles, ISPs and CPEs against the whole spec and turns them into labagent
// flags. It runs after check, so networks and addresses are known good.
func (p *parser) expandRoles(s *Spec) {
	for i := range s.Nodes {
		n := &s.Nodes[i]
		line := p.nodeLines[n.Name]
		for _, r := range n.Routes {
			n.Args = append(n.Args, "--route", r.To.String()+"="+r.Via.String())
		}
		if n.Role == "server" && len(n.Serve) == 0 {
			p.failf(line, "node %s: role server but serves nothing (serve: [whoami] or {kind: ..., port: ...})", n.Name)
		}
		if n.ISP != nil {
			p.expandISP(s, n, line)
		}
		if n.CPE != nil {
			p.expandCPE(s, n, line)
		}
		if n.WireGuard != nil {
			p.expandWireGuard(s, n)
		}
		if n.OSPF != nil {
			p.expandOSPF(s, n)
		}
		if n.BGP != nil {
			p.expandBGP(s, n)
		}
		if n.VRRP != nil {
			p.expandVRRP(s, n)
		}
	}
}

// ownAddr returns the node's address on network name.
func (n *Node) ownAddr(name string) (netip.Addr, bool) {
	for _, in := range n.Interfaces {
		if in.Network == name {
			return in.Address, true
		}
	}
	return netip.Addr{}, false
}

// customerNetwork finds the network an ISP serves when the lab does not say: the one of its
// networks where a port of a router (the lab's or one of its more routers) or a CPE sits.
func customerNetwork(s *Spec, n *Node) []string {
	var out []string
	for _, in := range n.Interfaces {
		used := false
		for _, r := range append([]Router{s.Router}, s.Routers...) {
			for _, p := range r.Ports {
				used = used || p.Network == in.Network
			}
		}
		for _, o := range s.Nodes {
			if o.CPE != nil && o.Name != n.Name {
				_, on := o.ownAddr(in.Network)
				used = used || on
			}
		}
		if used {
			out = append(out, in.Network)
		}
	}
	return out
}

// noCustomerNetwork says why customerNetwork found nothing and what to
// write: the ISP's networks, and those of them that are a VLAN of a router
// port's network, the usual case (an ISP in a VLAN of the WAN wire, whose
// router port sits on the trunk). It said "candidates: " and an empty list
// (f69).
func noCustomerNetwork(s *Spec, n *Node) string {
	var nets, vlans []string
	for _, in := range n.Interfaces {
		nets = append(nets, in.Network)
		nw, ok := s.Network(in.Network)
		if !ok || nw.Trunk == "" {
			continue
		}
		for _, r := range append([]Router{s.Router}, s.Routers...) {
			for i, pt := range r.Ports {
				if pt.Network == nw.Trunk {
					vlans = append(vlans, fmt.Sprintf("%s (VLAN %d of %s, the network of %s's %s)", nw.Name, nw.VLAN, nw.Trunk, r.Name, PortName(i)))
				}
			}
		}
	}
	why := fmt.Sprintf("none of its networks (%s) has a router port or a CPE on it", strings.Join(nets, ", "))
	if len(vlans) > 0 {
		why += "; an ISP in a VLAN of the router's wire names that VLAN: " + strings.Join(vlans, ", ")
	}
	return why
}

func (p *parser) expandISP(s *Spec, n *Node, line int) {
	i := n.ISP
	line = i.line
	n.Forward = true
	if i.Customer == "" {
		c := customerNetwork(s, n)
		if len(c) > 1 {
			p.failf(line, "node %s: isp: say which network is the customer's (customer: NETWORK); candidates: %s", n.Name, strings.Join(c, ", "))
			return
		}
		if len(c) == 0 {
			p.failf(line, "node %s: isp: say which network is the customer's (customer: NETWORK): %s", n.Name, noCustomerNetwork(s, n))
			return
		}
		i.Customer = c[0]
	}
	own, ok := n.ownAddr(i.Customer)
	if !ok {
		p.failf(line, "node %s: isp: customer network %q is none of its networks", n.Name, i.Customer)
		return
	}
	nw, _ := s.Network(i.Customer)
	if i.AntiSpoof {
		// A block the ISP routes to the customer (routes: to X via an
		// address on the customer network, a routed /29) is the
		// customer's too: BCP 38 filters admit the prefixes routed to
		// a customer, so the servers of the block may answer from them.
		allow := []string{nw.Subnet.String()}
		for _, r := range n.Routes {
			if nw.Subnet.Contains(r.Via) {
				allow = append(allow, r.To.String())
			}
		}
		n.Args = append(n.Args, "--antispoof", nw.Subnet.String()+"="+strings.Join(allow, ","))
	}
	if i.PD.IsValid() {
		p.expandPD(n, nw, line)
	}
	switch i.Kind {
	case ISPDHCP:
		offer, ok := p.offer(s, n, nw, line)
		if !ok {
			return
		}
		lease := i.Lease
		if lease == 0 {
			lease = 10 * time.Second
		}
		if !slices.Contains(n.Serve, "dhcp") {
			n.Serve = append(n.Serve, "dhcp")
		}
		n.Args = append(n.Args, "--dhcp-subnet", nw.Subnet.String(), "--dhcp-offer", offer.String(),
			"--dhcp-lease", lease.String(), "--dhcp-router", own.String())
		if len(i.DNS) > 0 {
			var ds []string
			for _, d := range i.DNS {
				ds = append(ds, d.String())
			}
			n.Args = append(n.Args, "--dhcp-dns", strings.Join(ds, ","))
		}
	case ISPPPPoE:
		p.expandPPPoE(s, n, nw.Subnet, line)
	case ISPCGNAT:
		if !cgnatSpace.Contains(nw.Subnet.Addr()) || nw.Subnet.Bits() < cgnatSpace.Bits() {
			p.failf(line, "node %s: isp kind cgnat: customer network %s (%s) is not inside %s, the space carrier-grade NAT hands out", n.Name, i.Customer, nw.Subnet, cgnatSpace)
			return
		}
		if !i.Public.IsValid() {
			for _, in := range n.Interfaces {
				if in.Network != i.Customer {
					i.Public = in.Address
					break
				}
			}
		}
		if !p.ownsElsewhere(n, i.Public, i.Customer) {
			p.failf(line, "node %s: isp kind cgnat: public %s is not its address on a network other than %s", n.Name, i.Public, i.Customer)
			return
		}
		n.Args = append(n.Args, "--snat", nw.Subnet.String()+"="+i.Public.String(), "--block-inbound", nw.Subnet.String())
	}
}

// expandPD has the ISP delegate its prefix on the customer network: it
// needs an IPv6 address there (its DHCPv6 server's link).
func (p *parser) expandPD(n *Node, nw Network, line int) {
	i := n.ISP
	if !nw.Subnet6.IsValid() {
		p.failf(line, "node %s: isp: pd needs IPv6 on the customer network %s (subnet6)", n.Name, nw.Name)
		return
	}
	var own netip.Addr
	for _, in := range n.Interfaces {
		if in.Network == nw.Name {
			own = in.Address6
		}
	}
	if !own.IsValid() {
		p.failf(line, "node %s: isp: pd needs the node's address6 on the customer network %s", n.Name, nw.Name)
		return
	}
	if nw.Subnet6.Overlaps(i.PD) {
		p.failf(line, "node %s: isp: pd %s overlaps the customer network's subnet6 %s", n.Name, i.PD, nw.Subnet6)
		return
	}
	lease := i.PDLease
	if lease == 0 {
		lease = time.Minute
	}
	if !slices.Contains(n.Serve, "dhcp6") {
		n.Serve = append(n.Serve, "dhcp6")
	}
	n.Args = append(n.Args, "--dhcp6-subnet", nw.Subnet6.String(), "--dhcp6-pd", i.PD.String(), "--dhcp6-lease", lease.String())
}

// ownsElsewhere reports whether a is the node's address on a network other than except.
func (p *parser) ownsElsewhere(n *Node, a netip.Addr, except string) bool {
	for _, in := range n.Interfaces {
		if in.Network != except && in.Address == a {
			return true
		}
	}
	return false
}

func (p *parser) expandCPE(s *Spec, n *Node, line int) {
	c := n.CPE
	line = c.line
	n.Forward = true
	if c.Inside == "" {
		for _, in := range n.Interfaces {
			for _, port := range s.Router.Ports {
				if port.Network == in.Network {
					c.Inside = in.Network
				}
			}
		}
		if c.Inside == "" {
			p.failf(line, "node %s: cpe: none of its networks has a router port; say which is inside (inside: NETWORK)", n.Name)
			return
		}
	}
	if _, ok := n.ownAddr(c.Inside); !ok {
		p.failf(line, "node %s: cpe: inside network %q is none of its networks", n.Name, c.Inside)
		return
	}
	if !c.Public.IsValid() {
		for _, in := range n.Interfaces {
			if in.Network != c.Inside {
				c.Public = in.Address
				break
			}
		}
	}
	if !p.ownsElsewhere(n, c.Public, c.Inside) {
		p.failf(line, "node %s: cpe: public %s is not its address on a network other than %s", n.Name, c.Public, c.Inside)
		return
	}
	inside, _ := s.Network(c.Inside)
	var router netip.Addr
	for _, port := range s.Router.Ports {
		if port.Network == c.Inside {
			router = port.Address
		}
	}
	n.Args = append(n.Args, "--snat", inside.Subnet.String()+"="+c.Public.String(), "--block-inbound", inside.Subnet.String())
	for k := range c.Forward {
		f := &c.Forward[k]
		if !f.To.IsValid() {
			f.To = router
		}
		if !f.To.IsValid() || !inside.Subnet.Contains(f.To) {
			p.failf(line, "node %s: cpe: forward of %s/%d goes to %v, which is not on its inside network %s (%s)", n.Name, f.Protocol, f.Port, f.To, c.Inside, inside.Subnet)
			continue
		}
		if f.ToPort == 0 {
			f.ToPort = f.Port
		}
		n.Args = append(n.Args, "--port-forward", fmt.Sprintf("%s:%s=%s", f.Protocol,
			netip.AddrPortFrom(c.Public, f.Port), netip.AddrPortFrom(f.To, f.ToPort)))
	}
}

// nodeRole reads role, isp and cpe once the rest of the node is known: an isp or cpe block gives
// the node its role, and the role alone gives the block its defaults.
func (p *parser) nodeRole(f map[string]*yaml.Node, nd *Node) {
	if v := f["role"]; v != nil {
		nd.Role = p.role(v, nd.Name)
	}
	for _, b := range []struct {
		key  string
		set  func(*yaml.Node)
		dflt func()
	}{
		{"isp", func(v *yaml.Node) { nd.ISP = p.isp(v, nd.Name) }, func() { nd.ISP = &ISP{Kind: ISPStatic, AntiSpoof: true, line: p.nodeLines[nd.Name]} }},
		{"cpe", func(v *yaml.Node) { nd.CPE = p.cpe(v, nd.Name) }, func() { nd.CPE = &CPE{line: p.nodeLines[nd.Name]} }},
	} {
		v := f[b.key]
		switch {
		case v != nil && nd.Role != "" && nd.Role != b.key:
			p.failAt(v, "node %s: an %s block on a node of role %s (a node is one of: %s)", nd.Name, b.key, nd.Role, strings.Join(knownRoles, ", "))
		case v != nil:
			nd.Role = b.key
			b.set(v)
		case nd.Role == b.key:
			b.dflt()
		}
	}
}

// offer is the address a dhcp or pppoe ISP gives the router on its customer
// network nw: the ISP's offer, else the router's port address there.
func (p *parser) offer(s *Spec, n *Node, nw Network, line int) (netip.Addr, bool) {
	i := n.ISP
	onWire := false
	for _, port := range s.Router.Ports {
		if port.Network == i.Customer && !i.Offer.IsValid() {
			return port.Address, true
		}
		onWire = onWire || port.Network == i.Customer || nw.Trunk != "" && port.Network == nw.Trunk
	}
	switch {
	case !onWire:
		p.failf(line, "node %s: isp kind %s: no router port on network %s (or on its trunk) to give an address to", n.Name, i.Kind, i.Customer)
	case !i.Offer.IsValid():
		p.failf(line, "node %s: isp kind %s: network %s is a VLAN of %s, where the router's port has no address of it: say the router's address (offer: ADDRESS in %s)", n.Name, i.Kind, i.Customer, nw.Trunk, nw.Subnet)
	case !nw.Subnet.Contains(i.Offer) || i.Offer == nw.Subnet.Masked().Addr():
		p.failf(line, "node %s: isp: offer %s is not a host address of %s (%s)", n.Name, i.Offer, i.Customer, nw.Subnet)
	default:
		return i.Offer, true
	}
	return netip.Addr{}, false
}
