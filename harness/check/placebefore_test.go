package check

import (
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/export"
)

// placeBeforeWG is forum45's check-placebefore mini: the WireGuard accept
// is added after the drop, with place-before=1, which puts it above it.
const placeBeforeWG = `# 2025-03-02 12:00:00 by RouterOS 7.16.2
/interface bridge
add name=bridge
/interface bridge port
add bridge=bridge interface=ether2
/interface list
add name=WAN
add name=LAN
/interface list member
add interface=bridge list=LAN
add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge
add address=203.0.113.2/24 interface=ether1
/ip route
add gateway=203.0.113.1
/interface wireguard
add listen-port=13231 name=wireguard1 private-key="wN0KjS+8o9AuEOaligScA9gq9+y4yrReYGLIeAoVkXA="
/interface wireguard peers
add allowed-address=10.66.0.2/32 interface=wireguard1 public-key="XUbJDUEcpQrWqm/EO0NTEfZm0iFMp86rGjAHOqcIsG0="
/ip address
add address=10.66.0.1/24 interface=wireguard1
/ip firewall filter
add action=accept chain=input connection-state=established,related,untracked
add action=drop chain=input comment="drop not LAN" in-interface-list=!LAN
add action=accept chain=input comment="allow wireguard" dst-port=13231 protocol=udp PLACE
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
`

// TestPlaceBeforeAccept (forum45 D5): an accept added with place-before=1
// or place-before=[ find comment="drop not LAN" ] sits above the drop, so
// the WireGuard port is no finding; the same accept without place-before
// (control) is below the drop: the finding and its move fix stay.
func TestPlaceBeforeAccept(t *testing.T) {
	vpn := func(place string) []Finding {
		p := loadText(t, strings.Replace(placeBeforeWG, "PLACE", place, 1))
		found, _ := p.Diagnose()
		var out []Finding
		for _, f := range found {
			if f.Cause == VPNInputDrops {
				out = append(out, f)
			}
		}
		return out
	}
	for _, place := range []string{"place-before=1", `place-before=[ find comment="drop not LAN" ]`, `place-before=[find where comment="drop not LAN"]`} {
		if got := vpn(place); len(got) != 0 {
			t.Errorf("%s: the accept is above the drop, got %v", place, got)
		}
	}
	got := vpn("")
	if len(got) != 1 || !strings.Contains(got[0].Detail, "the accept at line 26 comes after the drop") {
		t.Errorf("without place-before: %v, want the drop's finding naming line 26 below it", got)
	}
}

// TestRouterOrder: place-before by number and by find; a find that names
// two items, or a number past the end, leaves the add at the end.
func TestRouterOrder(t *testing.T) {
	text := "/ip firewall filter\nadd chain=input action=accept comment=a\nadd chain=input action=drop comment=b\n" +
		"add chain=forward action=drop comment=c\nadd chain=input action=accept comment=d place-before=1\n" +
		"add chain=input action=accept comment=e place-before=[ find action=drop ]\nadd chain=input action=accept comment=f place-before=9\n" +
		"add chain=input action=accept comment=g place-before=[ find comment=a ]\n"
	f, err := export.Read("x.rsc", []byte("# by RouterOS 7.16.2\n"+text))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range routerOrder(f) {
		if c.MenuPath() == "ip firewall filter" {
			got = append(got, c.Value("comment"))
		}
	}
	if strings.Join(got, "") != "gadbcef" {
		t.Errorf("order %v, want g a d b c e f", got)
	}
}
