package check

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
	"github.com/chrlab/chrlab/rosemu/config"
)

// packet is what the static diagnosis knows of a packet at one hook.
type packet struct {
	src, dst         netip.Addr
	proto            string // tcp, udp
	dstPort          int
	in, out          string // L3 interfaces; empty when not known at that hook
	dstnatted, local bool   // the connection was DNATed; dst is the router's own
	state            string // new
	// tcpFlags are the TCP flags the packet carries ("syn" for a
	// connection's first packet, "ack" for the client's later ones), ""
	// when the walk does not know them: a rule's tcp-flags is then
	// weighed as unknown.
	tcpFlags string
	// connMark is the connection mark mangle gave the connection ("" is
	// no-mark); a rule's connection-mark is weighed only when markKnown.
	connMark  string
	markKnown bool
	// clientPort says the packet is a client's connection from a port of
	// its own choosing (an ephemeral port: the internet's or a LAN
	// client's connection to a forward): a rule's src-port then matches
	// only if it takes every such port. Otherwise src-port is weighed as
	// unknown.
	clientPort bool
	// ipsecIn says the packet came in decrypted from an IPsec SA (an
	// L2TP/IPsec client's UDP 1701): a rule's ipsec-policy=in,ipsec
	// matches it and in,none does not. Every other packet of the lab is
	// clear text.
	ipsecIn bool
	// ipsecOut says an IPsec policy will encrypt the packet as it
	// leaves (the LAN's answer to an IKEv2 road warrior): a rule's
	// ipsec-policy=out,ipsec matches it and out,none does not.
	ipsecOut bool
}

// verdict of one matcher: it matches, it does not, or the diagnosis does
// not model it (then the rule is reported as "might").
type tri int

const (
	no tri = iota
	yes
	unknown
)

// matcher evaluates rules of the export against a packet with what the
// export says of the router: its interface lists and address lists.
type matcher struct {
	lists     map[string][]string // interface list -> members
	addrLists map[string][]netip.Prefix
	// fixedLists are the address lists whose members the export states
	// whole: every entry a literal address, and no rule, script or
	// service of the export that could add one at run time. An address
	// outside such a list is certainly not in it.
	fixedLists map[string]bool
	// ruleLists are the address lists that only firewall rules fill as
	// packets pass (add-src-to-address-list: a ban or port-knock list),
	// with their adding rules: no entry of the export, nothing else
	// names them. A packet's address is in such a list only when some
	// adding rule could have matched it (listFilled).
	ruleLists map[string][]*export.Command
	// forwardOnly marks the rules of ruleLists that only forwarded
	// packets reach (onlyFromForward).
	forwardOnly map[*export.Command]bool
	filling     int          // depth of listFilled, against lists that fill each other
	locals      []netip.Addr // the router's own addresses
	// internet is the lab's internet (its peer and public DNS); see holds.
	internet netip.Prefix
	// rules caches each menu's chain of rules the matcher's keep lets
	// through, in order, for rulesOf; parsed caches address matches. An
	// export of 3000 forwards walks the dstnat chain for every forward's
	// every path: scanning every command and parsing every address each
	// time made such a check take a minute.
	rules   map[string][]*export.Command
	rulesOf *export.File
	// passOver are rules firstIn takes as missing the packet: a drop the
	// reading cannot weigh, to see what the chain does with the packets
	// it does not take (inputOpenBut).
	passOver map[*export.Command]bool
	// ord is the router's order of orderFor (order).
	ord      *ruleOrder
	orderFor *export.File
	parsed   map[string][]netip.Prefix
	// kinds is the menu of each interface the export makes or renames
	// (a VLAN, a PPPoE client, an ethernet port given another name),
	// for the pseudo-interfaces (iface).
	kinds map[string]string
	// static are the address lists' DNS names the router's own static
	// DNS answers, with its answers (staticNames).
	static map[string][]netip.Addr
}

// chainRules returns the enabled add rules of menu's chain that keep lets
// through, in the router's order (routerOrder: place-before= applied). A
// matcher is always asked with the keep it was made for (every caller
// passes the plan's keeper).
func (m *matcher) chainRules(f *export.File, keep func(*export.Command) bool, menu, chain string) []*export.Command {
	if m.rulesOf != f || m.rules == nil {
		m.rules, m.rulesOf = map[string][]*export.Command{}, f
	}
	k := menu + "\x00" + chain
	if r, ok := m.rules[k]; ok {
		return r
	}
	var out []*export.Command
	for _, c := range m.order(f).cmds {
		if c.Verb == "add" && c.MenuPath() == menu && c.Value("chain") == chain && keep(c) && enabled(c) {
			out = append(out, c)
		}
	}
	m.rules[k] = out
	return out
}

// matcherCache is a plan's last matcher and what it was made from.
type matcherCache struct {
	m     *matcher
	f     *export.File
	aside int
	peer  netip.Addr
}

// newMatcher is the export's matcher with the plan's internet peer. It is
// made once per export, set-aside lines and peer: the diagnosis asks for
// one per forward (takesInternet, byNameTarget, ...), and reading the
// export's lists again for each of 3000 forwards took seconds. keep must
// be the plan's keeper of f, as every caller passes.
func (p *Plan) newMatcher(f *export.File, keep func(*export.Command) bool) *matcher {
	peer := p.PeerAddr()
	if c := p.mcache; c != nil && c.f == f && c.aside == len(p.Aside) && c.peer == peer {
		return c.m
	}
	m := newMatcher(f, keep)
	m.internet = p.internetNet()
	p.mcache = &matcherCache{m: m, f: f, aside: len(p.Aside), peer: peer}
	return m
}

// testNets are the blocks reserved for documentation (RFC 5737) and for
// benchmarking (RFC 2544), where the lab's internet lives.
var testNets = []netip.Prefix{
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
}

// holds reports whether an address match e takes address a. The lab's
// peer stands for any client on the internet (its public DNS for any
// server there), and a real one is in no block reserved for documentation
// or benchmarking: an entry that holds such an address only as part of
// such a block (a bogon list's 198.51.100.0/24,
// dropped in raw from the WAN as hardening guides write it) does not take
// the internet's client. Before, every forward of such an export read as
// dropped from the internet. A wider entry (0.0.0.0/0, 198.0.0.0/8) still
// does.
func (m *matcher) holds(e netip.Prefix, a netip.Addr) bool {
	if !e.Contains(a) {
		return false
	}
	if !m.internet.IsValid() || !m.internet.Contains(a) {
		return true
	}
	for _, t := range testNets {
		if t.Contains(a) && e.Bits() >= t.Bits() {
			return false
		}
	}
	return true
}

func newMatcher(f *export.File, keep func(*export.Command) bool) *matcher {
	m := &matcher{lists: map[string][]string{}, addrLists: map[string][]netip.Prefix{}, fixedLists: map[string]bool{}, static: staticNames(f, keep), kinds: map[string]string{}}
	for _, c := range f.Commands {
		// A port renamed (/interface ethernet set [ find default-name=
		// ether1 ] name=wan) is still an ethernet interface.
		if keep(c) && c.MenuPath() == "interface ethernet" && c.Value("name") != "" {
			m.kinds[c.Value("name")] = "interface ethernet"
		}
	}
	defer m.findFixedLists(f, keep)
	for _, c := range f.Commands {
		if !keep(c) || !enabled(c) || c.Verb != "add" {
			continue
		}
		switch c.MenuPath() {
		case "interface vlan", "interface pppoe-client":
			m.kinds[c.Value("name")] = c.MenuPath()
		case "interface list member":
			m.lists[c.Value("list")] = append(m.lists[c.Value("list")], c.Value("interface"))
		case "ip firewall address-list":
			if pf, ok := parseAddrMatch(c.Value("address")); ok {
				m.addrLists[c.Value("list")] = append(m.addrLists[c.Value("list")], pf...)
			} else if addrs, ok := m.static[dnsKey(c.Value("address"))]; ok {
				// A name the router's static DNS answers: the list
				// holds those addresses (staticNames).
				l := c.Value("list")
				if _, ok := m.addrLists[l]; !ok {
					m.addrLists[l] = nil // known, if empty (NXDOMAIN)
				}
				for _, a := range addrs {
					m.addrLists[l] = append(m.addrLists[l], netip.PrefixFrom(a, a.BitLen()))
				}
			}
		case "ip address":
			if pf, err := netip.ParsePrefix(c.Value("address")); err == nil {
				m.locals = append(m.locals, pf.Addr())
			}
		}
	}
	m.lists = withIncludes(f, keep, m.lists)
	return m
}

// parseAddrMatch reads an address, prefix or range as prefixes.
func parseAddrMatch(v string) ([]netip.Prefix, bool) {
	if a, err := netip.ParseAddr(v); err == nil {
		return []netip.Prefix{netip.PrefixFrom(a, a.BitLen())}, true
	}
	if p, err := netip.ParsePrefix(v); err == nil {
		return []netip.Prefix{p.Masked()}, true
	}
	if lo, hi, ok := strings.Cut(v, "-"); ok {
		a, err1 := netip.ParseAddr(lo)
		b, err2 := netip.ParseAddr(hi)
		if err1 == nil && err2 == nil {
			var out []netip.Prefix
			for x := a; x.Compare(b) <= 0 && len(out) < 1024; x = x.Next() {
				out = append(out, netip.PrefixFrom(x, x.BitLen()))
			}
			return out, true
		}
	}
	return nil, false
}

func negated(v string) (string, bool) { return strings.TrimPrefix(v, "!"), strings.HasPrefix(v, "!") }

func (t tri) not() tri {
	switch t {
	case yes:
		return no
	case no:
		return yes
	}
	return unknown
}

func and(a, b tri) tri {
	if a == no || b == no {
		return no
	}
	if a == unknown || b == unknown {
		return unknown
	}
	return yes
}

func of(b bool) tri {
	if b {
		return yes
	}
	return no
}

// modelled are the rule properties the diagnosis evaluates; a rule with
// any other matcher is judged "unknown".
var modelled = map[string]bool{
	"chain": true, "action": true, "comment": true, "disabled": true, "log": true, "log-prefix": true,
	"src-address": true, "dst-address": true, "protocol": true, "dst-port": true, "port": true,
	"in-interface": true, "out-interface": true, "in-interface-list": true, "out-interface-list": true,
	"src-address-list": true, "dst-address-list": true, "dst-address-type": true, "connection-state": true,
	"connection-nat-state": true, "ipsec-policy": true, "to-addresses": true, "to-ports": true,
	"jump-target": true, "reject-with": true, "place-before": true, "hw-offload": true,
	"connection-mark": true, "tcp-flags": true,
	// Action parameters of mangle rules: no matchers.
	"new-routing-mark": true, "new-connection-mark": true, "passthrough": true,
	// and of add-src-to-address-list and add-dst-to-address-list.
	"address-list": true, "address-list-timeout": true,
}

// emptyUnset are the matchers v7 exports write as "" when unset
// (connection-nat-state="" in a 7.21.5 export's input rules,
// connection-state="" in a jump-target chain); RouterOS, and rosemu, load
// them as no matcher at all, so they match every packet.
var emptyUnset = map[string]bool{
	"connection-state": true, "connection-nat-state": true, "dst-address-type": true,
	"src-address-type": true, "src-port": true, "dst-port": true, "port": true,
}

// match evaluates a rule's matchers against a packet.
func (m *matcher) match(c *export.Command, p packet) tri {
	res := yes
	for _, a := range c.Args {
		if a.Value == "" && emptyUnset[a.Name] {
			continue
		}
		if a.Name == "src-port" && p.clientPort {
			// A client picks its source port among the ephemeral ones
			// (1024-65535; Linux 32768-60999, Windows 49152-65535): a
			// src-port= that names a few ports takes almost none of its
			// connections (NAT page: src-port matches the packet's
			// source port, https://help.mikrotik.com/docs/display/ROS/NAT).
			v, neg := negated(a.Value)
			t := of(coversPorts(v, 1024, 65535))
			if neg {
				t = t.not()
			}
			if res = and(res, t); res == no {
				return no
			}
			continue
		}
		if !modelled[a.Name] {
			res = and(res, unknown)
			continue
		}
		v, neg := negated(a.Value)
		var t tri
		switch a.Name {
		case "src-address":
			t = m.addr(v, p.src)
		case "dst-address":
			t = m.addr(v, p.dst)
		case "src-address-list":
			t = m.list(v, p.src)
			if t == unknown {
				t = m.listFilled(v, "add-src-to-address-list", p)
			}
		case "dst-address-list":
			t = m.list(v, p.dst)
			if t == unknown {
				t = m.listFilled(v, "add-dst-to-address-list", p)
			}
		case "protocol":
			t = of(v == p.proto || v == "6" && p.proto == "tcp" || v == "17" && p.proto == "udp" || v == "50" && p.proto == "ipsec-esp")
		case "dst-port":
			t = of(inPorts(v, p.dstPort))
		case "port":
			// port= matches the source or the destination port (the
			// firewall's "port" matcher, iptables multiport --ports):
			// port=6000 takes tcp/6000, not every port (realcheck27 D4).
			// A client's own source port is one of the ephemeral ones;
			// another packet's source port is not known.
			switch {
			case inPorts(v, p.dstPort):
				t = yes
			case p.clientPort:
				t = of(coversPorts(v, 1024, 65535))
			default:
				t = unknown
			}
		case "in-interface":
			t = m.iface(v, p.in)
		case "out-interface":
			t = m.iface(v, p.out)
		case "in-interface-list":
			t = m.ifList(v, p.in)
		case "out-interface-list":
			t = m.ifList(v, p.out)
		case "dst-address-type":
			switch v {
			case "local":
				t = of(p.local)
			case "unicast":
				t = yes
			default:
				t = no
			}
		case "connection-state":
			t = of(strings.Contains(","+v+",", ","+p.state+","))
		case "connection-nat-state":
			t = of(v == "dstnat" && p.dstnatted)
			if strings.Contains(v, "srcnat") {
				t = unknown
			}
		case "tcp-flags":
			// Each flag listed must be set, each with "!" unset (Filter
			// manual, tcp-flags); the whole value is read here, "!"
			// included, so the negation above is undone.
			t, neg = tcpFlagsMatch(a.Value, p), false
		case "connection-mark":
			t = unknown
			if p.markKnown {
				t = of(markIs(v, p.connMark))
			}
		case "ipsec-policy":
			// Lab traffic is never IPsec: "out,none" and "in,none" match,
			// "…,ipsec" does not; a packet decrypted on its way in is
			// matched by "in,ipsec" alone.
			t = of(strings.HasSuffix(v, ",none"))
			if p.ipsecIn && strings.HasPrefix(v, "in,") {
				t = of(v == "in,ipsec")
			}
			if p.ipsecOut && strings.HasPrefix(v, "out,") {
				t = of(v == "out,ipsec")
			}
			neg = false
		default:
			continue
		}
		if neg {
			t = t.not()
		}
		res = and(res, t)
		if res == no {
			return no
		}
	}
	return res
}

// iface is an in-interface or out-interface matcher: the interface, or a
// pseudo-interface (all-ethernet, all-vlan, all-ppp, all-wireless) that
// matches every interface of its kind, expanded as rosemu expands it
// (config.PseudoInterface; docs/rosemu-menus.md, Filter page of the
// manual, https://help.mikrotik.com/docs/display/ROS/Filter). Before,
// in-interface=all-ethernet was compared with the arrival interface's
// name and "never matched" a forward the lab proved working (realcheck19
// D4b). A user interface list of the same name leaves the rule matching
// nothing, as rosemu does.
func (m *matcher) iface(want, have string) tri {
	if menu, ok := config.PseudoInterface(want); ok && have != "" {
		if _, user := m.lists[want]; user {
			return no
		}
		kind := m.kinds[have]
		if kind == "" && physical.MatchString(have) {
			kind = "interface ethernet"
		}
		return of(kind == menu && menu != "")
	}
	return iface(want, have)
}

func iface(want, have string) tri {
	if have == "" {
		return unknown
	}
	return of(want == have || want == "all")
}

func (m *matcher) ifList(list, have string) tri {
	if have == "" {
		return unknown
	}
	switch list {
	case "all":
		return yes
	case "none":
		return no
	case "static", "dynamic":
		return unknown
	}
	for _, x := range m.lists[list] {
		if x == have {
			return yes
		}
	}
	return no
}

func (m *matcher) addr(v string, a netip.Addr) tri {
	ps, ok := m.parsed[v]
	if !ok {
		if ps, ok = parseAddrMatch(v); ok {
			if m.parsed == nil {
				m.parsed = map[string][]netip.Prefix{}
			}
			m.parsed[v] = ps
		}
	}
	if !ok {
		return unknown
	}
	for _, p := range ps {
		if m.holds(p, a) {
			return yes
		}
	}
	return no
}

func (m *matcher) list(name string, a netip.Addr) tri {
	ps, ok := m.addrLists[name]
	if !ok {
		// A list filled at run time (IP Cloud, a lease script, DNS names)
		// cannot be judged from the export.
		return unknown
	}
	for _, p := range ps {
		if m.holds(p, a) {
			return yes
		}
	}
	if m.fixedLists[name] {
		return no
	}
	return unknown
}

// findFixedLists marks the address lists of the export that nothing can
// fill at run time: every entry parses as an address, prefix or range
// (no DNS name), and the list's name appears in no other property of any
// command than a rule's src-address-list or dst-address-list matcher and
// its own entries' list= (an add-src-to-address-list rule's address-list=,
// a script's source, a PPP profile's or DHCP server's address-list, a
// lease script would all name it). An interface list of the same name
// ("LAN", an address list of the LAN's subnets beside the interface list
// of its interfaces) is another namespace and fills nothing.
func (m *matcher) findFixedLists(f *export.File, keep func(*export.Command) bool) {
	m.findRuleLists(f, keep)
	for name := range m.addrLists {
		m.fixedLists[name] = true
	}
	for _, c := range f.Commands {
		if !keep(c) {
			continue
		}
		if c.MenuPath() == "ip firewall address-list" {
			_, static := m.static[dnsKey(c.Value("address"))]
			// An entry with no list= (a wrapped paste) is refused by
			// RouterOS ("list not specified") and fills no list.
			if _, ok := parseAddrMatch(c.Value("address")); !ok && !static && c.Value("list") != "" {
				m.fixedLists[c.Value("list")] = false
			}
			continue
		}
		if c.MenuPath() == "interface list" || c.MenuPath() == "interface list member" {
			continue // interface lists: "LAN" there is not the address list LAN
		}
		for _, a := range c.Args {
			if a.Name == "src-address-list" || a.Name == "dst-address-list" || a.Name == "comment" || strings.HasSuffix(a.Name, "interface-list") {
				continue
			}
			for name := range m.fixedLists {
				if namesToken(a.Value, name) {
					m.fixedLists[name] = false
				}
			}
		}
	}
}

// namesToken reports whether name stands in v as a whole word, not as a
// part of a longer name: a script's "list=LAN" or an address-list=LAN
// names the address list LAN, an interface "Bridge-LAN1" does not (a 7.9
// export's DHCP server on Bridge-LAN1 made its fixed list LAN look filled
// at run time, and every rule on it unknown).
func namesToken(v, name string) bool {
	word := func(r byte) bool {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.'
	}
	if name == "" {
		return false // the empty name stands nowhere (and matches at every index)
	}
	for i := 0; i < len(v); {
		j := strings.Index(v[i:], name)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(name)
		if (j == 0 || !word(v[j-1])) && (end == len(v) || !word(v[end])) {
			return true
		}
		i = j + 1
	}
	return false
}

// matchedPorts is the port list a NAT rule takes as its destination port:
// dst-port=, or port= when the rule has no dst-port (port= matches the
// destination port as well as the source port). "" is every port.
func matchedPorts(c *export.Command) string {
	if v := c.Value("dst-port"); v != "" {
		return v
	}
	return c.Value("port")
}

func inPorts(v string, port int) bool {
	for _, part := range strings.Split(v, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, _ := strconv.Atoi(lo)
		b := a
		if isRange {
			b, _ = strconv.Atoi(hi)
		}
		if port >= a && port <= b {
			return true
		}
	}
	return false
}

// coversPorts says whether the port list v takes every port from lo to hi.
func coversPorts(v string, lo, hi int) bool {
	for port := lo; port <= hi; port++ {
		if !inPorts(v, port) {
			return false
		}
	}
	return true
}

// first returns the first rule of chain (in list order, following no
// jumps) that matches the packet and ends the chain, or one that might.
func (m *matcher) first(f *export.File, keep func(*export.Command) bool, menu, chain string, p packet, terminal map[string]bool) (*export.Command, tri) {
	c, t, _ := m.firstIn(f, keep, menu, chain, p, terminal, 0)
	return c, t
}

// firstIn is first for one chain: a jump whose matchers certainly hold is
// followed into its target chain (RouterOS goes on after the jump when the
// target chain ends without a decision, or at a return), up to a depth of
// 8; a jump or return the reading cannot weigh is the answer, unknown.
// returned says a return rule ended the chain.
func (m *matcher) firstIn(f *export.File, keep func(*export.Command) bool, menu, chain string, p packet, terminal map[string]bool, depth int) (rule *export.Command, how tri, returned bool) {
	for _, c := range m.chainRules(f, keep, menu, chain) {
		act := c.Value("action")
		if act == "" {
			act = "accept"
		}
		if !terminal[act] && act != "jump" && act != "return" || m.passOver[c] {
			continue
		}
		switch m.match(c, p) {
		case yes:
			switch act {
			case "return":
				return nil, no, true
			case "jump":
				target := c.Value("jump-target")
				if target == "" || target == chain || depth >= 8 {
					return c, unknown, false
				}
				if r, t, _ := m.firstIn(f, keep, menu, target, p, terminal, depth+1); r != nil {
					return r, t, false
				}
				continue
			}
			return c, yes, false
		case unknown:
			return c, unknown, false
		}
	}
	return nil, no, false
}

// findRuleLists finds the lists only firewall rules fill (ruleLists): the
// address-list= of add-src-to-address-list and add-dst-to-address-list
// rules of the filter, mangle and raw tables, when the export has no entry
// of the list and no other command names it (a script, a PPP profile, a
// DHCP server could add to it).
func (m *matcher) findRuleLists(f *export.File, keep func(*export.Command) bool) {
	m.ruleLists = map[string][]*export.Command{}
	adder := func(c *export.Command) bool {
		switch c.MenuPath() {
		case "ip firewall filter", "ip firewall mangle", "ip firewall raw":
			a := c.Value("action")
			return c.Verb == "add" && (a == "add-src-to-address-list" || a == "add-dst-to-address-list")
		}
		return false
	}
	m.forwardOnly = map[*export.Command]bool{}
	for _, c := range f.Commands {
		if keep(c) && adder(c) && c.Value("address-list") != "" {
			if _, static := m.addrLists[c.Value("address-list")]; !static {
				m.ruleLists[c.Value("address-list")] = append(m.ruleLists[c.Value("address-list")], c)
				m.forwardOnly[c] = onlyFromForward(f, keep, c.MenuPath(), c.Value("chain"), map[string]bool{})
			}
		}
	}
	for _, c := range f.Commands {
		if !keep(c) {
			continue
		}
		if c.MenuPath() == "ip firewall address-list" {
			// An entry without an address (the DDoS recipe's "add
			// list=ddos-attackers", made before the rules fill it)
			// holds none [verify what RouterOS stores for it].
			if c.Value("address") != "" {
				delete(m.ruleLists, c.Value("list"))
			}
			continue
		}
		for _, a := range c.Args {
			if a.Name == "src-address-list" || a.Name == "dst-address-list" || a.Name == "comment" || a.Name == "address-list" && adder(c) {
				continue
			}
			for name := range m.ruleLists {
				if strings.Contains(a.Value, name) {
					delete(m.ruleLists, name)
				}
			}
		}
	}
}

// listFilled judges whether a packet's address can be in a list that only
// firewall rules fill (action is the kind of rule that adds the address
// the matcher asks about): no, when none of the list's adding rules that
// are enabled could match the packet, as for a new client on its first
// connection (a scanner ban list filled from other ports, a DNS
// amplification list filled from udp/53); else unknown, as before.
func (m *matcher) listFilled(name, action string, p packet) tri {
	adders, ok := m.ruleLists[name]
	if !ok || m.filling > 2 {
		return unknown
	}
	m.filling++
	defer func() { m.filling-- }()
	for _, c := range adders {
		if !enabled(c) {
			continue
		}
		if c.Value("action") != action {
			return unknown
		}
		if action == "add-dst-to-address-list" && p.local && m.forwardOnly[c] {
			// A forwarded packet's destination is never the router's
			// own address: a rule that only forwarded packets reach
			// never lists it (rc29 C4: the DDoS recipe's targets,
			// filled from the forward chain, read as maybe holding the
			// router, and every open service read "may be open").
			continue
		}
		// The rule's matchers only: its chain, action and the list it
		// fills say where it runs, not which packets it takes, and the
		// packet is judged on its own.
		matchers := &export.Command{}
		for _, a := range c.Args {
			switch a.Name {
			case "chain", "action", "address-list", "address-list-timeout", "comment", "log", "log-prefix", "disabled", "passthrough":
				continue
			}
			matchers.Args = append(matchers.Args, a)
		}
		if m.match(matchers, p) != no {
			return unknown
		}
	}
	return no
}

// onlyFromForward reports whether chain of menu's table runs only for
// forwarded packets: it is forward, or every rule that jumps to it is in
// such a chain (a chain nothing jumps to runs for no packet).
func onlyFromForward(f *export.File, keep func(*export.Command) bool, menu, chain string, seen map[string]bool) bool {
	switch chain {
	case "forward":
		return true
	case "input", "output", "prerouting", "postrouting", "dstnat", "srcnat":
		return false
	}
	if seen[chain] {
		return true // a loop adds no way in
	}
	seen[chain] = true
	for _, c := range f.Commands {
		if keep(c) && enabled(c) && c.Verb == "add" && c.MenuPath() == menu && c.Value("action") == "jump" && c.Value("jump-target") == chain &&
			!onlyFromForward(f, keep, menu, c.Value("chain"), seen) {
			return false
		}
	}
	return true
}

// tcpFlagsMatch evaluates a tcp-flags value ("syn", "syn,!ack", "!syn")
// against the flags the packet carries; unknown when they are not known.
func tcpFlagsMatch(v string, p packet) tri {
	if p.proto != "tcp" {
		return no
	}
	if p.tcpFlags == "" {
		return unknown
	}
	set := map[string]bool{}
	for _, f := range strings.Split(p.tcpFlags, ",") {
		set[f] = true
	}
	for _, f := range strings.Split(v, ",") {
		f = strings.TrimSpace(f)
		want := !strings.HasPrefix(f, "!")
		if set[strings.TrimPrefix(f, "!")] != want {
			return no
		}
	}
	return yes
}
