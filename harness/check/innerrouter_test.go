package check

import (
	"bytes"
	"strings"
	"testing"
)

// innerRouter is an ISP's inner router (rc32 C3, rotko-bkk50 cut down): a
// private /30 uplink to the ISP's own core, public addresses held on lo
// and a public subnet on a LAN port, both routed to it by the core.
const innerRouter = `# by RouterOS 7.22
/interface bridge add name=bridge_local
/interface bridge port add bridge=bridge_local interface=ether2
/interface list add name=WAN
/interface list member add interface=ether1 list=WAN
/ip address add address=172.16.10.2/30 interface=ether1 network=172.16.10.0
/ip address add address=192.168.69.1/24 interface=bridge_local network=192.168.69.0
/ip address add address=160.22.181.18 interface=lo network=160.22.181.18
/ip address add address=160.22.181.169/29 interface=ether3 network=160.22.181.168
/ip route add gateway=172.16.10.1
/ip firewall nat add action=masquerade chain=srcnat out-interface-list=WAN
/ip firewall nat add action=dst-nat chain=dstnat dst-address=DST dst-port=80 protocol=tcp to-addresses=192.168.69.91
`

// TestInnerRouterPublicForward: a forward on a public address the router
// holds (or of a public subnet it has) behind a private uplink read
// "nothing from the internet can reach this router", and named the
// forward's address as the WAN's "private address". It is now what the
// rules cannot judge: the router in front may route the address here.
// Controls: a public address the router neither holds nor has a subnet
// of, and a forward on the WAN interface, stay NoPublicAddress, with the
// WAN's own address named.
func TestInnerRouterPublicForward(t *testing.T) {
	diag := func(dst string) []Finding {
		t.Helper()
		found, _ := loadText(t, strings.Replace(innerRouter, "dst-address=DST", dst, 1)).Diagnose()
		return found
	}
	for _, dst := range []string{"dst-address=160.22.181.18", "dst-address=160.22.181.174"} {
		found := diag(dst)
		var judged bool
		for _, f := range found {
			if f.Forward == 0 && f.Cause == NoPublicAddress {
				t.Errorf("%s: still %s: %s", dst, f.Cause, f.Detail)
			}
			if f.Forward == 0 && f.Cause == "" && strings.Contains(f.Detail, "if the router in front routes "+strings.TrimPrefix(dst, "dst-address=")+" here") {
				judged = true
			}
		}
		if !judged {
			t.Errorf("%s: no finding says the router in front may route it here: %v", dst, found)
		}
	}
	// In a lab the path from the internet meets the lab's own ISP router,
	// which routes no block here: not a path broken with no cause.
	// Control: a hairpin path that failed still is.
	// (With the hairpin rule its own LAN needs, so that no finding of
	// the rules explains a failed path.)
	p := loadText(t, strings.Replace(innerRouter, "dst-address=DST", "dst-address=160.22.181.18", 1)+
		"/ip firewall nat add action=masquerade chain=srcnat src-address=192.168.69.0/24 dst-address=192.168.69.91 out-interface=bridge_local\n")
	found, _ := p.Diagnose()
	for _, f := range found {
		if f.Forward == 0 && f.Cause != "" {
			t.Fatalf("the lab case has a finding with a cause: %s", f)
		}
	}
	lab := func(hairpin string) string {
		outs := []Outcome{
			{Probe: Probe{Forward: 0, Path: "internet", Phase: "before", From: "peer", To: "cpe1.public:80", NoPublic: true}, Result: "timeout"},
			{Probe: Probe{Forward: 0, Path: "hairpin:ether3", Phase: "before", From: "client2", To: "160.22.181.18:80"}, Result: hairpin, Saw: "client"},
		}
		var b bytes.Buffer
		PrintLabFindings(&b, p, found, p.Propose(found), outs)
		return b.String()
	}
	if out := lab("ok"); strings.Contains(out, "cause not identified") {
		t.Errorf("the lab's closed ISP router reads as a broken path:\n%s", out)
	}
	if out := lab("timeout"); !strings.Contains(out, "cause not identified: 1 path(s)") {
		t.Errorf("control, a failed hairpin: want 1 path unexplained:\n%s", out)
	}
	for _, dst := range []string{"dst-address=203.0.113.77", "in-interface=ether1"} {
		found := diag(dst)
		var behind bool
		for _, f := range found {
			if f.Forward == 0 && f.Cause == NoPublicAddress {
				behind = true
				if !strings.Contains(f.Detail, "ether1 has 172.16.10.2, a private address") {
					t.Errorf("control %s: the detail does not name the WAN's own address: %s", dst, f.Detail)
				}
			}
		}
		if !behind {
			t.Errorf("control %s: not NoPublicAddress: %v", dst, found)
		}
	}
}
