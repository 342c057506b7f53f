package config

import (
	"strconv"

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
	if set := t.m.tables["interface bridge settings"]; len(set) == 1 {
		p := set[0].props
		s.BridgeSettings = kernel.BridgeSettings{
			UseIPFirewall:         p["use-ip-firewall"] == "yes",
			UseIPFirewallForVLAN:  p["use-ip-firewall-for-vlan"] == "yes",
			UseIPFirewallForPPPoE: p["use-ip-firewall-for-pppoe"] == "yes",
		}
	}
}

// allInterfaces names every interface: ports, bridges, VLANs (the
// built-in interface lists all and static).
func (t *tx) allInterfaces() []string {
	var out []string
	for _, tbl := range ifaceTables {
		for _, it := range t.m.tables[tbl] {
			out = append(out, it.props["name"])
		}
	}
	return out
}

func atoiOr(v string, def int) int {
	if n, err := strconv.Atoi(v); err == nil {
		return n
	}
	return def
}

// interfaceView is what /interface shows: every port, bridge and VLAN.
func (t *tx) interfaceView() []*item {
	var out []*item
	for _, tbl := range ifaceTables {
		out = append(out, t.m.tables[tbl]...)
	}
	return out
}

// ifaceType is /interface's type of an item: ether, bridge or vlan.
func (t *tx) ifaceType(it *item) string {
	for _, x := range t.m.tables["interface bridge"] {
		if x.id == it.id {
			return "bridge"
		}
	}
	for _, x := range t.m.tables["interface vlan"] {
		if x.id == it.id {
			return "vlan"
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
