package check

import (
	"fmt"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// ipv6Notes names the export's IPv6 openings: a forward accept of
// /ipv6 firewall filter that names a port or an address (IPv6 has no NAT,
// a server is reached by its own global address and the forward chain is
// the whole "port forward"), or an /ipv6 firewall nat dst-nat. The check
// probes IPv4 only, so an export whose question is about IPv6 gets
// "forwards: none" and "no problem found"; the note says that these rules
// were read and not diagnosed, with their lines.
//
// An accept below the chain's drop of everything new from outside the LAN
// (RouterOS 7 defconf's last rule) is never reached from the internet: it
// is named apart, with the move that puts it above. An input accept of a
// port of the router's own, for every source, above that drop opens the
// service to the internet over IPv6 while the IPv4 input may keep it
// closed: it is named too.
func (p *Plan) ipv6Notes(f *export.File, keep func(*export.Command) bool) {
	var lines, dead, moves, services []string
	drops := map[string]*export.Command{}
	// In the router's order: an accept placed above the drop with
	// place-before= is not "never reached" (forum45 D5).
	for _, c := range routerOrder(f) {
		if !keep(c) || !enabled(c) || c.Verb != "add" {
			continue
		}
		switch c.MenuPath() {
		case "ipv6 firewall filter":
			chain := c.Value("chain")
			if drops[chain] == nil && p.dropsOutside(c) {
				drops[chain] = c
				continue
			}
			if c.Value("action") != "accept" && c.Value("action") != "" {
				continue
			}
			if chain == "input" {
				if drops["input"] == nil && p.v6OpenToAll(c) && !strings.HasPrefix(c.Value("comment"), "defconf") {
					services = append(services, fmt.Sprintf("line %d (%s %s)", c.Line, c.Value("protocol"), c.Value("dst-port")))
				}
				continue
			}
			if chain != "forward" {
				continue
			}
			if c.Value("dst-port") == "" && c.Value("dst-address") == "" && c.Value("dst-address-list") == "" {
				continue
			}
			if strings.HasPrefix(c.Value("comment"), "defconf") {
				// RouterOS's own default IPv6 firewall (its forward
				// "accept IKE" of udp 500,4500, above the drop of the
				// rest from outside the LAN) lets IPsec through to LAN
				// hosts that start it: no server the user opened
				// (realcheck18 D5), and below the drop it is defconf
				// run twice, its copy above doing the work.
				continue
			}
			if d := drops["forward"]; d != nil && p.v6FromOutside(c) {
				dead = append(dead, fmt.Sprint(c.Line))
				moves = append(moves, fmt.Sprintf("/ipv6 firewall filter move %s destination=%s", p.ruleSelector(c.Line), p.ruleSelector(d.Line)))
				continue
			}
		case "ipv6 firewall nat":
			if c.Value("action") != "dst-nat" && c.Value("action") != "netmap" {
				continue
			}
		default:
			continue
		}
		lines = append(lines, fmt.Sprint(c.Line))
	}
	if len(services) > 0 && drops["input"] != nil {
		p.Notes = append(p.Notes, fmt.Sprintf("IPv6: %s accept%s the router's own port from every source, above line %d that drops the rest from outside the LAN: the service is open to the internet over IPv6 (not probed: the check probes IPv4); bind it to the LAN (in-interface-list=LAN) or to the addresses that need it",
			strings.Join(services, ", "), map[bool]string{true: "s", false: ""}[len(services) == 1], drops["input"].Line))
	}
	if len(dead) > 0 {
		p.warnIPv6(fmt.Sprintf("IPv6: line %s accept%s connections to a server of the LAN, but line %d above drops every new connection from outside the LAN first: never reached from the internet (not probed: the check probes IPv4); to open it, move it above: %s",
			strings.Join(dead, ", "), map[bool]string{true: "s", false: ""}[len(dead) == 1], drops["forward"].Line, strings.Join(moves, "; ")))
	}
	if len(lines) == 0 {
		p.cgnatIPv6Note(f, keep)
		return
	}
	word, verb := "line", "opens"
	if len(lines) > 1 {
		word, verb = "lines", "open"
	}
	p.Notes = append(p.Notes, fmt.Sprintf("%s %s %s IPv6 connections to servers of the LAN (IPv6 has no NAT: the forward filter's accept is the forward); the check probes IPv4 only, so they are read, not diagnosed", word, strings.Join(lines, ", "), verb))
}

// cgnatIPv6Note speaks of the one way in that is left when the IPv4 WAN is
// behind carrier-grade NAT and the ISP gives IPv6: the server's own global
// address, through /ipv6 firewall filter's forward chain (IPv6 has no
// NAT). When that chain drops what comes from outside the LAN
// (RouterOS 7 defconf's "drop everything else not coming from LAN") and
// no accept names a port or an address, the IPv4 forwards' ports are
// closed over IPv6 too: a phone on a mobile network asking the server's
// IPv6 address gets nothing. The forum's "CGNAT, but I have IPv6: why does
// Jellyfin not answer"; before, only the CGNAT finding was said.
func (p *Plan) cgnatIPv6Note(f *export.File, keep func(*export.Command) bool) {
	cgnat := false
	for _, w := range p.WANs {
		if _, lease := p.cgnatLease(w); w.Behind() == "cgnat" || lease {
			cgnat = true
		}
	}
	if !cgnat || len(p.Forwards) == 0 {
		return
	}
	v6 := false
	var drop *export.Command
	for _, c := range f.Commands {
		if !keep(c) || !enabled(c) || c.Verb != "add" {
			continue
		}
		switch c.MenuPath() {
		case "ipv6 dhcp-client", "ipv6 address":
			v6 = true
		case "ipv6 firewall filter":
			if drop != nil || c.Value("chain") != "forward" || c.Value("action") != "drop" && c.Value("action") != "reject" {
				continue
			}
			if st := c.Value("connection-state"); st != "" && st != "new" {
				continue
			}
			if c.Value("in-interface-list") == "!LAN" || c.Value("in-interface-list") == "WAN" || p.wanOfInterface(c.Value("in-interface")) >= 0 {
				drop = c
			}
		}
	}
	if !v6 || drop == nil {
		return
	}
	var ports, open []string
	for _, fw := range p.Forwards {
		if fw.Protocol == "" || fw.DstPort == 0 {
			continue
		}
		ports = append(ports, fmt.Sprintf("%s/%d", fw.Protocol, fw.ToPort))
		open = append(open, fmt.Sprintf("/ipv6 firewall filter add chain=forward action=accept protocol=%s dst-port=%d dst-address=<the IPv6 address of %s> in-interface-list=!LAN place-before=%s",
			fw.Protocol, fw.ToPort, fw.ToAddr, p.ruleSelector(drop.Line)))
	}
	if len(ports) == 0 {
		return
	}
	p.Notes = append(p.Notes, fmt.Sprintf("the IPv4 WAN is behind carrier-grade NAT, so the forwards can only be reached over IPv6, at the server's own global address (IPv6 has no NAT: the forward chain's accept is the forward); line %d drops new IPv6 connections from outside the LAN and no accept names a port, so %s is closed over IPv6 too (not probed: the check probes IPv4); to open it, with the server's address filled in: %s",
		drop.Line, strings.Join(ports, ", "), strings.Join(open, "; ")))
}

// dropsOutside reports whether an /ipv6 firewall filter rule drops every
// new packet from outside the LAN: a drop or reject with no state or
// state new, bound by in-interface-list=!LAN or WAN or a WAN's interface,
// and nothing narrower (no port, address or protocol).
func (p *Plan) dropsOutside(c *export.Command) bool {
	if c.Value("action") != "drop" && c.Value("action") != "reject" {
		return false
	}
	if st := c.Value("connection-state"); st != "" && st != "new" {
		return false
	}
	for _, k := range []string{"protocol", "dst-port", "dst-address", "dst-address-list", "src-address", "src-address-list", "connection-nat-state"} {
		if c.Value(k) != "" {
			return false
		}
	}
	return c.Value("in-interface-list") == "!LAN" || c.Value("in-interface-list") == "WAN" || p.wanOfInterface(c.Value("in-interface")) >= 0
}

// v6FromOutside reports whether an accept takes what comes from the
// internet: no binding, or one to the WAN side.
func (p *Plan) v6FromOutside(c *export.Command) bool {
	in, l := c.Value("in-interface"), c.Value("in-interface-list")
	switch {
	case in != "":
		return p.wanOfInterface(in) >= 0 || strings.HasPrefix(in, "!")
	case l != "":
		return l == "WAN" || l == "!LAN"
	}
	return c.Value("src-address") == "" && c.Value("src-address-list") == ""
}

// v6OpenToAll reports whether an input accept opens a TCP or UDP port to
// every source from outside: a port, no source restriction.
func (p *Plan) v6OpenToAll(c *export.Command) bool {
	if c.Value("dst-port") == "" || c.Value("protocol") != "tcp" && c.Value("protocol") != "udp" {
		return false
	}
	return c.Value("src-address") == "" && c.Value("src-address-list") == "" && p.v6FromOutside(c) && c.Value("connection-state") == ""
}
