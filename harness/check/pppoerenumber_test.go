package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/scenario"
)

// pppoeLiteral is forum69's c01: a forward written with the PPPoE
// session's address of the day (%s: the WAN's lines).
const pppoeLiteral = `# dec/07/2026 07:00:00 by RouterOS 6.49.18
%s/ip address
add address=192.168.88.1/24 interface=ether2
/ip firewall nat
add action=masquerade chain=srcnat out-interface=%s
add chain=dstnat action=dst-nat protocol=tcp to-addresses=192.168.88.10 to-ports=12566 dst-address=203.0.113.2 dst-port=5222
`

// TestPPPoELabRenumbers (forum69 C3): check's lab renumbered a DHCP WAN
// only, so a PPPoE export's "after a renumbering" finding was reported as
// not confirmed by a lab that never tried it. A PPPoE WAN now gets the
// renumber-wan step and the forward's probes after it, and the case
// loads. Controls: a static WAN is not renumbered, nor a PPPoE WAN whose
// port holds an address of its own (the runner's renumbering step took
// that address for the WAN's and ended the run: rb750r2-6421).
func TestPPPoELabRenumbers(t *testing.T) {
	for _, tt := range []struct {
		name, wan, out string
		renumbered     bool
	}{
		{"PPPoE WAN", "/interface pppoe-client\nadd add-default-route=yes disabled=no interface=ether1 name=pppoe-out1 user=home\n", "pppoe-out1", true},
		{"static WAN", "/ip address\nadd address=203.0.113.2/24 interface=ether1\n/ip route\nadd gateway=203.0.113.1\n", "ether1", false},
		{"PPPoE WAN whose port holds an address", "/interface pppoe-client\nadd add-default-route=yes disabled=no interface=ether1 name=pppoe-out1 user=home\n/ip address\nadd address=10.254.11.2/24 interface=ether1\n", "pppoe-out1", false},
	} {
		p := loadText(t, strings.Replace(strings.Replace(pppoeLiteral, "%s", tt.wan, 1), "%s", tt.out, 1))
		found, _ := p.Diagnose()
		c, err := p.Case(p.Propose(found))
		if err != nil {
			t.Fatal(err)
		}
		step := strings.Contains(c.YAML, "  - action: renumber-wan\n")
		after := false
		for _, pr := range c.Probes {
			if pr.Phase == "renumbered" && pr.Path == "internet" {
				after = true
			}
		}
		if step != tt.renumbered || after != tt.renumbered {
			t.Errorf("%s: renumber-wan step %v, internet probed after it %v (want %v)\n%s", tt.name, step, after, tt.renumbered, c.YAML)
		}
		file := filepath.Join(t.TempDir(), "case.yaml")
		if err := os.WriteFile(file, []byte(c.YAML), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := scenario.Read(file); err != nil {
			t.Errorf("%s: the case does not load: %v", tt.name, err)
		}
	}
}

// TestPPPoESecondAddressLab (forum69 C1's lab run): a static second
// address on pppoe-out1 was never reached from the internet in check's
// lab (the PPPoE ISP routed only the session's address), and the
// renumbering gave the session that very address, so router.wan led to
// the other forward. The ISP now routes it through the session and the
// renumbering gives a free address. Control: without a second address
// no route is written, and the renumbering still names a free address.
func TestPPPoESecondAddressLab(t *testing.T) {
	for _, tt := range []struct {
		name, addr string
		second     bool
	}{
		{"second address", "add address=203.0.113.3/32 interface=pppoe-out1\n", true},
		{"none", "", false},
	} {
		p := loadText(t, strings.Replace(twoAddrPPPoE, "%s", tt.addr, 1))
		found, _ := p.Diagnose()
		c, err := p.Case(p.Propose(found))
		if err != nil {
			t.Fatal(err)
		}
		route := strings.Contains(c.YAML, "routes: [{to: 203.0.113.3/32, via: 203.0.113.2}]")
		to := strings.Contains(c.YAML, "  - action: renumber-wan\n    to: 203.0.113.4\n")
		if !tt.second {
			// A free address all the same.
			to = !strings.Contains(c.YAML, "  - action: renumber-wan\n    to: ")
		}
		if route != tt.second || to != tt.second {
			t.Errorf("%s: route through the session %v, renumbered to a free address %v (want %v)\n%s", tt.name, route, to, tt.second, c.YAML)
		}
		file := filepath.Join(t.TempDir(), "case.yaml")
		if err := os.WriteFile(file, []byte(c.YAML), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := scenario.Read(file); err != nil {
			t.Errorf("%s: the case does not load: %v", tt.name, err)
		}
	}
}

// TestPPPoEACNameService (rb750r2-6421): a client that asks for an access
// concentrator and a service by name got no session from the lab's ISP,
// which offered neither, so the lab probed a router with no WAN; the ISP
// now offers them. Control: a client that names neither leaves them out.
func TestPPPoEACNameService(t *testing.T) {
	for _, tt := range []struct {
		name, extra string
		want        bool
	}{
		{"named", " ac-name=BRAS4-D6-BJM service-name=80:FB:06:AD:C4:B3", true},
		{"not named", "", false},
	} {
		wan := "/interface pppoe-client\nadd add-default-route=yes disabled=no interface=ether1 name=pppoe-out1 user=home" + tt.extra + "\n"
		p := loadText(t, strings.Replace(strings.Replace(pppoeLiteral, "%s", wan, 1), "%s", "pppoe-out1", 1))
		found, _ := p.Diagnose()
		c, err := p.Case(p.Propose(found))
		if err != nil {
			t.Fatal(err)
		}
		offered := strings.Contains(c.YAML, `, ac-name: "BRAS4-D6-BJM", service: "80:FB:06:AD:C4:B3"`)
		if offered != tt.want || !tt.want && (strings.Contains(c.YAML, "ac-name:") || strings.Contains(c.YAML, "service: ")) {
			t.Errorf("%s: the ISP offers the names %v (want %v)\n%s", tt.name, offered, tt.want, c.YAML)
		}
		file := filepath.Join(t.TempDir(), "case.yaml")
		if err := os.WriteFile(file, []byte(c.YAML), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := scenario.Read(file); err != nil {
			t.Errorf("%s: the case does not load: %v", tt.name, err)
		}
	}
}
