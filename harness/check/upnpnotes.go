package check

import (
	"fmt"

	"github.com/chrlab/chrlab/harness/export"
)

// upnpNotes notes a UPnP external interface that is the port under a WAN
// rather than the WAN's own interface (ether1 under pppoe-out1, or under
// a VLAN that holds the address): the UPnP page has the external
// interface be the one with the public address on it
// (https://help.mikrotik.com/docs/display/ROS/UPnP), so the mappings
// the LAN's devices ask for are made for an interface the internet's
// connections never come in on (the forum's "UPnP on, the console still
// says strict NAT" with a PPPoE line). Read, not probed: the lab has a
// UPnP client (labagent's upnp probe, a scenario's upnp step), but
// check's probes are the export's own paths (its forwards, its services,
// its LAN's way out), each judged before and after the fix; a mapping is
// made at run time by a LAN device, on a port the export does not name,
// and the fix here changes the external interface, not a path a probe
// of the export follows. The note says how to see it in a lab.
func (p *Plan) upnpNotes(f *export.File, keep func(*export.Command) bool) {
	on := false
	for _, c := range f.Commands {
		if keep(c) && c.MenuPath() == "ip upnp" && c.Verb == "set" {
			if v, ok := c.Get("enabled"); ok {
				on = v == "yes"
			}
		}
	}
	if !on {
		return
	}
	for _, c := range f.Commands {
		if !keep(c) || !enabled(c) || c.MenuPath() != "ip upnp interfaces" || c.Verb != "add" || c.Value("type") != "external" {
			continue
		}
		x := c.Value("interface")
		for _, w := range p.WANs {
			if w.Interface == x || w.Port != x {
				continue
			}
			p.Notes = append(p.Notes, fmt.Sprintf("line %d makes %s UPnP's external interface, but the WAN's address is on %s, which runs over it: UPnP's external interface is the one with the public address (UPnP page of the manual), so the mappings the LAN's devices ask for take nothing from the internet; not probed by check (a upnp step of chrlab lab shows it: a LAN host maps router.wan:<port> to itself, then a tcp step from the internet): /ip upnp interfaces set [ find where interface=%s type=external ] interface=%s",
				c.Line, x, w.Interface, export.Quote(x), export.Quote(w.Interface)))
		}
	}
}
