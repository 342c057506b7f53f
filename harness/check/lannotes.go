package check

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// lanNotes are what an export can break for the LAN's own traffic, with no
// forward to probe it by: the check's lab probes forwards and services, so
// these are notes.
func (p *Plan) lanNotes(f *export.File, keep func(*export.Command) bool) {
	live := func(c *export.Command, menu string) bool {
		return keep(c) && enabled(c) && c.Verb == "add" && c.MenuPath() == menu
	}
	p.rawNotrackLANNote(f, live)
	p.passthroughNoNote(f, live)
	p.gatewayInterfaceNote(f, live)
	p.srcnatProtocolNote(f, live)
	p.regexpApexNote(f, live)
}

// segmentHolding returns the LAN segment whose subnet holds the prefix v (a raw
// rule's src-address), or -1.
func (p *Plan) segmentHolding(v string) int {
	pr, err := netip.ParsePrefix(v)
	if err != nil {
		a, err := netip.ParseAddr(v)
		if err != nil {
			return -1
		}
		pr = netip.PrefixFrom(a, a.BitLen())
	}
	for i, s := range p.Segments {
		if s.Prefix.Masked().Overlaps(pr) {
			return i
		}
	}
	return -1
}

// rawNotrackLANNote: a raw notrack meant to spare LAN-to-LAN traffic the
// connection tracker, written with the LAN as source and no destination.
// NAT works on tracked connections only, so the LAN's connections to the
// internet leave untranslated with the private source and their answers
// never come back; and between two segments only the one direction is
// untracked, so the other's connection sees an answer it never had and
// goes invalid (defconf drops invalid).
func (p *Plan) rawNotrackLANNote(f *export.File, live func(*export.Command, string) bool) {
	natted := slices.ContainsFunc(f.Commands, func(c *export.Command) bool {
		a := c.Value("action")
		return live(c, "ip firewall nat") && c.Value("chain") == "srcnat" && (a == "masquerade" || a == "src-nat")
	})
	if !natted {
		return
	}
	for _, c := range f.Commands {
		if !live(c, "ip firewall raw") || c.Value("chain") != "prerouting" || c.Value("action") != "notrack" ||
			c.Value("dst-address") != "" || c.Value("dst-address-list") != "" || c.Value("dst-address-type") != "" {
			continue
		}
		seg := p.segmentHolding(c.Value("src-address"))
		if seg < 0 {
			if in := c.Value("in-interface"); in != "" {
				seg = slices.IndexFunc(p.Segments, func(s Segment) bool { return s.Interface == in })
			}
		}
		if seg < 0 {
			continue
		}
		fix := "give it the other LAN subnets as its destination (dst-address or dst-address-list), and the way back a rule of its own"
		if len(p.Segments) == 2 {
			other := p.Segments[1-seg].Prefix.Masked()
			fix = fmt.Sprintf("/ip firewall raw set %s dst-address=%s, and the way back a rule of its own: /ip firewall raw add chain=prerouting action=notrack src-address=%s dst-address=%s",
				p.ruleSelector(c.Line), other, other, p.Segments[seg].Prefix.Masked())
		}
		half := ""
		if len(p.Segments) > 1 {
			half = "; between LAN segments only one direction is untracked, so a connection from another segment sees answers it never tracked, goes invalid and is dropped"
		}
		p.Notes = append(p.Notes, fmt.Sprintf("line %d untracks everything the LAN segment %s sends, its connections to the internet too (no destination): NAT works on tracked connections only, so they leave with the LAN's private address and their answers never come back%s (not probed); for traffic between the LAN segments only: %s",
			c.Line, p.Segments[seg].Interface, half, fix))
	}
}

// passthroughNoNote: a mangle rule that marks connections with
// passthrough=no ends the chain for the packets it matches, so a later
// mark-routing on that connection mark never reaches them. With
// connection-state=new that is the connection's first packet: it is routed
// by the main table, and NAT binds the connection to main's WAN for good
// (the later packets are routed by the mark, out the other WAN, with the
// first WAN's address).
func (p *Plan) passthroughNoNote(f *export.File, live func(*export.Command, string) bool) {
	order := routerOrder(f)
	for i, c := range order {
		if !live(c, "ip firewall mangle") || c.Value("action") != "mark-connection" || c.Value("passthrough") != "no" {
			continue
		}
		mark := c.Value("new-connection-mark")
		for _, r := range order[i+1:] {
			if !live(r, "ip firewall mangle") || r.Value("action") != "mark-routing" || r.Value("chain") != c.Value("chain") || r.Value("connection-mark") != mark {
				continue
			}
			// Rules that match different packets take nothing from each
			// other: the usual "answer by the WAN it came in" pair marks
			// the connection on what arrives from the WAN and routes
			// what arrives from the LAN (D5: in-interface-list=WAN, then
			// in-interface-list=!WAN, was told its mark never arrived).
			if disjointMatch(c, r) {
				continue
			}
			p.Notes = append(p.Notes, fmt.Sprintf("line %d marks connections %s with passthrough=no: the packets it matches stop there, so line %d's routing mark for %s never reaches them (with connection-state=new, the connection's first packet: it is routed by the main table and NAT keeps the connection on that WAN's address) (not probed); let them on: /ip firewall mangle set %s passthrough=yes",
				c.Line, mark, r.Line, mark, p.ruleSelector(c.Line)))
			break
		}
	}
}

// disjointMatch reports whether no packet can match both rules by their
// interface matchers: one names X, the other !X, or both name different
// single interfaces.
func disjointMatch(a, b *export.Command) bool {
	for _, k := range []string{"in-interface", "in-interface-list", "out-interface", "out-interface-list"} {
		x, y := a.Value(k), b.Value(k)
		if x == "" || y == "" {
			continue
		}
		if x == "!"+y || y == "!"+x {
			return true
		}
		// Two lists may share an interface; two interfaces cannot.
		if !strings.HasSuffix(k, "-list") && !strings.HasPrefix(x, "!") && !strings.HasPrefix(y, "!") && x != y {
			return true
		}
	}
	return false
}

// lastResort reports whether a default route has another default route
// (or a client's default route) of lower distance beside it: RouterOS
// makes the route of the least distance active, so this one carries
// nothing while the other is up (a distance=254 "emergency route" to an
// empty bridge behind PPPoE routes, D6).
func lastResort(f *export.File, r *export.Command) bool {
	d := routeDistance(r, "distance")
	for _, c := range f.Commands {
		if c == r || c.Verb != "add" || !enabled(c) {
			continue
		}
		switch c.MenuPath() {
		case "ip route":
			if dst := c.Value("dst-address"); dst != "" && dst != "0.0.0.0/0" || !mainTable(c) || c.Value("routing-mark") != "" || c.Value("gateway") == r.Value("gateway") {
				continue
			}
			if routeDistance(c, "distance") < d {
				return true
			}
		case "ip dhcp-client":
			if c.Value("add-default-route") != "no" && routeDistance(c, "default-route-distance") < d {
				return true
			}
		case "interface pppoe-client", "interface l2tp-client", "interface sstp-client", "interface pptp-client", "interface ovpn-client":
			if c.Value("disabled") == "no" && c.Value("add-default-route") == "yes" && routeDistance(c, "default-route-distance") < d {
				return true
			}
		}
	}
	return false
}

// sinkRoute reports whether a default route is a last resort (lastResort)
// to a bridge with no port: nothing is on its wire, so it holds traffic
// while the routes of lower distance are down and is meant to (RB3011's
// "Emergency route" distance=254 gateway=bridge-loopback). A backup route
// to a port, which the router does use on failover, is not one.
func sinkRoute(f *export.File, r *export.Command) bool {
	gw := r.Value("gateway")
	bridge := false
	for _, c := range f.Commands {
		if c.Verb != "add" || !enabled(c) {
			continue
		}
		switch c.MenuPath() {
		case "interface bridge":
			bridge = bridge || c.Value("name") == gw
		case "interface bridge port":
			if c.Value("bridge") == gw {
				return false
			}
		}
	}
	return bridge && lastResort(f, r)
}

// gatewayInterfaceNote: a default route whose gateway is an Ethernet
// interface rather than an address. RouterOS then treats every destination
// as on that wire and asks ARP for each; only an ISP that answers ARP for
// any address (proxy ARP) makes it work. Point-to-point interfaces (PPPoE,
// tunnels) have no ARP and are fine as gateways.
func (p *Plan) gatewayInterfaceNote(f *export.File, live func(*export.Command, string) bool) {
	ether := map[string]bool{}
	for _, pt := range p.Ports {
		ether[pt.Name] = true
	}
	for _, c := range f.Commands {
		switch c.MenuPath() {
		case "interface bridge", "interface vlan":
			if c.Verb == "add" && c.Value("name") != "" {
				ether[c.Value("name")] = true
			}
		}
	}
	for _, c := range f.Commands {
		if !live(c, "ip route") {
			continue
		}
		if d := c.Value("dst-address"); d != "" && d != "0.0.0.0/0" {
			continue
		}
		gw := c.Value("gateway")
		if !ether[gw] || sinkRoute(f, c) || p.lteStandIn(gw) {
			// An LTE modem's interface is no Ethernet: gateway=lte1 is
			// how a route goes by it (its stand-in's ISP answers ARP).
			continue
		}
		on := ""
		for _, w := range p.WANs {
			if w.Interface == gw && w.Address.IsValid() {
				on = " on " + w.Address.Masked().String()
			}
		}
		p.Notes = append(p.Notes, fmt.Sprintf("line %d routes the internet to gateway=%s, an Ethernet interface, not an address: the router asks ARP for every destination as if the whole internet were on that wire, which only an ISP that answers ARP for any address (proxy ARP) makes work; otherwise the internet, and the answers to the port forwards, go nowhere (not probed); name the ISP's gateway address%s instead: /ip route set %s gateway=<the ISP's address>",
			c.Line, gw, on, p.ruleSelector(c.Line)))
	}
}

// srcnatProtocolNote: the LAN's src-nat to the internet written only for
// some protocols (a rule for tcp and one for udp): the rest, ICMP among
// them (ping, traceroute), leaves with the LAN's private source, which no
// ISP routes back.
func (p *Plan) srcnatProtocolNote(f *export.File, live func(*export.Command, string) bool) {
	var rules []*export.Command
	for _, c := range f.Commands {
		a := c.Value("action")
		if !live(c, "ip firewall nat") || c.Value("chain") != "srcnat" || (a != "masquerade" && a != "src-nat") {
			continue
		}
		// A hairpin rule (towards a LAN segment) is no way out.
		if p.segmentHolding(c.Value("dst-address")) >= 0 || p.segmentByInterface(c.Value("out-interface")) != nil {
			continue
		}
		rules = append(rules, c)
	}
	if len(rules) == 0 || len(p.WANs) == 0 {
		return
	}
	var lines, protos []string
	for _, c := range rules {
		pr := c.Value("protocol")
		if pr == "" || strings.HasPrefix(pr, "!") {
			return
		}
		lines = append(lines, fmt.Sprint(c.Line))
		if !slices.Contains(protos, pr) {
			protos = append(protos, pr)
		}
	}
	p.Notes = append(p.Notes, fmt.Sprintf("the src-nat to the internet (%s) covers only %s: ping, traceroute and every other protocol leave with the LAN's private address, and their answers never come back (not probed); one rule for every protocol: /ip firewall nat set %s !protocol",
		linesWord(lines), strings.Join(protos, ", "), p.ruleSelector(rules[0].Line)))
}

// apexRegexp is a static DNS regexp written for the names under a domain:
// a start that takes any label (".*\." or ".+\.") and the domain, escaped,
// anchored at the end.
var apexRegexp = regexp.MustCompile(`^\^?\.[*+]\\\.((?:[a-z0-9-]+\\\.)+[a-z]{2,})\$$`)

// regexpApexNote: split DNS by one regexp entry for a domain, written so
// that it takes every name under the domain but not the domain itself
// (".*\.myserver\.net$"). The bare name goes upstream and gets the public
// address, which the LAN reaches only through a hairpin.
func (p *Plan) regexpApexNote(f *export.File, live func(*export.Command, string) bool) {
	for _, c := range f.Commands {
		if !live(c, "ip dns static") || c.Value("address") == "" {
			continue
		}
		if t := c.Value("type"); t != "" && t != "A" {
			continue
		}
		re := c.Value("regexp")
		m := apexRegexp.FindStringSubmatch(strings.ToLower(re))
		if m == nil {
			continue
		}
		domain := strings.ReplaceAll(m[1], `\.`, ".")
		// An entry for the bare name beside it covers it.
		if slices.ContainsFunc(f.Commands, func(o *export.Command) bool {
			return live(o, "ip dns static") && strings.EqualFold(o.Value("name"), domain)
		}) {
			continue
		}
		escaped := strings.ReplaceAll(domain, ".", `\\.`)
		p.Notes = append(p.Notes, fmt.Sprintf("line %d answers every name under %s with %s but not %s itself (its regexp needs a label and a dot before it): the router asks upstream for %s and hands the LAN the public address (not probed); take the domain too: /ip dns static set %s regexp=\"(^|\\\\.)%s\\$\"",
			c.Line, domain, c.Value("address"), domain, domain, p.ruleSelector(c.Line), escaped))
	}
}
