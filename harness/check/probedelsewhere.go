package check

import "strings"

// probedElsewhere reports whether a probe that the lab carried out before
// the fix (not one that ended in error: no packet took its path) answers
// a router finding whose own path no probe takes. Each is the probe the
// verdict already reads as showing the finding when it fails, so one that
// passed refutes it:
//
//   - a gateway off the WAN's subnet ("internet"): a LAN client's
//     connection to the internet's peer (lan-reach:, reachShown);
//   - no upstream DNS ("LAN's DNS"): a LAN client's query of the router's
//     resolver (lan-resolve:, reachShown; lan-dns:, which asks it for a
//     name only the internet's resolver knows);
//   - an input accept below the drop ("router's input from the internet"):
//     the internet's connection to the accept's port (input:tcp/<port>,
//     reachShown), that port only;
//   - a LAN address on a bridge port ("router's address on ..."): the
//     probes of the router's web page from the LAN (unanswered);
//   - the WAN port in the LAN bridge ("router's WAN ..."): the probes of
//     the router's services from the internet (wanUnaddressed).
//
// Any other finding stands when no probe of its path ran.
func probedElsewhere(f Finding, outs []Outcome) bool {
	ran := func(show func(o Outcome) bool) bool {
		for _, o := range outs {
			if o.Probe.Phase == "before" && o.Probe.Forward < 0 && o.Result != "error" && show(o) {
				return true
			}
		}
		return false
	}
	switch f.Cause {
	case GatewayOffLink:
		return ran(func(o Outcome) bool { return strings.HasPrefix(o.Probe.Path, lanReachPrefix) })
	case NoUpstreamDNS:
		return ran(func(o Outcome) bool {
			return strings.HasPrefix(o.Probe.Path, lanResolvePrefix) || strings.HasPrefix(o.Probe.Path, lanDNSPrefix)
		})
	case InputAcceptBelowDrop:
		ports := map[string]bool{}
		for _, a := range strings.Fields(f.Rule) {
			if v, ok := strings.CutPrefix(a, "dst-port="); ok {
				ports["router.wan:"+v] = true
			}
		}
		return ran(func(o Outcome) bool { return strings.HasPrefix(o.Probe.Path, inputPrefix) && ports[o.Probe.To] })
	case AddressOnBridgePort:
		return ran(lanRouterProbe)
	case WANPortInBridge:
		return ran(func(o Outcome) bool {
			return strings.HasSuffix(o.Probe.Path, "@wan") && strings.HasPrefix(o.Probe.To, "router.wan:")
		})
	}
	return false
}
