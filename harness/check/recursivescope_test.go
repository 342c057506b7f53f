package check

import (
	"slices"
	"strings"
	"testing"
)

// forum46 D2: the forum's recursive failover with the host route written
// without scope=10. RouterOS never resolves gateway=8.8.8.8 through a
// scope-30 route (target-scope 10 by default), so the distance-1 route
// stays inactive and ISP2's distance-2 route carries everything. The check
// must say so, with the manual's scope=10 / target-scope=11 as the fix,
// take ether3 (ISP2) as the main line, and plan no failover test of a line
// that never comes up (the lab's failback warning blamed failback). The
// control writes the scopes as the Failover page does: no finding, ether1
// is the main line and its failover is tested.
func TestRecursiveScope(t *testing.T) {
	const text = `# 2024-05-01 10:00:00 by RouterOS 7.14.3
/interface list
add name=WAN
add name=LAN
/interface list member
add interface=ether1 list=WAN
add interface=ether3 list=WAN
add interface=ether2 list=LAN
/ip address
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
add address=198.18.0.2/24 interface=ether3 network=198.18.0.0
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
/ip route
add dst-address=8.8.8.8/32 gateway=203.0.113.1
add check-gateway=ping distance=1 gateway=8.8.8.8
add distance=2 gateway=198.18.0.1
/ip firewall nat
add action=dst-nat chain=dstnat dst-port=8080 in-interface=ether1 protocol=tcp to-addresses=192.168.88.10 to-ports=80
`
	ok := strings.Replace(strings.Replace(text, "gateway=203.0.113.1\n", "gateway=203.0.113.1 scope=10\n", 1), "gateway=8.8.8.8\n", "gateway=8.8.8.8 target-scope=11\n", 1)
	for _, c := range []struct {
		name, text string
		broken     bool
	}{{"no scope", text, true}, {"scope=10, target-scope=11", ok, false}} {
		p := importText(t, c.text)
		wanOf := func(iface string) int { return p.wanOfInterface(iface) }
		wantMain := wanOf("ether1")
		if c.broken {
			wantMain = wanOf("ether3")
		}
		if got := p.mainWAN(); got != wantMain {
			t.Errorf("%s: main WAN %d, want %d", c.name, got, wantMain)
		}
		_, _, why := p.failoverWhy()
		if tested := why == ""; tested == c.broken {
			t.Errorf("%s: failover tested %v (%q), want %v", c.name, tested, why, !c.broken)
		}
		if c.broken && !strings.Contains(why, "the default route by 8.8.8.8 (line 17) never becomes active") {
			t.Errorf("%s: why no failover test: %q", c.name, why)
		}
		found, _ := p.Diagnose()
		i := slices.IndexFunc(found, func(f Finding) bool { return f.Cause == RecursiveScope })
		if (i >= 0) != c.broken {
			t.Fatalf("%s: scope finding %v, want %v: %+v", c.name, i >= 0, c.broken, found)
		}
		fx := p.Propose(found)
		all := strings.Join(fx.Lines, "\n")
		for _, l := range []string{
			"/ip route set [ find dst-address=8.8.8.8/32 gateway=203.0.113.1 ] scope=10",
			"/ip route set [ find dst-address=0.0.0.0/0 gateway=8.8.8.8 ] target-scope=11",
		} {
			if strings.Contains(all, l) != c.broken {
				t.Errorf("%s: fix has %q: %v, want %v:\n%s", c.name, l, !c.broken, c.broken, all)
			}
		}
		if !c.broken {
			continue
		}
		if f := found[i]; f.Line != 17 || f.Path != "internet via ether1" || !strings.Contains(f.Detail, "line 16") || !strings.Contains(f.Detail, "scope is 30, above this route's target-scope 10") {
			t.Errorf("finding %+v", f)
		}
		// The forward's answers leaving by ISP2 follow from the scope,
		// which the fix corrects: no policy routing around it.
		if slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == RepliesOtherWAN }) {
			t.Errorf("answers-by-the-other-WAN finding beside the scope's: %+v", found)
		}
	}
}
