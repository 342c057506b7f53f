package check

import (
	"fmt"
)

// LANForwardDropped is the cause of a LAN segment whose new connections to
// the internet the forward chain drops before any rule accepts them
// (rc28 D1): a branch office's filter that accepts a few listed pairs and
// ends in a drop with nothing for the office LAN. The lab's LAN client
// times out towards the internet's peer, and the check said "no problem
// found". Whether the block is meant only the user knows (a LAN kept off
// the internet on purpose looks the same), so the finding has no fix line:
// it names the LAN, the rule and why.
const LANForwardDropped Cause = "the forward chain drops this LAN's new connections to the internet before any rule accepts them: the LAN has no way out (no fix proposed: only you know whether the block is meant; an accept for this LAN above the drop opens it)"

// lanForwardDropped walks the forward chain in the router's order (jumps
// followed, routerOrder) with the first packet of a LAN client's
// connection to the internet's peer (pk: new, a SYN): a drop or reject it
// meets first, certainly matching, is the finding. An accept above it, or
// a rule the reading cannot weigh, is none.
func (p *Plan) lanForwardDropped(m *matcher, pk packet, s Segment) (Finding, bool) {
	f := p.export
	keep := p.keeper(f)
	if pk.proto == "tcp" && pk.tcpFlags == "" {
		pk.tcpFlags = "syn"
	}
	acts := map[string]bool{"accept": true, "drop": true, "reject": true, "fasttrack-connection": true}
	r, how := m.first(f, keep, "ip firewall filter", "forward", pk, acts)
	if r == nil || how != yes || r.Value("action") != "drop" && r.Value("action") != "reject" {
		return Finding{}, false
	}
	return Finding{Forward: -1, Path: lanOutPath(s.Interface), Cause: LANForwardDropped, Line: r.Line, Rule: r.Raw,
		Detail: fmt.Sprintf("%s (%s): its new connections to the internet leaving by %s meet line %d (%s) first, and no rule above it accepts them", s.Interface, s.Prefix.Masked(), pk.out, r.Line, r.Value("action"))}, true
}
