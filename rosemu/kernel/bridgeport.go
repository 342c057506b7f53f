package kernel

import (
	"fmt"
	"sort"
	"strings"
)

// The IP firewall's in-bridge-port and out-bridge-port (and their -list
// forms) name the bridge port a packet came in or goes out by, when the
// packet passes the IP firewall on a bridge (Filter page of the manual:
// "Works only if use-ip-firewall is enabled in bridge settings"). Under
// br_netfilter the IP hooks see the bridge as the packet's interface, and
// nftables' ip family has no expression for the port. So the bridge
// family, which sees the ports, numbers them into the packet mark before
// br_netfilter hands the packet to the IP hooks (bridge prerouting for
// the port it came in by, bridge forward for the port it leaves by), and
// the IP rules compare the mark:
//
//	bits 24-27  in-bridge-port:  index of the port, 0 = none
//	bits 28-31  out-bridge-port: index of the port, 0 = none
//
// Only the ports the IP firewall names are numbered, up to 15. The port
// a routed packet leaves by is chosen after the IP hooks, so
// out-bridge-port matches bridged packets only [verify] RouterOS.
const (
	inPortMask   = 0x0f000000
	inPortShift  = 24
	outPortMask  = 0xf0000000
	outPortShift = 28
	maxPortIndex = 15
)

// bridgePortProps are the IPv4 firewall's bridge port matchers.
var bridgePortProps = []string{"in-bridge-port", "out-bridge-port", "in-bridge-port-list", "out-bridge-port-list"}

// bridgePortIndex numbers the bridge ports the IPv4 firewall's rules
// name (directly or through an interface list), in name order from 1.
// Without use-ip-firewall no bridged packet reaches the IP firewall and
// no port is numbered: the matchers then match nothing, as on RouterOS.
func bridgePortIndex(st *State) (map[string]uint32, error) {
	idx := map[string]uint32{}
	if !st.BridgeSettings.UseIPFirewall {
		return idx, nil
	}
	isPort := bridgePortSet(st)
	named := map[string]bool{}
	for _, rules := range [][]Rule{st.Filter, st.NAT, st.Mangle, st.Raw} {
		for _, r := range rules {
			if r.Props["disabled"] == "yes" {
				continue
			}
			for _, k := range bridgePortProps {
				_, v := negated(r.Props[k])
				if v == "" {
					continue
				}
				names := []string{v}
				if strings.HasSuffix(k, "-list") {
					names = st.InterfaceLists[v]
				}
				for _, n := range names {
					if isPort[n] {
						named[n] = true
					}
				}
			}
		}
	}
	ports := sortedKeys(named)
	if len(ports) > maxPortIndex {
		return nil, fmt.Errorf("the IP firewall names %d bridge ports in in-bridge-port and out-bridge-port (%s); rosemu tells at most %d apart", len(ports), strings.Join(ports, ", "), maxPortIndex)
	}
	for i, p := range ports {
		idx[p] = uint32(i + 1)
	}
	return idx, nil
}

// bridgePortMatches renders the rule's bridge port matchers; never is
// true when the rule can match no packet (a plain matcher naming no
// numbered port).
func (r *ruleCtx) bridgePortMatches(add func(string, error) error) (never bool, err error) {
	for _, k := range bridgePortProps {
		if !r.has(k) {
			continue
		}
		neg, v := negated(r.take(k))
		mask, shift := uint32(inPortMask), inPortShift
		if strings.HasPrefix(k, "out-") {
			mask, shift = outPortMask, outPortShift
		}
		names := []string{v}
		if strings.HasSuffix(k, "-list") {
			if _, ok := r.ifListsAll[v]; !ok {
				return false, fmt.Errorf("%s: interface list %q does not exist", k, v)
			}
			names = r.ifListsAll[v]
		}
		var vals []string
		for _, n := range names {
			if i := r.bridgePorts[n]; i != 0 {
				vals = append(vals, fmt.Sprintf("0x%08x", i<<shift))
			}
		}
		sort.Strings(vals)
		switch {
		case len(vals) == 0 && neg:
			// No packet has such a port: the negation always holds.
		case len(vals) == 0:
			return true, nil
		case len(vals) == 1:
			if err := add(fmt.Sprintf("meta mark & 0x%08x %s%s", mask, op(neg), vals[0]), nil); err != nil {
				return false, err
			}
		default:
			if err := add(fmt.Sprintf("meta mark & 0x%08x %s{ %s }", mask, op(neg), strings.Join(vals, ", ")), nil); err != nil {
				return false, err
			}
		}
	}
	return false, nil
}

// renderPortMarks writes the bridge family chains that number the ports
// into the packet mark (see bridgePortIndex).
func renderPortMarks(b *strings.Builder, idx map[string]uint32) error {
	if len(idx) == 0 {
		return nil
	}
	ports := make([]string, 0, len(idx))
	for p := range idx {
		ports = append(ports, p)
	}
	sort.Slice(ports, func(i, j int) bool { return idx[ports[i]] < idx[ports[j]] })
	for _, c := range []struct {
		name, hook, field string
		mask              uint32
		shift             int
	}{{"in_port_mark", "prerouting", "iifname", inPortMask, inPortShift}, {"out_port_mark", "forward", "oifname", outPortMask, outPortShift}} {
		// Before br_netfilter (priority 0) hands the packet to the IP
		// hooks, and after the horizon (-300).
		fmt.Fprintf(b, "\n\t# in-bridge-port and out-bridge-port of the IP firewall\n\tchain %s {\n\t\ttype filter hook %s priority -250; policy accept;\n", c.name, c.hook)
		for _, p := range ports {
			q, err := quoteIfname(p)
			if err != nil {
				return err
			}
			fmt.Fprintf(b, "\t\t%s %s meta mark set meta mark & 0x%08x | 0x%08x\n", c.field, q, ^c.mask, idx[p]<<c.shift)
		}
		b.WriteString("\t}\n")
	}
	return nil
}
