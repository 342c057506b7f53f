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
	if !p.routerResolves() {
		return nil
	}
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
			if err != nil || !p.isRouterAddr(dns) && prof.Value("local-address") != dns.String() {
				continue
			}
			if fd, ok := p.vpnDNSDropped(srv, what[srv], prof, dns); ok {
				out = append(out, fd)
			}
		}
	}
	return out
}

// vpnDNSDropped follows one client's query through the input chain, its
// PPP interface a member of the profile's interface-list.
func (p *Plan) vpnDNSDropped(srv *export.Command, what string, prof *export.Command, dns netip.Addr) (Finding, bool) {
	f := p.export
	keep := p.keeper(f)
	// The client's address: the profile's remote-address, or its pool's
	// first; without either, one of no lab subnet.
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
	m := *p.newMatcher(f, keep) // a copy: the session's list membership is this walk's own
	const iface = "<vpn-client>"
	if l := prof.Value("interface-list"); l != "" {
		m.lists = maps.Clone(m.lists)
		m.lists[l] = append(slices.Clone(m.lists[l]), iface)
	}
	pk := packet{src: src, dst: dns, proto: "udp", dstPort: 53, in: iface, local: true, state: "new"}
	r, how := m.first(f, keep, "ip firewall filter", "input", pk, map[string]bool{"accept": true, "drop": true, "reject": true})
	if r == nil || how != yes || r.Value("action") == "accept" {
		return Finding{}, false
	}
	return Finding{Forward: -1, Path: "vpn-dns:" + prof.Value("name"), Cause: VPNDNSDropped, Line: r.Line, Rule: r.Raw,
		Detail: fmt.Sprintf("%s gives the profile %s (line %d), dns-server=%s", what, prof.Value("name"), prof.Line, dns)}, true
}

// vpnDNSFix puts the profile's sessions into the list the drop spares
// (in-interface-list=!LAN: interface-list=LAN), or accepts DNS from the
// profile's clients above the drop when the drop names no such list.
func (p *Plan) vpnDNSFix(f Finding) (key, line string) {
	r := p.commandAt(f.Line)
	prof := strings.TrimPrefix(f.Path, "vpn-dns:")
	if r == nil || prof == "" {
		return "", ""
	}
	if v := r.Value("in-interface-list"); strings.HasPrefix(v, "!") {
		return "vpn-dns " + prof, fmt.Sprintf("/ppp profile set [ find name=%s ] interface-list=%s", export.Quote(prof), export.Quote(v[1:]))
	}
	return "", ""
}
