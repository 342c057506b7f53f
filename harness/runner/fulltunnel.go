package runner

import (
	"fmt"
	"net/netip"

	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/scenario"
)

// fullTunnelNotes says, for each probe step from a lab WireGuard node with
// a full tunnel (allowed 0.0.0.0/0) to an address on one of the node's
// own lab networks, that the probe went there directly, outside the
// tunnel (forum34 D5). The node's /1 routes into the tunnel lose to the
// connected route of its network, as a wg-quick client's do: wg-quick's
// "ip rule add table main suppress_prefixlength 0" honours every main-table
// route but the default one, its on-link networks included
// (wg-quick(8), add_default in src/wg-quick/linux.bash). The lab keeps
// it so, since the node reaches the router's endpoint over that network;
// a case that means the tunnel must say so by adding the target as a /32
// to allowed. Without the note the step read as the router's doing.
func fullTunnelNotes(spec *lab.Spec, steps []scenario.StepResult) []string {
	var out []string
	for _, st := range steps {
		if st.Probe == "" {
			continue
		}
		dst, ok := stepDst(st)
		if !ok {
			continue
		}
		for _, n := range spec.Nodes {
			if n.Name != st.From || n.WireGuard == nil || !fullTunnel(n.WireGuard.Peer.Allowed) {
				continue
			}
			for _, in := range n.Interfaces {
				nw, ok := spec.Network(in.Network)
				if !ok || !nw.Subnet.Contains(dst) || coveredNarrower(n.WireGuard.Peer.Allowed, dst, nw.Subnet.Bits()) {
					continue
				}
				out = append(out, fmt.Sprintf("step %d (line %d): %s's full tunnel (allowed 0.0.0.0/0) leaves its own network %s (%s) outside the tunnel, as wg-quick does: the probe to %s went there directly, from the node's own address, not through the router; add %s/32 to the node's allowed to send it through the tunnel (docs/labs.md)", st.Index, st.Line, n.Name, in.Network, nw.Subnet, dst, dst))
			}
		}
	}
	return out
}

// fullTunnel reports whether allowed routes everything into the tunnel.
func fullTunnel(allowed []netip.Prefix) bool {
	for _, p := range allowed {
		if p.Bits() == 0 && p.Addr().Is4() {
			return true
		}
	}
	return false
}

// coveredNarrower reports whether a prefix of allowed longer than the
// connected network's (bits) covers a: the node's route for it goes into
// the tunnel and beats the connected one (the /32 workaround).
func coveredNarrower(allowed []netip.Prefix, a netip.Addr, bits int) bool {
	for _, p := range allowed {
		if p.Bits() > bits && p.Contains(a) {
			return true
		}
	}
	return false
}
