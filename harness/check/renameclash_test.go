package check

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/config"
)

// renameSwap is realcheck21's m8 (D9): ether1 and ether2 swap names, the
// DHCP client names "ether1" (physical ether2) and the bridge "ether2"
// (physical ether1).
const renameSwap = `# by RouterOS 7.16
/interface bridge
add name=bridge1
/interface ethernet
set [ find default-name=ether1 ] name=ether2
set [ find default-name=ether2 ] name=ether1
/interface bridge port
add bridge=bridge1 interface=ether2
/ip address
add address=192.168.10.1/24 interface=bridge1 network=192.168.10.0
/ip dhcp-client
add interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
`

// renameShift is realcheck21's m7: ether1 is named ether2, ether2 ether3,
// ether5 ether1_CTRL; the lab fills ether3 and ether4, which the export
// never names.
const renameShift = `# by RouterOS 7.18.1
/interface bridge
add name=bridge1
/interface ethernet
set [ find default-name=ether5 ] name=ether1_CTRL
set [ find default-name=ether1 ] name=ether2
set [ find default-name=ether2 ] name=ether3
/interface bridge port
add bridge=bridge1 interface=ether2
/ip address
add address=192.168.10.1/24 interface=bridge1 network=192.168.10.0
/ip dhcp-client
add interface=ether1_CTRL
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1_CTRL
/ip firewall filter
add action=drop chain=input in-interface=ether1_CTRL
`

// labState applies the plan's lab configuration to a lab router with the
// plan's ports, as the lab does, and returns what it refused and its state.
func labState(t *testing.T, p *Plan) ([]string, *config.Router) {
	t.Helper()
	var ports []string
	for i := 1; i <= p.PortCount(); i++ {
		ports = append(ports, fmt.Sprintf("ether%d", i))
	}
	r := config.New(config.Options{Ports: ports, DefaultDHCPClient: true, Version: p.LabVersion()})
	v := r.Validate(context.Background(), p.RSC, 2*time.Second)
	var refused []string
	for _, f := range v.Findings {
		if f.Verdict == config.Refused {
			refused = append(refused, fmt.Sprintf("%d: %s", p.ExportLine(f.Line), f.Msg))
		}
	}
	if len(refused) > 0 {
		return refused, nil
	}
	r = config.New(config.Options{Ports: ports, DefaultDHCPClient: true, Version: p.LabVersion()})
	if _, err := r.Run(context.Background(), p.RSC); err != nil {
		t.Fatalf("the lab router refuses the configuration: %v", err)
	}
	return nil, r
}

// TestRenameSwapInLab (D9): the swap's renames are kept in the lab, which
// applies them through temporary names, so the bridge holds physical
// ether1 (where the lab puts the LAN host, the export's "ether2") and the
// DHCP client runs on physical ether2 (where the lab puts the ISP). Before,
// both renames were refused and left out: the ISP on physical ether2 and
// the DHCP client on physical ether1 ("router has no address on ether1
// after 30s").
func TestRenameSwapInLab(t *testing.T) {
	p := loadText(t, renameSwap)
	p.Refusals(context.Background())
	for _, a := range p.Aside {
		if strings.Contains(a.Reason, "already have interface") {
			t.Errorf("line %d left out: %s", a.Line, a.Reason)
		}
	}
	if pt := p.port("ether2"); pt == nil || pt.Lab != "ether1" {
		t.Fatalf("the export's ether2 is on lab port %+v, want ether1", pt)
	}
	refused, r := labState(t, p)
	if len(refused) > 0 {
		t.Fatalf("the lab router refuses %q\n%s", refused, p.RSC)
	}
	st := r.State()
	if len(st.Bridges) != 1 || len(st.Bridges[0].Ports) != 1 || st.Bridges[0].Ports[0].Interface != "ether1" {
		t.Errorf("bridge ports in the kernel = %+v, want physical ether1", st.Bridges)
	}
	if cs := r.DHCPClients(); len(cs) != 1 || cs[0].Interface != "ether2" {
		t.Errorf("DHCP client on %+v, want physical ether2", cs)
	}
	if !strings.Contains(strings.Join(p.Notes, "\n"), "line 5 gives a port a name another port still holds") {
		t.Errorf("no note on line 5's rename:\n%s", strings.Join(p.Notes, "\n"))
	}
}

// TestRenameShiftInLab: the shift's renames apply; the lab's filler port
// ether3 (no port of the export's) gives up its name to physical ether2.
func TestRenameShiftInLab(t *testing.T) {
	p := loadText(t, renameShift)
	refused, r := labState(t, p)
	if len(refused) > 0 {
		t.Fatalf("the lab router refuses %q\n%s", refused, p.RSC)
	}
	st := r.State()
	if len(st.Bridges) != 1 || len(st.Bridges[0].Ports) != 1 || st.Bridges[0].Ports[0].Interface != "ether1" {
		t.Errorf("bridge ports in the kernel = %+v, want physical ether1", st.Bridges)
	}
	if cs := r.DHCPClients(); len(cs) != 1 || cs[0].Interface != "ether5" {
		t.Errorf("DHCP client on %+v, want physical ether5", cs)
	}
	if !strings.Contains(strings.Join(p.Notes, "\n"), "lines 6, 7 give a port a name") {
		t.Errorf("no note on lines 6 and 7:\n%s", strings.Join(p.Notes, "\n"))
	}
}

// TestRenameTakenNameStaysRefused: control. A rename onto the name of a
// port the export names and never renames (ether3 keeps its name and gets
// a comment: a router cannot have two ether3) is refused by the lab
// router, as RouterOS refuses it: no temporary name for ether3 and no note
// for that line (line 7's rename onto ether2 still applies).
func TestRenameTakenNameStaysRefused(t *testing.T) {
	text := strings.Replace(renameShift, "set [ find default-name=ether5 ]", "set [ find default-name=ether3 ] comment=uplink\nset [ find default-name=ether5 ]", 1)
	p := loadText(t, text)
	if strings.Contains(p.RSC, "chrlab-rename-ether3") {
		t.Errorf("a temporary name for a port the export keeps:\n%s", p.RSC)
	}
	refused, _ := labState(t, p)
	if len(refused) != 1 || !strings.HasPrefix(refused[0], "8: ") || !strings.Contains(refused[0], "already have interface with such name") {
		t.Errorf("refused = %q, want line 8's rename", refused)
	}
	if notes := strings.Join(p.Notes, "\n"); strings.Contains(notes, "line 8") || !strings.Contains(notes, "line 7 gives a port a name") {
		t.Errorf("a note for line 8:\n%s", strings.Join(p.Notes, "\n"))
	}
}
