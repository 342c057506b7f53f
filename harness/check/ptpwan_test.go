package check

import (
	"slices"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/export"
)

// importWith imports text with the options o (--map).
func importWith(t *testing.T, text string, o Options) *Plan {
	t.Helper()
	f, err := export.Read("test.rsc", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Import(f, o)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestPointToPointWAN (realcheck21 D1): a WAN written as a point-to-point
// address (address=1.1.1.1 network=2.2.2.2, no length: a /32 whose
// network is the remote end, IP Addressing page) with the default route
// by 2.2.2.2 is read as the static WAN ether1, 1.1.1.1 with peer
// 2.2.2.2, and the lab's ISP answers as 2.2.2.2 on a network holding both
// ends, without the DHCP client the --map reading added. It was "cannot
// tell which port is the WAN". The control, the same WAN as a /30, keeps
// its reading (no peer, gateway 1.1.1.2, the /24 lab network).
func TestPointToPointWAN(t *testing.T) {
	const ptp = `# by RouterOS 6.45.6
/interface bridge
add name=lan1
/interface bridge port
add bridge=lan1 interface=ether2
/ip address
add address=192.168.1.1/24 interface=lan1 network=192.168.1.0
add address=1.1.1.1 interface=ether1 network=2.2.2.2
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
/ip route
add distance=1 gateway=2.2.2.2
`
	p := importText(t, ptp)
	if len(p.WANs) != 1 {
		t.Fatalf("WANs %+v, want ether1", p.WANs)
	}
	w := p.WANs[0]
	if w.Interface != "ether1" || w.Kind != "static" || w.Address.String() != "1.1.1.1/32" || w.Peer.String() != "2.2.2.2" || w.Gateway.String() != "2.2.2.2" {
		t.Errorf("WAN %+v, want static ether1 1.1.1.1/32 peer 2.2.2.2 gateway 2.2.2.2", w)
	}
	if hasNote(p.Notes, "has no address") || hasNote(p.Notes, "which no WAN's address holds") {
		t.Errorf("notes %q", p.Notes)
	}
	// The template's two ends are held only by 0.0.0.0/6, which Linux
	// gives no link route: the lab says so instead of probing a dead wire.
	if _, err := p.Case(Fix{}); err == nil || !strings.Contains(err.Error(), "0.0.0.0/6") {
		t.Errorf("lab of 1.1.1.1 peer 2.2.2.2: err %v, want the 0.0.0.0/8 reason", err)
	}
	// A provider's usual shape: both ends in one /24.
	near := strings.NewReplacer("address=1.1.1.1 interface=ether1 network=2.2.2.2", "address=203.0.113.10 interface=ether1 network=203.0.113.1", "gateway=2.2.2.2", "gateway=203.0.113.1").Replace(ptp)
	p = importText(t, near)
	if len(p.WANs) != 1 || p.WANs[0].Peer.String() != "203.0.113.1" || p.WANs[0].Address.String() != "203.0.113.10/32" {
		t.Fatalf("203.0.113.10 peer 203.0.113.1: WANs %+v", p.WANs)
	}
	c, err := p.Case(Fix{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"{network: wan, address: 203.0.113.10, role: wan}", "{name: wan, subnet: 203.0.113.0/24}", "isp: {kind: static, customer: wan}", "- {network: wan, address: 203.0.113.1}"} {
		if !strings.Contains(c.YAML, want) {
			t.Errorf("the lab lacks %q:\n%s", want, c.YAML)
		}
	}
	if strings.Contains(c.YAML, "dhcp-client add") {
		t.Errorf("the lab adds a DHCP client to a static WAN:\n%s", c.YAML)
	}
	// --map ether1=wan reads the same address (it said "the WAN ether1 has
	// no address ... the lab leases it one by DHCP").
	p = importWith(t, ptp, Options{Map: map[string]string{"ether1": "wan"}})
	if len(p.WANs) != 1 || p.WANs[0].Kind != "static" || p.WANs[0].Peer.String() != "2.2.2.2" || hasNote(p.Notes, "has no address") {
		t.Errorf("--map: WANs %+v, notes %q", p.WANs, p.Notes)
	}

	ctl := importText(t, strings.NewReplacer("address=1.1.1.1 interface=ether1 network=2.2.2.2", "address=1.1.1.1/30 interface=ether1", "gateway=2.2.2.2", "gateway=1.1.1.2").Replace(ptp))
	if len(ctl.WANs) != 1 || ctl.WANs[0].Address.String() != "1.1.1.1/30" || ctl.WANs[0].Peer.IsValid() || ctl.WANs[0].Gateway.String() != "1.1.1.2" {
		t.Fatalf("control /30: WANs %+v", ctl.WANs)
	}
	c, err = ctl.Case(Fix{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(c.YAML, "{name: wan, subnet: 1.1.1.0/24}") || !strings.Contains(c.YAML, "- {network: wan, address: 1.1.1.2}") {
		t.Errorf("control /30: lab\n%s", c.YAML)
	}
}

// TestWANTwoAddresses (realcheck21 D2): a WAN port with two addresses
// (a Chateau's old 192.168.88.1/24 beside 10.0.0.254/24, the default
// route by 10.0.0.1): the WAN is the address whose subnet holds the
// gateway, a note says which was taken, the lab's ISP router sits at
// 10.0.0.1 on 10.0.0.0/24, and the hairpin fix pins dst-address to
// 10.0.0.254. It took the first line. The control, the same port with
// only 10.0.0.254/24, has no note.
func TestWANTwoAddresses(t *testing.T) {
	const two = `# by RouterOS 7.21.3
/interface bridge
add name=bridge1
/interface bridge port
add bridge=bridge1 interface=ether2
/ip address
add address=192.168.88.1/24 interface=ether1 network=192.168.88.0
add address=10.0.0.254/24 interface=ether1 network=10.0.0.0
add address=192.168.1.1/24 interface=bridge1 network=192.168.1.0
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
add action=dst-nat chain=dstnat dst-port=8080 in-interface=ether1 protocol=tcp to-addresses=192.168.1.10 to-ports=80
/ip route
add dst-address=0.0.0.0/0 gateway=10.0.0.1
`
	p := importText(t, two)
	if len(p.WANs) != 1 || p.WANs[0].Address.String() != "10.0.0.254/24" || p.WANs[0].Gateway.String() != "10.0.0.1" {
		t.Fatalf("WANs %+v, want ether1 10.0.0.254/24 by 10.0.0.1", p.WANs)
	}
	if !hasNote(p.Notes, "the WAN ether1 has addresses on 2 subnets", "takes 10.0.0.254/24 (line 8)", "default route's gateway 10.0.0.1", "192.168.88.1/24 (line 7)") {
		t.Errorf("notes %q", p.Notes)
	}
	found, _ := p.Diagnose()
	fx := p.Propose(found)
	if !slices.ContainsFunc(fx.Lines, func(l string) bool { return strings.Contains(l, "dst-address=10.0.0.254") }) ||
		slices.ContainsFunc(fx.Lines, func(l string) bool { return strings.Contains(l, "dst-address=192.168.88.1") }) {
		t.Errorf("fix %q, want dst-address=10.0.0.254", fx.Lines)
	}
	c, err := p.Case(fx)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"{name: wan, subnet: 10.0.0.0/24}", "{network: wan, address: 10.0.0.254, role: wan}", "- {network: wan, address: 10.0.0.1}"} {
		if !strings.Contains(c.YAML, want) {
			t.Errorf("the lab lacks %q:\n%s", want, c.YAML)
		}
	}
	ctl := importText(t, strings.Replace(two, "add address=192.168.88.1/24 interface=ether1 network=192.168.88.0\n", "", 1))
	if len(ctl.WANs) != 1 || ctl.WANs[0].Address.String() != "10.0.0.254/24" || hasNote(ctl.Notes, "addresses: the check takes") {
		t.Errorf("control: WANs %+v notes %q", ctl.WANs, ctl.Notes)
	}
}
