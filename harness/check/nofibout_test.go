package check

import (
	"slices"
	"strings"
	"testing"
)

// forum46 N1: a v7 export whose only policy routing sends one LAN host to
// the second ISP through a routing table added without fib: RouterOS
// installs none of the table's routes, so the host leaves by the main
// route. With no forward the check read "no problem found"; the finding
// now stands on the router with the fib fix. Control: the same table with
// fib has no finding.
func TestNoFIBOutbound(t *testing.T) {
	const text = `# 2024-05-01 10:00:00 by RouterOS 7.14.3
/interface list
add name=WAN
add name=LAN
/interface list member
add interface=ether1 list=WAN
add interface=ether3 list=WAN
add interface=ether2 list=LAN
/routing table
add name=to-isp2
/ip address
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
add address=198.18.0.2/24 interface=ether3 network=198.18.0.0
/ip firewall mangle
add action=mark-routing chain=prerouting new-routing-mark=to-isp2 passthrough=no src-address=192.168.88.23
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
/ip route
add gateway=203.0.113.1
add gateway=198.18.0.1 routing-table=to-isp2
`
	for _, c := range []struct {
		name, text string
		want       bool
	}{{"no fib", text, true}, {"fib", strings.Replace(text, "add name=to-isp2", "add fib name=to-isp2", 1), false}} {
		p := importText(t, c.text)
		found, _ := p.Diagnose()
		i := slices.IndexFunc(found, func(f Finding) bool { return f.Cause == TableNoFIBOut })
		if (i >= 0) != c.want {
			t.Fatalf("%s: no-fib finding %v, want %v: %+v", c.name, i >= 0, c.want, found)
		}
		fix := strings.Join(p.Propose(found).Lines, "\n")
		if has := strings.Contains(fix, "/routing table set [ find where name=to-isp2 ] fib"); has != c.want {
			t.Errorf("%s: fib in the fix %v, want %v:\n%s", c.name, has, c.want, fix)
		}
		if c.want && (found[i].Line != 10 || !strings.Contains(found[i].Detail, "line 16 marks for it")) {
			t.Errorf("%s: finding %+v", c.name, found[i])
		}
	}
}
