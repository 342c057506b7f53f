package config

import (
	"context"
	"strings"
	"testing"
)

// TestBridgeMoreStored: MSTP instances, static bridge hosts and MDB
// entries, RPKI servers, the IPv6 DHCP relay and bindings, L2TPv3
// secrets and SOCKS users are taken, exported, taken again and reported,
// but for the static bridge host, which is installed since f66
// (kernel.syncBridgeHosts); an MSTP instance of a missing bridge and RPKI
// on 6 are refused.
func TestBridgeMoreStored(t *testing.T) {
	src := `/interface bridge
add name=br1 protocol-mode=mstp
/interface bridge msti
add bridge=br1 identifier=1 vlan-mapping=10-20
/interface bridge host
add bridge=br1 interface=ether2 mac-address=02:00:00:00:00:09
/interface bridge mdb
add bridge=br1 group=239.1.1.1 ports=ether2 vid=10
/routing rpki
add address=192.0.2.9 group=rpki1 port=3323
/ipv6 dhcp-relay
add dhcp-server=2001:db8::53 interface=br1 name=relay6
/ipv6 dhcp-server binding
add address=2001:db8:100:1::/64 duid=0x000100011 server=d6
/ppp l2tp-secret
add address=192.0.2.0/24 secret=notreal
/ip socks users
add name=u1 password=p
`
	r := runShape(t, "7.17.2", []string{"ether1", "ether2"}, src)
	exp := body(r.Export())
	for _, want := range []string{"add bridge=br1 identifier=1 vlan-mapping=10-20", "add address=192.0.2.9 group=rpki1 port=3323", "add dhcp-server=2001:db8::53 interface=br1 name=relay6"} {
		if !strings.Contains(exp, want) {
			t.Errorf("export lacks %q:\n%s", want, exp)
		}
	}
	if got := body(runShape(t, "7.17.2", []string{"ether1", "ether2"}, exp).Export()); got != exp {
		t.Errorf("re-import:\n%s\nwant\n%s", got, exp)
	}
	n := 0
	for _, ne := range r.NotEnforced() {
		n += ne.Count
		if ne.Path == "/interface bridge host" {
			t.Errorf("the static bridge host, which is installed, is reported: %v", ne)
		}
	}
	if n < 7 {
		t.Errorf("%d reported: %v", n, r.NotEnforced())
	}
	bad := New(Options{Ports: []string{"ether1"}, Version: "7.17.2"})
	if _, err := bad.Run(context.Background(), "/interface bridge msti add bridge=nosuch identifier=1"); err == nil {
		t.Errorf("an MSTI of a missing bridge was taken")
	}
	v6 := New(Options{Ports: []string{"ether1"}, Version: "6.49.10"})
	if _, err := v6.Run(context.Background(), "/routing rpki add address=192.0.2.9"); err == nil {
		t.Errorf("6 took /routing rpki")
	}
}
