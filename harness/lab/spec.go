// Package lab turns a lab topology (labs/*.yaml) into running containers on
// internal Docker networks, and tears them down again.
//
// The configuration types (Spec, Router, Network, Node, Interface) are plain
// data: the zero value is a valid empty lab, and Parse fills them from YAML
// with errors that name the file and line. Up starts a Spec; the returned
// *Lab runs commands in nodes, reads their logs and removes everything.
package lab

import (
	"bytes"
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Spec is one lab topology: a router, the networks it and the hosts sit on,
// and the hosts.
type Spec struct {
	Name   string
	File   string // the file the spec was read from, for messages; may be empty
	Router Router
	// Routers are more RouterOS routers beside the device under test (a
	// far site, an upstream MikroTik): each runs rosemu from the router
	// image and is configured as the router is (docs/labs.md, "More
	// routers"). Their ports are etherN in the order written.
	Routers  []Router
	Networks []Network
	Nodes    []Node
}

// Router is the device under test. Its ports become ether1, ether2, ... in
// this order.
type Router struct {
	Name  string
	Base  string // the lab's base .rsc, relative to the spec file
	Ports []Interface
	// Emulator holds extra rosemu flags (such as the IP Cloud check
	// interval) for labs that need them; a real CHR has no such knobs.
	Emulator []string
}

// Network is one lab segment, from a /30 up. Every address in it but the
// network and broadcast addresses is the lab's: Docker's gateway lies
// outside the host numbers the lab can use (wireBits).
type Network struct {
	Name   string
	Subnet netip.Prefix
	// Subnet6 is the network's IPv6 prefix, invalid when it has none: its
	// hosts then carry no IPv6.
	Subnet6 netip.Prefix
	// Trunk and VLAN make the network a VLAN of another one: its frames
	// cross the trunk network's wire tagged with VLAN (802.1Q), and its
	// hosts sit in it untagged, as on a switch's access port (vlan.go).
	Trunk string
	VLAN  int
	// SegmentOf names the network whose subnet this one carries on a wire
	// of its own (segment.go): one subnet over two lab segments, joined
	// only by a router's bridge. Empty for a network of its own subnet.
	SegmentOf string
}

// Node is a Linux host running labagent.
type Node struct {
	Name       string
	Role       string     // client, server, peer, dns, isp, cpe or host; may be empty
	ISP        *ISP       // role isp: what the access network does (roles.go)
	CPE        *CPE       // role cpe: the upstream router in front of ours
	WireGuard  *WireGuard // a tunnel to the router (roles_wireguard.go)
	OSPF       *OSPF      // BIRD's OSPF on the node (roles_ospf.go)
	BGP        *BGP       // BIRD's BGP session with the router (roles_bgp.go)
	VRRP       *VRRP      // the other router of a virtual router (roles_vrrp.go)
	Routes     []Route    // static routes besides the default one
	Services   []Service  // what serve lists, with ports
	Forward    bool       // routes between its interfaces (net.ipv4.ip_forward=1)
	Gateway    netip.Addr // the default route; invalid (zero) for none
	Gateway6   netip.Addr // the IPv6 default route; invalid for none
	Serve      []string   // labagent servers to run, such as whoami and iperf3
	Args       []string   // extra labagent node flags, such as the DHCP server's
	Interfaces []Interface
}

// Interface attaches a node or router port to a network at a fixed address.
type Interface struct {
	Network string
	Address netip.Addr
	// DHCP makes a host take its lab address from the router's DHCP
	// server; Address then only places it on the wire and names its MAC
	// address (02:00 and the address in hex) unless MAC names one.
	DHCP bool
	// MAC is the host's MAC address on this network, lower case, empty
	// for the one chrlab derives from the address. A router that answers
	// only the hosts it knows (arp=reply-only with static /ip arp
	// entries, or static DHCP leases) knows them by MAC, so a lab host
	// standing in for one of them needs that host's MAC.
	MAC  string
	Role string // router ports only: wan or lan; empty means ether1 is the WAN
	// Name is a router port's RouterOS name when it is not etherN: the
	// default name of the RouterBOARD port it stands for (sfp-sfpplus1 of
	// an RB5009, sfp1 of a hEX S), so that a pasted export naming that
	// port runs as it is. The router's port keeps its default-name etherN;
	// the lab renames it before any configuration (PortPrelude) and reads
	// default-name=<Name> in a configuration as etherN (PortDefaults).
	Name string
	// Address6 is the interface's IPv6 address in its network's Subnet6,
	// invalid for none. A router port's is the configuration's to set; the
	// lab only checks it.
	Address6 netip.Addr
	// SLAAC makes the host take Address6 from the router's advertisements
	// instead of setting it: it keeps Address6's interface identifier as
	// its token, so the address it forms is known.
	SLAAC bool
	// PPPoE makes the host a PPPoE customer of the router: it has no
	// address on the Ethernet, dials the router's PPPoE server with this
	// login and routes everything through the session (roles_pppoe.go).
	// Address then only places it on the wire and names its MAC address,
	// as for DHCP.
	PPPoE *PPPoELogin
	// VRRP lists the virtual addresses a router port holds by its
	// configuration (/interface vrrp on the port, the address on the
	// virtual router): two routers of a lab that share a virtual router
	// both name it, and a host may take it as its gateway (check.go).
	// Router ports only.
	VRRP []netip.Addr
}

// Network returns the network named name.
func (s *Spec) Network(name string) (Network, bool) {
	for _, n := range s.Networks {
		if n.Name == name {
			return n, true
		}
	}
	return Network{}, false
}

// BasePath returns the router's base .rsc resolved against the spec file's
// directory; empty when the router has none.
func (s *Spec) BasePath() string {
	if s.Router.Base == "" {
		return ""
	}
	return filepath.Join(filepath.Dir(s.File), s.Router.Base)
}

// Load reads and checks a lab file.
func Load(path string) (*Spec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read lab spec: %w", err)
	}
	return Parse(path, data)
}

// Parse reads a lab spec from data; file names it in errors. It rejects
// unknown fields and checks that every address exists in its network's
// subnet, is not the network's reserved address and is used only once.
func Parse(file string, data []byte) (*Spec, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s", yamlError(file, err))
	}
	p := &parser{file: file}
	s := &Spec{File: file}
	if len(doc.Content) == 0 {
		return nil, fmt.Errorf("%s: empty lab spec", file)
	}
	p.spec(doc.Content[0], s)
	if p.err != nil {
		return nil, p.err
	}
	p.check(s)
	if p.err != nil {
		return nil, p.err
	}
	p.expandRoles(s)
	if p.err != nil {
		return nil, p.err
	}
	return s, nil
}

// yamlLine matches the "line N:" that yaml.v3 puts in its syntax errors.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// yamlError rewrites a yaml.v3 error as "file:line: message". yaml.v3
// reports parser errors ("did not find expected ...") at the zero-based
// line of the construct being parsed, and scanner errors one-based; the
// parser's line is shifted so that both point at the line a person sees.
func yamlError(file string, err error) string {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		rest := msg[len(m[0]):]
		if strings.HasPrefix(rest, "did not find expected") {
			line++
		}
		return fmt.Sprintf("%s:%d: %s", file, line, rest)
	}
	return file + ": " + strings.TrimPrefix(msg, "yaml: ")
}

// parser walks the YAML node tree. It keeps the first error (later ones are
// usually consequences of it) and, with their lines, the interfaces and
// gateways it read, for the checks that need the whole file (a router port
// may name a network defined further down).
type parser struct {
	file      string
	err       error
	nodeLines map[string]int // node and router names -> line
	netLines  map[string]int
	ifaces    []ifaceRef
	gateways  []gatewayRef
	vrrps     []vrrpRef
	segments  []segmentRef
}

// vrrpRef is one virtual address of a router port, for check.go.
type vrrpRef struct {
	owner   string
	network string
	addr    netip.Addr
	line    int
}

type ifaceRef struct {
	owner string // "router router", "node client1"
	// router says a port of the router, which may hold its network's
	// network address (check.go).
	router bool
	in     Interface
	line   int
	// macLine is the line of the interface's mac, 0 for none.
	macLine int
}

type gatewayRef struct {
	node string
	gw   netip.Addr
	ifs  []Interface
	line int
}

func (p *parser) failf(line int, format string, args ...any) {
	if p.err == nil {
		p.err = fmt.Errorf("%s:%d: %s", p.file, line, fmt.Sprintf(format, args...))
	}
}

// fields iterates over a mapping's key/value pairs, rejecting keys that are
// not in known (so that a typo such as "gatway" is an error, not a silently
// missing route) and duplicate keys.
func (p *parser) fields(n *yaml.Node, what string, known ...string) map[string]*yaml.Node {
	if n.Kind != yaml.MappingNode {
		p.failAt(n, "%s: want a mapping, got %s", what, kindName(n))
		return nil
	}
	out := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !contains(known, k.Value) {
			p.failAt(k, "%s: unknown field %q (known: %s)", what, k.Value, strings.Join(known, ", "))
			continue
		}
		if _, dup := out[k.Value]; dup {
			p.failAt(k, "%s: field %q given twice", what, k.Value)
		}
		out[k.Value] = v
	}
	return out
}

func (p *parser) spec(n *yaml.Node, s *Spec) {
	p.nodeLines, p.netLines = map[string]int{}, map[string]int{}
	f := p.fields(n, "lab", "name", "router", "routers", "networks", "nodes")
	if f == nil {
		return
	}
	s.Name = p.str(f["name"], "lab name")
	if v := f["router"]; v != nil {
		p.router(v, &s.Router)
	}
	for _, v := range p.seq(f["networks"], "networks") {
		var nw Network
		nf := p.fields(v, "network", "name", "subnet", "subnet6", "trunk", "vlan", "segment-of")
		if nf == nil {
			continue
		}
		nw.Name = p.name(nf["name"], v, "network")
		p.vlanFields(nf, v, &nw)
		p.segmentField(nf, &nw)
		if sv := nf["subnet"]; sv != nil {
			pfx, err := netip.ParsePrefix(sv.Value)
			switch {
			case err != nil:
				p.failAt(sv, "network %s: parse subnet: %v", nw.Name, err)
			case !pfx.Addr().Is4():
				p.failAt(sv, "network %s: subnet %s is not IPv4", nw.Name, pfx)
			case pfx != pfx.Masked():
				p.failAt(sv, "network %s: subnet %s has host bits set (did you mean %s?)", nw.Name, pfx, pfx.Masked())
			case pfx.Bits() > 30:
				p.failAt(sv, "network %s: subnet %s is smaller than a /30, which leaves no room for two hosts", nw.Name, pfx)
			}
			nw.Subnet = pfx
		} else if nw.SegmentOf == "" {
			p.failAt(v, "network %s: subnet missing (or segment-of: the network whose subnet it carries)", nw.Name)
		}
		if sv := nf["subnet6"]; sv != nil {
			pfx, err := netip.ParsePrefix(sv.Value)
			switch {
			case err != nil:
				p.failAt(sv, "network %s: parse subnet6: %v", nw.Name, err)
			case !pfx.Addr().Is6() || pfx.Addr().Is4In6():
				p.failAt(sv, "network %s: subnet6 %s is not IPv6", nw.Name, pfx)
			case pfx != pfx.Masked():
				p.failAt(sv, "network %s: subnet6 %s has host bits set (did you mean %s?)", nw.Name, pfx, pfx.Masked())
			case pfx.Bits() > 126:
				p.failAt(sv, "network %s: subnet6 %s leaves no room for two hosts", nw.Name, pfx)
			}
			nw.Subnet6 = pfx
		}
		if _, dup := p.netLines[nw.Name]; dup && nw.Name != "" {
			p.failAt(v, "network %s defined twice (first at line %d)", nw.Name, p.netLines[nw.Name])
		}
		p.netLines[nw.Name] = v.Line
		s.Networks = append(s.Networks, nw)
	}
	p.resolveSegments(s)
	for _, v := range p.seq(f["nodes"], "nodes") {
		s.Nodes = append(s.Nodes, p.node(v))
	}
	for _, v := range p.seq(f["routers"], "routers") {
		s.Routers = append(s.Routers, p.moreRouter(v, s))
	}
}

func (p *parser) router(n *yaml.Node, r *Router) {
	f := p.fields(n, "router", "name", "base", "ports", "emulator")
	if f == nil {
		return
	}
	r.Name = p.name(f["name"], n, "router")
	if first, dup := p.nodeLines[r.Name]; dup && r.Name != "" {
		p.failAt(n, "router %s: name already used at line %d", r.Name, first)
	}
	r.Base = p.str(f["base"], "router base")
	if r.Base != "" && !filepath.IsLocal(r.Base) {
		// A lab comes with a case from anywhere (a forum post, a user's
		// mail): its base stays in the lab file's folder, as the case's
		// own paths do, so that no case reads a file elsewhere on the
		// machine into a router and its report.
		p.failAt(f["base"], "router base %q leaves the lab's folder; keep the .rsc beside the lab file", r.Base)
	}
	p.nodeLines[r.Name] = n.Line
	ports := p.seq(f["ports"], "router ports")
	if len(ports) == 0 {
		p.failAt(n, "router %s: no ports", r.Name)
	}
	for _, v := range ports {
		r.Ports = append(r.Ports, p.iface(v, "router "+r.Name, "role", "name", "vrrp"))
	}
	p.portNames(ports, r)
	for _, v := range p.seq(f["emulator"], "router "+r.Name+": emulator") {
		r.Emulator = append(r.Emulator, p.str(v, "router "+r.Name+": emulator"))
	}
}

func (p *parser) node(n *yaml.Node) Node {
	var nd Node
	f := p.fields(n, "node", "name", "role", "isp", "cpe", "wireguard", "ospf", "bgp", "vrrp", "forward", "gateway", "gateway6", "routes", "serve", "args", "interfaces")
	if f == nil {
		return nd
	}
	nd.Name = p.name(f["name"], n, "node")
	if first, dup := p.nodeLines[nd.Name]; dup && nd.Name != "" {
		p.failAt(n, "node %s: name already used at line %d", nd.Name, first)
	}
	p.nodeLines[nd.Name] = n.Line
	p.nodeRole(f, &nd)
	if v := f["forward"]; v != nil {
		b, err := strconv.ParseBool(v.Value)
		if err != nil || v.Kind != yaml.ScalarNode {
			p.failAt(v, "node %s: forward: want true or false, got %q", nd.Name, v.Value)
		}
		nd.Forward = b
	}
	gwLine := 0
	if v := f["gateway"]; v != nil {
		nd.Gateway = p.addr(v, "node "+nd.Name+": gateway")
		gwLine = v.Line
	}
	gw6Line := 0
	if v := f["gateway6"]; v != nil {
		nd.Gateway6 = p.addr6(v, "node "+nd.Name+": gateway6")
		gw6Line = v.Line
	}
	for _, v := range p.seq(f["serve"], "node "+nd.Name+": serve") {
		if svc, ok := p.serviceItem(v, nd.Name); ok {
			nd.Services = append(nd.Services, svc)
		}
	}
	var portArgs []string
	nd.Serve, portArgs = serviceArgs(nd.Services)
	nd.Args = append(nd.Args, portArgs...)
	nd.Routes = p.routes(f["routes"], nd.Name)
	if v := f["ospf"]; v != nil {
		nd.OSPF = p.ospf(v, nd.Name)
	}
	if v := f["bgp"]; v != nil {
		nd.BGP = p.bgp(v, nd.Name)
	}
	if v := f["vrrp"]; v != nil {
		nd.VRRP = p.vrrp(v, nd.Name)
	}
	if v := f["wireguard"]; v != nil {
		nd.WireGuard = p.wireguard(v, nd.Name)
	}
	for _, v := range p.seq(f["args"], "node "+nd.Name+": args") {
		nd.Args = append(nd.Args, p.str(v, "node "+nd.Name+": args"))
	}
	ifs := p.seq(f["interfaces"], "node "+nd.Name+": interfaces")
	if len(ifs) == 0 {
		p.failAt(n, "node %s: no interfaces", nd.Name)
	}
	for _, v := range ifs {
		nd.Interfaces = append(nd.Interfaces, p.iface(v, "node "+nd.Name))
	}
	if nd.Gateway.IsValid() {
		p.gateways = append(p.gateways, gatewayRef{node: nd.Name, gw: nd.Gateway, ifs: nd.Interfaces, line: gwLine})
	}
	if nd.Gateway6.IsValid() {
		p.gateways = append(p.gateways, gatewayRef{node: nd.Name, gw: nd.Gateway6, ifs: nd.Interfaces, line: gw6Line})
	}
	return nd
}

func (p *parser) iface(n *yaml.Node, owner string, extra ...string) Interface {
	var in Interface
	f := p.fields(n, owner+": interface", append([]string{"network", "address", "address6", "slaac", "dhcp", "pppoe", "mac"}, extra...)...)
	router := strings.HasPrefix(owner, "router ") // the router's port, not a node's interface
	if f == nil {
		return in
	}
	if v := f["dhcp"]; v != nil {
		b, err := strconv.ParseBool(v.Value)
		switch {
		case err != nil || v.Kind != yaml.ScalarNode:
			p.failAt(v, "%s: dhcp: want true or false, got %q", owner, v.Value)
		case b && router:
			p.failAt(v, "%s: dhcp: the router's ports take their addresses from its configuration", owner)
		}
		in.DHCP = b
	}
	if v := f["pppoe"]; v != nil {
		in.PPPoE = p.pppoeLogin(v, owner, router, in.DHCP)
	}
	if v := f["role"]; v != nil {
		in.Role = p.portRole(v, owner)
	}
	if v := f["name"]; v != nil && router {
		in.Name = p.str(v, owner+": name")
	}
	if v := f["mac"]; v != nil {
		in.MAC = p.mac(v, owner, router, in.PPPoE != nil)
	}
	in.Network = p.str(f["network"], owner+": network")
	if in.Network == "" {
		p.failAt(n, "%s: interface without network", owner)
	}
	if v := f["vrrp"]; v != nil && router {
		for _, a := range p.seq(v, owner+": vrrp") {
			addr := p.addr(a, owner+": vrrp")
			in.VRRP = append(in.VRRP, addr)
			p.vrrps = append(p.vrrps, vrrpRef{owner: owner, network: in.Network, addr: addr, line: a.Line})
		}
	}
	if v := f["address6"]; v != nil {
		in.Address6 = p.addr6(v, owner+": address6")
	}
	if v := f["slaac"]; v != nil {
		b, err := strconv.ParseBool(v.Value)
		switch {
		case err != nil || v.Kind != yaml.ScalarNode:
			p.failAt(v, "%s: slaac: want true or false, got %q", owner, v.Value)
		case b && router:
			p.failAt(v, "%s: slaac: the router's ports take their addresses from its configuration", owner)
		case b && f["address6"] == nil:
			p.failAt(v, "%s: slaac: needs the address6 the host will form (its interface identifier is the host's token)", owner)
		}
		in.SLAAC = b
	}
	if v := f["address"]; v != nil {
		in.Address = p.addr(v, owner+": address")
		macLine := 0
		if m := f["mac"]; m != nil {
			macLine = m.Line
		}
		p.ifaces = append(p.ifaces, ifaceRef{owner: owner, in: in, line: v.Line, router: router, macLine: macLine})
	} else {
		p.failAt(n, "%s: interface on %s without address", owner, in.Network)
	}
	return in
}

// mac reads a host interface's MAC address: six octets, unicast (the
// host's frames carry it as their source, and a group address there is
// dropped by every bridge), and not all zero.
func (p *parser) mac(n *yaml.Node, owner string, router, pppoe bool) string {
	s := p.str(n, owner+": mac")
	hw, err := net.ParseMAC(s)
	switch {
	case router:
		p.failAt(n, "%s: mac: the router's ports keep the MAC addresses the lab gives them; set a port's MAC in the router's configuration", owner)
	case pppoe:
		p.failAt(n, "%s: mac: a PPPoE customer takes the MAC its planned address names; mac is for static and DHCP hosts", owner)
	case err != nil || len(hw) != 6:
		p.failAt(n, "%s: mac: parse %q: want six octets such as 48:65:ee:19:3c:0d", owner, s)
	case hw[0]&1 != 0:
		p.failAt(n, "%s: mac: %s is a multicast address; a host's own MAC is unicast (the first octet even)", owner, hw)
	case bytes.Equal(hw, make(net.HardwareAddr, 6)):
		p.failAt(n, "%s: mac: %s is no host's address", owner, hw)
	default:
		return hw.String()
	}
	return ""
}

// seq returns a sequence's items; a missing field is an empty sequence.
func (p *parser) seq(n *yaml.Node, what string) []*yaml.Node {
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		p.failAt(n, "%s: want a list, got %s", what, kindName(n))
		return nil
	}
	return n.Content
}

func (p *parser) str(n *yaml.Node, what string) string {
	if n == nil {
		return ""
	}
	if n.Kind != yaml.ScalarNode {
		p.failAt(n, "%s: want a string, got %s", what, kindName(n))
		return ""
	}
	return n.Value
}

// nameRE is what a node or network name may be: it becomes part of
// container and network names and of symbolic addresses (router.lan).
var nameRE = regexp.MustCompile(`^[a-z][a-z0-9-]{0,30}$`)

func (p *parser) name(n *yaml.Node, parent *yaml.Node, what string) string {
	if n == nil {
		p.failAt(parent, "%s without name", what)
		return ""
	}
	s := p.str(n, what+" name")
	if s != "" && !nameRE.MatchString(s) {
		p.failAt(n, "%s name %q: want lower-case letters, digits and dashes, starting with a letter", what, s)
	}
	return s
}

func (p *parser) addr(n *yaml.Node, what string) netip.Addr {
	s := p.str(n, what)
	a, err := netip.ParseAddr(s)
	if err != nil {
		p.failAt(n, "%s: parse %q: want an IPv4 address", what, s)
		return netip.Addr{}
	}
	if !a.Is4() {
		p.failAt(n, "%s: %s is not IPv4", what, a)
	}
	return a
}

// addr6 reads an IPv6 address.
func (p *parser) addr6(n *yaml.Node, what string) netip.Addr {
	s := p.str(n, what)
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is6() || a.Is4In6() || a.Zone() != "" {
		p.failAt(n, "%s: parse %q: want an IPv6 address", what, s)
		return netip.Addr{}
	}
	return a
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	case yaml.AliasNode:
		return "an alias"
	}
	return "nothing"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
