package kernel

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// RoutingTable is a RouterOS routing table besides main. ID is the Linux
// table id and also the routing mark that selects the table (bits 0-7 of
// the packet mark), so it is 1-252.
type RoutingTable struct {
	Name string
	ID   int
	// NoFIB is a v7 table added without fib, or disabled: its routes
	// are not installed (RouterOS: "whether routes in this table will be
	// installed in the FIB"), so a routing mark naming it finds an empty
	// table and falls back to main.
	NoFIB bool
}

// RoutingRule is one /routing rule (v7) or /ip route rule (v6) entry.
type RoutingRule struct {
	Src, Dst    netip.Prefix // invalid when not set
	RoutingMark string       // "" when not set
	Interface   string       // incoming interface, "" when not set
	// Action is lookup, lookup-only-in-table, drop or unreachable.
	Action string
	Table  string
	// MinPrefix is RouterOS 7's min-prefix, the kernel's
	// suppress_prefixlength: a lookup result whose prefix is this long
	// or shorter is ignored (min-prefix=0 skips the table's default
	// route). Used only when HasMinPrefix.
	MinPrefix    int
	HasMinPrefix bool
}

// Priorities of rosemu's ip rules. The kernel's own rules (local 0, main
// 32766, default 32767) stay. /routing rule entries come first in their
// order; then one rule per routing table sends packets with that routing
// mark to it.
const (
	rulePrefUser = 1000
	rulePrefMark = 20000
	rulePrefEnd  = 30000
)

// tableIDs maps table names to kernel ids; main is RT_TABLE_MAIN.
// CheckRouting plans st's routing rules and tables as Apply does, without
// a kernel: the engine's offline commit refuses what Apply would.
func CheckRouting(st *State) error {
	_, err := wantRules(st, tableIDs(st))
	return err
}

func tableIDs(st *State) map[string]int {
	ids := map[string]int{"": unix.RT_TABLE_MAIN, "main": unix.RT_TABLE_MAIN}
	for _, t := range st.RoutingTables {
		ids[t.Name] = t.ID
	}
	return ids
}

// wantRules builds the ip rules for st.
//
//	/routing rule src-address=S action=lookup table=T  -> from S lookup T
//	  (lookup-only-in-table adds "from S unreachable" just after it, so
//	  that a miss in T does not fall through to main)
//	routing mark of table T (id N)                     -> fwmark N/0xff lookup N
//
// [verify] a packet with a routing mark whose table has no route falls back
// to main (the kernel's behaviour after a miss, and RouterOS v6's).
func wantRules(st *State, ids map[string]int) ([]netlink.Rule, error) {
	var out []netlink.Rule
	pref := rulePrefUser
	for i, rr := range st.RoutingRules {
		r := netlink.NewRule()
		r.Family = unix.AF_INET
		if rr.Src.IsValid() {
			r.Src = prefixIPNet(rr.Src.Masked())
		}
		if rr.Dst.IsValid() {
			r.Dst = prefixIPNet(rr.Dst.Masked())
		}
		if rr.Interface != "" {
			// The Linux link that carries the interface (a bridge
			// named over 15 bytes is ros+hash). It need not exist:
			// Linux keeps a rule whose iif is missing, detached,
			// and matches it once the link appears (a VPN client
			// that dials later); an interface rosemu only stores
			// never gets a link, so its rule matches nothing, as no
			// packet comes in on it. The configuration checked the
			// name already.
			r.IifName = LinkName(rr.Interface)
		}
		if rr.RoutingMark != "" {
			id, ok := ids[rr.RoutingMark]
			if !ok {
				return nil, fmt.Errorf("sync routing rule %d: routing-mark=%s names no routing table", i, rr.RoutingMark)
			}
			mark := uint32(id)
			if id == unix.RT_TABLE_MAIN {
				mark = 0
			}
			mask := uint32(routingMarkMask)
			r.Mark, r.Mask = mark, &mask
		}
		if rr.HasMinPrefix {
			r.SuppressPrefixlen = rr.MinPrefix
		}
		r.Priority = pref
		pref++
		switch rr.Action {
		case "", "lookup", "lookup-only-in-table":
			id, ok := ids[rr.Table]
			if !ok {
				return nil, fmt.Errorf("sync routing rule %d: table=%s does not exist", i, rr.Table)
			}
			r.Table = id
			out = append(out, *r)
			if rr.Action == "lookup-only-in-table" {
				u := *r
				u.Table = 0
				u.Type = unix.RTN_UNREACHABLE
				u.Priority = pref
				pref++
				out = append(out, u)
			}
		case "drop":
			r.Type = unix.RTN_BLACKHOLE
			out = append(out, *r)
		case "unreachable":
			r.Type = unix.RTN_UNREACHABLE
			out = append(out, *r)
		default:
			return nil, fmt.Errorf("sync routing rule %d: action=%s is not supported by rosemu", i, rr.Action)
		}
		if pref >= rulePrefMark {
			return nil, fmt.Errorf("sync routing rules: more than %d rules", rulePrefMark-rulePrefUser)
		}
	}
	for i, t := range st.RoutingTables {
		if t.ID < 1 || t.ID > 252 {
			return nil, fmt.Errorf("sync routing table %s: id %d is outside 1-252: rosemu holds at most 252 routing tables (a packet carries its table in 8 bits of its mark)", t.Name, t.ID)
		}
		r := netlink.NewRule()
		r.Family = unix.AF_INET
		mask := uint32(routingMarkMask)
		r.Mark, r.Mask = uint32(t.ID), &mask
		r.Table = t.ID
		r.Priority = rulePrefMark + i
		out = append(out, *r)
	}
	return out, nil
}

// ruleKey identifies an ip rule for syncing.
func ruleKey(r netlink.Rule) string {
	mask := uint32(0)
	if r.Mask != nil {
		mask = *r.Mask
	}
	src, dst := "", ""
	if r.Src != nil {
		src = r.Src.String()
	}
	if r.Dst != nil {
		dst = r.Dst.String()
	}
	typ := r.Type
	if typ == unix.RTN_UNSPEC {
		typ = unix.RTN_UNICAST // what the kernel reports for a lookup rule
	}
	return fmt.Sprintf("%d from %s to %s iif %s mark %#x/%#x table %d type %d suppress %d", r.Priority, src, dst, r.IifName, r.Mark, mask, r.Table, typ, r.SuppressPrefixlen)
}

// syncRules makes rosemu's ip rules (priorities rulePrefUser up to
// rulePrefEnd) exactly those of st.
func (d *Dataplane) syncRules(st *State, undo *[]func() error) error {
	want, err := wantRules(st, tableIDs(st))
	if err != nil {
		return err
	}
	have, err := d.nl.RuleList(unix.AF_INET)
	if err != nil {
		return fmt.Errorf("sync routing rules: list the kernel's rules: %w", err)
	}
	wanted := map[string]bool{}
	for _, r := range want {
		wanted[ruleKey(r)] = true
	}
	present := map[string]bool{}
	for _, r := range have {
		if r.Priority < rulePrefUser || r.Priority >= rulePrefEnd {
			continue
		}
		k := ruleKey(r)
		if wanted[k] && !present[k] {
			present[k] = true
			continue
		}
		r := r
		if err := d.nl.RuleDel(&r); err != nil && !isNotFound(err) {
			return fmt.Errorf("remove ip rule %s: %w", k, err)
		}
		*undo = append(*undo, func() error { return d.nl.RuleAdd(&r) })
	}
	for _, r := range want {
		if present[ruleKey(r)] {
			continue
		}
		r := r
		if err := d.nl.RuleAdd(&r); err != nil {
			return fmt.Errorf("add ip rule %s: %w", ruleKey(r), err)
		}
		*undo = append(*undo, func() error { return d.nl.RuleDel(&r) })
	}
	return nil
}

// routeTypes maps RouterOS route types to kernel route types.
var routeTypes = map[string]int{
	"": unix.RTN_UNICAST, "unicast": unix.RTN_UNICAST,
	"blackhole": unix.RTN_BLACKHOLE, "unreachable": unix.RTN_UNREACHABLE, "prohibit": unix.RTN_PROHIBIT,
}

// routeGateway splits RouterOS's gateway forms: "1.2.3.4", "ether1",
// "1.2.3.4%ether1" and "1.2.3.4@main". The table after "@" only says where
// the gateway is resolved; the kernel resolves a gateway of a route in
// another table through its rules and the main table, which is the common
// "@main" case.
// gatewayLink is the Linux interface of a gateway's %interface
// ("192.168.80.2%docker-infrastructure-br"): the one that carries the
// RouterOS interface (LinkName), "" without one. The RouterOS name was
// looked up, and a bridge named over 15 bytes failed the whole apply
// ("gateway interface ... is not in the router namespace").
func gatewayLink(v string) string {
	if _, iface := routeGateway(v); iface != "" {
		return LinkName(iface)
	}
	return ""
}

// routeGateways splits a route's gateway into its gateways: an ECMP route
// has several ("gateway=203.0.113.1,198.18.0.1").
func routeGateways(v string) []string {
	var out []string
	for _, g := range strings.Split(v, ",") {
		if g = strings.TrimSpace(g); g != "" {
			out = append(out, g)
		}
	}
	if len(out) == 0 {
		return []string{""}
	}
	return out
}

func routeGateway(v string) (gw, iface string) {
	if i := strings.IndexByte(v, '@'); i >= 0 {
		v = v[:i]
	}
	if i := strings.IndexByte(v, '%'); i >= 0 {
		return v[:i], v[i+1:]
	}
	return v, ""
}

// vrfConnected are the connected routes of the VRFs' addresses, in their
// VRF's table: what the kernel puts in main for an ordinary address
// (a link route to the subnet from the address).
func vrfConnected(st *State) []Route {
	var out []Route
	for _, a := range st.Addresses {
		if a.VRF == "" || !a.Prefix.Addr().Is4() {
			continue
		}
		out = append(out, Route{Dst: a.Prefix.Masked(), Gateway: a.Interface, Table: a.VRF, PrefSrc: a.Prefix.Addr()})
	}
	return out
}

// vrfLink is the interface of a VRF whose subnet holds gw, "" when none
// does.
func vrfLink(st *State, gw netip.Addr) string {
	for _, a := range st.Addresses {
		if a.VRF != "" && a.Prefix.Masked().Contains(gw) {
			return a.Interface
		}
	}
	return ""
}

// vrfOf is the table a gateway names after "@" (gateway=10.0.0.1@guest),
// "" without one.
func vrfOf(g string) string {
	_, t, _ := strings.Cut(g, "@")
	return t
}
