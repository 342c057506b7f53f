package check

import (
	"slices"
	"strings"
	"testing"
)

// A forward to a server on a bridge that has no port (a container
// bridge), on a router whose WAN has a private address (an ISP router in
// front): the lab has no host at the server and probes only the router's
// services, but the internet reaches no address of this router wherever
// the server is. The lab's verdict says so, as the offline reading does,
// instead of "no problem found".
func TestUnprobedForwardBehindISPRouter(t *testing.T) {
	const export = `# 2025-11-21 21:13:02 by RouterOS 7.20
/interface bridge
add name=bridge
add name=containers
` + etherLists + `/interface bridge port
add bridge=bridge interface=ether2
/ip address
add address=192.168.90.1/24 interface=bridge network=192.168.90.0
add address=192.168.80.1/24 interface=containers network=192.168.80.0
add address=10.20.225.166/24 interface=ether1 network=10.20.225.0
/ip route
add gateway=10.20.225.1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat comment=syslog dst-port=514 in-interface-list=WAN protocol=udp to-addresses=192.168.80.160
`
	p := importNamed(t, "behind.rsc", []byte(export))
	found, _ := p.Diagnose()
	if !slices.ContainsFunc(found, func(f Finding) bool { return f.Forward == 0 && f.Cause == NoPublicAddress }) {
		t.Fatalf("no %q finding for the forward: %+v", NoPublicAddress, found)
	}
	off := p.OfflineDocument()
	if off.Verdict != "unfixable" {
		t.Fatalf("offline verdict %q (%s), want unfixable", off.Verdict, off.Summary)
	}
	// The lab probed only the router's services: the forward's server
	// has no lab host.
	outs := []Outcome{{Probe: Probe{Forward: -1, Path: "service:winbox@wan", Phase: "before", Kind: "port"}, Result: "unreachable"}}
	word, text, code := Verdict(found, p.Propose(found), outs)
	if word != "unfixable" || code != 1 || !strings.Contains(text, "not public") {
		t.Errorf("lab Verdict = %s, %q, %d; want unfixable, the WAN address is not public, 1", word, text, code)
	}
}
