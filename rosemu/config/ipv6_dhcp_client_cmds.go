package config

import "github.com/chrlab/chrlab/rosemu/script"

// release and renew of /ipv6 dhcp-client, as eworm's ppp-on-up renews
// the IPv6 prefix when a PPP link comes up ("/ipv6/dhcp-client/release
// [ find where interface=$IntName !disabled bound ]"). The references are
// checked, a disabled client is left alone, and the command goes to
// rosemu's DHCPv6 client service, which acts on it at once: release gives
// the lease back and starts again, renew asks the server now. Without
// the service (validate, unit tests) the log says nothing was run.
// Source: DHCP page, https://help.mikrotik.com/docs/display/ROS/DHCP (the
// client's release and renew commands).
func init() {
	cmd := func(verb string) menuCommand {
		return menuCommand{syntax: &script.Syntax{Params: map[string]bool{"numbers": true}, Unnamed: 1},
			run: func(t *tx, req *request) (result, error) {
				its, err := t.items(ipv6DHCPClientMenu, req)
				if err != nil {
					return result{}, err
				}
				c, ok := t.r.opts.DHCP6.(DHCP6Commander)
				for _, it := range its {
					if it.disabled() {
						continue
					}
					if !ok {
						t.r.appendLog(script.LogEntry{Time: t.now, Topics: "dhcp,warning", Msg: "ipv6 dhcp-client " + verb + " on " + it.props["interface"] + " not run: no DHCPv6 client service here"})
						continue
					}
					c.DHCP6ClientCommand(kernelName(t.m, it.props["interface"]), verb)
				}
				return result{}, nil
			}}
	}
	ipv6DHCPClientMenu.commands = map[string]menuCommand{"release": cmd("release"), "renew": cmd("renew")}
}
