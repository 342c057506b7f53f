package check

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// A block of public addresses the ISP routes to the router (a /29 through
// the transfer network), kept on an interface no host is on, a bridge with
// no ports ("loopback"): a forward may name any address of it.

// NotLocal is a forward written with dst-address-type=local on an address
// of such a block that the router does not hold itself.
const NotLocal Cause = "the dst-nat takes dst-address-type=local, but the forward's address is no address of the router (it only lies in the subnet of one): the rule never matches, and the router routes the connection into that subnet"

// AddressNotHeld is a forward whose dst-address is another address of a
// static WAN's subnet that no interface of the router holds: the ISP's
// gateway on that subnet asks for it by ARP and nobody answers (unless
// the WAN does proxy ARP or a published /ip arp entry answers for it), so
// nothing from the internet reaches the rule
// (https://help.mikrotik.com/docs/display/ROS/ARP).
const AddressNotHeld Cause = "the dst-nat names an address of the WAN's subnet that no interface of the router holds: the ISP's gateway asks for it by ARP, nothing answers, and no connection from the internet reaches the rule"

// unheldWANAddrs returns the addresses of static WAN w's own subnet that
// the forward names (one address, or a block a netmap maps address to
// address) and the router does not hold (no /ip address, no proxy ARP on
// the WAN, no published ARP entry); the subnet's network and broadcast
// addresses are nobody's to hold, and neither is the ISP's gateway when
// it lies in the block (a netmap of the whole /29 it sits on): the fix
// that added it would take the gateway's address from under the default
// route. A routed block's addresses are NotLocal's.
func (p *Plan) unheldWANAddrs(w WAN, fw Forward) []netip.Addr {
	if w.Kind != "static" || !w.Address.IsValid() || fw.cmd == nil {
		return nil
	}
	d := fw.cmd.Value("dst-address")
	block, err := netip.ParsePrefix(d)
	if err != nil {
		a, err := netip.ParseAddr(d)
		if err != nil {
			return nil
		}
		block = netip.PrefixFrom(a, a.BitLen())
	}
	subnet := w.Address.Masked()
	if block.Bits() < subnet.Bits() || !subnet.Contains(block.Addr()) || block.Addr().BitLen()-block.Bits() > 6 {
		return nil
	}
	if _, routed := p.routedBlock(block.Addr()); routed {
		return nil
	}
	for _, c := range p.export.Commands {
		if enabled(c) && c.Value("arp") == "proxy-arp" && (c.Value("name") == w.Interface || strings.Contains(c.Raw, "default-name="+w.Interface+" ")) {
			return nil
		}
	}
	// The forward is probed on the block's first address; when the router
	// holds that one, the block is taken as arranged (the others' ARP is
	// left unsaid, [verify] whether an ISP routes such a block instead).
	if first := block.Masked().Addr(); first == w.Address.Addr() || p.routerHolds(first) || p.publishedARP(first) {
		return nil
	}
	last := lastOf(subnet)
	var out []netip.Addr
	for a := block.Masked().Addr(); block.Contains(a); a = a.Next() {
		if a == w.Address.Addr() || a == w.Gateway || p.routerHolds(a) || subnet.Bits() < 31 && (a == subnet.Addr() || a == last) || p.publishedARP(a) {
			continue
		}
		out = append(out, a)
	}
	return out
}

// publishedARP reports whether a published /ip arp entry answers for a.
func (p *Plan) publishedARP(a netip.Addr) bool {
	for _, c := range p.export.Commands {
		if enabled(c) && c.MenuPath() == "ip arp" && c.Value("published") == "yes" && c.Value("address") == a.String() {
			return true
		}
	}
	return false
}

// lastOf is the last address of prefix s (its broadcast address).
func lastOf(s netip.Prefix) netip.Addr {
	b := s.Masked().Addr().AsSlice()
	for i := range b {
		if n := s.Bits() - 8*i; n < 8 {
			if n < 0 {
				n = 0
			}
			b[i] |= byte(0xff >> n)
		}
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

// routedBlock returns the public subnet, on an interface no lab host is
// on, that holds a: the router holds one address of it and is routed the
// rest.
func (p *Plan) routedBlock(a netip.Addr) (Segment, bool) {
	for _, s := range p.Segments {
		if s.Port == "" && s.Prefix.Bits() < 32 && s.Prefix.Masked().Contains(a) && !s.Prefix.Addr().IsPrivate() && !cgnatPrefix.Contains(s.Prefix.Addr()) {
			return s, true
		}
	}
	return Segment{}, false
}

var cgnatPrefix = netip.MustParsePrefix("100.64.0.0/10")

// routedBlocks are the blocks the lab's first ISP routes to the router's
// first WAN address: the routed blocks without a host, and the public
// LAN segments a static WAN's ISP routes to the router (routedLAN).
func (p *Plan) routedBlocks() []netip.Prefix {
	var out []netip.Prefix
	for _, s := range p.Segments {
		if _, ok := p.routedBlock(s.Prefix.Addr()); ok || p.routedLAN(s) {
			out = append(out, s.Prefix.Masked())
		}
	}
	// Behind a private or shared WAN the lab's ISP is not on the WAN's
	// wire (an ISP router stands in front): it has no route to give
	// (t/inner.rsc: "add route to 160.22.181.18/32 via 172.16.10.2:
	// network is unreachable", the lab did not start).
	if len(p.WANs) > 0 && p.WANs[0].Behind() == "" {
		for _, a := range p.loopbackAddrs() {
			out = append(out, netip.PrefixFrom(a, 32))
		}
	}
	return out
}

// loopbackAddrs are the public IPv4 addresses the export puts on lo,
// RouterOS 7's loopback interface: single addresses the ISP routes to the
// router, which a forward may name (dst-address=A). Such a forward was
// probed, and read, at the WAN's own address, which it never matches: "no
// problem found" offline over paths that all failed, "broken, cause not
// identified" in the lab (chk58).
func (p *Plan) loopbackAddrs() []netip.Addr {
	if p.export == nil {
		return nil
	}
	var out []netip.Addr
	for _, c := range p.export.Commands {
		if c.MenuPath() != "ip address" || c.Verb != "add" || !enabled(c) || c.Value("interface") != "lo" {
			continue
		}
		v, bits, _ := strings.Cut(c.Value("address"), "/")
		a, err := netip.ParseAddr(v)
		if err == nil && a.Is4() && (bits == "" || bits == "32") && !needsNAT(a) && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// publicLAN reports whether LAN segment s, with a lab host, holds a public
// IPv4 subnet of its own (no address of a WAN's subnet, not a host or
// point-to-point route): a block its ISP routes to the router, whose
// hosts leave with their own addresses.
func (p *Plan) publicLAN(s Segment) bool {
	if s.Port == "" || !s.Prefix.Addr().Is4() || needsNAT(s.Prefix.Addr()) || s.Prefix.Bits() >= 31 {
		return false
	}
	for _, w := range p.WANs {
		if w.Address.IsValid() && w.Address.Masked().Overlaps(s.Prefix.Masked()) {
			return false
		}
	}
	return true
}

// routedLAN reports whether the lab's first ISP routes public LAN segment
// s to the router, as a real ISP routes such a block to the router's
// transfer address: on a static public WAN. Without the route the ISP
// sent the answers to the block's hosts to its own default route, so the
// lab probed nothing there, and an export whose only public hosts sat
// behind it read "no problem found" (forum47 D2). Behind a private WAN no
// ISP routes the range (publicLANNotes says so), and a PPPoE or DHCP
// ISP of the lab routes nothing beyond the address it hands out
// (unroutedLAN).
func (p *Plan) routedLAN(s Segment) bool {
	return p.publicLAN(s) && len(p.WANs) > 0 && p.WANs[0].Kind == "static" && p.WANs[0].Behind() == ""
}

// unroutedLAN reports whether s is a public LAN segment whose block the
// lab's ISP cannot route to the router (a PPPoE or DHCP WAN: the lab's ISP
// routes only the address it hands out): its hosts' connections leave, and
// the answers never come back, whatever the router's rules. A borrowed
// block (borrowedLAN) leaves translated to the WAN's address, as a private
// LAN does, and is probed like one.
func (p *Plan) unroutedLAN(s Segment) bool {
	return p.publicLAN(s) && len(p.WANs) > 0 && p.WANs[0].Behind() == "" && p.WANs[0].Kind != "static" && p.borrowedBy(s) == nil
}

// borrowedBy returns the source NAT rule that translates public LAN
// segment s's hosts to the address of a dynamic WAN (PPPoE or DHCP: the
// ISP hands out one address), nil when s is no such segment. Such a block
// is far more often someone else's range used as private space than one
// the ISP routes to a one-address line: the user relies on the
// translation, and the no-NAT exemption offered for a routed block took
// every host of those LANs off the internet (realcheck33 C1: an RT/RW-net
// on a home PPPoE line with 11.254.11.0/24, 12.254.11.0/24 and
// 13.254.11.0/24 behind one masquerade). A block with no translation is
// read as routed: its hosts could not get out otherwise; so are the blocks
// of a router with a BGP session.
func (p *Plan) borrowedBy(s Segment) *export.Command {
	if !p.publicLAN(s) || len(p.WANs) == 0 {
		return nil
	}
	w := p.WANs[0]
	if wi := p.mainWAN(); wi >= 0 {
		w = p.WANs[wi]
	}
	if w.Kind == "static" || w.Behind() != "" {
		return nil
	}
	f := p.export
	keep := p.keeper(f)
	for _, c := range f.Commands {
		// A router that speaks BGP is an ISP's or a network's edge: its
		// public blocks are most likely its own (rc33's chr-7208, an ISP
		// edge with customer /30s behind a DHCP-read uplink).
		if m := c.MenuPath(); (m == "routing bgp connection" || m == "routing bgp peer") && c.Verb == "add" && keep(c) && enabled(c) {
			return nil
		}
	}
	host := hostIn(s.Prefix, 2)
	if host == s.Prefix.Addr() {
		host = hostIn(s.Prefix, 3)
	}
	out := packet{src: host, dst: p.PeerAddr(), proto: "tcp", dstPort: lanOutPort, in: s.Interface, out: w.Interface, state: "new"}
	hit, how := p.newMatcher(f, keep).first(f, keep, "ip firewall nat", "srcnat", out, map[string]bool{"masquerade": true, "src-nat": true, "netmap": true, "same": true, "accept": true})
	if hit == nil || how != yes || hit.Value("action") == "accept" {
		return nil
	}
	return hit
}

// routerHolds reports whether a is one of the router's own addresses.
func (p *Plan) routerHolds(a netip.Addr) bool {
	for _, c := range p.export.Commands {
		if c.MenuPath() != "ip address" || c.Verb != "add" || !enabled(c) {
			continue
		}
		v, _, _ := strings.Cut(c.Value("address"), "/")
		if h, err := netip.ParseAddr(v); err == nil && h == a {
			return true
		}
	}
	return p.isRouterAddr(a)
}

// notLocalFix gives the router the address the forward names, on the
// block's interface, as a /32.
func (p *Plan) notLocalFix(fw *Forward) (key, line string, ok bool) {
	a, err := netip.ParseAddr(fw.cmd.Value("dst-address"))
	if err != nil {
		return "", "", false
	}
	s, ok := p.routedBlock(a)
	if !ok || p.routerHolds(a) {
		return "", "", false
	}
	return "address " + a.String(), fmt.Sprintf("/ip address add address=%s/32 interface=%s", a, quoteIf(s.Interface)), true
}

func quoteIf(s string) string {
	if strings.ContainsAny(s, " \"") {
		return fmt.Sprintf("%q", s)
	}
	return s
}

// routedPublicDst is the forward's dst-address when it is one public
// address (neither private nor carrier-grade NAT's shared space) the
// router holds, or one of a public subnet on one of its interfaces (a
// block routed to it, whose hosts sit behind it).
func (p *Plan) routedPublicDst(fw Forward) (netip.Addr, bool) {
	a, err := netip.ParseAddr(fw.cmd.Value("dst-address"))
	if err != nil || !a.Is4() || a.IsPrivate() || cgnatSpace.Contains(a) || a.IsLoopback() || !a.IsGlobalUnicast() {
		return netip.Addr{}, false
	}
	if p.routerHolds(a) {
		return a, true
	}
	for _, c := range p.export.Commands {
		if c.MenuPath() != "ip address" || c.Verb != "add" || !enabled(c) {
			continue
		}
		if pf, err := netip.ParsePrefix(c.Value("address")); err == nil && pf.Bits() < 32 && !pf.Addr().IsPrivate() && pf.Masked().Contains(a) {
			return a, true
		}
	}
	return netip.Addr{}, false
}
