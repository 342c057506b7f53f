package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/scenario"
)

// TestLabServiceWarningsTie: a 6.48 router with no input filter, a PPPoE
// WAN and a DHCP client's default route of the same distance. In the lab
// the router's answers to the peer left by the DHCP WAN with the PPPoE
// address and the ISP there dropped them as spoofed: WinBox, SSH and
// WebFig read "filtered" and the check warned of nothing, while offline
// said they would be open (realcheck20 D7). The lab's warnings now keep
// the prediction and say why the lab could not show it. The control: the
// same router with the DHCP client disabled (one default route) adds
// nothing to the lab's own warnings.
func TestLabServiceWarningsTie(t *testing.T) {
	const export = `# dec/10/2024 16:37:35 by RouterOS 6.48.4
/interface pppoe-client
add add-default-route=yes disabled=no interface=ether1 name=pppoe-out1 user=u password=p
/ip address
add address=10.110.0.1/24 interface=ether3
/ip dhcp-client
add disabled=%s interface=ether2
/ip firewall nat
add action=masquerade chain=srcnat out-interface=pppoe-out1
`
	dir := t.TempDir()
	run := filepath.Join(dir, "run")
	if err := os.MkdirAll(run, 0o755); err != nil {
		t.Fatal(err)
	}
	// As the run saves it: isp2's anti-spoofing rule with what it dropped.
	nft := `table ip chrlab-access {
	chain antispoof {
		type filter hook prerouting priority raw; policy accept;
		iifname "eth0" ip saddr != { 0.0.0.0, 198.18.100.0/24 } counter packets 12 bytes 720 drop comment "anti-spoofing: source not given to the customer on 198.18.100.0/24"
	}
}
`
	if err := os.WriteFile(filepath.Join(run, "access-isp2.nft"), []byte(nft), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		disabled string
		want     bool
	}{{"no", true}, {"yes", false}} {
		p := loadText(t, strings.Replace(export, "%s", tt.disabled, 1))
		if len(p.OfflineServiceWarnings()) == 0 {
			t.Fatalf("disabled=%s: no offline prediction", tt.disabled)
		}
		found, _ := p.Diagnose()
		c, err := p.Case(p.Propose(found))
		if err != nil {
			t.Fatal(err)
		}
		steps := make([]scenario.StepResult, len(c.Steps))
		for i, k := range c.Steps {
			if k < 0 {
				continue
			}
			if pr := c.Probes[k]; pr.Kind == "port" {
				steps[i].Seen = scenario.Observation{Result: "filtered"}
			} else {
				steps[i].Seen = scenario.Observation{Result: "ok", ServerName: "router"}
			}
		}
		outs := c.Outcomes(steps)
		got := strings.Join(p.LabServiceWarnings(outs, dir), "\n")
		has := strings.Contains(got, "the router's WinBox (8291) would be open to the internet") &&
			strings.Contains(got, "the lab router's answers left by ether2 with pppoe-out1's address, where the lab's ISP dropped 12 packet(s) as spoofed")
		if has != tt.want {
			t.Errorf("disabled=%s: warnings %q, want the tie's: %v", tt.disabled, got, tt.want)
		}
	}
}
