package check

import (
	"fmt"
	"maps"
	"slices"
)

// VLANOnBridgePort is a VLAN interface made on a port of a bridge (rc28
// D5: a Chateau export keeps ether1 in the defconf bridge and runs its
// PPPoE WAN on vlan7 over ether1). RouterOS's Layer2 misconfiguration page
// (https://help.mikrotik.com/docs/display/ROS/Layer2+misconfiguration)
// lists a VLAN interface on a bridge port among the configurations to
// avoid: the port's frames belong to the bridge, which takes them before
// the VLAN interface, and with hardware offloading the switch chip
// forwards them inside the bridge without the CPU seeing them, so the
// VLAN's traffic may never reach its interface; the page's way is the
// VLAN interface on the bridge itself, with bridge VLAN filtering
// ([verify] the page's exact wording; the lab cannot show it: its kernel
// may lack 802.1Q). No fix is pasted: the page gives the layout to aim
// for, not a command that fits every export (the port may carry the LAN
// untagged, or be meant for the WAN only).
const VLANOnBridgePort Cause = "a VLAN interface is on a port of a bridge: RouterOS's Layer2 misconfiguration page warns against it, since the bridge takes the port's frames (and with hardware offloading the switch chip forwards them) before the VLAN interface sees them, so its traffic may not reach it; the page puts the VLAN interface on the bridge, with VLAN filtering, or the port outside the bridge"

// vlanBridgePortFindings returns a finding on the router for each enabled
// VLAN interface whose parent is an enabled port of a bridge the export
// has, on the VLAN's line.
func (p *Plan) vlanBridgePortFindings() []Finding {
	if p.export == nil {
		return nil
	}
	ix := index(p.export, allLines)
	var out []Finding
	for _, name := range slices.Sorted(maps.Keys(ix.vlans)) {
		v := ix.vlans[name]
		parent := v.Value("interface")
		bp := bridgePortLine(ix, parent)
		if bp == nil {
			continue
		}
		out = append(out, Finding{Forward: -1, Path: "router's interface " + name, Cause: VLANOnBridgePort, Line: v.Line, Rule: v.Raw,
			Detail: fmt.Sprintf("%s (VLAN %s) is on %s, which line %d makes a port of bridge %s", name, v.Value("vlan-id"), parent, bp.Line, bp.Value("bridge"))})
	}
	return out
}
