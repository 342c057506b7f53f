package check

import (
	"fmt"
	"strings"
	"testing"
)

// wan6 is a 6.34 home router's bridge LAN and static WAN, ending in the nat
// menu so that a test adds its rules.
const wan6 = "# by RouterOS 6.34.2\n" + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
/ip route
add gateway=203.0.113.1
/ip firewall nat
`

// TestOfflineHiddenClient: a masquerade with no out-interface hides the
// internet client from the server. The lab counts that internet path as
// not working (the server saw the router, not the client: MarkHidden);
// offline said "✓ works (predicted), the server sees the router", and the
// two disagreed on three forwards of a 6.34 export. The hairpin path, where
// the router is what the server is meant to see, still works.
func TestOfflineHiddenClient(t *testing.T) {
	const export = wan6 + `add action=masquerade chain=srcnat%s
add action=dst-nat chain=dstnat dst-port=5222 in-interface=ether1 protocol=tcp to-addresses=192.168.88.52
`
	check := func(export string, wantInternet bool) {
		t.Helper()
		d := importText(t, export).OfflineDocument()
		seen := map[string]bool{}
		for _, pd := range d.Forwards[0].Paths {
			if pd.Before == nil {
				t.Fatalf("path %s has no prediction", pd.Path)
			}
			seen[pd.Path] = true
			if pd.Path == "internet" && pd.Before.OK != wantInternet {
				t.Errorf("internet: %+v, want ok=%v", pd.Before, wantInternet)
			}
		}
		if !seen["internet"] {
			t.Errorf("no internet path: %+v", d.Forwards[0].Paths)
		}
	}
	check(fmt.Sprintf(export, ""), false)
	// Control: the masquerade bound to the WAN hides nobody.
	check(fmt.Sprintf(export, " out-interface=ether1"), true)
}

// TestNarrowMasqueradeBeforeHairpins: the fix binds the masquerade that
// hides internet clients to the WAN with a set whose find is the rule as
// written (action=masquerade and chain=srcnat); the fix's own hairpin
// masquerades match that find too, so the set must come before them. It
// came after, bound them to the WAN, and every hairpin of a 6.34 export
// timed out with the fix.
func TestNarrowMasqueradeBeforeHairpins(t *testing.T) {
	const export = wan6 + `add action=dst-nat chain=dstnat dst-address=203.0.113.2 dst-port=5222 protocol=tcp to-addresses=192.168.88.52
add action=dst-nat chain=dstnat dst-address=203.0.113.2 dst-port=600 protocol=tcp to-addresses=192.168.88.48 to-ports=514
add action=masquerade chain=srcnat
`
	p := importText(t, export)
	found, _ := p.Diagnose()
	fx := p.Propose(found)
	set, hairpins := -1, 0
	for i, l := range fx.Lines {
		switch {
		case strings.HasPrefix(l, "/ip firewall nat set [ find where action=masquerade and chain=srcnat ]"):
			set = i
		case strings.HasPrefix(l, "/ip firewall nat add chain=srcnat action=masquerade "):
			hairpins++
			if set < 0 {
				t.Errorf("hairpin rule %d comes before the masquerade is narrowed:\n%s", i, strings.Join(fx.Lines, "\n"))
			}
		}
	}
	if set < 0 || hairpins != 2 {
		t.Fatalf("fix (set at %d, %d hairpin rules):\n%s", set, hairpins, strings.Join(fx.Lines, "\n"))
	}
	if len(fx.Why) != len(fx.Lines) || len(fx.For) != len(fx.Lines) {
		t.Errorf("lines %d, why %d, for %d", len(fx.Lines), len(fx.Why), len(fx.For))
	}
}

// TestNoFixTakesTheRouterForAPortlessAlias: a dst-nat of a LAN address to
// another LAN host with no port (dst-address=192.168.88.104
// to-addresses=192.168.88.20) never matches the public address, but the fix
// must not move it there: without a port, dst-address-type=local (or the
// WAN's address) takes every port of the router, and a 6.34 export's
// forwards below it were refused with the fix. Since chk61 C1 such a rule
// is read as the LAN's alias, not as a broken forward: no finding, a
// note; the forward beside it is still a forward.
func TestNoFixTakesTheRouterForAPortlessAlias(t *testing.T) {
	const export = wan6 + `add action=masquerade chain=srcnat out-interface=ether1
add action=dst-nat chain=dstnat dst-address=192.168.88.104 to-addresses=192.168.88.20
add action=dst-nat chain=dstnat dst-address=203.0.113.2 dst-port=5222 protocol=tcp to-addresses=192.168.88.52
`
	p := importText(t, export)
	found, _ := p.Diagnose()
	if lan := withCause(found, LANDstAddress); len(lan) != 0 {
		t.Errorf("the alias is read as a broken forward: %v", lan)
	}
	if len(p.Forwards) != 1 || p.Forwards[0].DstPort != 5222 {
		t.Errorf("forwards: %+v", p.Forwards)
	}
	if !strings.Contains(strings.Join(p.Notes, "\n"), "makes 192.168.88.104 (on ") || !strings.Contains(strings.Join(p.Notes, "\n"), "an alias of 192.168.88.20 for every port") {
		t.Errorf("no alias note: %q", p.Notes)
	}
	for _, l := range p.Propose(found).Lines {
		if strings.Contains(l, "dst-address=192.168.88.104") || strings.Contains(l, "192.168.88.20") {
			t.Errorf("the fix rewrites the portless alias: %s", l)
		}
	}
}

// TestLANAliasControls (chk61 C1): only a portless dst-nat with no
// in-interface from a private address of a LAN subnet to a LAN host is an
// alias; the same rule with a port, or bound to the WAN, stays a forward
// and keeps its finding (a forward written with a LAN dst-address).
func TestLANAliasControls(t *testing.T) {
	const head = wan6 + `add action=masquerade chain=srcnat out-interface=ether1
`
	for _, tt := range []struct {
		name, rule string
		alias      bool
	}{
		{"alias", "add action=dst-nat chain=dstnat dst-address=192.168.88.104 to-addresses=192.168.88.20\n", true},
		{"a port (control)", "add action=dst-nat chain=dstnat dst-address=192.168.88.104 dst-port=80 protocol=tcp to-addresses=192.168.88.20\n", false},
		{"bound to the WAN (control)", "add action=dst-nat chain=dstnat dst-address=192.168.88.104 in-interface=ether1 to-addresses=192.168.88.20\n", false},
	} {
		p := importText(t, head+tt.rule)
		found, _ := p.Diagnose()
		noted := strings.Contains(strings.Join(p.Notes, "\n"), "an alias of 192.168.88.20")
		if noted != tt.alias || (len(p.Forwards) == 0) != tt.alias || (len(withCause(found, LANDstAddress)) == 0) != tt.alias {
			t.Errorf("%s: alias note %v, forwards %d, LAN dst-address findings %d; want alias %v", tt.name, noted, len(p.Forwards), len(withCause(found, LANDstAddress)), tt.alias)
		}
	}
}
