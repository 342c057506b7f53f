package check

import (
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/export"
)

// TestTunnelSegmentNote: a WireGuard interface's address is a segment
// with no port; its note said "no port a lab host can reach it on
// (untagged, or tagged on a trunk)", the words for a VLAN no port
// carries (realcheck20 D12). It now says it is a tunnel whose peers are
// not in the lab. The control: a VLAN on no port keeps its words.
func TestTunnelSegmentNote(t *testing.T) {
	p := loadText(t, `# 2025-01-01 by RouterOS 7.22.1
/interface wireguard
add listen-port=13231 name=wg-s2s
/interface vlan
add interface=wg-s2s name=vlan77 vlan-id=77
/ip address
add address=192.168.88.1/24 interface=ether2
add address=10.255.255.2/30 interface=wg-s2s
add address=10.77.0.1/24 interface=vlan77
add address=203.0.113.2/24 interface=ether1
`+wanRouteMasq)
	notes := strings.Join(p.Notes, "\n")
	if !strings.Contains(notes, "LAN segment wg-s2s (10.255.255.2/30) is a WireGuard tunnel interface: its peers are not in the lab") {
		t.Errorf("no tunnel note:\n%s", notes)
	}
	if strings.Contains(notes, "wg-s2s (10.255.255.2/30) has no port") {
		t.Errorf("the tunnel noted as a port-less VLAN:\n%s", notes)
	}
	for _, s := range p.Segments {
		if s.Interface == "wg-s2s" && !strings.Contains(s.hostPlace(), "WireGuard tunnel interface") {
			t.Errorf("wg-s2s listed as %q", s.hostPlace())
		}
	}
	if !strings.Contains(notes, "LAN segment vlan77 (10.77.0.1/24) has no port a lab host can reach it on") {
		t.Errorf("control: the VLAN's note changed:\n%s", notes)
	}
}

// TestRoutedNoteSubnetOnce: two addresses of one /23 on one bridge are
// one network in the routed-network note; it read "192.168.0.0/23,
// 192.168.0.0/23" (realcheck20 D12, a core router's hand-written config).
func TestRoutedNoteSubnetOnce(t *testing.T) {
	p := loadText(t, `# by RouterOS 7.16
/interface bridge
add name=bridgeMain
/interface bridge port
add bridge=bridgeMain interface=ether2
add bridge=bridgeMain interface=ether4
/ip address
add address=192.168.0.252/23 interface=bridgeMain
add address=192.168.0.10/23 interface=bridgeMain
add address=192.168.3.1/24 interface=ether3
add address=10.0.0.2/30 interface=ether1
/ip route
add dst-address=172.16.1.0/24 gateway=192.168.0.3
add gateway=10.0.0.1
`)
	var note string
	for _, n := range p.Notes {
		if strings.Contains(n, "leave untranslated by design") {
			note = n
		}
	}
	if note == "" {
		t.Fatalf("no routed-network note: %q", p.Notes)
	}
	if strings.Count(note, "192.168.0.0/23") != 1 || !strings.Contains(note, "192.168.3.0/24") {
		t.Errorf("routed note: %s", note)
	}
}

// TestUnreadableLineRefused: a line that cannot be read (a console
// prompt copied with the export) was listed under "set aside (N lines a
// lab router cannot have)" and under the menu of the line before it,
// while validate calls it refused (realcheck20 D12). It is now among
// the refused lines, under no menu.
func TestUnreadableLineRefused(t *testing.T) {
	f, err := export.ReadLenient("prompt.rsc", []byte(`# by RouterOS 6.49.13
/ip address
add address=192.168.88.1/24 interface=ether2
add address=203.0.113.2/24 interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
/ip route
add gateway=203.0.113.1
/system logging
add topics=debug
[admin@router] > 
`))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Import(f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	p.Summary(&b)
	out := b.String()
	if strings.Contains(out, "/system logging: ") && strings.Contains(out, "cannot be read") {
		t.Errorf("the unreadable line listed under the line before's menu:\n%s", out)
	}
	_, refused, _ := strings.Cut(out, "refused, left out (1 line the lab router refuses):\n")
	if !strings.HasPrefix(refused, "  line 11: refused, as RouterOS refuses it: the line cannot be read: ") {
		t.Errorf("the unreadable line is not among the refused:\n%s", out)
	}
	if strings.Contains(out, "set aside (") {
		t.Errorf("listed as hardware:\n%s", out)
	}
}
