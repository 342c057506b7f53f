package check

import (
	"slices"
	"strings"
	"testing"
)

// A 6.x forward written with no destination and the LAN kept off it by a
// negated source (src-address=!192.168.88.0/24, or a negated list of the
// LAN subnets) works from the internet, but keeps the LAN's clients off
// the public address as well. The path failed with "no problem found"
// (exit 0); now the negated source is named, and the fix drops it for
// method 4 and adds the hairpin.
func TestNegatedSourceKeepsTheLANOff(t *testing.T) {
	const text = `# dec/01/2026 18:40:02 by RouterOS 6.45.9
` + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
/ip dhcp-client
add disabled=no interface=ether1
/ip firewall address-list
add address=192.168.88.0/24 list=LAN-nets
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-port=3389 protocol=tcp %SRC% to-addresses=192.168.88.68
`
	for _, src := range []string{"src-address=!192.168.88.0/24", "src-address-list=!LAN-nets"} {
		p := importText(t, strings.Replace(text, "%SRC%", src, 1))
		found, _ := p.Diagnose()
		if !slices.ContainsFunc(found, func(f Finding) bool {
			return f.Cause == SourceExcluded && f.Path == "hairpin:bridge" && f.Line == 20
		}) {
			t.Errorf("%s: the negated source not named: %+v", src, found)
		}
		if slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == SourceExcluded && f.Path == "internet" }) {
			t.Errorf("%s: the internet path is not excluded: %+v", src, found)
		}
		k, _, _ := strings.Cut(src, "=")
		lines := p.Propose(found).Lines
		if !slices.ContainsFunc(lines, func(l string) bool {
			return strings.HasPrefix(l, "/ip firewall nat set ") && strings.HasSuffix(l, " !"+k+" dst-address-type=local dst-address-list=!hairpin-lan")
		}) || !slices.ContainsFunc(lines, func(l string) bool {
			return strings.Contains(l, "action=masquerade src-address=192.168.88.0/24 dst-address=192.168.88.68")
		}) {
			t.Errorf("%s: fix %q", src, lines)
		}
	}
}
