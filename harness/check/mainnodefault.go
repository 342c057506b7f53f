package check

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// A load balancer (PCC) or policy router whose every default route
// carries a routing mark (RouterOS 6) or sits in a table of its own
// (RouterOS 7), its DHCP clients told add-default-route=no: the LAN's
// marked connections go out, so the lab's way out works, but nothing
// gives the main table a default route. The router's own connections are
// routed by the main table (no mangle rule marks them: the output rules
// mark by a connection mark only connections that came in), so its DNS
// resolver, NTP client and RADIUS find no route to servers beyond its
// own subnets; and a marked connection whose table has no active route
// (the WAN's check-gateway failed) is looked up in the main table, which
// has none [verify on RouterOS 7 that a mark-routing table without an
// active route falls back to main, as RouterOS 6 documents for routing
// marks]. rc32's rb750r2-64913 (6.49.13) read "no problem found" (chk58
// N1). Its fix is a main default route through each WAN's gateway.

// mainNoDefaultWarnings warns when default routes exist only in routing
// marks or tables other than main, with nothing that adds one to main (a
// DHCP or PPPoE client, a routing protocol, a VRF or a routing rule that
// the reading does not weigh).
func (p *Plan) mainNoDefaultWarnings() []string {
	f := p.export
	keep := p.keeper(f)
	if line, _ := p.dynamicRouting(); line > 0 {
		return nil
	}
	var marked []*export.Command
	for _, c := range f.Commands {
		if c.Verb != "add" || !keep(c) || !enabled(c) {
			continue
		}
		switch c.MenuPath() {
		case "ip vrf", "routing rule", "ip route rule", "ip route vrf":
			return nil
		case "ip dhcp-client":
			if c.Value("add-default-route") != "no" {
				return nil
			}
		case "interface pppoe-client", "interface l2tp-client", "interface sstp-client", "interface ovpn-client", "interface pptp-client":
			if c.Value("add-default-route") == "yes" {
				return nil
			}
		case "ip route":
			if d := c.Value("dst-address"); d != "" && d != "0.0.0.0/0" {
				continue
			}
			if t := routeTable(c); t == "" || t == "main" {
				return nil
			}
			marked = append(marked, c)
		}
	}
	if len(marked) == 0 {
		return nil
	}
	var lines, tables, fix []string
	var gws []string
	for _, c := range marked {
		lines = append(lines, fmt.Sprint(c.Line))
		if t := routeTable(c); !slices.Contains(tables, t) {
			tables = append(tables, t)
		}
		if gw := c.Value("gateway"); gw != "" && !slices.Contains(gws, gw) {
			gws = append(gws, gw)
			check := ""
			if v := c.Value("check-gateway"); v != "" {
				check = " check-gateway=" + v
			}
			fix = append(fix, fmt.Sprintf("/ip route add dst-address=0.0.0.0/0 gateway=%s distance=%d%s", export.Quote(gw), len(gws), check))
		}
	}
	own := ""
	if far := p.farDNS(); len(far) > 0 {
		own = fmt.Sprintf(" (its DNS servers %s among them)", strings.Join(far, ", "))
	}
	kind := "the routing tables"
	if strings.HasPrefix(p.labVersion, "6.") {
		kind = "the routing marks"
	}
	return []string{fmt.Sprintf("the main table has no default route: the default routes at line(s) %s are in %s %s only, and no DHCP or PPPoE client adds one: the router's own connections take the main table and find no route%s, and a marked connection whose table loses its route (a WAN down) falls back to the main table and finds none; a main default route per WAN, e.g.: %s",
		strings.Join(lines, ", "), kind, strings.Join(tables, ", "), own, strings.Join(fix, " ; "))}
}

// routeTable is the table of a route: routing-table (RouterOS 7) or
// routing-mark (RouterOS 6); "" for main.
func routeTable(c *export.Command) string {
	if t := c.Value("routing-table"); t != "" {
		return t
	}
	return c.Value("routing-mark")
}

// farDNS are the router's DNS servers (/ip dns servers) on none of its
// own subnets.
func (p *Plan) farDNS() []string {
	var out []string
	for _, c := range p.export.Commands {
		if c.MenuPath() != "ip dns" || c.Verb != "set" {
			continue
		}
		for _, s := range strings.Split(c.Value("servers"), ",") {
			a, err := netip.ParseAddr(strings.TrimSpace(s))
			if err != nil || !a.Is4() || p.onOwnSubnet(a) {
				continue
			}
			out = append(out, a.String())
		}
	}
	return out
}

// onOwnSubnet reports whether a is on the subnet of one of the export's
// enabled IPv4 addresses.
func (p *Plan) onOwnSubnet(a netip.Addr) bool {
	for _, c := range p.export.Commands {
		if c.MenuPath() != "ip address" || c.Verb != "add" || !enabled(c) {
			continue
		}
		if pf, err := netip.ParsePrefix(c.Value("address")); err == nil && pf.Masked().Contains(a) {
			return true
		}
	}
	return false
}
