package config

import (
	"strconv"
	"strings"
	"sync"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

// l2State fills the data plane's bridges, VLANs and bridge settings from
// the model.
func l2State(t *tx, s *kernel.State) {
	for _, b := range t.m.tables["interface bridge"] {
		kb := kernel.Bridge{
			Name:          b.props["name"],
			Disabled:      b.disabled(),
			ARP:           vOr(b.props["arp"], "enabled"),
			VLANFiltering: b.props["vlan-filtering"] == "yes",
			PVID:          atoiOr(b.props["pvid"], 1),
			FrameTypes:    vOr(b.props["frame-types"], "admit-all"),
			DHCPSnooping:  b.props["dhcp-snooping"] == "yes",
		}
		if m := b.props["mtu"]; m != "" && m != "auto" {
			kb.MTU = atoiOr(m, 0)
		}
		if b.props["auto-mac"] == "no" {
			kb.MAC = b.props["admin-mac"]
		}
		for _, p := range t.m.tables["interface bridge port"] {
			if p.disabled() || p.props["bridge"] != kb.Name {
				continue
			}
			for _, ifc := range portMembers(t, p.props["interface"], s.Ports) {
				// interface=all takes the ports no other entry names
				// (a port is in one bridge, once).
				if p.props["interface"] == "all" && (explicitPort(t, ifc) || hasPort(kb.Ports, ifc)) {
					continue
				}
				kb.Ports = append(kb.Ports, kernel.BridgePort{
					Interface:  ifc,
					PVID:       atoiOr(p.props["pvid"], 1),
					FrameTypes: vOr(p.props["frame-types"], "admit-all"),
					Horizon:    horizonOf(p),
					Trusted:    p.props["trusted"] == "yes",
					NoLearn:    p.props["learn"] == "no",
					// The flood switches default to yes.
					NoUnicastFlood:   p.props["unknown-unicast-flood"] == "no",
					NoMulticastFlood: p.props["unknown-multicast-flood"] == "no",
					NoBroadcastFlood: p.props["broadcast-flood"] == "no",
				})
			}
		}
		for _, v := range t.m.tables["interface bridge vlan"] {
			if v.disabled() || v.props["bridge"] != kb.Name {
				continue
			}
			ids, _ := vlanIDs(vOr(v.props["vlan-ids"], "1"))
			kb.VLANs = append(kb.VLANs, kernel.BridgeVLAN{IDs: ids, Tagged: vlanMembers(t, v.props["tagged"], s.Ports), Untagged: vlanMembers(t, v.props["untagged"], s.Ports)})
		}
		s.Bridges = append(s.Bridges, kb)
	}
	for _, v := range t.m.tables["interface vlan"] {
		s.VLANs = append(s.VLANs, kernel.VLAN{
			Name:       v.props["name"],
			Interface:  v.props["interface"],
			ID:         atoiOr(v.props["vlan-id"], 1),
			MTU:        atoiOr(v.props["mtu"], 1500),
			ARP:        vOr(v.props["arp"], "enabled"),
			ServiceTag: v.props["use-service-tag"] == "yes",
			Disabled:   v.disabled(),
		})
	}
	for _, h := range t.m.tables["interface bridge host"] {
		if h.disabled() || h.props["interface"] == "" {
			continue // [verify] what RouterOS does with an entry without a port
		}
		s.BridgeHosts = append(s.BridgeHosts, kernel.BridgeHost{Bridge: h.props["bridge"], Interface: h.props["interface"],
			MAC: h.props["mac-address"], VID: atoiOr(h.props["vid"], 0)})
	}
	s.BridgeFilter = rules(t.m.tables["interface bridge filter"], s)
	s.BridgeNAT = rules(t.m.tables["interface bridge nat"], s)
	if set := t.m.tables["interface bridge settings"]; len(set) == 1 {
		p := set[0].props
		s.BridgeSettings = kernel.BridgeSettings{
			UseIPFirewall:         p["use-ip-firewall"] == "yes",
			UseIPFirewallForVLAN:  p["use-ip-firewall-for-vlan"] == "yes",
			UseIPFirewallForPPPoE: p["use-ip-firewall-for-pppoe"] == "yes",
		}
	}
}

// allInterfaces names every configured interface, what /interface lists:
// ports, bridges, VLANs, and the interfaces of the other menus too
// (GRE, IPIP and EoIP tunnels, VPN clients and server bindings, VRRP,
// VXLAN, ...), the built-in interface lists all and static. The manual's
// "all (contains all interfaces) ... Any interface that doesn't have a
// dynamic flag will be part of the static interface list"
// (https://help.mikrotik.com/docs/x/LADWAg) makes no exception for them:
// an "include=all exclude=WAN" LAN list holds a GRE tunnel, so an input
// accept keyed on it accepts what the tunnel brings. A stored-only
// interface has no link; nftables matches names as text, so its name in
// a set matches nothing until such a link exists.
func (t *tx) allInterfaces() []string {
	var out []string
	for _, tbl := range ifaceListTables() {
		for _, it := range t.m.tables[tbl] {
			out = append(out, it.props["name"])
		}
	}
	return out
}

// ifaceListTables is interfaceViewTables, read once: the menus are fixed
// after init, and state building asks at every command (a 30,000-line
// address-list import took 19 s instead of 5 s with a fresh walk of the
// menus each time).
var ifaceListTables = sync.OnceValue(interfaceViewTables)

func atoiOr(v string, def int) int {
	if n, err := strconv.Atoi(v); err == nil {
		return n
	}
	return def
}

// interfaceView is what /interface shows: every interface of any type,
// ports, bridges and VLANs first, then the stored ones (tunnels, VPN
// clients, WireGuard, ...), so "/interface get $interface name" in a PPP
// on-up script and "/interface find name=l2tp-out1" find a VPN client as
// on a router.
func (t *tx) interfaceView() []*item {
	var out []*item
	for _, tbl := range interfaceViewTables() {
		out = append(out, t.m.tables[tbl]...)
	}
	return append(out, t.pppServerIfaces()...)
}

// interfaceViewTables are the tables whose items /interface lists, in
// order, each once.
func interfaceViewTables() []string {
	var out []string
	seen := map[string]bool{}
	for _, tbl := range append(append([]string(nil), ifaceTables...), storedIfTables...) {
		if seen[tbl] || !strings.HasPrefix(tbl, "interface ") {
			continue
		}
		seen[tbl] = true
		if m := menuOf(tbl); m == nil || m.nameProp != "name" {
			continue
		}
		out = append(out, tbl)
	}
	return out
}

// menuOf is menuByPath, set in init: the /interface menu's own print
// reaches interfaceViewTables, and menuByPath reads the menu list.
var menuOf func(string) *menu

func init() { menuOf = menuByPath }

// ifaceTypeOf is /interface's type column per table, the words RouterOS
// prints (Interface page of the manual). [verify] the words for the rarer
// types; a table missing here shows its menu's last word.
var ifaceTypeOf = map[string]string{
	"interface ethernet": "ether", "interface bridge": "bridge", "interface vlan": "vlan",
	pppoeClientTable: "pppoe-out", "interface l2tp-client": "l2tp-out", "interface sstp-client": "sstp-out",
	"interface ovpn-client": "ovpn-out", "interface pptp-client": "pptp-out",
	"interface l2tp-server": "l2tp-in", "interface sstp-server": "sstp-in", "interface ovpn-server": "ovpn-in",
	"interface pptp-server": "pptp-in", "interface pppoe-server": "pppoe-in",
	"interface gre": "gre-tunnel", "interface ipip": "ipip-tunnel", "interface eoip": "eoip-tunnel",
	"interface gre6": "gre6-tunnel", "interface ipipv6": "ipipv6-tunnel", "interface eoipv6": "eoipv6-tunnel",
	"interface wireguard": "wg", "interface bonding": "bond", "interface vxlan": "vxlan", "interface vpls": "vpls",
	"interface vrrp": "vrrp", "interface veth": "veth", "interface macvlan": "macvlan", "interface 6to4": "6to4-tunnel",
}

// ifaceType is /interface's type of an item.
func (t *tx) ifaceType(it *item) string {
	if ty := it.props["~type"]; it.dynamic && ty != "" {
		return ty
	}
	for _, tbl := range interfaceViewTables() {
		for _, x := range t.m.tables[tbl] {
			if x.id == it.id {
				if ty, ok := ifaceTypeOf[tbl]; ok {
					return ty
				}
				return tbl[strings.LastIndex(tbl, " ")+1:]
			}
		}
	}
	return "ether"
}

// explicitPort reports whether an enabled bridge port entry names ifc
// itself (not through a list).
func explicitPort(t *tx, ifc string) bool {
	for _, p := range t.m.tables["interface bridge port"] {
		if !p.disabled() && p.props["interface"] == ifc {
			return true
		}
	}
	return false
}

// hasPort reports whether ports has ifc.
func hasPort(ports []kernel.BridgePort, ifc string) bool {
	for _, p := range ports {
		if p.Interface == ifc {
			return true
		}
	}
	return false
}

// horizonOf is a bridge port's horizon value for the kernel, "" for none.
func horizonOf(p *item) string {
	if h := p.props["horizon"]; h != "none" {
		return h
	}
	return ""
}
