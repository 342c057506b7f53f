package check

import (
	"context"
	"os"
	"strings"
	"testing"
)

// An export writes /ppp profile after the PPPoE client that names it: the
// lab-ready configuration puts the profile first, once, so that the lab
// router takes the client (and the interface list member that names it).
func TestPPPProfileBeforeItsClient(t *testing.T) {
	data, err := os.ReadFile("testdata/pppoe-profile-on-up.rsc")
	if err != nil {
		t.Fatal(err)
	}
	p := importText(t, string(data))
	prof := strings.Index(p.RSC, "/ppp profile add name=wan-up")
	client := strings.Index(p.RSC, "/interface pppoe-client add")
	if prof < 0 || client < 0 || prof > client || strings.Count(p.RSC, "/ppp profile add name=wan-up") != 1 {
		t.Fatalf("profile at %d, client at %d:\n%s", prof, client, p.RSC)
	}
	p.Refusals(context.Background())
	if len(p.Aside) != 0 {
		t.Errorf("set aside: %+v", p.Aside)
	}
	if p.ExportLine(strings.Count(p.RSC[:prof], "\n")+1) != 13 {
		t.Errorf("the profile's line does not map to the export's line 13")
	}
}

// TestExportLineAfterABlock: a script's block written over several lines
// keeps every later line mapped to its own line of the export; a refusal
// below one was named four lines off, on the wrong menu.
func TestExportLineAfterABlock(t *testing.T) {
	text := "# by RouterOS 7.16\n" + etherLists + `:foreach w in={"wlan1"; "wlan2"} do={
  :if ([:len [/interface find where name=$w]] > 0) do={
    :log info $w
  }
}
/ip address
add address=192.168.20.1/24 interface=ether2
`
	p := loadText(t, text)
	lines := strings.Split(p.RSC, "\n")
	for i, l := range lines {
		if strings.Contains(l, "192.168.20.1/24") {
			if got, want := p.ExportLine(i+1), 14; got != want {
				t.Fatalf("rendered line %d maps to export line %d, want %d:\n%s", i+1, got, want, p.RSC)
			}
			return
		}
	}
	t.Fatalf("the address is not rendered:\n%s", p.RSC)
}

// D1: a `set [ find default-name=… ]` line that holds only a hardware
// setting is still written as the rename of the port, so the bridge-port
// line naming the port by its export name is taken by the lab router.
// Control: the same export with another setting on the line.
func TestHardwareOnlyLineKeepsRename(t *testing.T) {
	const hw = `# 2024-10-28 12:28:48 by RouterOS 7.16.1
# model = RB5009UG+S+
/interface bridge
add name=bridge
/interface ethernet
set [ find default-name=sfp-sfpplus1 ] sfp-shutdown-temperature=100C%s
/interface bridge port
add bridge=bridge interface=ether2
add bridge=bridge interface=sfp-sfpplus1
/ip address
add address=192.168.88.1/24 interface=bridge
/ip dhcp-client
add interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
`
	for _, extra := range []string{"", " comment=x"} {
		p := importText(t, strings.Replace(hw, "%s", extra, 1))
		if !strings.Contains(p.RSC, "name=sfp-sfpplus1") {
			t.Errorf("extra %q: the port's rename is not written:\n%s", extra, p.RSC)
		}
		p.Refusals(context.Background())
		for _, a := range p.Aside {
			if a.Line == 9 {
				t.Errorf("extra %q: the bridge-port line is set aside: %+v", extra, a)
			}
		}
	}
}
