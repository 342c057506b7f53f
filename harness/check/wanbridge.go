package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// WANPortInBridge is a WAN port left in the LAN bridge (forum45 D8): an
// RB5009 defconf keeps sfp-sfpplus1 in its bridge, and a user who moves
// the ISP's cable there and the DHCP client onto the port gets nothing. A
// bridge port's frames are the bridge's: an address on the port is
// invalid (the "I" flag; Bridging and Switching,
// https://help.mikrotik.com/docs/spaces/ROS/pages/328068/Bridging+and+Switching)
// and its DHCP client leases nothing [verify], while the ISP's network
// and the LAN are bridged into one (LAN hosts may lease from the ISP).
const WANPortInBridge Cause = "the WAN port is a port of the LAN bridge: its frames are the bridge's, so the address or DHCP client on the port is unused (RouterOS marks an address on a bridge port invalid), the router has no WAN address and no default route, and the ISP's network and the LAN are bridged together"

// wanBridgeFindings returns a finding for each WAN whose own interface is
// an enabled port of a bridge, with the bridge port line: the fix takes
// the port out of the bridge (wanBridgeFix).
func (p *Plan) wanBridgeFindings() []Finding {
	var out []Finding
	for _, w := range p.WANs {
		bp := p.wanPortInBridge(w)
		if bp == nil {
			continue
		}
		what := "its DHCP client"
		if w.Kind == "static" {
			what = "its address " + w.Address.String()
		}
		out = append(out, Finding{Forward: -1, Path: "router's WAN " + w.Interface, Cause: WANPortInBridge, Line: bp.Line, Rule: bp.Raw,
			Detail: fmt.Sprintf("%s (%s) is a port of bridge %s, so %s on %s is not used and the router gets no WAN address", w.Interface, w.Why, bp.Value("bridge"), what, w.Interface)})
	}
	return out
}

// wanPortInBridge is the enabled bridge port line that makes WAN w's own
// port a port of a bridge, or nil (a PPPoE client or a VLAN over a bridge
// port is not such a WAN: the port is not where its address lives).
func (p *Plan) wanPortInBridge(w WAN) *export.Command {
	f := p.export
	if f == nil || w.Kind == "pppoe" || w.Interface != w.Port {
		return nil
	}
	keep := p.keeper(f)
	return bridgePortLine(index(f, keep), w.Interface)
}

// bridgePortLine is the enabled bridge port line that makes iface a port
// of a bridge the export has, or nil.
func bridgePortLine(ix *ifaces, iface string) *export.Command {
	for _, bp := range ix.ports {
		if bp.Value("interface") == iface && ix.bridges[bp.Value("bridge")] != nil {
			return bp
		}
	}
	return nil
}

// wanBridgeFix is the fix of a WANPortInBridge finding on the bridge port
// line: the port out of the bridge.
func wanBridgeFix(bp *export.Command) string {
	return fmt.Sprintf("/interface bridge port remove [ find where interface=%s bridge=%s ]", export.Quote(bp.Value("interface")), export.Quote(bp.Value("bridge")))
}

// bridgePortAt is the export's bridge port line at line, or nil.
func (p *Plan) bridgePortAt(line int) *export.Command {
	if p.export == nil {
		return nil
	}
	if c := p.commandAt(line); c != nil && c.MenuPath() == "interface bridge port" {
		return c
	}
	return nil
}

// wanUnaddressed returns, in phase, the probes of the router's services
// from the internet that found no address to probe (the step's "no
// probe: router has no address", an error): the router held no WAN
// address, as a WAN port in the LAN bridge leaves it.
func wanUnaddressed(outs []Outcome, phase string) []Outcome {
	var out []Outcome
	for _, o := range outs {
		if o.Probe.Phase == phase && o.Probe.Forward < 0 && strings.HasSuffix(o.Probe.Path, "@wan") && strings.HasPrefix(o.Probe.To, "router.wan:") && o.Result == "error" {
			out = append(out, o)
		}
	}
	return out
}

// wanBridged reports whether a finding is a WAN port in the LAN bridge.
func wanBridged(found []Finding) bool {
	return slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == WANPortInBridge })
}
