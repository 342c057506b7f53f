package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/export"
	"github.com/chrlab/chrlab/harness/scenario"
)

// vlanHome is testdata/vlan-fibre-home.rsc: a home router in the shape
// forum posts show, a fibre ISP's PPPoE in VLAN 7 on ether1, the LAN
// untagged on the bridge, an IoT VLAN tagged on the bridge towards a switch
// (no access port for it), a forward into the IoT VLAN.
func vlanHome(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("testdata/vlan-fibre-home.rsc")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
func TestImportVLANsOnTheWire(t *testing.T) {
	f, err := export.Read("vlan-home.rsc", []byte(vlanHome(t)))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Import(f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.WANs) != 1 || p.WANs[0].Port != "ether1" || p.WANs[0].Kind != "pppoe" || p.WANs[0].VLAN != 7 {
		t.Fatalf("WANs %+v, want the PPPoE client in VLAN 7 on ether1", p.WANs)
	}
	var iot Segment
	for _, s := range p.Segments {
		if s.Interface == "vlan20-iot" {
			iot = s
		}
	}
	if iot.Port != "ether2" || !iot.Tagged || iot.VLAN != 20 {
		t.Fatalf("IoT segment %+v, want tagged in VLAN 20 on ether2, the bridge's first port", iot)
	}
	c, err := p.Case(p.Propose(nil))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"{network: wan-wire, address: 172.31.0.1, role: wan}",
		"subnet: 203.0.113.0/24, trunk: wan-wire, vlan: 7}",
		"offer: 203.0.113.2}",
		"trunk: lan1, vlan: 20}", // the IoT VLAN rides on the bridge's untagged LAN wire
	} {
		if !strings.Contains(c.YAML, want) {
			t.Errorf("the lab lacks %q:\n%s", want, c.YAML)
		}
	}
	// The case loads: the lab grammar takes the trunks and the ISP's offer.
	file := filepath.Join(t.TempDir(), "case.yaml")
	if err := os.WriteFile(file, []byte(c.YAML), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := scenario.Read(file); err != nil {
		t.Fatalf("the case does not load: %v\n%s", err, c.YAML)
	}
}

// A VLAN on the WAN's own port (IPTV beside the internet) has no lab host:
// the WAN's wire is the ISP's. It is named, not probed.
func TestImportVLANOnTheWANPortIsNotProbed(t *testing.T) {
	rsc := vlanHome(t) + "/interface vlan\nadd interface=ether1 name=vlan4-iptv vlan-id=4\n/ip address\nadd address=10.4.0.2/24 interface=vlan4-iptv network=10.4.0.0\n"
	f, err := export.Read("vlan-home.rsc", []byte(rsc))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Import(f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range p.Segments {
		if s.Interface == "vlan4-iptv" && s.Port != "" {
			t.Errorf("IPTV segment %+v got a lab port", s)
		}
	}
	if !strings.Contains(strings.Join(p.Notes, "\n"), "vlan4-iptv (10.4.0.2/24) has no port a lab host can reach it on") {
		t.Errorf("notes %q", p.Notes)
	}
}

// A static WAN in VLAN 100 and cameras in VLAN 50 on ether5, of a router
// whose export never names ether4: the cameras' trunk is the lab's fifth
// port (the export's ether5 keeps its number), the ISP sits in VLAN 100.
func TestImportTrunkKeepsThePortNumber(t *testing.T) {
	p := load(t, "testdata/rb760-v6-vlans.rsc")
	if len(p.WANs) != 1 || p.WANs[0].VLAN != 100 || p.WANs[0].Kind != "static" {
		t.Fatalf("WANs %+v", p.WANs)
	}
	c, err := p.Case(p.Propose(nil))
	if err != nil {
		t.Fatal(err)
	}
	var ports []string
	for _, l := range strings.Split(c.YAML, "\n") {
		if strings.HasPrefix(l, "      - {network: ") {
			ports = append(ports, l)
		}
	}
	if len(ports) != 5 || !strings.Contains(ports[4], "{network: trunk5,") || !strings.Contains(ports[0], "{network: wan-wire,") {
		t.Fatalf("router ports:\n%s", strings.Join(ports, "\n"))
	}
	for _, want := range []string{"{name: lan2, subnet: 10.50.0.0/24, trunk: trunk5, vlan: 50}", "{name: wan, subnet: 198.51.100.0/24, trunk: wan-wire, vlan: 100}"} {
		if !strings.Contains(c.YAML, want) {
			t.Errorf("the lab lacks %s:\n%s", want, c.YAML)
		}
	}
}

// A bridge per VLAN (a 6.49 ISP core's export: each customer bridge's one
// port is a VLAN interface on ether5) is reached by a lab host tagged in
// that VLAN on ether5; it was reported as having no port a lab host can
// reach, and not probed. The case loads.
func TestImportBridgePerVLAN(t *testing.T) {
	rsc := `# mar/02/2023 11:27:56 by RouterOS 6.49.7
/interface bridge
add name=bridge-pb
add name=bridge-cctv
/interface vlan
add interface=ether5 name=vlan-pb-600 vlan-id=600
add interface=ether5 name=vlan-cctv-300 vlan-id=300
add interface=ether1 name=vlan-wan-7 vlan-id=7
/interface bridge port
add bridge=bridge-pb interface=vlan-pb-600
add bridge=bridge-cctv interface=vlan-cctv-300
/ip address
add address=10.60.0.1/24 interface=bridge-pb network=10.60.0.0
add address=10.30.0.1/24 interface=bridge-cctv network=10.30.0.0
/ip dhcp-client
add disabled=no interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
`
	f, err := export.Read("core.rsc", []byte(rsc))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Import(f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"bridge-pb": 600, "bridge-cctv": 300}
	for _, s := range p.Segments {
		if v, ok := want[s.Interface]; !ok || s.Port != "ether5" || !s.Tagged || s.VLAN != v {
			t.Errorf("segment %+v, want tagged in VLAN %d on ether5", s, v)
		}
	}
	c, err := p.Case(p.Propose(nil))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "case.yaml")
	if err := os.WriteFile(file, []byte(c.YAML), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := scenario.Read(file); err != nil {
		t.Fatalf("the case does not load: %v\n%s", err, c.YAML)
	}
	if !strings.Contains(c.YAML, "vlan: 600") {
		t.Errorf("no VLAN 600 host:\n%s", c.YAML)
	}
}
