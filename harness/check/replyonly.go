package check

import (
	"fmt"

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

// replyOnlyClient says whether the lab's client on segment s leases its
// address by DHCP, and why. With arp=reply-only the router sends no ARP
// request and answers only the hosts in its ARP table as static entries
// (ARP page of the manual); a DHCP server with add-arp=yes puts each
// client it leases to there. The lab's hosts had fixed addresses, so the
// router of a 7.15 export with that setting on its LAN bridge answered
// no host there: WebFig from the LAN timed out, and the diagnosis blamed
// the export. A LAN client of that router is a DHCP client, as the lab's
// client now is.
func (p *Plan) replyOnlyClient(s Segment) (bool, string) {
	f := p.export
	if f == nil || s.Tagged {
		// A host in a VLAN takes a fixed address (the lab runs no DHCP
		// client through its user-space VLAN port).
		return false, ""
	}
	keep := p.keeper(f)
	mode, at := arpOf(f, keep, s.Interface)
	if mode != "reply-only" {
		return false, ""
	}
	if srv := addARPServer(f, keep, s.Interface); srv != nil {
		return true, fmt.Sprintf("%s answers ARP only for static entries (arp=reply-only, line %d), and its DHCP server adds one per lease (add-arp=yes, line %d): the lab's client there leases its address by DHCP, as the network's hosts do", s.Interface, at.Line, srv.Line)
	}
	return false, fmt.Sprintf("%s answers ARP only for static entries (arp=reply-only, line %d), and no DHCP server with add-arp=yes adds them: the router reaches only the hosts /ip arp lists there, and none of the lab's", s.Interface, at.Line)
}
