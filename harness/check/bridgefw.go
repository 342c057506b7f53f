package check

import (
	"fmt"

	"github.com/chrlab/chrlab/harness/export"
)

// `/interface bridge settings set use-ip-firewall=yes` sends the IPv4
// frames a bridge forwards between its own ports through the IP
// firewall's prerouting, forward and postrouting (Bridging and Switching
// page, "Bridge Settings", https://help.mikrotik.com/docs/spaces/ROS/pages/328068/Bridging+and+Switching),
// with the bridge as the packet's in- and out-interface (docs/bridge.md:
// rosemu models it so under br_netfilter; the bridge port is what
// in-bridge-port matches). A forward chain written for routed traffic
// ("accept LAN to WAN, drop the rest", defconf's "drop all not coming
// from LAN" narrowed further) then drops every new connection between
// two hosts of the LAN: file shares, printers, casting. The lab has one
// host per LAN, so no probe shows it, and check said nothing offline or
// in a lab (chk58).

// bridgeFirewallWarnings warns of each LAN bridge with two ports or more
// whose hosts' new connections to each other the forward chain drops
// while use-ip-firewall=yes.
func (p *Plan) bridgeFirewallWarnings() []string {
	f := p.export
	keep := p.keeper(f)
	var setting *export.Command
	for _, c := range f.Commands {
		if _, ok := c.Get("use-ip-firewall"); ok && keep(c) && c.MenuPath() == "interface bridge settings" && c.Verb == "set" {
			setting = c // the last set wins
		}
	}
	if setting == nil || setting.Value("use-ip-firewall") != "yes" {
		return nil
	}
	m := p.newMatcher(f, keep)
	var out []string
	for _, s := range p.Segments {
		if s.tunnel != "" || !isBridge(f, keep, s.Interface) || bridgePortCount(f, keep, s.Interface) < 2 {
			continue
		}
		pk := packet{src: hostIn(s.Prefix, 100), dst: hostIn(s.Prefix, 101), proto: "tcp", dstPort: lanOutPort, in: s.Interface, out: s.Interface, state: "new"}
		rule, how := m.first(f, keep, "ip firewall filter", "forward", pk, map[string]bool{"accept": true, "drop": true, "reject": true})
		if rule == nil || how != yes || (rule.Value("action") != "drop" && rule.Value("action") != "reject") {
			continue
		}
		out = append(out, fmt.Sprintf("line %d (use-ip-firewall=yes): the IPv4 frames forwarded between the ports of %s pass the IP firewall, and the forward chain's line %d (%s) takes a new connection between two of its hosts (%s → %s): the hosts of %s cannot reach each other (file shares, printers); to let them, /ip firewall filter add chain=forward action=accept in-interface=%s out-interface=%s comment=\"within the bridge\" place-before=%s (or /interface bridge settings set use-ip-firewall=no, if no rule needs bridged traffic)",
			setting.Line, s.Interface, rule.Line, rule.Value("action"), pk.src, pk.dst, s.Prefix.Masked(), export.Quote(s.Interface), export.Quote(s.Interface), p.ruleSelector(rule.Line)))
	}
	return out
}

// isBridge reports whether the export adds a bridge named name.
func isBridge(f *export.File, keep func(*export.Command) bool, name string) bool {
	for _, c := range f.Commands {
		if keep(c) && c.Verb == "add" && c.MenuPath() == "interface bridge" && c.Value("name") == name {
			return true
		}
	}
	return false
}

// bridgePortCount counts the enabled ports of bridge name.
func bridgePortCount(f *export.File, keep func(*export.Command) bool, name string) int {
	n := 0
	for _, c := range f.Commands {
		if keep(c) && enabled(c) && c.Verb == "add" && c.MenuPath() == "interface bridge port" && c.Value("bridge") == name {
			n++
		}
	}
	return n
}
