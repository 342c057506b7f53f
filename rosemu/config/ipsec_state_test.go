package config

import (
	"fmt"
	"testing"
)

// TestIPsecPoliciesState (forum34 D1, D3): an enabled tunnel policy and a
// GRE tunnel with ipsec-secret reach the kernel as policies to apply
// with no SA; a disabled policy, the default template and a GRE tunnel
// without a secret do not (controls).
func TestIPsecPoliciesState(t *testing.T) {
	r := New(Options{Ports: []string{"ether1", "ether2"}})
	run(t, r, `/ip ipsec peer add address=198.51.100.61/32 name=site2
/ip ipsec identity add peer=site2 secret=thisisnotasecurepsk
/ip ipsec policy add dst-address=10.77.0.0/24 peer=site2 src-address=192.168.88.0/24 tunnel=yes
/ip ipsec policy add dst-address=10.88.0.0/24 peer=site2 src-address=192.168.88.0/24 tunnel=yes disabled=yes
/ip ipsec policy add dst-address=10.99.0.0/24 src-address=192.168.88.0/24 protocol=tcp dst-port=80 level=use peer=site2
/interface gre add name=gre-a remote-address=198.51.100.61 local-address=203.0.113.2 ipsec-secret=k
/interface gre add name=gre-b remote-address=198.51.100.62
`)
	ps := r.State().IPsecPolicies
	var got []string
	for _, p := range ps {
		got = append(got, fmt.Sprintf("%v>%v p%d %s/%s %s %s", p.Src, p.Dst, p.Proto, p.SrcPort, p.DstPort, p.Action, p.Level))
	}
	want := []string{
		"[192.168.88.0/24]>[10.77.0.0/24] p0 / encrypt require",
		"[192.168.88.0/24]>[10.99.0.0/24] p6 /80 encrypt use",
		"[203.0.113.2/32]>[198.51.100.61/32] p47 / encrypt require",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("policies:\n got %q\nwant %q", got, want)
	}
}
