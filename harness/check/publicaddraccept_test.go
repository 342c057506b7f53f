package check

import (
	"strings"
	"testing"
)

// A forward accept written with the public address (dst-address=<WAN>)
// never matches: the forward chain sees the server's address after
// dstnat. The diagnosis names that accept beside the drop below it; an
// accept with the server's address gets no such finding.
func TestFilterPublicAddr(t *testing.T) {
	text := `# 2025-03-10 10:00:00 by RouterOS 6.49.10
/ip address
add address=198.51.100.2/30 interface=ether1 network=198.51.100.0
add address=192.168.1.1/24 interface=ether2 network=192.168.1.0
/ip route
add gateway=198.51.100.1
/ip firewall filter
add action=accept chain=forward connection-state=established,related
add action=accept chain=forward dst-address=198.51.100.2 dst-port=80 protocol=tcp
add action=drop chain=forward in-interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
add action=dst-nat chain=dstnat dst-address=198.51.100.2 dst-port=80 protocol=tcp to-addresses=192.168.1.10
`
	find := func(text string) *Finding {
		p := importText(t, text)
		found, _ := p.Diagnose()
		for _, f := range found {
			if f.Cause == FilterPublicAddr && f.Path == "internet" {
				return &f
			}
		}
		return nil
	}
	if f := find(text); f == nil || f.Line != 9 {
		t.Fatalf("finding: %+v", f)
	}
	if f := find(strings.Replace(text, "dst-address=198.51.100.2 dst-port=80 protocol=tcp\nadd action=drop", "dst-address=192.168.1.10 dst-port=80 protocol=tcp\nadd action=drop", 1)); f != nil {
		t.Errorf("accept on the server's address: %+v", f)
	}
}
