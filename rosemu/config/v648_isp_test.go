package config

import (
	"context"
	"testing"
)

// Lines of 6.48 ISP exports: SNMP's src-address (7 only before), and a
// disabled DHCP client sharing its interface with an enabled one; two
// enabled clients on one interface stay refused.
func TestV648ISPLines(t *testing.T) {
	r := New(Options{Ports: ports, Version: "6.48.3"})
	run(t, r, "/snmp set contact=noc enabled=yes src-address=192.0.2.9 trap-version=2\n"+
		"/ip dhcp-client\nadd disabled=yes interface=ether2\nadd disabled=no interface=ether2")
	if _, err := r.Run(context.Background(), "/ip dhcp-client add disabled=no interface=ether2"); err == nil {
		t.Error("a second enabled client on ether2 was taken")
	}
}
