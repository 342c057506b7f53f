package check

import (
	"context"
	"strings"
	"testing"
)

// listsHome is a 7.18 router with defconf's WAN and LAN lists: ether1 the
// WAN on 203.0.113.10/24, ether2 the LAN on 192.168.88.1/24, line 12 its
// default route; the tests add their own firewall below it.
const listsHome = `# 2025-03-02 10:11:12 by RouterOS 7.18.2
/interface list
add name=WAN
add name=LAN
/interface list member
add interface=ether1 list=WAN
add interface=ether2 list=LAN
/ip address
add address=203.0.113.10/24 interface=ether1 network=203.0.113.0
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip route
add gateway=203.0.113.1
`

// A forward accept written with in-interface-list=WAn, beside the
// export's WAN list: the lab router refuses it as RouterOS does, and the
// set-aside line names the list one slip away. A list name far from every
// list the export makes (OFFICE) is refused with RouterOS's words alone.
func TestRefusedListNameHint(t *testing.T) {
	const rsc = listsHome + `/ip firewall filter
add action=accept chain=forward comment="port forwards" connection-nat-state=dstnat in-interface-list=WAn
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
`
	reasons := func(text string) []string {
		p := importText(t, text)
		p.Refusals(context.Background())
		var out []string
		for _, a := range p.Aside {
			if a.Line == 14 {
				out = append(out, a.Reason)
			}
		}
		return out
	}
	got := reasons(rsc)
	if len(got) != 1 || !strings.HasSuffix(got[0], "input does not match any value of in-interface-list; the export makes the interface list WAN, one slip from in-interface-list=WAn") {
		t.Errorf("WAn: %q", got)
	}
	got = reasons(strings.Replace(rsc, "in-interface-list=WAn", "in-interface-list=OFFICE", 1))
	if len(got) != 1 || !strings.HasSuffix(got[0], "input does not match any value of in-interface-list") {
		t.Errorf("OFFICE: %q", got)
	}
}

// oneSlip takes a change of case and one letter added, dropped or changed,
// and no more.
func TestOneSlip(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"WAN", "wan", true}, {"WAN", "WAN2", true}, {"LAN", "LAM", true}, {"LAN", "LN", false},
		{"WAN", "LAN", true}, {"WAN", "WLAN1", false}, {"guest", "guets", false}, {"dmz", "dmz-", true},
	} {
		if got := oneSlip(c.a, c.b); got != c.want {
			t.Errorf("oneSlip(%q, %q) = %v", c.a, c.b, got)
		}
	}
}
