package check

import "testing"

// A port the export disables carries nothing (rosemu sets it down, as
// RouterOS does): the LAN host goes on the bridge's next port, not on the
// disabled first one. The control: enabled again (a later disabled=no),
// the first port is used.
func TestHostSkipsDisabledPort(t *testing.T) {
	const rsc = `# by RouterOS 7.16.2
/interface bridge
add name=bridge
/interface ethernet
set [ find default-name=ether2 ] disabled=yes
/interface bridge port
add bridge=bridge interface=ether2
add bridge=bridge interface=ether3
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
/ip route
add gateway=203.0.113.1
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
`
	for _, c := range []struct{ extra, want string }{{"", "ether3"}, {"/interface ethernet set [ find default-name=ether2 ] disabled=no\n", "ether2"}} {
		p := importText(t, rsc+c.extra)
		got := ""
		for _, s := range p.Segments {
			if s.Interface == "bridge" {
				got = s.Port
			}
		}
		if got != c.want {
			t.Errorf("%q: the LAN host is on %q, want %s (segments %+v)", c.extra, got, c.want, p.Segments)
		}
	}
}
