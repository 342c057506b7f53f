package check

import (
	"fmt"
	"strings"
	"testing"
)

// TestLargeAddressListImports: an export with 60 000 address-list entries
// (a blocklist) imports, and its forward is still found. The lab-ready
// rendering looked for a PPP client's profile on every line of the export
// for every line, so 100 000 entries took 75 s of a user's `check
// --offline` and 60 000 some 25 s; BenchmarkLargeAddressListImport (make
// bench) keeps the time, a unit test on a shared machine cannot.
func TestLargeAddressListImports(t *testing.T) {
	p := importNamed(t, "blocklist.rsc", blocklistExport(60000))
	p.Diagnose()
	if len(p.Forwards) != 1 {
		t.Errorf("forwards %v", p.Forwards)
	}
}

// BenchmarkLargeAddressListImport is check --offline's import and
// diagnosis of an export with 60 000 address-list entries: seconds, not
// the 25 s of the quadratic rendering it once had.
func BenchmarkLargeAddressListImport(b *testing.B) {
	data := blocklistExport(60000)
	for b.Loop() {
		p := importNamed(b, "blocklist.rsc", data)
		p.Diagnose()
	}
}

// blocklistExport is a defconf-shaped export with n address-list entries
// and one forward.
func blocklistExport(n int) []byte {
	var b strings.Builder
	b.WriteString(`# 2024-11-03 14:22:10 by RouterOS 7.16.1
/interface bridge
add name=bridge
/interface list
add name=WAN
add name=LAN
/interface bridge port
add bridge=bridge interface=ether2
/interface list member
add interface=bridge list=LAN
add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
/ip dhcp-client
add interface=ether1
/ip firewall address-list
`)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "add address=10.%d.%d.%d list=blocked\n", i>>16&255, i>>8&255, i&255)
	}
	b.WriteString(`/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-address-type=local dst-address=!192.168.88.1 dst-port=443 protocol=tcp to-addresses=192.168.88.10
`)
	return []byte(b.String())
}
