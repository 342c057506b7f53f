package config

import "github.com/chrlab/chrlab/rosemu/script"

// DHCPCommander is the optional side of a DHCPService that takes the
// client commands: release ends the lease (DHCPRELEASE, the address and
// route go, the lease script runs unbound) and starts the client again;
// renew asks the server for the lease now instead of at T1. iface is the
// kernel's interface name, as DHCPClient.Interface. It must not block: the
// engine calls it under its lock.
type DHCPCommander interface {
	DHCPClientCommand(iface, cmd string)
}

// release and renew of /ip dhcp-client, as failover and DDNS scripts use
// them ("/ip dhcp-client release [find interface=ether1]", then renew).
// The references are checked (a bad one is "no such item"; an empty
// [find] does nothing); a disabled client is left alone. The command goes
// to rosemu's DHCP client service, which acts on it at once. Without the
// service (validate, unit tests) the log says that nothing was run.
// Source: DHCP page, the client's release and renew commands,
// https://help.mikrotik.com/docs/display/ROS/DHCP [verify] RouterOS's
// behaviour on a client that has no lease.
func init() {
	cmd := func(verb string) menuCommand {
		return menuCommand{syntax: &script.Syntax{Params: map[string]bool{"numbers": true}, Unnamed: 1},
			run: func(t *tx, req *request) (result, error) {
				its, err := t.items(dhcpClientMenu, req)
				if err != nil {
					return result{}, err
				}
				c, ok := t.r.opts.DHCP.(DHCPCommander)
				for _, it := range its {
					if it.disabled() {
						continue
					}
					if !ok {
						t.r.appendLog(script.LogEntry{Time: t.now, Topics: "dhcp,warning", Msg: "dhcp-client " + verb + " on " + it.props["interface"] + " not run: no DHCP client service here"})
						continue
					}
					c.DHCPClientCommand(kernelName(t.m, it.props["interface"]), verb)
				}
				return result{}, nil
			}}
	}
	// Beside the RouterOS 6 add of dhcp.go, whichever init runs first.
	if dhcpClientMenu.commands == nil {
		dhcpClientMenu.commands = map[string]menuCommand{}
	}
	dhcpClientMenu.commands["release"] = cmd("release")
	dhcpClientMenu.commands["renew"] = cmd("renew")
}
