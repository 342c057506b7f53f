package check

import (
	"cmp"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// pdNotes reads the export's DHCPv6 prefix delegation, the way most home
// ISPs give IPv6, for the three mistakes that leave a LAN without it
// (the forum's "IPv6 does not work behind my MikroTik"):
//
//   - an /ipv6 address takes its prefix from a pool that nothing makes: no
//     /ipv6 pool has that name and no DHCPv6 client has it as pool-name
//     (a typo, or the client's pool renamed), so the address is never
//     assigned and nothing is advertised on the LAN;
//   - the input chain drops the DHCPv6 server's answers: they come from
//     the ISP's link-local address to UDP 546 and match no connection
//     (the request went to a multicast address), so conntrack calls them
//     new, and a chain that drops what is new from the WAN before
//     accepting them keeps the client from ever binding (RouterOS's
//     defconf accepts UDP 546 from fe80::/10 for this);
//   - the client asks for a prefix with add-default-route=no and no static
//     IPv6 default route exists: a router takes no default route from
//     router advertisements while it forwards, so the LAN's addresses go
//     nowhere.
//
// rosemu runs the DHCPv6 client and enforces the input chain, so a lab
// with an ISP that delegates (lab ipv6-pd) shows each of these failing;
// the check's own lab probes IPv4, so here they are said from the export.
func (p *Plan) pdNotes(f *export.File, keep func(*export.Command) bool) {
	type pdClient struct {
		line  int
		iface string
		pool  string
		route bool
	}
	var clients []pdClient
	pools := map[string]bool{}
	var addrs []*export.Command
	defaultRoute := false
	raOn := "" // the interface list on which RAs are taken while forwarding; "" none
	var input []*export.Command
	var nd ndEntries
	for _, c := range routerOrder(f) { // the router's order: dropsPD takes the first input rule
		if keep(c) && c.MenuPath() == "ipv6 nd" {
			nd.take(c)
			continue
		}
		if keep(c) && c.MenuPath() == "ipv6 settings" && c.Value("accept-router-advertisements") == "yes" {
			// accept-router-advertisements=yes makes the router take the
			// ISP's advertisements while it forwards (the default,
			// yes-if-forwarding-disabled, does not), and with them a
			// default route: the usual answer to a DHCPv6 client with
			// add-default-route=no. accept-router-advertisements-on
			// narrows it to an interface list (raOnClient). [verify] on
			// a CHR.
			raOn = cmp.Or(c.Value("accept-router-advertisements-on"), "all")
			continue
		}
		if !keep(c) || !enabled(c) || c.Verb != "add" {
			continue
		}
		switch c.MenuPath() {
		case "ipv6 dhcp-client":
			if slices.Contains(strings.Split(c.Value("request"), ","), "prefix") {
				clients = append(clients, pdClient{line: c.Line, iface: c.Value("interface"), pool: c.Value("pool-name"), route: c.Value("add-default-route") == "yes"})
				if c.Value("pool-name") != "" {
					pools[c.Value("pool-name")] = true
				}
			}
		case "ipv6 pool":
			pools[c.Value("name")] = true
		case "ipv6 address":
			if c.Value("from-pool") != "" {
				addrs = append(addrs, c)
			}
		case "ipv6 route":
			dst := c.Value("dst-address")
			rt := c.Value("routing-table")
			if (dst == "" || dst == "::/0" || dst == "2000::/3") && (rt == "" || rt == "main") {
				defaultRoute = true
			}
		case "ipv6 firewall filter":
			if c.Value("chain") == "input" {
				input = append(input, c)
			}
		}
	}
	names := slices.Sorted(maps.Keys(pools))
	for _, a := range addrs {
		if pools[a.Value("from-pool")] {
			continue
		}
		hint := ""
		if len(names) == 1 {
			hint = fmt.Sprintf("; the one pool there is is %s: /ipv6 address set %s from-pool=%s", names[0], p.ruleSelector(a.Line), names[0])
		}
		p.warnIPv6(fmt.Sprintf("IPv6: line %d takes the address of %s from pool %q, which no /ipv6 pool and no DHCPv6 client's pool-name makes: it is never assigned, so %s gets no IPv6 address and nothing is advertised there%s",
			a.Line, a.Value("interface"), a.Value("from-pool"), a.Value("interface"), hint))
	}
	for _, a := range addrs {
		if iface := a.Value("interface"); pools[a.Value("from-pool")] && a.Value("advertise") != "no" && !nd.sends(iface) {
			p.warnIPv6(fmt.Sprintf("IPv6: line %d gives %s its address from pool %s, but %s, so %s gets no router advertisements: its hosts form no address and have no IPv6 router; /ipv6 nd set [ find default=yes ] interface=%s (or /ipv6 nd add interface=%s)",
				a.Line, iface, a.Value("from-pool"), nd.why(), iface, iface, iface))
		}
	}
	if len(clients) == 0 {
		return
	}
	lists := p.memberLists(f, keep)
	for _, cl := range clients {
		if cl.pool == "" && len(addrs) > 0 {
			p.warnIPv6(fmt.Sprintf("IPv6: the DHCPv6 client of line %d asks for a prefix without pool-name: the prefix goes into no pool, so no from-pool address can use it; set pool-name to the pool the addresses name", cl.line))
		}
		if drop := dropsPD(input, cl.iface, lists); drop != nil {
			p.warnIPv6(fmt.Sprintf("IPv6: line %d drops the DHCPv6 server's answers to the client of line %d (UDP to port 546 from the ISP's link-local address, which the connection table sees as new) before anything accepts them: the client never gets its prefix and the LAN no IPv6; accept them above it, as RouterOS's default configuration does: /ipv6 firewall filter add chain=input action=accept protocol=udp dst-port=546 src-address=fe80::/10 place-before=%s",
				drop.Line, cl.line, p.ruleSelector(drop.Line)))
		}
		if !cl.route && !defaultRoute && !raOnClient(raOn, cl.iface, lists) {
			p.warnIPv6(fmt.Sprintf("IPv6: the DHCPv6 client of line %d has add-default-route=no and no IPv6 default route exists: a router takes none from router advertisements while it forwards, so the LAN's IPv6 goes nowhere; /ipv6 dhcp-client set %s add-default-route=yes",
				cl.line, p.ruleSelector(cl.line)))
		}
	}
}

// dropsPD returns the first input rule that drops a DHCPv6 answer on
// iface (UDP from fe80::/10 port 547 to port 546, connection state new)
// before an accept takes it; nil when an accept comes first or nothing
// drops it. Rules with matchers it cannot judge (address lists, marks,
// other states) are passed over: the note is said only when sure.
func dropsPD(input []*export.Command, iface string, lists map[string][]string) *export.Command {
	ll := netip.MustParseAddr("fe80::1")
	for _, r := range input {
		act := r.Value("action")
		if act != "accept" && act != "drop" && act != "reject" {
			continue
		}
		if !pdMatches(r, iface, ll, lists) {
			continue
		}
		if act == "accept" {
			return nil
		}
		return r
	}
	return nil
}

// pdMatches reports whether rule r surely matches a DHCPv6 answer that
// comes in on iface from the link-local address ll.
func pdMatches(r *export.Command, iface string, ll netip.Addr, lists map[string][]string) bool {
	for _, k := range []string{"src-address-list", "dst-address-list", "dst-address", "packet-mark", "connection-mark", "ipsec-policy", "src-mac-address", "limit", "dst-limit", "connection-limit", "hop-limit", "in-bridge-port", "src-address-type", "dst-address-type", "time", "random", "nth", "connection-nat-state", "connection-type", "layer7-protocol", "content", "icmp-options", "tcp-flags"} {
		if r.Value(k) != "" {
			return false
		}
	}
	if st := r.Value("connection-state"); st != "" && !slices.Contains(strings.Split(st, ","), "new") {
		return false
	}
	if pr := r.Value("protocol"); pr != "" && pr != "udp" && pr != "17" {
		return false
	}
	if !portListHas(r.Value("dst-port"), 546) || !portListHas(r.Value("src-port"), 547) || r.Value("port") != "" {
		return false
	}
	if s := r.Value("src-address"); s != "" {
		neg := strings.HasPrefix(s, "!")
		pfx, err := netip.ParsePrefix(strings.TrimPrefix(s, "!"))
		if err != nil {
			a, aerr := netip.ParseAddr(strings.TrimPrefix(s, "!"))
			if aerr != nil {
				return false
			}
			pfx = netip.PrefixFrom(a, 128)
		}
		if pfx.Contains(ll) == neg {
			return false
		}
	}
	if in := r.Value("in-interface"); in != "" {
		neg := strings.HasPrefix(in, "!")
		if (strings.TrimPrefix(in, "!") == iface) == neg {
			return false
		}
	}
	if l := r.Value("in-interface-list"); l != "" {
		neg := strings.HasPrefix(l, "!")
		name := strings.TrimPrefix(l, "!")
		if name == "all" {
			return !neg
		}
		m, ok := lists[name]
		if !ok {
			return false
		}
		if slices.Contains(m, iface) == neg {
			return false
		}
	}
	return true
}

// portListHas reports whether a RouterOS port list ("546", "500,4500",
// "33434-33534", "!22") holds port; an empty list holds every port.
func portListHas(list string, port int) bool {
	if list == "" {
		return true
	}
	neg := strings.HasPrefix(list, "!")
	has := false
	for _, f := range strings.Split(strings.TrimPrefix(list, "!"), ",") {
		lo, hi, isRange := strings.Cut(f, "-")
		a, err1 := strconv.Atoi(lo)
		b := a
		var err2 error
		if isRange {
			b, err2 = strconv.Atoi(hi)
		}
		if err1 == nil && err2 == nil && a <= port && port <= b {
			has = true
		}
	}
	return has != neg
}

// ndEntries are the export's /ipv6 nd entries: the built-in default one
// (interface=all unless set) and those added. RouterOS sends router
// advertisements on an interface only while an enabled entry names it or
// all (IPv6 Neighbor Discovery page of the manual); the forum's "my LAN
// gets no IPv6" is often the default entry moved to the WAN.
type ndEntries struct {
	defIface    string // "" is the built-in all
	defLine     int
	defDisabled bool
	added       []string // interfaces of enabled added entries
}

func (n *ndEntries) take(c *export.Command) {
	switch c.Verb {
	case "set":
		switch strings.Join(strings.Fields(c.Target), " ") {
		case "*0", "[ find default=yes ]", "default":
		default:
			return
		}
		if v, ok := c.Get("interface"); ok {
			n.defIface, n.defLine = v, c.Line
		}
		if v, ok := c.Get("disabled"); ok {
			n.defDisabled, n.defLine = v == "yes" || v == "true", c.Line
		}
	case "add":
		if enabled(c) {
			n.added = append(n.added, c.Value("interface"))
		}
	}
}

// sends reports whether an entry advertises on iface.
func (n *ndEntries) sends(iface string) bool {
	if !n.defDisabled && (n.defIface == "" || n.defIface == "all" || n.defIface == iface) {
		return true
	}
	return slices.Contains(n.added, iface) || slices.Contains(n.added, "all")
}

// why says what keeps the default entry from a LAN interface.
func (n *ndEntries) why() string {
	if n.defDisabled {
		return fmt.Sprintf("line %d disables the default /ipv6 nd entry", n.defLine)
	}
	return fmt.Sprintf("line %d sends the default /ipv6 nd entry's advertisements on %s alone", n.defLine, n.defIface)
}
