package lab

import (
	"net/netip"
	"strings"
	"testing"
)

// A named port is renamed before any configuration, the configuration's
// default-name of it reads as the lab port's own, and probes and steps
// that name it reach the lab port; an unnamed lab changes nothing.
func TestPortNames(t *testing.T) {
	src := strings.Replace(valid, "{network: wan, address: 203.0.113.2}", "{network: wan, address: 203.0.113.2, name: sfp-sfpplus1}", 1)
	s, err := Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s.PortPrelude(), "/interface ethernet set [ find default-name=ether1 ] name=sfp-sfpplus1\n"; got != want {
		t.Errorf("PortPrelude = %q, want %q", got, want)
	}
	rsc := "/interface ethernet\nset [ find default-name=sfp-sfpplus1 ] name=WAN\nset [ find default-name=\"sfp-sfpplus1\" ] comment=x\nset [ find default-name=sfp-sfpplus10 ] name=other\n/ip address add address=203.0.113.2/24 interface=sfp-sfpplus1\n"
	want := "/interface ethernet\nset [ find default-name=ether1 ] name=WAN\nset [ find default-name=\"ether1\" ] comment=x\nset [ find default-name=sfp-sfpplus10 ] name=other\n/ip address add address=203.0.113.2/24 interface=sfp-sfpplus1\n"
	if got := string(s.PortDefaults([]byte(rsc))); got != want {
		t.Errorf("PortDefaults:\n%s\nwant:\n%s", got, want)
	}
	if got, ok := s.RouterIface("sfp-sfpplus1", netip.Addr{}); !ok || got != "ether1" {
		t.Errorf("RouterIface(sfp-sfpplus1) = %q, %v; want ether1", got, ok)
	}
	// The control: the same lab without the name.
	plain, err := Parse("t.yaml", []byte(valid))
	if err != nil {
		t.Fatal(err)
	}
	if plain.PortPrelude() != "" || string(plain.PortDefaults([]byte(rsc))) != rsc {
		t.Errorf("a lab without port names changed the configuration")
	}
}
