package check

import (
	"strings"
	"testing"
)

// TestLANNamesDoNotFollowWAN (realcheck25 W2, an RB3011 defconf export
// with sixteen *.local static entries for LAN hosts): names no public DNS
// can have (.local, .lan, home.arpa, .internal) are the router's answers
// to its own clients, not its public names: the lab does not serve them
// in its public DNS and does not turn IP Cloud on for them. Before, it did
// and said "so that the export's names follow the WAN address". Control:
// the same export with one public name (www.example.org) turns IP Cloud on
// for that name only.
func TestLANNamesDoNotFollowWAN(t *testing.T) {
	const lan = `# 2025-10-01 10:00:00 by RouterOS 7.20.2
/interface bridge add name=bridge
/interface bridge port add bridge=bridge interface=ether2
/ip address add address=10.0.0.1/24 interface=bridge
/ip dhcp-client add interface=ether1
/ip dns set allow-remote-requests=yes
/ip dns static add address=10.0.0.5 name=nas.local
/ip dns static add address=10.0.0.6 name=printer.lan
/ip dns static add address=10.0.0.7 name=files.home.arpa
/ip dns static add address=10.0.0.8 name=db.corp.internal
/ip firewall nat add action=masquerade chain=srcnat out-interface=ether1
`
	for _, tc := range []struct {
		name, extra string
		follow      bool
	}{
		{"lan-only", "", false},
		{"public", "/ip dns static add address=10.0.0.9 name=www.example.org\n", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := loadText(t, lan+tc.extra)
			c, err := p.Case(Fix{})
			if err != nil {
				t.Fatal(err)
			}
			on := strings.Contains(p.RSC, "ddns-enabled=yes") || strings.Contains(strings.Join(p.Notes, "\n"), "turns IP Cloud on")
			if on != tc.follow {
				t.Errorf("IP Cloud turned on: %v, want %v\n%s\n%v", on, tc.follow, p.RSC, p.Notes)
			}
			for _, n := range []string{"nas.local", "printer.lan", "files.home.arpa", "db.corp.internal"} {
				if strings.Contains(c.YAML, "--zone, "+n) || strings.Contains(c.YAML, "--zone-follow, "+n) {
					t.Errorf("the lab's public DNS serves %s:\n%s", n, c.YAML)
				}
			}
			if tc.follow && !strings.Contains(c.YAML, "--zone-follow, www.example.org=") {
				t.Errorf("the public name does not follow the WAN:\n%s", c.YAML)
			}
		})
	}
}

// TestCouldBePublic: single labels and the private suffixes are not
// public; a name merely containing one (local.example.com, lan.net) is.
func TestCouldBePublic(t *testing.T) {
	for name, want := range map[string]bool{
		"nas.local": false, "NAS.Local.": false, "router": false, "x.home.arpa": false, "a.b.internal": false, "pc.lan": false,
		"pc.localdomain": false, "www.example.org": true, "local.example.com": true, "lan.net": true, "myhome.arpa.example": true,
	} {
		if got := couldBePublic(name); got != want {
			t.Errorf("couldBePublic(%q) = %v, want %v", name, got, want)
		}
	}
}
