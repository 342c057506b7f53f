package check

import (
	"cmp"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// VPNForwardDropped is the cause of road warriors whose new connections
// to the LAN the forward chain drops: a firewall that forwards only what
// comes in on its LAN list ("drop all else", in-interface-list=!LAN) does
// not know the clients' dynamic PPP interfaces. The fix is the same
// interface-list= on the profile.
const VPNForwardDropped Cause = "the forward chain drops the VPN clients' new connections to the LAN: they come in on their own PPP interface, which is in no interface list the forward accepts name, so the tunnel comes up and nothing behind the router answers"

// VPNDNSDropped is the cause of road warriors whose PPP profile gives them
// the router as DNS server while the input chain drops their queries:
// each client comes in on its own dynamic PPP interface (<l2tp-alice>),
// which no static interface list holds, so defconf's "drop all not coming
// from LAN" takes its queries. The forum's fix is the profile's
// interface-list=LAN, which adds the session's interface to the list
// while it is up (PPP AAA page of the manual, profile interface-list:
// https://help.mikrotik.com/docs/display/ROS/PPP+AAA). Symptom: "VPN
// connects, pings work, names do not resolve".
const VPNDNSDropped Cause = "the VPN clients' profile gives them the router as DNS server, but the input chain drops their queries: they come in on their own PPP interface, which is in no interface list the accepts name, so names do not resolve over the VPN"

// vpnDNSFindings judges, for each profile an enabled PPP VPN server gives
// (its default profile, the secrets' for its service), a DNS query from
// the profile's clients to its dns-server when that is the router's own
// address and the router answers queries (allow-remote-requests=yes).
func (p *Plan) vpnDNSFindings() []Finding {
	f := p.export
	keep := p.keeper(f)
	servers, what, service, defProfile := pppVPNServers(f, keep)
	if len(servers) == 0 {
		return nil
	}
	profiles := map[string]*export.Command{}
	for _, c := range f.Commands {
		if keep(c) && c.MenuPath() == "ppp profile" && c.Verb == "add" {
			profiles[c.Value("name")] = c
		}
	}
	var out []Finding
	seen := map[string]bool{}
	for _, srv := range servers {
		names := []string{defProfile[srv]}
		for _, c := range f.Commands {
			if c.MenuPath() == "ppp secret" && c.Verb == "add" && keep(c) && enabled(c) {
				if s := c.Value("service"); s == "" || s == "any" || s == service[srv] {
					names = append(names, cmp.Or(c.Value("profile"), "default"))
				}
			}
		}
		for _, name := range names {
			prof := profiles[name]
			if prof == nil || seen[name] {
				continue
			}
			seen[name] = true
			dns, err := netip.ParseAddr(strings.Split(prof.Value("dns-server"), ",")[0])
			if err == nil && p.routerResolves() && (p.isRouterAddr(dns) || prof.Value("local-address") == dns.String()) && !p.vpnBindingsResolve(srv, service[srv], prof, dns) {
				if fd, ok := p.vpnDNSDropped(what[srv], prof, dns, prof.Value("interface-list")); ok {
					out = append(out, fd)
				}
			}
			if p.vpnBoundAndListed(srv, service[srv], name) {
				continue // the sessions' interfaces are the bindings', placed in lists by hand
			}
			if fd, ok := p.vpnForwardDropped(what[srv], prof, prof.Value("interface-list")); ok {
				out = append(out, fd)
			}
		}
	}
	return out
}

// vpnClientAddr is a client's address under profile prof: its
// remote-address, or its pool's first; without either, one of no lab
// subnet.
func (p *Plan) vpnClientAddr(prof *export.Command) netip.Addr {
	f := p.export
	keep := p.keeper(f)
	src := netip.MustParseAddr("10.255.255.254")
	if ra := prof.Value("remote-address"); ra != "" {
		if a, err := netip.ParseAddr(ra); err == nil {
			src = a
		}
		for _, c := range f.Commands {
			if keep(c) && c.MenuPath() == "ip pool" && c.Verb == "add" && c.Value("name") == ra {
				if rs, _ := poolRangesOf(c.Value("ranges")); len(rs) > 0 {
					src = rs[0].lo
				}
			}
		}
	}
	return src
}

// vpnClientIface stands for a session's dynamic PPP interface.
const vpnClientIface = "<vpn-client>"

// vpnMatcher is the export's matcher with the session's interface in
// list (the profile's interface-list), a copy: the cached one is shared.
func (p *Plan) vpnMatcher(list string) *matcher {
	m := *p.newMatcher(p.export, p.keeper(p.export))
	if list != "" {
		m.lists = maps.Clone(m.lists)
		m.lists[list] = append(slices.Clone(m.lists[list]), vpnClientIface)
	}
	return &m
}

// vpnDNSDropped follows one client's query through the input chain, its
// PPP interface a member of list (the profile's interface-list).
func (p *Plan) vpnDNSDropped(what string, prof *export.Command, dns netip.Addr, list string) (Finding, bool) {
	f := p.export
	keep := p.keeper(f)
	m := p.vpnMatcher(list)
	pk := packet{src: p.vpnClientAddr(prof), dst: dns, proto: "udp", dstPort: 53, in: vpnClientIface, local: true, state: "new"}
	r, how := m.first(f, keep, "ip firewall filter", "input", pk, map[string]bool{"accept": true, "drop": true, "reject": true})
	if r == nil || how != yes || r.Value("action") == "accept" {
		return Finding{}, false
	}
	return Finding{Forward: -1, Path: "vpn-dns:" + prof.Value("name"), Cause: VPNDNSDropped, Line: r.Line, Rule: r.Raw,
		Detail: fmt.Sprintf("%s gives the profile %s (line %d), dns-server=%s", what, prof.Value("name"), prof.Line, dns)}, true
}

// vpnForwardDropped follows one client's new connection to a host of
// each LAN segment through the forward chain, its PPP interface a member
// of list, and reports the first segment's drop when every segment's
// connection is dropped. A forward chain that lets the clients into one
// LAN and not another (by address list, rc27's office export: the VPN
// pool to the servers' VLAN, not to the main LAN) keeps them out on
// purpose.
func (p *Plan) vpnForwardDropped(what string, prof *export.Command, list string) (Finding, bool) {
	if len(p.Segments) == 0 {
		return Finding{}, false
	}
	f := p.export
	keep := p.keeper(f)
	m := p.vpnMatcher(list)
	var first Finding
	for i, s := range p.Segments {
		pk := packet{src: p.vpnClientAddr(prof), dst: hostIn(s.Prefix, 10), proto: "tcp", dstPort: lanOutPort, in: vpnClientIface, out: s.Interface, state: "new", tcpFlags: "syn"}
		r, how := m.first(f, keep, "ip firewall filter", "forward", pk, map[string]bool{"accept": true, "drop": true, "reject": true})
		if r == nil || how != yes || r.Value("action") == "accept" {
			return Finding{}, false
		}
		if i == 0 {
			first = Finding{Forward: -1, Path: "vpn-forward:" + prof.Value("name"), Cause: VPNForwardDropped, Line: r.Line, Rule: r.Raw,
				Detail: fmt.Sprintf("%s gives the profile %s (line %d); a connection to %s on %s meets this rule", what, prof.Value("name"), prof.Line, pk.dst, s.Interface)}
		}
	}
	return first, true
}

// vpnBoundAndListed reports whether every enabled secret of server srv's
// service with profile name has a static binding (/interface
// sstp-server add name=... user=..., PPP AAA page of the manual) whose
// interface is in an interface list: those sessions come in on the
// binding's interface, not a dynamic one in no list, so the forward
// chain's rules for that list are the admin's intent (rc28's towers: the
// list is let out to the WAN and kept from the office LAN).
func (p *Plan) vpnBoundAndListed(srv *export.Command, service, name string) bool {
	f := p.export
	keep := p.keeper(f)
	m := p.newMatcher(f, keep)
	bindings := strings.TrimSuffix(srv.MenuPath(), " server")
	listed := func(user string) bool {
		for _, c := range f.Commands {
			if keep(c) && enabled(c) && c.Verb == "add" && c.MenuPath() == bindings && c.Value("user") == user {
				for _, members := range m.lists {
					if slices.Contains(members, c.Value("name")) {
						return true
					}
				}
			}
		}
		return false
	}
	n := 0
	for _, c := range f.Commands {
		if c.MenuPath() != "ppp secret" || c.Verb != "add" || !keep(c) || !enabled(c) || cmp.Or(c.Value("profile"), "default") != name {
			continue
		}
		if s := c.Value("service"); s != "" && s != "any" && s != service {
			continue
		}
		if !listed(c.Value("name")) {
			return false
		}
		n++
	}
	return n > 0
}

// vpnListFix is the fix of a vpnDNSFindings finding: the profile's
// sessions in the first of the export's interface lists under which the
// walk that was dropped is accepted (defconf's LAN first), so the
// clients count as the LAN's as the forum's fix has it.
func (p *Plan) vpnListFix(f Finding) (key, line string) {
	prefix, _, ok := strings.Cut(f.Path, ":")
	prof := strings.TrimPrefix(f.Path, prefix+":")
	if !ok || prof == "" {
		return "", ""
	}
	var pc *export.Command
	keep := p.keeper(p.export)
	for _, c := range p.export.Commands {
		if keep(c) && c.MenuPath() == "ppp profile" && c.Verb == "add" && c.Value("name") == prof {
			pc = c
		}
	}
	if pc == nil {
		return "", ""
	}
	m := p.newMatcher(p.export, keep)
	lists := slices.Sorted(maps.Keys(m.lists))
	if i := slices.Index(lists, "LAN"); i > 0 {
		lists = append([]string{"LAN"}, slices.Delete(lists, i, i+1)...)
	}
	for _, l := range lists {
		var still bool
		switch f.Cause {
		case VPNDNSDropped:
			dns, _ := netip.ParseAddr(strings.Split(pc.Value("dns-server"), ",")[0])
			_, still = p.vpnDNSDropped("", pc, dns, l)
		case VPNForwardDropped:
			_, still = p.vpnForwardDropped("", pc, l)
		}
		if !still {
			return "vpn-list " + prof, fmt.Sprintf("/ppp profile set [ find name=%s ] interface-list=%s", export.Quote(prof), export.Quote(l))
		}
	}
	return "", ""
}
