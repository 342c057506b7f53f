package check

import (
	"fmt"
	"net/netip"
	"strings"
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

// unheldWANAddr returns the address of static WAN w's own subnet that the
// forward names and the router does not hold (no /ip address, no proxy
// ARP on the WAN, no published ARP entry); a routed block's addresses
// are NotLocal's.
func (p *Plan) unheldWANAddr(w WAN, fw Forward) (netip.Addr, bool) {
	if w.Kind != "static" || !w.Address.IsValid() || fw.cmd == nil {
		return netip.Addr{}, false
	}
	a, err := netip.ParseAddr(fw.cmd.Value("dst-address"))
	if err != nil || a == w.Address.Addr() || !w.Address.Masked().Contains(a) || p.routerHolds(a) {
		return netip.Addr{}, false
	}
	if _, routed := p.routedBlock(a); routed {
		return netip.Addr{}, false
	}
	for _, c := range p.export.Commands {
		if enabled(c) && c.MenuPath() == "ip arp" && c.Value("published") == "yes" && c.Value("address") == a.String() {
			return netip.Addr{}, false
		}
		if enabled(c) && c.Value("arp") == "proxy-arp" && (c.Value("name") == w.Interface || strings.Contains(c.Raw, "default-name="+w.Interface+" ")) {
			return netip.Addr{}, false
		}
	}
	return a, true
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
// first WAN address.
func (p *Plan) routedBlocks() []netip.Prefix {
	var out []netip.Prefix
	for _, s := range p.Segments {
		if _, ok := p.routedBlock(s.Prefix.Addr()); ok {
			out = append(out, s.Prefix.Masked())
		}
	}
	return out
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
