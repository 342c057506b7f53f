package check

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// wgPeersWho names the hosts of a WireGuard server's tunnel for a note: a
// peer whose allowed-address holds a network wider than one address is a
// site with hosts behind it, not a road warrior (f58 C3: a cottage site
// allowed 10.77.0.0/24 was called a road warrior).
func wgPeersWho(f *export.File, keep func(*export.Command) bool, name string) string {
	for _, c := range f.Commands {
		if c.MenuPath() != "interface wireguard peers" || c.Verb != "add" || !keep(c) || !enabled(c) ||
			c.Value("interface") != name || c.Value("endpoint-address") != "" {
			continue
		}
		for _, a := range strings.Split(c.Value("allowed-address"), ",") {
			if pf, err := netip.ParsePrefix(strings.TrimSpace(a)); err == nil && pf.Bits() < pf.Addr().BitLen() && pf.Bits() > 0 {
				return fmt.Sprintf("its peers and the sites behind them (line %d allows %s)", c.Line, pf)
			}
		}
	}
	return "its peers (road warriors)"
}
