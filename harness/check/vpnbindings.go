package check

import (
	"cmp"
	"maps"
	"net/netip"
	"slices"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// A PPP server's static binding (/interface l2tp-server add
// name=l2tp-alice user=alice, and the same under sstp-server,
// pptp-server, ovpn-server) gives a secret's sessions a named interface
// instead of a dynamic one (PPP AAA and the servers' pages of the
// manual), and a named interface can be in an interface list by hand
// (/interface list member add interface=l2tp-alice list=LAN). The VPN DNS
// finding walked only the dynamic interface, in no list but the
// profile's interface-list=, and said the input chain drops the clients'
// queries for a router whose every client comes in on a binding in LAN
// (chk54). Such a profile is judged by its bindings' interfaces.

// vpnBindingsResolve reports whether every enabled secret of server srv's
// service with profile prof has a static binding, and the input chain
// accepts a DNS query to dns from each binding's interface (a member of
// its lists, and of the profile's interface-list).
func (p *Plan) vpnBindingsResolve(srv *export.Command, service string, prof *export.Command, dns netip.Addr) bool {
	f := p.export
	keep := p.keeper(f)
	menu := strings.TrimSuffix(srv.MenuPath(), " server")
	binding := func(user string) string {
		for _, c := range f.Commands {
			if keep(c) && enabled(c) && c.Verb == "add" && c.MenuPath() == menu && c.Value("user") == user && c.Value("name") != "" {
				return c.Value("name")
			}
		}
		return ""
	}
	m := *p.newMatcher(f, keep)
	n := 0
	for _, c := range f.Commands {
		if c.MenuPath() != "ppp secret" || c.Verb != "add" || !keep(c) || !enabled(c) || cmp.Or(c.Value("profile"), "default") != prof.Value("name") {
			continue
		}
		if s := c.Value("service"); s != "" && s != "any" && s != service {
			continue
		}
		iface := binding(c.Value("name"))
		if iface == "" {
			return false
		}
		bm := m
		if l := prof.Value("interface-list"); l != "" {
			bm.lists = maps.Clone(m.lists)
			bm.lists[l] = append(slices.Clone(m.lists[l]), iface)
		}
		pk := packet{src: p.vpnClientAddr(prof), dst: dns, proto: "udp", dstPort: 53, in: iface, local: true, state: "new"}
		r, how := bm.first(f, keep, "ip firewall filter", "input", pk, map[string]bool{"accept": true, "drop": true, "reject": true})
		if r != nil && how == yes && r.Value("action") != "accept" {
			return false
		}
		n++
	}
	return n > 0
}
