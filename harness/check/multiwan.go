package check

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// wansOf returns the indexes of the WANs a forward is meant for: on a
// router with several WANs, a dst-nat bound to one WAN's interface (or
// list, or address) is that WAN's forward by design, and the internet is
// probed only there. A binding that names none of the WANs (the port
// under a PPPoE client) is a mistake, not a choice: every WAN is probed,
// and the diagnosis finds the binding.
func (p *Plan) wansOf(fw Forward) []int {
	var all []int
	for i := range p.WANs {
		all = append(all, i)
	}
	if len(p.WANs) < 2 || fw.cmd == nil {
		return all
	}
	// The forward's own binding, and that of the jump into its chain
	// (chain=dstnat action=jump dst-address=<the static WAN's address>):
	// a connection must pass both.
	rules := []*export.Command{fw.cmd}
	if fw.jump != nil {
		rules = append(rules, fw.jump)
	}
	lists := p.listMembers()
	var out []int
	for i, w := range p.WANs {
		takes := true
		for _, r := range rules {
			takes = takes && p.bindingTakes(r, w, lists)
		}
		if takes {
			out = append(out, i)
		}
	}
	if len(out) == 0 {
		return all
	}
	return out
}

// listMembers maps each interface list to its members, included lists'
// members too.
func (p *Plan) listMembers() map[string][]string {
	direct := map[string][]string{}
	for _, c := range p.export.Commands {
		if c.MenuPath() == "interface list member" && c.Verb == "add" && enabled(c) {
			direct[c.Value("list")] = append(direct[c.Value("list")], c.Value("interface"))
		}
	}
	return withIncludes(p.export, func(*export.Command) bool { return true }, direct)
}

// sharedOnly reports whether rule r is bound to a WAN the lab leaves out
// (sharedWANs) and to none of the lab's: a forward of that line only.
func (p *Plan) sharedOnly(r *export.Command) (WAN, bool) {
	if len(p.sharedWANs) == 0 || r.Value("in-interface") == "" && r.Value("in-interface-list") == "" && r.Value("dst-address") == "" {
		return WAN{}, false
	}
	lists := p.listMembers()
	for _, w := range p.WANs {
		if p.bindingTakes(r, w, lists) {
			return WAN{}, false
		}
	}
	for _, w := range p.sharedWANs {
		if p.bindingTakes(r, w, lists) && !p.carriesPPPoE(w) {
			return w, true
		}
	}
	return WAN{}, false
}

// carriesPPPoE reports whether the left-out line w is the port a PPPoE WAN
// of the lab's runs over (the defconf DHCP client left on ether1 beside
// the ISP's PPPoE on a VLAN of it). A forward bound to w only (an
// in-interface-list that holds the port, not the PPPoE interface) is not
// another line's forward: the internet's connections to the PPPoE address
// arrive on the PPPoE interface and miss it, as the masquerade bound to
// the same list misses the LAN's. Filed as "not probed", four forwards of
// forum thread 213837 were never said broken (realcheck27 D14); they are
// now diagnosed on the PPPoE WAN, where the list's fix repairs them.
func (p *Plan) carriesPPPoE(w WAN) bool {
	for _, x := range p.WANs {
		if x.Kind == "pppoe" && x.Port == w.Port && w.Interface == w.Port {
			return true
		}
	}
	return false
}

// bindingTakes reports whether rule r's binding to the WANs (its
// in-interface, in-interface-list or dst-address) lets a connection that
// comes in on WAN w through.
func (p *Plan) bindingTakes(r *export.Command, w WAN, lists map[string][]string) bool {
	in := r.Value("in-interface")
	var members []string
	if l := r.Value("in-interface-list"); l != "" && !strings.HasPrefix(l, "!") {
		members = lists[l]
		if members == nil {
			members = []string{}
		}
	}
	dst, _ := netip.ParseAddr(r.Value("dst-address"))
	switch {
	case in != "" && in != w.Interface:
	case members != nil && !contains(members, w.Interface):
	case dst.IsValid() && w.Address.IsValid() && !w.Address.Masked().Contains(dst):
	case dst.IsValid() && !w.Address.IsValid() && p.staticOwns(dst):
		// The address is a static WAN's: not this dynamic one's.
	default:
		return true
	}
	return false
}

// lanOnly reports whether a dst-nat is bound to the LAN by design: its
// in-interface is one of the LAN segments, or its in-interface-list holds
// LAN segments and none of the WANs (in-interface-list=LAN). Such a rule
// is the LAN's copy of a forward ("from the LAN: ... to the public
// address") or a LAN redirect (DNS to a Pi-hole), never reached from the
// internet, so its internet path is neither probed nor diagnosed. A
// binding to a port under a PPPoE client or a bridge names no segment
// and stays a mistake that the diagnosis finds.
//
// A rule bound to the LAN that takes the public address (dst-address-type=
// local, or a WAN's address) on a port no other forward takes from the
// internet is no copy: it is the user's only forward, and the binding
// (in-interface=bridge, "the interface the server is on") is the mistake
// that keeps the internet out. Its internet path is diagnosed. DNS and NTP
// to the router's own address stay the LAN's capture by design.
func (p *Plan) lanOnly(fw Forward) bool {
	if !p.lanBound(fw) {
		return false
	}
	if fw.cmd.Value("src-address") != "" || fw.cmd.Value("src-address-list") != "" || !p.takesPublic(fw) ||
		fw.DstPort == 53 || fw.DstPort == 123 {
		return true
	}
	for _, g := range p.Forwards {
		if g.cmd != nil && g.cmd != fw.cmd && (g.Protocol == fw.Protocol || g.Protocol == "") && g.DstPort == fw.DstPort && !p.lanBound(g) {
			return true
		}
	}
	return false
}

// takesPublic reports whether a dst-nat names the public address a client
// on the internet asks: dst-address-type=local, or a WAN's own address.
func (p *Plan) takesPublic(fw Forward) bool {
	if fw.cmd.Value("dst-address-type") == "local" {
		return true
	}
	if a, err := netip.ParseAddr(fw.cmd.Value("dst-address")); err == nil {
		return p.wanOfAddr(a) >= 0
	}
	return false
}

// lanBound is lanOnly's reading of the binding alone.
func (p *Plan) lanBound(fw Forward) bool {
	if fw.cmd == nil {
		return false
	}
	seg := func(name string) bool {
		for _, s := range p.Segments {
			if s.Interface == name {
				return true
			}
		}
		return false
	}
	wan := func(name string) bool {
		for _, w := range p.WANs {
			if w.Interface == name || w.Port == name {
				return true
			}
		}
		return false
	}
	if in := fw.cmd.Value("in-interface"); in != "" {
		return seg(in)
	}
	l := fw.cmd.Value("in-interface-list")
	if l == "" && fw.ToAddr.IsValid() && p.sourceSegment(fw.cmd.Value("src-address"), fw.ToAddr) != "" {
		// Only a LAN segment's clients send from its subnet.
		return true
	}
	if l == "" || strings.HasPrefix(l, "!") {
		return false
	}
	lan := false
	for _, c := range p.export.Commands {
		if c.MenuPath() != "interface list member" || c.Verb != "add" || c.Value("list") != l || !enabled(c) {
			continue
		}
		switch m := c.Value("interface"); {
		case wan(m):
			return false
		case seg(m):
			lan = true
		}
	}
	return lan
}

// capturesPort reports whether a dst-nat bound to the LAN takes its port
// to every destination (no dst-address, dst-address-list or
// dst-address-type: "all the LAN's DNS to the Pi-hole"), or DNS or NTP to
// the router's own addresses (dst-address-type=local dst-port=53). Taking
// the router's own address on that port is what it is for, not a slip.
func (p *Plan) capturesPort(fw Forward) bool {
	if !p.lanOnly(fw) {
		return false
	}
	for _, k := range []string{"dst-address", "dst-address-list"} {
		// dst-address-list=!pihole (every destination but the Pi-holes)
		// takes the port to every other host: no destination either.
		if v := fw.cmd.Value(k); v != "" && !(k == "dst-address-list" && strings.HasPrefix(v, "!")) {
			return false
		}
	}
	// dst-address-type=local on DNS or NTP from the LAN: "the router's
	// DNS is a container now" takes the router's own port by design too.
	// On another port (80) it is the LAN copy of a forward that takes
	// WebFig, a slip.
	if t := fw.cmd.Value("dst-address-type"); t != "" {
		return t == "local" && (fw.DstPort == 53 || fw.DstPort == 123) && !strings.ContainsAny(fw.cmd.Value("dst-port"), ",-")
	}
	return true
}

// internetWANs returns the WANs whose internet path a forward has: none
// for a rule bound to the LAN, else the WANs it is meant for.
func (p *Plan) internetWANs(fw Forward) []int {
	if p.lanOnly(fw) {
		return nil
	}
	if p.blockOnDynamic(fw) {
		return nil // noted by blockNotes
	}
	return p.wansOf(fw)
}

// blockOnDynamic says whether fw names an address of a block the export
// routes to itself by a blackhole route while its first WAN is leased:
// the lab's ISP routes no block to a leased address, so the internet
// cannot reach the forward in the lab.
func (p *Plan) blockOnDynamic(fw Forward) bool {
	if fw.cmd == nil || len(p.WANs) == 0 || p.WANs[0].Address.IsValid() {
		return false
	}
	a, err := netip.ParseAddr(fw.cmd.Value("dst-address"))
	return err == nil && p.blackholeBlock(a) != nil
}

// blockNotes says which forwards blockOnDynamic keeps from the internet's
// probes.
func (p *Plan) blockNotes() []string {
	var out []string
	for _, fw := range p.Forwards {
		if p.blockOnDynamic(fw) {
			bh := p.blackholeBlock(netip.MustParseAddr(fw.cmd.Value("dst-address")))
			out = append(out, fmt.Sprintf("line %d forwards %s, an address of the block %s the export routes to itself (line %d) while its WAN %s is leased: the lab's ISP routes no block to a leased address, so it is not probed from the internet", fw.Line, fw.cmd.Value("dst-address"), bh.Value("dst-address"), bh.Line, p.WANs[0].Interface))
		}
	}
	return out
}

// selective reports whether a forward is bound to some of several WANs.
func (p *Plan) selective(fw Forward) bool {
	return len(p.WANs) > 1 && len(p.wansOf(fw)) < len(p.WANs)
}

// hairpinWAN is the WAN whose public address LAN clients use for a
// forward: the first it is meant for.
func (p *Plan) hairpinWAN(fw Forward) int {
	if w := p.wansOf(fw); len(w) > 0 {
		return w[0]
	}
	return 0
}

// internetTarget is where the peer on the internet tries a WAN's
// forwards: the WAN's own address, or, behind carrier-grade NAT or an ISP
// router, the public address the internet sees there (the ISP's shared
// address, the ISP router's), which is all a user could hand out.
func (p *Plan) internetTarget(i int) string {
	switch p.WANs[i].Behind() {
	case "cgnat":
		return fmt.Sprintf("isp%d.public", i+1)
	case "cpe":
		return fmt.Sprintf("cpe%d.public", i+1)
	}
	return p.wanTarget(i)
}

// extraAddr is the public address a forward names when it is another
// address of a static WAN's subnet than the WAN's first (a second IP for a
// 1:1 netmap, 203.0.113.201 beside 203.0.113.200): the forward is probed
// there, and its fix keeps it.
func (p *Plan) extraAddr(w WAN, fw Forward) (netip.Addr, bool) {
	if a, ok := p.staticOnDynamic(w, fw); ok {
		return a, true
	}
	if fw.cmd == nil || !w.Address.IsValid() {
		return netip.Addr{}, false
	}
	a, err := netip.ParseAddr(fw.cmd.Value("dst-address"))
	if err != nil {
		// A netmap of a block (dst-address=203.0.113.88/30
		// to-addresses=192.168.60.88/30) maps address to address: the
		// block's first address leads to the forward's server, the
		// first of to-addresses. So does a range's first address
		// (dst-address=203.0.113.67-203.0.113.70).
		first, _, ok := addrSpan(fw.cmd.Value("dst-address"))
		if !ok || fw.cmd.Value("action") != "netmap" && !strings.Contains(fw.cmd.Value("dst-address"), "-") {
			return netip.Addr{}, false
		}
		a = first
	}
	if a == w.Address.Addr() {
		return netip.Addr{}, false
	}
	if _, ok := p.routedBlock(a); ok && len(p.WANs) > 0 && w.Interface == p.WANs[0].Interface && w.Kind == "static" {
		// An address of a block routed to the first WAN.
		return a, true
	}
	if slices.Contains(p.loopbackAddrs(), a) && len(p.WANs) > 0 && w.Interface == p.WANs[0].Interface && w.Kind == "static" {
		// An address on lo the ISP routes to the first WAN (routedBlocks).
		return a, true
	}
	if !w.Address.Masked().Contains(a) {
		return netip.Addr{}, false
	}
	return a, true
}

// staticOnDynamic is the address a forward names when the export puts it
// on a DHCP or PPPoE WAN's interface as a static address beside the lease
// (an ISP's extra address for a 1:1 NAT): it is no lease, so a renumbering
// leaves it, and the forward is probed there. Its first host is left out:
// the lab's ISP stands there (otherHost).
func (p *Plan) staticOnDynamic(w WAN, fw Forward) (netip.Addr, bool) {
	if fw.cmd == nil || w.Kind == "static" || w.Address.IsValid() {
		return netip.Addr{}, false
	}
	a, err := netip.ParseAddr(fw.cmd.Value("dst-address"))
	if err != nil || !a.Is4() || p.wanHolding(a) != w.Interface || a == netip.PrefixFrom(a, 24).Masked().Addr().Next() {
		return netip.Addr{}, false
	}
	return a, true
}

// forwardTarget is where a forward of WAN i is probed: its own address
// (extraAddr) or the WAN's.
func (p *Plan) forwardTarget(i int, fw Forward, internet bool) string {
	if a, ok := p.extraAddr(p.WANs[i], fw); ok {
		return a.String()
	}
	if internet {
		return p.internetTarget(i)
	}
	if a, ok := p.cpePublicDst(i, fw); ok {
		// Behind an ISP router, a forward on its public address: the
		// LAN's clients use that address, which the rule takes.
		return a.String()
	}
	return p.wanTarget(i)
}

// cpePublicDst is a forward's dst-address when WAN i is private behind an
// ISP router and the address is a public one the router does not hold
// (the ISP router's, cpePublicForwardNotes).
func (p *Plan) cpePublicDst(i int, fw Forward) (netip.Addr, bool) {
	if fw.cmd == nil || p.export == nil || p.WANs[i].Behind() != "cpe" {
		return netip.Addr{}, false
	}
	a, err := netip.ParseAddr(fw.cmd.Value("dst-address"))
	if err != nil || a.IsPrivate() || cgnatSpace.Contains(a) || p.ownAddress(p.export, p.keeper(p.export), a) != "" || p.inSegments(a.String()) {
		return netip.Addr{}, false
	}
	return a, true
}

// wanTarget names WAN i's address in a scenario. The lab numbers its WAN
// ports in port order (router.wan the lowest, router.wan2 the next), which
// need not be the order check found the WANs in: a DHCP main WAN on ether7
// beside a static ether1 is WAN 0 here and router.wan2 there. Probing and
// renumbering it as router.wan hit ether1 instead.
func (p *Plan) wanTarget(i int) string {
	port := func(w WAN) int {
		for _, pt := range p.Ports {
			if pt.Name == w.Port {
				if n, ok := etherIndex(pt.Lab); ok {
					return n
				}
			}
		}
		return 0
	}
	mine := port(p.WANs[i])
	lower := map[int]bool{}
	for j, w := range p.WANs {
		if n := port(w); j != i && n < mine {
			lower[n] = true
		}
	}
	if len(lower) == 0 {
		return "router.wan"
	}
	return fmt.Sprintf("router.wan%d", len(lower)+1)
}

// lanCopy is the fix for a forward bound to one of several WANs that LAN
// clients cannot use: the binding stays (the internet keeps reaching the
// forward on its WAN only), and a second dst-nat takes the same service
// for connections from the LAN subnets to that WAN's address. It returns
// the line and whether it needs the LAN subnets' address list.
func (p *Plan) lanCopy(fw *Forward) (string, bool) {
	w := p.WANs[p.hairpinWAN(*fw)]
	dst := fmt.Sprintf("dst-address-type=local dst-address-list=!%s", lanList)
	if w.Kind == "static" && w.Address.IsValid() {
		dst = "dst-address=" + w.Address.Addr().String()
	}
	keep, name := forwardService(fw)
	return fmt.Sprintf("/ip firewall nat add chain=dstnat action=dst-nat src-address-list=%s %s %s comment=%s",
		lanList, dst, keep, export.Quote("from the LAN: "+name)), true
}

// wanCopy is a second dst-nat for forward fw's service bound to WAN w's
// interface, above the forward: for a WAN whose address the forward's own
// destination misses (an IP Cloud name that holds the other WAN's).
func (p *Plan) wanCopy(fw *Forward, w WAN) string {
	keep, name := forwardService(fw)
	return fmt.Sprintf("/ip firewall nat add chain=dstnat action=dst-nat in-interface=%s %s comment=%s place-before=%s",
		export.Quote(w.Interface), keep, export.Quote(name+" on "+w.Interface), p.ruleSelector(fw.Line))
}

// forwardService is what a copy of forward fw keeps of it, written as
// arguments (its ports, protocol, source and target, not where it is
// bound or its destination), and the name the copy's comment gives it.
func forwardService(fw *Forward) (string, string) {
	var keep []string
	for _, a := range fw.cmd.Args {
		switch a.Name {
		case "in-interface", "in-interface-list", "dst-address", "dst-address-type", "dst-address-list", "comment", "disabled", "log", "log-prefix", "place-before", "chain", "action":
			continue
		}
		keep = append(keep, a.Name+"="+export.Quote(a.Value))
	}
	name := fw.Comment
	if name == "" {
		name = fmt.Sprintf("%s/%d", fw.Protocol, fw.DstPort)
	}
	return strings.Join(keep, " "), name
}

// addrSpan reads an address as a rule writes it: one address, a prefix
// (203.0.113.64/29) or a range (203.0.113.67-203.0.113.70); first and
// last are its ends.
func addrSpan(v string) (first, last netip.Addr, ok bool) {
	if a, err := netip.ParseAddr(v); err == nil {
		return a, a, true
	}
	if pr, err := netip.ParsePrefix(v); err == nil && pr.Addr().Is4() {
		first = pr.Masked().Addr()
		b := first.As4()
		n := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
		n |= uint32(1)<<(32-pr.Bits()) - 1
		if pr.Bits() == 0 {
			n = 0xffffffff
		}
		return first, netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}), true
	}
	lo, hi, found := strings.Cut(v, "-")
	if !found {
		return netip.Addr{}, netip.Addr{}, false
	}
	a, err1 := netip.ParseAddr(lo)
	b, err2 := netip.ParseAddr(hi)
	if err1 != nil || err2 != nil || a.Compare(b) > 0 {
		return netip.Addr{}, netip.Addr{}, false
	}
	return a, b, true
}
