package check

import (
	"fmt"
	"net"
	"net/netip"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// arpOf is the arp= mode of the interface named iface as the export
// creates or sets it (bridge, VLAN, ethernet port, by name or by
// default-name); "enabled" when the export leaves the default.
func arpOf(f *export.File, keep func(*export.Command) bool, iface string) (string, *export.Command) {
	mode, at := "enabled", (*export.Command)(nil)
	for _, c := range f.Commands {
		if !keep(c) {
			continue
		}
		v, ok := c.Get("arp")
		if !ok {
			continue
		}
		switch c.MenuPath() {
		case "interface bridge", "interface vlan", "interface ethernet":
		default:
			continue
		}
		name := c.Value("name")
		switch c.Verb {
		case "add":
		case "set":
			if n, ok := c.FindArg("name"); ok && n != "" {
				name = n
			} else if n, ok := c.FindArg("default-name"); ok && name == "" {
				name = n
			}
			if name == "" {
				continue
			}
		default:
			continue
		}
		if name == iface {
			mode, at = v, c
		}
	}
	return mode, at
}

// addARPServer is the enabled DHCP server on iface that adds an ARP entry
// for each lease it gives (add-arp=yes), or nil.
func addARPServer(f *export.File, keep func(*export.Command) bool, iface string) *export.Command {
	for _, c := range f.Commands {
		if keep(c) && enabled(c) && !createdDisabled(f, c) && c.Verb == "add" && c.MenuPath() == "ip dhcp-server" &&
			c.Value("interface") == iface && c.Value("add-arp") == "yes" {
			return c
		}
	}
	return nil
}

// knownHost is a host the router knows by its MAC: a static /ip arp entry
// or a static DHCP lease.
type knownHost struct {
	addr netip.Addr
	mac  string // lower case, as the lab file keeps it
	line int
}

// hostMAC reads a MAC the lab can give a host: six octets, unicast, not
// all zero; empty for anything else.
func hostMAC(v string) string {
	hw, err := net.ParseMAC(v)
	if err != nil || len(hw) != 6 || hw[0]&1 != 0 || hw.String() == "00:00:00:00:00:00" {
		return ""
	}
	return hw.String()
}

// staticARP is the export's enabled static ARP entries on iface, in its
// order (/ip arp add address=A mac-address=M interface=I).
func staticARP(f *export.File, keep func(*export.Command) bool, iface string) []knownHost {
	var out []knownHost
	for _, c := range f.Commands {
		if !keep(c) || !enabled(c) || c.Verb != "add" || c.MenuPath() != "ip arp" || c.Value("interface") != iface {
			continue
		}
		a, err := netip.ParseAddr(c.Value("address"))
		mac := hostMAC(c.Value("mac-address"))
		if err != nil || !a.Is4() || mac == "" {
			continue
		}
		out = append(out, knownHost{a, mac, c.Line})
	}
	return out
}

// staticLease is the export's enabled static lease of address a on the
// DHCP server srv, with a MAC, or false. A lease that blocks access
// (block-access=yes) is no host the network serves.
func staticLease(f *export.File, keep func(*export.Command) bool, srv *export.Command, a netip.Addr) (knownHost, bool) {
	name := srv.Value("name")
	for _, c := range f.Commands {
		if !keep(c) || !enabled(c) || c.Verb != "add" || c.MenuPath() != "ip dhcp-server lease" ||
			c.Value("server") != name || c.Value("block-access") == "yes" {
			continue
		}
		la, err := netip.ParseAddr(c.Value("address"))
		mac := hostMAC(c.Value("mac-address"))
		if err != nil || la != a || mac == "" {
			continue
		}
		return knownHost{la, mac, c.Line}, true
	}
	return knownHost{}, false
}

// replyOnlyServer says how the lab places a forward's server at a on
// segment s when the router answers ARP only for static entries there:
// with the MAC of the export's static ARP entry for a (a fixed host, as
// the network's server is), or as a DHCP client with the MAC of its
// static lease on a server with add-arp=yes (the lease puts it in the
// ARP table). The lab's servers had fixed addresses and MACs of their
// own, so the router reached none of them there. used holds the MACs the
// lab's hosts already have; mac is empty, with the note why, when
// neither fits.
func (p *Plan) replyOnlyServer(s Segment, a netip.Addr, used map[string]bool) (mac string, dhcp bool, why string) {
	f := p.export
	if f == nil || s.Tagged {
		return "", false, ""
	}
	keep := p.keeper(f)
	mode, at := arpOf(f, keep, s.Interface)
	if mode != "reply-only" {
		// Whatever the ARP mode, a static entry for the server's address
		// is where the router sends its packets (a DVR's MAC pinned on a
		// shop's bridge, rc33 C3): a lab server with a MAC of its own got
		// none of the forwarded connections, and every forward to it read
		// "broken, cause not identified".
		for _, h := range staticARP(f, keep, s.Interface) {
			if h.addr != a {
				continue
			}
			if used[h.mac] {
				return "", false, fmt.Sprintf("the forward's server %s has a static ARP entry on %s (line %d) with MAC %s, which another lab host already has; the lab's server keeps a MAC of its own, and the router sends it nothing", a, s.Interface, h.line, h.mac)
			}
			return h.mac, false, fmt.Sprintf("the forward's server %s has a static ARP entry on %s (line %d): the lab's server takes its MAC (%s), since the router sends the server's packets there", a, s.Interface, h.line, h.mac)
		}
		return "", false, ""
	}
	for _, h := range staticARP(f, keep, s.Interface) {
		if h.addr != a {
			continue
		}
		if used[h.mac] {
			return "", false, fmt.Sprintf("%s answers ARP only for static entries (arp=reply-only, line %d): the forward's server %s has one (line %d), with MAC %s, which another lab host already has; the lab's server keeps a MAC of its own, and the router does not reach it", s.Interface, at.Line, a, h.line, h.mac)
		}
		return h.mac, false, fmt.Sprintf("%s answers ARP only for static entries (arp=reply-only, line %d): the lab's server at %s takes the MAC of its static ARP entry (%s, line %d), so the router answers it", s.Interface, at.Line, a, h.mac, h.line)
	}
	if srv := addARPServer(f, keep, s.Interface); srv != nil {
		if h, ok := staticLease(f, keep, srv, a); ok && !used[h.mac] {
			return h.mac, true, fmt.Sprintf("%s answers ARP only for static entries (arp=reply-only, line %d), and its DHCP server adds one per lease (add-arp=yes, line %d): the lab's server at %s leases it by DHCP with the MAC of its static lease (%s, line %d)", s.Interface, at.Line, srv.Line, a, h.mac, h.line)
		}
	}
	return "", false, fmt.Sprintf("%s answers ARP only for static entries (arp=reply-only, line %d), and the forward's server %s has neither a static ARP entry nor a static lease from a DHCP server with add-arp=yes: the router does not reach it there, nor the lab's server", s.Interface, at.Line, a)
}

// replyOnlyClient says whether the lab's client on segment s leases its
// address by DHCP, or stands in for a host of the export's static ARP
// table (known: its address and MAC), and why. With arp=reply-only the
// router sends no ARP request and answers only the hosts in its ARP table
// as static entries (ARP page of the manual); a DHCP server with
// add-arp=yes puts each client it leases to there. The lab's hosts had
// fixed addresses, so the router of a 7.15 export with that setting on
// its LAN bridge answered no host there: WebFig from the LAN timed out,
// and the diagnosis blamed the export. A LAN client of that router is a
// DHCP client, as the lab's client now is. Without such a server the
// router answers only the hosts /ip arp lists: the lab's client takes the
// address and MAC of one that no other lab host has (taken: addresses,
// used: MACs), or keeps its own when there is none, and the router then
// reaches none of the lab's hosts there.
func (p *Plan) replyOnlyClient(s Segment, taken map[netip.Addr]bool, used map[string]bool) (lease bool, known knownHost, why string) {
	f := p.export
	if f == nil || s.Tagged {
		// A host in a VLAN takes a fixed address (the lab runs no DHCP
		// client through its user-space VLAN port) and the lab's MAC.
		return false, knownHost{}, ""
	}
	keep := p.keeper(f)
	mode, at := arpOf(f, keep, s.Interface)
	if mode != "reply-only" {
		return false, knownHost{}, ""
	}
	if srv := addARPServer(f, keep, s.Interface); srv != nil {
		return true, knownHost{}, fmt.Sprintf("%s answers ARP only for static entries (arp=reply-only, line %d), and its DHCP server adds one per lease (add-arp=yes, line %d): the lab's client there leases its address by DHCP, as the network's hosts do", s.Interface, at.Line, srv.Line)
	}
	var skipped []string
	for _, h := range staticARP(f, keep, s.Interface) {
		switch {
		case !s.Prefix.Masked().Contains(h.addr) || h.addr == s.Prefix.Addr() || h.addr == lastOf(s.Prefix):
			continue
		case taken[h.addr] || used[h.mac]:
			skipped = append(skipped, fmt.Sprintf("line %d", h.line))
			continue
		}
		return false, h, fmt.Sprintf("%s answers ARP only for static entries (arp=reply-only, line %d), and no DHCP server with add-arp=yes adds them: the lab's client there takes the address and MAC of the static ARP entry for %s (%s, line %d), so the router answers it", s.Interface, at.Line, h.addr, h.mac, h.line)
	}
	if len(skipped) > 0 {
		return false, knownHost{}, fmt.Sprintf("%s answers ARP only for static entries (arp=reply-only, line %d), and no DHCP server with add-arp=yes adds them: the router reaches only the hosts /ip arp lists there, and the lab's client is none of them (every entry there is another lab host's: %s)", s.Interface, at.Line, strings.Join(skipped, ", "))
	}
	return false, knownHost{}, fmt.Sprintf("%s answers ARP only for static entries (arp=reply-only, line %d), and no DHCP server with add-arp=yes adds them: the router reaches only the hosts /ip arp lists there, and none of the lab's", s.Interface, at.Line)
}
