package check

import (
	"regexp"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// macAddr is a MAC address as RouterOS writes one (six pairs of hex
// digits, colon-separated).
var macAddr = regexp.MustCompile(`^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$`)

// maskedMACs sets aside an interface's admin-mac= or mac-address= that is
// no MAC address (F4:1E:57:7A:XX:XX: users mask MACs before they post an
// export) and keeps the rest of the line, as the lab router would refuse
// the whole line: a masked bridge's admin-mac took the bridge with it, and
// its ports, list membership and address after it, and the check then
// diagnosed the LAN's DNS as dropped and pasted two accepts the real
// router does not need (rc29 C5). The lab router gives the interface a
// MAC of its own, which no rule of the export depends on. Firewall,
// lease and ARP lines are left as they are: without their MAC they would
// match or mean something else.
func (p *Plan) maskedMACs(f *export.File, aside map[*export.Command]string) {
	for _, c := range f.Commands {
		if _, ok := aside[c]; ok || !strings.HasPrefix(c.MenuPath(), "interface") || c.MenuPath() == "interface list member" {
			continue
		}
		for _, name := range []string{"admin-mac", "mac-address"} {
			v := c.Value(name)
			if v == "" || macAddr.MatchString(v) {
				continue
			}
			if p.hwArgs == nil {
				p.hwArgs = map[*export.Command][]string{}
			}
			p.hwArgs[c] = append(p.hwArgs[c], name)
			p.Aside = append(p.Aside, Aside{Line: c.Line, Menu: c.MenuPath(), Param: name,
				Reason: name + "=" + v + " is no MAC address (masked before the export was shared?): the lab router gives the interface its own; the rest of the line is kept"})
		}
	}
}
