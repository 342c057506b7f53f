package agentcmd

import (
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/insomniacslk/dhcp/dhcpv6"
	"github.com/insomniacslk/dhcp/iana"
)

// TestDHCP6Answer: the ISP's server advertises its prefix to a Solicit and
// binds it on a Request or a rapid-commit Solicit; it ignores a message for
// another server, answers a Release without binding, and refuses addresses
// (the control: an IA_NA gets NoAddrsAvail, never an address).
func TestDHCP6Answer(t *testing.T) {
	s := &dhcp6Server{o: dhcp6Options{PD: netip.MustParsePrefix("3fff:200::/56"), Lease: time.Minute},
		duid: &dhcpv6.DUIDLL{HWType: iana.HWTypeEthernet, LinkLayerAddr: net.HardwareAddr{2, 0, 0, 0, 0, 1}}}
	client := &dhcpv6.DUIDLL{HWType: iana.HWTypeEthernet, LinkLayerAddr: net.HardwareAddr{2, 0, 0, 0, 0, 2}}
	msg := func(typ dhcpv6.MessageType, server dhcpv6.DUID, rapid bool) *dhcpv6.Message {
		m, _ := dhcpv6.NewMessage()
		m.MessageType = typ
		m.AddOption(dhcpv6.OptClientID(client))
		if server != nil {
			m.AddOption(dhcpv6.OptServerID(server))
		}
		m.AddOption(&dhcpv6.OptIAPD{IaId: [4]byte{1, 2, 3, 4}})
		if rapid {
			dhcpv6.WithRapidCommit(m)
		}
		return m
	}
	prefixOf := func(r *dhcpv6.Message) string {
		pd := r.Options.OneIAPD()
		if pd == nil || pd.IaId != [4]byte{1, 2, 3, 4} || len(pd.Options.Prefixes()) != 1 {
			return ""
		}
		if pd.T1 != 30*time.Second || pd.T2 != 48*time.Second {
			t.Errorf("T1 %s T2 %s", pd.T1, pd.T2)
		}
		return pd.Options.Prefixes()[0].Prefix.String()
	}
	r, bind, err := s.answer(msg(dhcpv6.MessageTypeSolicit, nil, false))
	if err != nil || r.MessageType != dhcpv6.MessageTypeAdvertise || bind || prefixOf(r) != "3fff:200::/56" {
		t.Fatalf("solicit: %v bind=%v err=%v", r, bind, err)
	}
	if !r.Options.ServerID().Equal(s.duid) {
		t.Error("advertise without the server's DUID")
	}
	r, bind, err = s.answer(msg(dhcpv6.MessageTypeSolicit, nil, true))
	if err != nil || r.MessageType != dhcpv6.MessageTypeReply || !bind || prefixOf(r) != "3fff:200::/56" || r.GetOneOption(dhcpv6.OptionRapidCommit) == nil {
		t.Errorf("rapid solicit: %v bind=%v err=%v", r, bind, err)
	}
	r, bind, err = s.answer(msg(dhcpv6.MessageTypeRequest, s.duid, false))
	if err != nil || r.MessageType != dhcpv6.MessageTypeReply || !bind || prefixOf(r) != "3fff:200::/56" {
		t.Errorf("request: %v bind=%v err=%v", r, bind, err)
	}
	other := &dhcpv6.DUIDLL{HWType: iana.HWTypeEthernet, LinkLayerAddr: net.HardwareAddr{2, 0, 0, 0, 0, 9}}
	if r, _, _ := s.answer(msg(dhcpv6.MessageTypeRequest, other, false)); r != nil {
		t.Errorf("answered a request for another server: %v", r)
	}
	r, bind, err = s.answer(msg(dhcpv6.MessageTypeRelease, s.duid, false))
	if err != nil || r.MessageType != dhcpv6.MessageTypeReply || bind {
		t.Errorf("release: %v bind=%v err=%v", r, bind, err)
	}
	na, _ := dhcpv6.NewMessage()
	na.MessageType = dhcpv6.MessageTypeSolicit
	na.AddOption(dhcpv6.OptClientID(client))
	na.AddOption(&dhcpv6.OptIANA{IaId: [4]byte{9, 9, 9, 9}})
	r, bind, err = s.answer(na)
	if err != nil || bind {
		t.Fatalf("address solicit: bind=%v err=%v", bind, err)
	}
	ia := r.Options.OneIANA()
	if ia == nil || len(ia.Options.Addresses()) != 0 || ia.Options.Status() == nil || ia.Options.Status().StatusCode != iana.StatusNoAddrsAvail {
		t.Errorf("address solicit answered %v", r)
	}
}

// TestDHCP6Flags: the flags are checked only when the service is on.
func TestDHCP6Flags(t *testing.T) {
	for _, c := range []struct {
		subnet, pd string
		lease      time.Duration
		ok         bool
	}{
		{"3fff:113::/64", "3fff:200::/56", time.Minute, true},
		{"3fff:113::/64", "3fff:200::1/56", time.Minute, false},
		{"3fff:113::/64", "3fff:200::/96", time.Minute, false},
		{"203.0.113.0/24", "3fff:200::/56", time.Minute, false},
		{"3fff:113::/64", "3fff:200::/56", time.Second, false},
	} {
		f := dhcp6Flags{subnet: c.subnet, pd: c.pd, lease: c.lease}
		if err := f.check(true); (err == nil) != c.ok {
			t.Errorf("%+v: err %v", c, err)
		}
		if err := (&dhcp6Flags{}).check(false); err != nil {
			t.Errorf("off: %v", err)
		}
	}
}
