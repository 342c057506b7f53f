package check

import (
	"net/netip"

	"github.com/chrlab/chrlab/harness/export"
)

// subnetsHolding are the enabled /ip address lines keep keeps whose
// subnet holds a as another host than the router (a BGP peer, a route's
// gateway), in the export's order. bgpUpstreams, interfaceFor and
// gatewayInterface each walked the addresses for this in a copy of their
// own.
func subnetsHolding(f *export.File, keep func(*export.Command) bool, a netip.Addr) []*export.Command {
	var out []*export.Command
	for _, c := range f.Commands {
		if c.MenuPath() != "ip address" || c.Verb != "add" || !keep(c) || !enabled(c) {
			continue
		}
		if pf, err := addrPrefix(c); err == nil && pf.Bits() < 32 && pf.Masked().Contains(a) && pf.Addr() != a {
			out = append(out, c)
		}
	}
	return out
}

// keepAll keeps every command, for readers of the export as written.
func keepAll(*export.Command) bool { return true }
