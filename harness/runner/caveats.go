package runner

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/report"
	"github.com/chrlab/chrlab/harness/scenario"
	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/service/ipsec"
)

// stepCaveat says which settings r stores without enforcing could change
// the outcome of a passed probe step, or "" (forum34 D6): a PASS of an
// IPsec bypass case held in rosemu because the packet went out in clear
// text and died at the ISP, where RouterOS drops it for want of an SA.
// Only settings that touch the step's path count, so that the caveat is
// not the run's whole not-enforced list again: an IPsec policy whose
// selectors cover the step's two ends (either way: the replies cross it
// too), a tunnel with an ipsec-secret that a route or address puts on the
// way to either end, and a firewall rule with a stored-only property in
// a chain the step's packets cross (input for a probe of the router,
// forward and the NAT chains otherwise), and for a dns step to the
// router's resolver the DNS settings it stores only (adlist, forwarders'
// doh-servers; use-doh-server is enforced since rosemu has a DoH client).
func stepCaveat(r *config.Router, rows *caveatRows, spec *lab.Spec, st scenario.StepResult) string {
	dst, ok := stepDst(st)
	if !ok {
		return ""
	}
	srcs := nodeAddrs(spec, st.From)
	// A step written with one of the router's addresses (to:
	// 203.0.113.2:22, [3fff:113::2]:555) probes the router as router.wan
	// does: its packets cross input, not forward. Only router.* names
	// counted, so a failed IPv6 knock on the router's address was said to
	// have no stored-only rule on its path (forum48).
	toRouter := strings.HasPrefix(st.To, "router.") || slices.Contains(routerAddrs(spec, rows), dst)
	var out []string
	// A policy is matched after srcnat (IPsec page, "NAT and Fasttrack
	// Bypass"): when the server saw another source than the node's own
	// (a masquerade took the packet first), the policy met that one, and
	// RouterOS too sends such a packet in clear text. forum58 N2: a
	// masqueraded step to the far LAN was said to rest on the policy.
	policySrcs := srcs
	if saw, err := netip.ParseAddr(st.Seen.ServerSaw); err == nil && len(srcs) > 0 && !slices.Contains(srcs, saw) {
		policySrcs = []netip.Addr{saw}
	}
	for _, p := range rows.policies {
		if p["template"] == "true" || p["action"] == "none" || rows.carried[p[".id"]] {
			continue
		}
		sp, dp := prefixes(p["src-address"]), prefixes(p["dst-address"])
		if covers(sp, policySrcs) && covers(dp, []netip.Addr{dst}) || covers(dp, policySrcs) && covers(sp, []netip.Addr{dst}) {
			out = append(out, fmt.Sprintf("/ip ipsec policy %s (src-address=%s dst-address=%s action=%s) covers %s -> %s: RouterOS would send it through IPsec, or drop it without an SA; rosemu makes no SA", p[".id"], p["src-address"], p["dst-address"], policyAction(p["action"]), st.From, dst))
		}
	}
	for _, menu := range tunnelMenus {
		path := strings.ReplaceAll(menu, "/", " ")[1:]
		for _, t := range rows.tunnels[menu] {
			ne := r.ItemNotEnforced("/"+path, t[".id"])
			if len(ne) == 0 || !onPath(t["name"], rows.routes, rows.addrs, append([]netip.Addr{dst}, srcs...)) {
				continue
			}
			for _, n := range ne {
				out = append(out, fmt.Sprintf("/%s %s (%s) is on the way to %s and sets %s=, which rosemu does not enforce (%s)", path, t[".id"], t["name"], dst, n.Property, n.Reason))
			}
		}
	}
	chains := map[string][]string{
		"filter": {"forward"}, "nat": {"srcnat", "dstnat"}, "mangle": {"prerouting", "forward", "postrouting"}, "raw": {"prerouting"},
	}
	if toRouter {
		chains = map[string][]string{"filter": {"input"}, "nat": {"dstnat"}, "mangle": {"prerouting", "input"}, "raw": {"prerouting"}}
	}
	// The rules of the step's address family only: an IPv6 probe crosses
	// no /ip firewall chain, an IPv4 one no /ipv6 firewall chain (forum45
	// D1: an IPv6 step got the IPv4 fasttrack rule's caveat).
	family := "/ip"
	if dst.Is6() {
		family = "/ipv6"
	}
	// A step whose packets met no chain gets no rule's caveat.
	crossed := crossedRouter(st, rows.firewall[family+" filter"])
	proto := stepProtocol(st.Probe, dst.Is6())
	port := stepPort(st, proto, rows.firewall[family+" nat"])
	for _, table := range firewallTables {
		if !crossed {
			break
		}
		for _, rule := range rows.firewall[family+" "+table] {
			if !slices.Contains(chains[table], rule["chain"]) || !protoMay(rule["protocol"], proto) || !portMay(rule["dst-port"], port) {
				continue
			}
			if (rule["chain"] == "dstnat" || rule["chain"] == "prerouting") && !dstAddrMay(rule["dst-address"], dst) {
				// These chains see the destination before any dst-nat:
				// a rule for another address never sees the step's
				// packets (forum53 N1: a netmap of another block).
				continue
			}
			for _, n := range r.ItemNotEnforced(family+" firewall "+table, rule[".id"]) {
				if report.OutcomeNeutral[n.Property] {
					continue
				}
				out = append(out, fmt.Sprintf("%s firewall %s %s in chain %s, which the step's packets cross, uses %s=, which rosemu does not enforce (%s)", family, table, rule[".id"], rule["chain"], n.Property, n.Reason))
			}
		}
	}
	// A dns step asked the router's resolver: the /ip dns settings it
	// stores without enforcing decide where RouterOS would have sent the
	// query (a forwarder's doh-servers) or what it would have blocked
	// (adlist), so its PASS rests on them (forum40 D3).
	if st.Probe == scenario.DNS && toRouter {
		out = append(out, rows.dns...)
	}
	return strings.Join(out, "; ")
}

// stepProtocol is the IP protocol a probe kind's packets carry, "" when
// the runner does not know it (a step of several protocols).
func stepProtocol(k scenario.Kind, v6 bool) string {
	if k == scenario.Ping {
		if v6 {
			return "icmpv6"
		}
		return "icmp"
	}
	return probeProto(k)
}

// protoNumbers are the protocols a rule may name by number instead.
var protoNumbers = map[string]string{"1": "icmp", "6": "tcp", "17": "udp", "58": "icmpv6"}

// protoMay reports whether a rule's protocol= can match a step's packets
// of protocol step: a rule for another protocol never sees them (forum46
// N10: a ping step's FAIL was said to be perhaps explained by a tarpit
// rule for protocol=tcp). An unset, negated or unknown value may match.
func protoMay(rule, step string) bool {
	if rule == "" || step == "" || strings.HasPrefix(rule, "!") {
		return true
	}
	if n, ok := protoNumbers[rule]; ok {
		rule = n
	}
	if _, known := map[string]bool{"icmp": true, "tcp": true, "udp": true, "icmpv6": true}[rule]; !known {
		return true
	}
	return rule == step
}

// stepPort is the destination port a TCP or UDP step's packets carry
// through every chain, 0 when it is not known: a step without a port, or
// a configuration with a NAT rule that may change a destination port
// (dst-nat, redirect, netmap), which forward and input then see changed.
func stepPort(st scenario.StepResult, proto string, nat []map[string]string) int {
	if proto != "tcp" && proto != "udp" {
		return 0
	}
	for _, r := range nat {
		switch r["action"] {
		case "dst-nat", "redirect", "netmap":
			return 0
		}
	}
	ap, err := netip.ParseAddrPort(st.Target)
	if err != nil {
		return 0
	}
	return int(ap.Port())
}

// portMay says whether a rule's dst-port (RouterOS's "443", "80,443",
// "8000-8080", "!22") can hold a step's port; it can when either is not
// known. A tls-host rule for dst-port=443 gave a step to port 12566 a
// caveat (forum48 N1).
func portMay(rule string, port int) bool {
	if rule == "" || port == 0 {
		return true
	}
	neg := strings.HasPrefix(rule, "!")
	in := false
	for _, p := range strings.Split(strings.TrimPrefix(rule, "!"), ",") {
		lo, hi, isRange := strings.Cut(p, "-")
		a, err1 := strconv.Atoi(strings.TrimSpace(lo))
		b, err2 := a, error(nil)
		if isRange {
			b, err2 = strconv.Atoi(strings.TrimSpace(hi))
		}
		if err1 != nil || err2 != nil {
			return true
		}
		in = in || port >= a && port <= b
	}
	return in != neg
}

// dstAddrMay reports whether a rule's dst-address (an address, a prefix
// or a range) can hold dst; an unset, negated or unread value may.
func dstAddrMay(rule string, dst netip.Addr) bool {
	if rule == "" || strings.HasPrefix(rule, "!") {
		return true
	}
	if lo, hi, ok := strings.Cut(rule, "-"); ok {
		a, err1 := netip.ParseAddr(lo)
		b, err2 := netip.ParseAddr(hi)
		if err1 != nil || err2 != nil || a.BitLen() != dst.BitLen() {
			return true
		}
		return a.Compare(dst) <= 0 && dst.Compare(b) <= 0
	}
	ps := prefixes(rule)
	return len(ps) == 0 || covers(ps, []netip.Addr{dst})
}

// crossedRouter says whether a step's packets can have crossed the
// router's firewall chains: not when the probe found no route at all
// ("connect: network is unreachable", the kernel's ENETUNREACH), which is
// the source host's own lack of a route (a host with no address) or the
// router's answer that it has none, given at the routing decision, before
// the forward and srcnat chains (forum45 D1: lan2-nolist's host without
// a lease, static-wan's router without a default route). A filter rule
// that rejects with icmp-network-unreachable gives the same answer after
// crossing the chain: with one, the step counts as crossed.
func crossedRouter(st scenario.StepResult, filter []map[string]string) bool {
	if st.Seen.Result != "unreachable" || !strings.Contains(st.Seen.Detail, "network is unreachable") {
		return true
	}
	return slices.ContainsFunc(filter, func(r map[string]string) bool {
		return r["action"] == "reject" && (strings.Contains(r["reject-with"], "net") || strings.Contains(r["reject-with"], "no-route"))
	})
}

var (
	tunnelMenus    = []string{"/interface/gre", "/interface/ipip", "/interface/eoip"}
	firewallTables = []string{"filter", "nat", "mangle", "raw"}
)

// caveatRows are the enabled, static rows of the menus stepCaveat reads,
// printed once per configuration stage for all the steps judged there:
// printing them again for every passed step made a long run's report
// wait on thousands of prints of the same tables.
type caveatRows struct {
	policies, routes, addrs []map[string]string
	addrs6                  []map[string]string
	// carried are the policies rosemu runs with a real SA (strongSwan,
	// docs/ipsec.md): what they cover goes into ESP or, without an SA,
	// is dropped as on RouterOS, so a step they cover needs no caveat.
	// The caveat said "rosemu makes no SA" of them (ipsec73: every step
	// of the scenario ipsec-site-to-site).
	carried           map[string]bool
	tunnels, firewall map[string][]map[string]string
	// dns are the caveats of a dns step to the router's resolver: the
	// /ip dns settings stored, not enforced.
	dns []string
}

// caveatReads counts readCaveatRows calls, for the test that the rows are
// read once per stage.
var caveatReads atomic.Int64

func readCaveatRows(ctx context.Context, r *config.Router) *caveatRows {
	caveatReads.Add(1)
	rows := func(path string) []map[string]string {
		rs, _, err := r.Command(ctx, path+"/print", nil)
		if err != nil {
			return nil
		}
		out := make([]map[string]string, 0, len(rs))
		for _, row := range rs {
			m := map[string]string{}
			for _, p := range row {
				m[p.Name] = p.Value
			}
			if m["disabled"] != "true" && m["dynamic"] != "true" {
				out = append(out, m)
			}
		}
		return out
	}
	c := &caveatRows{
		policies: rows("/ip/ipsec/policy"),
		routes:   rows("/ip/route"),
		addrs:    rows("/ip/address"),
		addrs6:   rows("/ipv6/address"),
		tunnels:  map[string][]map[string]string{},
		firewall: map[string][]map[string]string{},
		carried:  ipsec.Carried(r.IPsecPeers()),
	}
	for _, n := range r.NotEnforced() {
		if n.Path == "/ip dns" || strings.HasPrefix(n.Path, "/ip dns ") && n.Path != "/ip dns static" {
			c.dns = append(c.dns, fmt.Sprintf("the step asked the router's resolver, and %s %s= is stored, not enforced (%s)", n.Path, n.Property, n.Reason))
		}
	}
	for _, m := range tunnelMenus {
		c.tunnels[m] = rows(m)
	}
	for _, t := range firewallTables {
		c.firewall["/ip "+t] = rows("/ip/firewall/" + t)
		c.firewall["/ipv6 "+t] = rows("/ipv6/firewall/" + t)
	}
	return c
}

// stepDst is the address a probe step went to, as resolved.
func stepDst(st scenario.StepResult) (netip.Addr, bool) {
	if ap, err := netip.ParseAddrPort(st.Target); err == nil {
		return ap.Addr().Unmap(), true
	}
	if a, err := netip.ParseAddr(st.Target); err == nil {
		return a.Unmap(), true
	}
	return netip.Addr{}, false
}

// routerAddrs are the router's own addresses: those of its lab ports and
// the static ones of its configuration (/ip address, /ipv6 address).
func routerAddrs(spec *lab.Spec, rows *caveatRows) []netip.Addr {
	var out []netip.Addr
	for _, p := range spec.Router.Ports {
		for _, a := range []netip.Addr{p.Address, p.Address6} {
			if a.IsValid() {
				out = append(out, a)
			}
		}
	}
	for _, a := range slices.Concat(rows.addrs, rows.addrs6) {
		if p, err := netip.ParsePrefix(a["address"]); err == nil {
			out = append(out, p.Addr())
		}
	}
	return out
}

// nodeAddrs are the static addresses of a lab node (none for a node that
// takes its address by DHCP or PPPoE: the policy check then sees no
// source and names nothing).
func nodeAddrs(spec *lab.Spec, name string) []netip.Addr {
	var out []netip.Addr
	for _, n := range spec.Nodes {
		if n.Name != name {
			continue
		}
		for _, in := range n.Interfaces {
			if in.Address.IsValid() {
				out = append(out, in.Address)
			}
		}
	}
	return out
}

// prefixes reads a RouterOS address list ("192.168.88.0/24,10.0.0.1").
func prefixes(v string) []netip.Prefix {
	var out []netip.Prefix
	for _, f := range strings.Split(v, ",") {
		f = strings.TrimSpace(f)
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
		} else if a, err := netip.ParseAddr(f); err == nil {
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
		}
	}
	return out
}

func covers(ps []netip.Prefix, as []netip.Addr) bool {
	for _, p := range ps {
		for _, a := range as {
			if p.Contains(a) {
				return true
			}
		}
	}
	return false
}

// onPath says whether the interface name carries traffic to one of as: a
// route through it, or an address on it, covers one of them.
func onPath(name string, routes, addrs []map[string]string, as []netip.Addr) bool {
	for _, rt := range routes {
		gw := rt["gateway"] + "," + rt["immediate-gw"]
		on := false
		for _, g := range strings.Split(gw, ",") {
			g = strings.TrimSpace(g)
			_, iface, _ := strings.Cut(g, "%")
			on = on || g == name || iface == name
		}
		if on && covers(prefixes(rt["dst-address"]), as) {
			return true
		}
	}
	for _, a := range addrs {
		if a["interface"] == name && covers(prefixes(a["network"]+"/"+bits(a["address"])), as) {
			return true
		}
	}
	return false
}

// bits is the prefix length of an "address/len" value.
func bits(addr string) string {
	_, l, _ := strings.Cut(addr, "/")
	return l
}

// policyAction is a policy row's action, encrypt when the print omits it
// (its default).
func policyAction(s string) string {
	if s == "" {
		return "encrypt"
	}
	return s
}
