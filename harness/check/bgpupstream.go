package check

import (
	"cmp"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// bgpUpstream is an interface of an eBGP session to a public AS: the
// session's peer address and line, and why the interface is a WAN.
type bgpUpstream struct {
	iface, why string
	peer       netip.Addr
	line       int
}

// bgpUpstreams are the interfaces that hold, on their subnet, the remote
// address of an enabled eBGP session to a public autonomous system: an
// ISP router with no default route of its own (it learns it by BGP)
// reaches the internet through them. A private AS (64512-65534,
// 4200000000-4294967294, RFC 6996) is the operator's own network (a data
// centre, a customer), and a session whose remote AS is the router's own
// is iBGP: neither is an upstream. RouterOS 6 names the session's AS in
// /routing bgp instance (the peer's instance=, "default" when unsaid) and
// the peer's remote-as=; RouterOS 7 in /routing bgp connection's as= and
// remote.as=, remote.address= (BGP pages of the manual,
// https://help.mikrotik.com/docs/spaces/ROS/pages/328220/BGP). An ISP
// router whose backup uplink carried its second session to AS 4800 was
// refused ("cannot tell which port is the WAN"), and with --map naming
// the main uplink the backup was read as a LAN, its open resolver and
// services unreported (rc28 D3).
func bgpUpstreams(f *export.File, keep func(*export.Command) bool) []bgpUpstream {
	// The router's AS by v6 instance name, and by v7 template name: a v7
	// connection without as= takes its first template's ("default" when
	// it names none; BGP page: templates). Without the template's AS an
	// iBGP session to the router's own public AS read as an eBGP uplink.
	own, tmpl := map[string]string{}, map[string]string{}
	for _, c := range f.Commands {
		if !keep(c) {
			continue
		}
		var m map[string]string
		switch c.MenuPath() {
		case "routing bgp instance":
			m = own
		case "routing bgp template":
			m = tmpl
		default:
			continue
		}
		name := c.Value("name")
		if c.Verb == "set" && name == "" {
			name = "default" // set default as=...
		}
		if as := c.Value("as"); as != "" {
			m[name] = as
		}
	}
	var out []bgpUpstream
	for _, c := range f.Commands {
		if !keep(c) || !enabled(c) || c.Verb != "add" {
			continue
		}
		var local, remote, addr string
		switch c.MenuPath() {
		case "routing bgp peer":
			local, remote, addr = own[cmp.Or(c.Value("instance"), "default")], c.Value("remote-as"), c.Value("remote-address")
		case "routing bgp connection":
			if strings.HasPrefix(c.Value("local.role"), "ibgp") {
				continue
			}
			first, _, _ := strings.Cut(c.Value("templates"), ",")
			local, remote, addr = cmp.Or(c.Value("as"), tmpl[cmp.Or(first, "default")]), c.Value("remote.as"), c.Value("remote.address")
		default:
			continue
		}
		if remote == "" || remote == local || !publicASN(remote) {
			continue
		}
		a, err := netip.ParseAddr(strings.Split(addr, "/")[0])
		if err != nil {
			continue
		}
		for _, ac := range subnetsHolding(f, keep, a) {
			out = append(out, bgpUpstream{iface: ac.Value("interface"), peer: a, line: c.Line,
				why: fmt.Sprintf("its eBGP peer %s (line %d, AS %s, a public AS) is on it: the router learns its way to the internet there", a, c.Line, remote)})
		}
	}
	return out
}

// publicASN reports whether as (asplain) is a public autonomous system
// number: not reserved (0, 23456 AS_TRANS, 65535, 4294967295), not for
// documentation (64496-64511, 65536-65551, RFC 5398) and not private
// (64512-65534, 4200000000-4294967294, RFC 6996).
func publicASN(as string) bool {
	n, err := strconv.ParseUint(as, 10, 32)
	switch {
	case err != nil, n == 0, n == 23456, n >= 64496 && n <= 65551, n >= 4200000000:
		return false
	}
	return true
}

// learntDefaultRoute gives the lab router the default route the first
// WAN's eBGP peer gives the real one, when the export has none of its own:
// the lab has no BGP neighbour, so the router had no route to the internet
// there, every LAN's way out read "unreachable" and its services from the
// internet "filtered" (their answers found no route), which the rules
// predict open. Said in a note; the export's lines are untouched.
func (p *Plan) learntDefaultRoute(f *export.File, keep func(*export.Command) bool) {
	p.learntWAN = -1
	if len(p.WANs) == 0 || p.WANs[0].Kind != "static" {
		return
	}
	any := false
	p.defaultRoutes(true, func(*export.Command, int, int) { any = true })
	if any {
		return
	}
	for _, u := range bgpUpstreams(f, keep) {
		if u.iface != p.WANs[0].Interface {
			continue
		}
		on := fmt.Sprintf("/ip route add dst-address=0.0.0.0/0 gateway=%s distance=250 comment=%s", u.peer, export.Quote("chrlab check: learnt by BGP on the real router"))
		if !contains(p.labLines, on) {
			p.labLines = append(p.labLines, "# chrlab check: the default route the router learns by BGP, which the lab has no neighbour to give", on)
			p.learntWAN = 0
			p.Notes = append(p.Notes, fmt.Sprintf("the router has no default route of its own: it learns its way to the internet by BGP from %s (line %d); the lab has no BGP neighbour, so its router gets %s in its place (not in the fix), for the paths to and from the internet to be probed", u.peer, u.line, on))
		}
		return
	}
}

// learntAsymmetric explains a service the rules read open and the lab
// found filtered on a router whose stand-in default route goes by the
// first WAN while the lab probes another WAN's address (router.wan is the
// lowest port): the router's answers left by the first WAN with the other
// WAN's address, and the lab's ISP dropped them as spoofed. Before, the
// lab's "filtered" silently replaced the prediction (rc28 D3's backup
// uplink on ether4 below the main line on ether6). "" when that is not
// the case.
func (p *Plan) learntAsymmetric(dir string) string {
	if p.learntWAN < 0 || p.learntWAN >= len(p.WANs) || p.wanTarget(p.learntWAN) == "router.wan" {
		return ""
	}
	dropped := spoofDrops(dir)
	if dropped == 0 {
		return ""
	}
	probed := ""
	for wi, w := range p.WANs {
		if p.wanTarget(wi) == "router.wan" {
			probed = w.Interface
		}
	}
	return fmt.Sprintf("the lab found it filtered, which the rules do not: the lab probes it on %s, and the router's answers left by %s, the way of the default route it learns by BGP, with %s's address, where the lab's ISP dropped %d packet(s) as spoofed; on the router, whether such answers arrive is the ISP's filtering", probed, p.WANs[p.learntWAN].Interface, probed, dropped)
}
