package check

import (
	"cmp"
	"fmt"

	"github.com/chrlab/chrlab/harness/export"
)

// pppoeServerNotes names each enabled PPPoE server: its clients dial in
// and get addresses of their own (a profile's remote-address, PPP page of
// the manual, https://help.mikrotik.com/docs/display/ROS/PPPoE), a LAN
// the lab does not make, as no lab host dials in. Their way out and the
// router's services from them were neither probed nor said to be, and an
// export whose only LAN is its PPPoE clients ended "no problem found"
// with nothing behind it (rc29 C2).
func (p *Plan) pppoeServerNotes(f *export.File, keep func(*export.Command) bool) {
	for _, c := range f.Commands {
		if !keep(c) || !enabled(c) || c.Verb != "add" || c.MenuPath() != "interface pppoe-server server" {
			continue
		}
		p.Notes = append(p.Notes, fmt.Sprintf("line %d runs a PPPoE server on %s (service %s): its clients dial in and get addresses of their own, and no lab host dials in, so their way out and the router's services from them are not probed",
			c.Line, export.Quote(c.Value("interface")), cmp.Or(c.Value("service-name"), "any")))
	}
}
