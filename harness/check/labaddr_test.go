package check

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/scenario"
)

// TestCaseTakesAddressesAtTheTop: the lab built for an export holds the
// export's own addresses, those at the top of a subnet included. A router
// whose LAN address is .254 of its /24 and an ISP gateway at .254 of a /29
// are common; the lab once refused both as Docker's reserved address, so
// check failed on such an export before it probed anything.
func TestCaseTakesAddressesAtTheTop(t *testing.T) {
	export := "# by RouterOS 7.14.3\n" + etherLists + `/ip address
add address=192.168.1.254/24 interface=ether2
add address=203.0.113.249/29 interface=ether1
add address=203.0.113.250/29 interface=ether1
/ip route
add dst-address=0.0.0.0/0 gateway=203.0.113.254
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address=203.0.113.250 dst-port=443 protocol=tcp to-addresses=192.168.1.253
`
	p := loadText(t, export)
	c, err := p.Case(Fix{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"address: 192.168.1.254, role: lan", "address: 203.0.113.254}", "address: 192.168.1.253}"} {
		if !strings.Contains(c.YAML, want) {
			t.Errorf("the case lacks %q:\n%s", want, c.YAML)
		}
	}
	caseLoads(t, c)
}

// caseLoads fails the test when the lab refuses the case built for an
// export.
func caseLoads(t *testing.T, c *Case) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "case.yaml")
	if err := os.WriteFile(path, []byte(c.YAML), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := scenario.LoadFile(path); err != nil {
		t.Fatalf("the lab refuses the case built for the export: %v\n%s", err, c.YAML)
	}
}

// TestCaseTransferLinksOfOneSlash24: two /30 links of one /24 (eBGP
// transfer nets) each get their own /30 in the lab; widened to the /24
// they overlapped and check failed to build its lab.
func TestCaseTransferLinksOfOneSlash24(t *testing.T) {
	export := "# by RouterOS 7.19\n" + etherLists + `/ip address
add address=192.168.88.1/24 interface=ether2
add address=203.0.113.2/24 interface=ether1
add address=172.31.255.1/30 interface=ether3
add address=172.31.255.5/30 interface=ether4
add address=10.9.0.1/29 interface=ether5
/ip route
add gateway=203.0.113.1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address=203.0.113.2 dst-port=443 protocol=tcp to-addresses=192.168.88.10
`
	p := loadText(t, export)
	c, err := p.Case(Fix{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"subnet: 172.31.255.0/30}", "subnet: 172.31.255.4/30}", "subnet: 10.9.0.0/24}"} {
		if !strings.Contains(c.YAML, want) {
			t.Errorf("the case lacks %q:\n%s", want, c.YAML)
		}
	}
	path := filepath.Join(t.TempDir(), "case.yaml")
	if err := os.WriteFile(path, []byte(c.YAML), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := scenario.LoadFile(path); err != nil {
		t.Fatalf("the lab refuses the case: %v", err)
	}
}

// TestCaseRouterBehindASlash30: forwards of WinBox to routers on /30
// links (10.10.12.5/30 to 10.10.12.6, a school's site routers behind an
// RB1100): the link holds the router and the server, nothing else. The
// lab has no client there and probes the server from the internet and
// the other segments; before, check stopped before the lab was built
// ("has no address left for a lab client"), exit 3.
func TestCaseRouterBehindASlash30(t *testing.T) {
	export := "# by RouterOS 6.49.6\n" + etherLists + `/ip address
add address=192.168.1.1/24 interface=ether2
add address=10.10.12.5/30 interface=ether3
add address=203.0.113.2/24 interface=ether1
/ip route
add gateway=203.0.113.1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-port=8294 in-interface-list=WAN protocol=tcp to-addresses=10.10.12.6 to-ports=8291
`
	p := loadText(t, export)
	c, err := p.Case(Fix{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Clients["ether3"] != "" || c.Clients["ether2"] == "" {
		t.Errorf("clients %v: want one on ether2 and none on the /30", c.Clients)
	}
	if !strings.Contains(c.YAML, "address: 10.10.12.6}") {
		t.Errorf("the case lacks the server on the /30:\n%s", c.YAML)
	}
	caseLoads(t, c)
}

// TestCaseSpareNetsPastWideLAN: a port the export leaves unaddressed gets
// a /24 of its own, from 172.31.0.0/16 first. A LAN of 172.16.0.0/12 covers
// all of that, and the search for a free /24 once went round 172.31.x.0
// for ever, so check hung before its lab started. The next pool serves.
func TestCaseSpareNetsPastWideLAN(t *testing.T) {
	export := "# by RouterOS 7.17\n" + etherLists + `/interface ethernet
set [ find default-name=ether3 ] comment=spare
/ip address
add address=172.16.0.1/12 interface=ether2
add address=203.0.113.2/24 interface=ether1
` + wanRouteMasq + `add action=dst-nat chain=dstnat dst-port=443 in-interface-list=WAN protocol=tcp to-addresses=172.16.0.10
`
	p := loadText(t, export)
	c, err := p.Case(Fix{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(c.YAML, "subnet: 10.254.0.0/24") {
		t.Errorf("the unused port's network is not the first /24 of the next pool:\n%s", c.YAML)
	}
	caseLoads(t, c)
}

// TestSpareNetsRunOut: when the export's networks cover every pool, check
// says so instead of searching on.
func TestSpareNetsRunOut(t *testing.T) {
	export := "# by RouterOS 7.17\n" + etherLists + `/interface ethernet
set [ find default-name=ether5 ] comment=spare
/interface list member
add interface=ether3 list=LAN
add interface=ether4 list=LAN
/ip address
add address=172.16.0.1/12 interface=ether2
add address=10.0.0.1/8 interface=ether3
add address=192.168.0.1/16 interface=ether4
add address=203.0.113.2/24 interface=ether1
` + wanRouteMasq + `add action=dst-nat chain=dstnat dst-port=443 in-interface-list=WAN protocol=tcp to-addresses=172.16.0.10
`
	p := loadText(t, export)
	c, err := p.Case(Fix{})
	if err == nil || !strings.Contains(err.Error(), "no free /24") {
		t.Fatalf("Case = %v, want no free /24\n%v", err, c)
	}
}

// TestRouterOnNetworkAddress: a LAN address that is its subnet's network
// address (192.168.88.0/24, a forum mistake RouterOS takes) is noted and
// replayed as it is; the lab refused such a case before. The same export
// with .1 has no note.
func TestRouterOnNetworkAddress(t *testing.T) {
	export := func(lan string) string {
		return "# by RouterOS 7.16.2\n" + etherLists + `/ip address
add address=` + lan + ` interface=ether2
add address=203.0.113.2/24 interface=ether1
` + wanRouteMasq + `add action=dst-nat chain=dstnat dst-port=443 in-interface-list=WAN protocol=tcp to-addresses=192.168.88.10
`
	}
	hasNote := func(p *Plan) bool {
		for _, n := range p.Notes {
			if strings.Contains(n, "is the network address of 192.168.88.0/24") {
				return true
			}
		}
		return false
	}
	p := loadText(t, export("192.168.88.0/24"))
	if !hasNote(p) {
		t.Errorf("no note of the network address: %q", p.Notes)
	}
	c, err := p.Case(Fix{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(c.YAML, "address: 192.168.88.0, role: lan") {
		t.Errorf("the lab's router is not on the export's address:\n%s", c.YAML)
	}
	caseLoads(t, c)
	// The host address the note proposes is one the router does not
	// hold already (.1 was proposed beside the router's own .1).
	two := loadText(t, strings.Replace(export("192.168.88.0/24"), "add address=203.0.113.2/24", "add address=192.168.88.1/24 interface=ether3\nadd address=203.0.113.2/24", 1))
	found := false
	for _, n := range two.Notes {
		if strings.Contains(n, "is the network address of 192.168.88.0/24") {
			found = true
			if !strings.HasSuffix(n, "such as 192.168.88.2") {
				t.Errorf("proposes an address the router holds: %s", n)
			}
		}
	}
	if !found {
		t.Errorf("no note of the network address beside .1: %q", two.Notes)
	}
	if p := loadText(t, export("192.168.88.1/24")); hasNote(p) {
		t.Errorf("a note for a host address: %q", p.Notes)
	}
}

// TestFixLineOnRefusedBridge: a bridge line the lab router refuses (a
// parameter it does not know) takes the bridge away in the lab, but not
// from the diagnosis, whose hairpin fix names out-interface=bridge. The
// lab leaves that fix line out with a note instead of writing a case that
// does not load; with the bridge line taken, the fix is applied.
func TestFixLineOnRefusedBridge(t *testing.T) {
	export := func(bridge string) string {
		return "# by RouterOS 7.16.2\n/interface bridge\n" + bridge + `
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge interface=ether2
/interface list member
add interface=bridge list=LAN
add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge
add address=203.0.113.2/24 interface=ether1
` + wanRouteMasq + `add action=dst-nat chain=dstnat dst-address=203.0.113.2 dst-port=443 protocol=tcp to-addresses=192.168.88.10
`
	}
	build := func(bridge string) (*Plan, *Case) {
		p := loadText(t, export(bridge))
		p.Refusals(context.Background())
		found, _ := p.Diagnose()
		c, err := p.Case(p.Propose(found))
		if err != nil {
			t.Fatal(err)
		}
		caseLoads(t, c)
		return p, c
	}
	const hairpin = "out-interface=bridge comment=\"hairpin to 192.168.88.10\""
	p, c := build("add name=bridge colour=blue")
	if strings.Contains(c.YAML, hairpin) {
		t.Errorf("the fix names the refused bridge in the lab:\n%s", c.YAML)
	}
	if !slices.ContainsFunc(p.Notes, func(n string) bool { return strings.Contains(n, "the lab leaves out the fix's line") }) {
		t.Errorf("no note of the fix line left out: %q", p.Notes)
	}
	if _, c := build("add name=bridge"); !strings.Contains(c.YAML, hairpin) {
		t.Errorf("the fix is not applied with the bridge taken:\n%s", c.YAML)
	}
}

// TestControlCharacterSetAside: a line with a control character (a
// terminal's escape code pasted with the export) is set aside, named, and
// the case loads; the case's YAML refused the character before. The
// same line without it is kept.
func TestControlCharacterSetAside(t *testing.T) {
	export := func(list string) string {
		return "# by RouterOS 7.16.2\n" + etherLists + `/ip address
add address=192.168.88.1/24 interface=ether2
add address=203.0.113.2/24 interface=ether1
/ip route
add dst-address=0.0.0.0/0 gateway=203.0.113.1
/ip firewall address-list
add address=192.168.88.0/24 list=` + list + `
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address=203.0.113.2 dst-port=443 protocol=tcp to-addresses=192.168.88.10
`
	}
	aside := func(p *Plan) bool {
		for _, a := range p.Aside {
			if a.Line == 14 && strings.Contains(a.Reason, "control character U+001B") {
				return true
			}
		}
		return false
	}
	p := loadText(t, export("lan\x1b"))
	if !aside(p) {
		t.Errorf("the line with the escape code is not set aside: %+v", p.Aside)
	}
	p.Refusals(context.Background())
	c, err := p.Case(Fix{})
	if err != nil {
		t.Fatal(err)
	}
	caseLoads(t, c)
	if p := loadText(t, export("lan")); aside(p) || strings.Contains(p.RSC, "\x1b") {
		t.Errorf("a plain line is set aside: %+v", p.Aside)
	}
}

// wanRouteMasq is the default route through the ISP at 203.0.113.1 and
// the masquerade out of the WAN list, which the tests above share; their
// forwards follow it in the nat menu.
const wanRouteMasq = `/ip route
add dst-address=0.0.0.0/0 gateway=203.0.113.1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
`
