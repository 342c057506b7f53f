package check

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// The road warriors of the router's own PPP VPN servers (L2TP, PPTP,
// SSTP, OpenVPN) get their addresses from a PPP profile's or secret's
// remote-address, a pool or one address (PPP AAA page of the manual,
// https://help.mikrotik.com/docs/display/ROS/PPP+AAA). Two faults of the
// forum follow from where those addresses lie, and the check names both
// from the export alone (no lab client dials these servers):
//
//   - clients "connected, but no internet": no srcnat rule takes the
//     pool's connections out of the WAN (a masquerade narrowed to the
//     LAN's subnet), so they leave with private sources and the ISP drops
//     them;
//   - clients "reach the router but not the LAN": the pool lies inside a
//     LAN's subnet, so LAN hosts take a client's address for a neighbour
//     and ask for it by ARP, which nobody answers unless the LAN interface
//     answers for what the router reaches through its other interfaces
//     (arp=proxy-arp, ARP page of the manual,
//     https://help.mikrotik.com/docs/display/ROS/ARP; the forum's and
//     interface31.ru's "Proxy ARP for VPN connections" fix) [verify] the
//     page's own words.

// NoVPNMasquerade is the cause of a VPN pool whose connections leave the
// WAN untranslated.
const NoVPNMasquerade Cause = "no srcnat rule translates the VPN clients' connections to the internet as they leave by the WAN: they go out with the pool's private addresses and the ISP drops them, so a client that sends its internet traffic through the tunnel (Windows' and the phones' default) has none"

// VPNPoolInLAN is the cause of a VPN pool inside a LAN's subnet whose
// interface does not answer ARP for it.
const VPNPoolInLAN Cause = "the VPN clients' addresses lie inside this LAN's subnet, but the LAN interface does not answer ARP for them (arp=proxy-arp): a LAN host takes a client for a neighbour, asks for it by ARP, gets no answer, and never answers the client, which reaches the router and nothing behind it"

// vpnPool is the addresses one PPP VPN server's clients get.
type vpnPool struct {
	server *export.Command
	what   string // the L2TP server, ...
	name   string // the pool's name, or the address as written
	lo, hi netip.Addr
}

// pppVPNServers are the enabled PPP VPN servers, each with its PPP
// service name (a secret's service=) and the profile it gives by default
// (default-encryption for L2TP and PPTP, default for SSTP and OpenVPN:
// the servers' pages of the manual) [verify] the SSTP and OVPN defaults.
func pppVPNServers(f *export.File, keep func(*export.Command) bool) (servers []*export.Command, what, service, profile map[*export.Command]string) {
	what, service, profile = map[*export.Command]string{}, map[*export.Command]string{}, map[*export.Command]string{}
	for _, c := range f.Commands {
		if !keep(c) || !enabled(c) {
			continue
		}
		var w, s, def string
		switch c.MenuPath() {
		case "interface l2tp-server server":
			w, s, def = "the L2TP server", "l2tp", "default-encryption"
		case "interface pptp-server server":
			w, s, def = "the PPTP server", "pptp", "default-encryption"
		case "interface sstp-server server":
			w, s, def = "the SSTP server", "sstp", "default"
		case "interface ovpn-server server":
			w, s, def = "the OpenVPN server", "ovpn", "default"
		default:
			continue
		}
		on := c.Value("enabled") == "yes" || c.Verb == "add" && c.Value("disabled") == "no"
		if !on {
			continue
		}
		if d := c.Value("default-profile"); d != "" {
			def = d
		}
		servers = append(servers, c)
		what[c], service[c], profile[c] = w, s, def
	}
	return servers, what, service, profile
}

// vpnPools are the addresses the clients of the enabled PPP VPN servers
// get: the remote-address of the server's default profile, of each
// secret for the server's service (or any) and of that secret's profile;
// a secret's own remote-address comes first, then its profile's. Each
// pool or address is listed once, with the first server that gives it.
func (p *Plan) vpnPools() []vpnPool {
	f := p.export
	keep := p.keeper(f)
	servers, what, service, defProfile := pppVPNServers(f, keep)
	if len(servers) == 0 {
		return nil
	}
	remote := map[string]string{} // profile name: its remote-address
	pools := map[string][]dhcpRange{}
	for _, c := range f.Commands {
		if !keep(c) {
			continue
		}
		switch c.MenuPath() {
		case "ppp profile":
			name := c.Value("name")
			if c.Verb == "set" && name == "" {
				// set default-encryption remote-address=..., or by the
				// built-in profiles' ids, as exports write them
				// (set *FFFFFFFE local-address=...).
				name = map[string]string{"*0": "default", "*FFFFFFFE": "default-encryption"}[c.Target]
				if name == "" {
					name = c.Target
				}
			}
			if v := c.Value("remote-address"); v != "" && name != "" {
				remote[name] = v
			}
		case "ip pool":
			if c.Verb == "add" {
				if rs, all := poolRangesOf(c.Value("ranges")); all && len(rs) > 0 {
					pools[c.Value("name")] = rs
				}
			}
		}
	}
	var out []vpnPool
	seen := map[string]bool{}
	addr := func(srv *export.Command, v string) {
		if v == "" || seen[v] {
			return
		}
		seen[v] = true
		if a, err := netip.ParseAddr(v); err == nil && a.Is4() {
			out = append(out, vpnPool{srv, what[srv], v, a, a})
			return
		}
		for _, r := range pools[v] {
			out = append(out, vpnPool{srv, what[srv], v, r.lo, r.hi})
		}
	}
	for _, srv := range servers {
		addr(srv, remote[defProfile[srv]])
		for _, c := range f.Commands {
			if c.MenuPath() != "ppp secret" || c.Verb != "add" || !keep(c) || !enabled(c) {
				continue
			}
			if s := c.Value("service"); s != "" && s != "any" && s != service[srv] {
				continue
			}
			prof := c.Value("profile")
			if prof == "" {
				prof = "default"
			}
			if v := c.Value("remote-address"); v != "" {
				addr(srv, v)
			} else {
				addr(srv, remote[prof])
			}
		}
	}
	return out
}

// coverPrefix is the smallest prefix that holds lo and hi.
func coverPrefix(lo, hi netip.Addr) netip.Prefix {
	for bits := 32; bits >= 0; bits-- {
		pf := netip.PrefixFrom(lo, bits).Masked()
		if pf.Contains(hi) {
			return pf
		}
	}
	return netip.PrefixFrom(lo, 0).Masked()
}

// vpnPoolFindings names the VPN pools whose clients leave the main WAN
// untranslated, and those inside a LAN subnet whose interface does not
// answer ARP for them. Before, both read "no problem found" (forum54 D7,
// D8).
func (p *Plan) vpnPoolFindings() []Finding {
	pools := p.vpnPools()
	if len(pools) == 0 {
		return nil
	}
	f := p.export
	keep := p.keeper(f)
	m := p.newMatcher(f, keep)
	var out []Finding
	wans := p.lanOutWANs()
	for _, vp := range pools {
		if seg := p.segmentOf(vp.lo); seg != nil && !p.proxyARP(seg.Interface) {
			if route := p.siteRouterRoute(vp.lo); vp.lo == vp.hi && route != "" {
				// A note (no Cause): a site router (vpnsite.go).
				out = append(out, Finding{Forward: -1, Path: "vpn-lan:" + seg.Interface, Line: vp.server.Line, Rule: withoutKey(vp.server), Detail: siteRouterNote(vp, seg, route)})
				continue
			}
			out = append(out, Finding{Forward: -1, Path: "vpn-lan:" + seg.Interface, Cause: VPNPoolInLAN, Line: vp.server.Line, Rule: withoutKey(vp.server),
				Detail: fmt.Sprintf("%s gives %s (%s-%s), inside %s's subnet %s", vp.what, vp.name, vp.lo, vp.hi, seg.Interface, seg.Prefix.Masked())})
			continue // a LAN address leaves by the LAN's own masquerade
		}
		if len(wans) != 1 || p.routedNetwork() || !needsNAT(vp.lo) {
			continue
		}
		w := p.WANs[wans[0]]
		pk := packet{src: vp.lo, dst: p.PeerAddr(), proto: "tcp", dstPort: lanOutPort, out: w.Interface, state: "new"}
		if hit, _ := m.first(f, keep, "ip firewall nat", "srcnat", pk,
			map[string]bool{"masquerade": true, "src-nat": true, "netmap": true, "same": true, "accept": true}); hit != nil {
			continue
		}
		out = append(out, Finding{Forward: -1, Path: "vpn-internet:" + vp.name, Cause: NoVPNMasquerade, Line: vp.server.Line, Rule: withoutKey(vp.server),
			Detail: fmt.Sprintf("%s gives %s (%s-%s); leaving by %s; %s", vp.what, vp.name, vp.lo, vp.hi, w.Interface, p.srcnatWhy())})
	}
	return out
}

// proxyARP reports whether interface iface answers ARP for the router's
// other interfaces: arp=proxy-arp on its bridge, port, VLAN or bond line.
func (p *Plan) proxyARP(iface string) bool {
	return p.arpMode(iface) == "proxy-arp"
}

// arpMode is the arp= the export sets on interface iface's bridge, port,
// VLAN or bond line, "" when it sets none (enabled).
func (p *Plan) arpMode(iface string) string {
	keep := p.keeper(p.export)
	mode := ""
	for _, c := range p.export.Commands {
		v := c.Value("arp")
		if !keep(c) || v == "" {
			continue
		}
		switch c.MenuPath() {
		case "interface bridge", "interface vlan", "interface bonding":
			if c.Value("name") == iface || c.Verb == "set" && c.Target == iface {
				mode = v
			}
		case "interface ethernet":
			if c.Value("name") == iface || c.Target == iface || c.Target == "[ find default-name="+iface+" ]" {
				mode = v
			}
		}
	}
	return mode
}

// vpnPoolFix is the fix of a vpnPoolFindings finding: a masquerade of the
// pool's addresses out of the WAN, or proxy-arp on the LAN's bridge or
// port.
func (p *Plan) vpnPoolFix(f Finding) (key, line string) {
	for _, vp := range p.vpnPools() {
		if !strings.HasPrefix(f.Detail, fmt.Sprintf("%s gives %s (%s-%s)", vp.what, vp.name, vp.lo, vp.hi)) {
			continue
		}
		switch f.Cause {
		case NoVPNMasquerade:
			wans := p.lanOutWANs()
			if len(wans) != 1 {
				return "", ""
			}
			w := p.WANs[wans[0]]
			return "vpn-out " + vp.name, fmt.Sprintf("/ip firewall nat add chain=srcnat action=masquerade src-address=%s out-interface=%s comment=%s",
				coverPrefix(vp.lo, vp.hi), export.Quote(w.Interface), export.Quote("VPN clients ("+vp.name+") to the internet"))
		case VPNPoolInLAN:
			seg := p.segmentOf(vp.lo)
			if seg == nil {
				return "", ""
			}
			if m := p.arpMode(seg.Interface); m != "" && m != "enabled" {
				// reply-only (answer only static and DHCP-added
				// entries' hosts), disabled or local-proxy-arp is the
				// admin's choice: proxy-arp in its place would undo it,
				// reply-only's lock on the LAN first (ARP page of the
				// manual), so the finding stands without a line.
				return "", ""
			}
			ix := index(p.export, p.keeper(p.export))
			menu := "/interface ethernet"
			if ix.bridges[seg.Interface] != nil {
				menu = "/interface bridge"
			} else if ix.vlans[seg.Interface] != nil {
				menu = "/interface vlan"
			}
			return "proxy-arp " + seg.Interface, fmt.Sprintf("%s set [ find name=%s ] arp=proxy-arp", menu, export.Quote(seg.Interface))
		}
	}
	return "", ""
}

// vpnUnprobed says why a VPN finding went unprobed: no lab host is a
// client of the router's VPN servers.
func vpnUnprobed(found []Finding) string {
	if slices.ContainsFunc(found, func(f Finding) bool {
		return f.Cause == VPNInputDrops || f.Cause == NoVPNMasquerade || f.Cause == VPNPoolInLAN || f.Cause == RoadWarriorFasttrack || f.Cause == VPNDNSDropped || f.Cause == VPNForwardDropped
	}) {
		return "; no lab host dials the router's VPN servers"
	}
	return ""
}
