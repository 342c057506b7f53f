package check

import (
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/export"
)

// lanOnly is a LAN-side export whose WAN list names ether1, with no
// address and no DHCP or PPPoE client on it.
const lanOnly = `/interface bridge add name=br-home
/interface bridge port add bridge=br-home interface=ether2
/interface list add name=WAN
/interface list add name=LAN
/interface list member add interface=br-home list=LAN
/interface list member add interface=ether1 list=WAN
/ip address add address=192.168.61.1/24 interface=br-home network=192.168.61.0
/ip firewall nat add action=masquerade chain=srcnat out-interface-list=WAN
`

// TestWANWithoutClientGetsDHCPClient: a LAN-side export whose WAN list
// names ether1, with no address and no DHCP or PPPoE client on it. check
// takes ether1 as a DHCP WAN and the lab's ISP leases by DHCP, so the
// lab-ready configuration adds the client; without it the run failed
// "router has no address on ether1 (router.wan)".
func TestWANWithoutClientGetsDHCPClient(t *testing.T) {
	p := importNamed(t, "lan-only.rsc", []byte(lanOnly))
	if len(p.WANs) != 1 || p.WANs[0].Interface != "ether1" || p.WANs[0].Kind != "dhcp" {
		t.Fatalf("WANs %+v", p.WANs)
	}
	if !strings.Contains(p.RSC, "\n/ip dhcp-client add disabled=no interface=ether1\n") {
		t.Errorf("the lab-ready configuration gives ether1 no DHCP client:\n%s", p.RSC)
	}
}

// TestWANWithoutClientGetsDHCPClient6: on a RouterOS 6 export (a 6.47
// office router whose WAN address is a placeholder, STATIC_IP_ADDRESS, and
// whose DHCP client line lacks disabled=no, so it is disabled: RouterOS 6
// adds a DHCP client disabled unless the line says disabled=no) the lab
// turns the export's client on. It added a second one, disabled too, and
// then an enabled second one that rosemu's lease never reached; the lab
// stopped, "router has no address on ether1 (router.ether1) after 30s".
func TestWANWithoutClientGetsDHCPClient6(t *testing.T) {
	p := importNamed(t, "office-6.rsc", []byte("# by RouterOS 6.47.10\n"+lanOnly+"/ip dhcp-client add interface=ether1\n"))
	if len(p.WANs) != 1 || p.WANs[0].Interface != "ether1" || p.WANs[0].Kind != "dhcp" {
		t.Fatalf("WANs %+v", p.WANs)
	}
	// The lab router runs rosemu 6.49: the export's client is turned on,
	// not doubled (with two, rosemu gave the lease to the disabled one).
	f, err := export.Read("lab-ready.rsc", []byte(p.RSC))
	if err != nil {
		t.Fatal(err)
	}
	adds, on := 0, false
	for _, c := range f.Commands {
		if c.MenuPath() != "ip dhcp-client" {
			continue
		}
		switch {
		case c.Verb == "add" && c.Value("interface") == "ether1":
			adds++
		case c.Verb == "set" && strings.Contains(c.Raw, "interface=ether1") && c.Value("disabled") == "no":
			on = true
		}
	}
	if adds != 1 || !on {
		t.Errorf("%d DHCP clients on ether1, turned on: %v; the lab-ready configuration:\n%s", adds, on, p.RSC)
	}
}
