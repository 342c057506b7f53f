package check

import "net/netip"

// clientRoom says whether segment s has an address for a LAN client beside
// the router and the forwards' servers (and the other hosts named in
// taken), as the lab's placing of hosts finds it (freeHost). A /30 transfer
// link holds the router and the downstream router it forwards to and
// nothing else: no LAN client shares the server's segment there, so no
// hairpin can be asked of it. The offline check found two hairpin problems
// and a hairpin fix on such links while the lab had no client to probe
// them from ("the rules alone suggested 2 finding(s), which the lab did not
// confirm", realcheck22 D4).
func (p *Plan) clientRoom(s Segment, taken ...netip.Addr) bool {
	held := map[netip.Addr]bool{s.Prefix.Addr(): true}
	for _, a := range taken {
		held[a] = true
	}
	for _, fw := range p.Forwards {
		held[fw.ToAddr] = true
		for _, a := range rangeRest(fw) {
			held[a] = true
		}
	}
	_, ok := freeHost(s.Prefix, 100, held)
	return ok
}
