package config

import "github.com/chrlab/chrlab/rosemu/script"

// release and renew of /ipv6 dhcp-client, as eworm's ppp-on-up renews
// the IPv6 prefix when a PPP link comes up ("/ipv6/dhcp-client/release
// [ find where interface=$IntName !disabled bound ]"). rosemu runs no
// IPv6 DHCP client (the menu is stored): the references are checked and
// nothing else happens; the log says so. Source: DHCP page,
// https://help.mikrotik.com/docs/display/ROS/DHCP (the client's release
// and renew commands).
func init() {
	cmd := func(verb string) menuCommand {
		return menuCommand{syntax: &script.Syntax{Params: map[string]bool{"numbers": true}, Unnamed: 1},
			run: func(t *tx, req *request) (result, error) {
				its, err := t.items(ipv6DHCPClientMenu, req)
				if err != nil {
					return result{}, err
				}
				if len(its) > 0 {
					t.r.appendLog(script.LogEntry{Time: t.now, Topics: "dhcp,warning", Msg: "ipv6 dhcp-client " + verb + " not run: " + ipv6DHCPReason})
				}
				return result{}, nil
			}}
	}
	ipv6DHCPClientMenu.commands = map[string]menuCommand{"release": cmd("release"), "renew": cmd("renew")}
}
