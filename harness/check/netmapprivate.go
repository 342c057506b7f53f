package check

import (
	"fmt"
	"net/netip"

	"github.com/chrlab/chrlab/harness/export"
)

// privateNetmapNote is the note of a dstnat netmap from a private block
// that none of the WANs' subnets holds (dst-address=10.99.0.0/24
// to-addresses=192.168.88.0/24: a far site's overlapping LAN renumbered
// for the LAN's clients, reached over a tunnel). No ISP routes a private
// block, so no connection from the internet matches the rule: it is no
// port forward, and was probed as "tcp/8080 -> 192.168.88.0:8080", the
// network address (f58 C1). "" for any other rule.
func (p *Plan) privateNetmapNote(c *export.Command) string {
	if c.Value("action") != "netmap" {
		return ""
	}
	d, err := netip.ParsePrefix(c.Value("dst-address"))
	if err != nil {
		a, aerr := netip.ParseAddr(c.Value("dst-address"))
		if aerr != nil || !a.Is4() {
			return ""
		}
		d = netip.PrefixFrom(a, 32)
	}
	if !privateDst(d) {
		return ""
	}
	for _, w := range p.WANs {
		if w.Address.IsValid() && w.Address.Masked().Overlaps(d) {
			return ""
		}
	}
	return fmt.Sprintf("line %d maps %s onto %s (netmap): a private block outside every WAN's subnet, which no ISP routes, so no connection from the internet matches it; it is no port forward and is not probed (a LAN's way to a renumbered far site, or a site's way in over a tunnel)", c.Line, d, c.Value("to-addresses"))
}
