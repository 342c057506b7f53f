package dhcp

import (
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/insomniacslk/dhcp/dhcpv4"
	"github.com/insomniacslk/dhcp/dhcpv4/nclient4"
)

func ack(t *testing.T, mods ...dhcpv4.Modifier) *nclient4.Lease {
	t.Helper()
	m, err := dhcpv4.New(append([]dhcpv4.Modifier{
		dhcpv4.WithMessageType(dhcpv4.MessageTypeAck),
		dhcpv4.WithYourIP(net.IPv4(203, 0, 113, 2)),
		dhcpv4.WithOption(dhcpv4.OptServerIdentifier(net.IPv4(203, 0, 113, 1))),
		dhcpv4.WithNetmask(net.CIDRMask(24, 32)),
		dhcpv4.WithLeaseTime(400),
	}, mods...)...)
	if err != nil {
		t.Fatal(err)
	}
	return &nclient4.Lease{ACK: m, Offer: m, CreationTime: time.Unix(1000, 0)}
}

func TestEngineLease(t *testing.T) {
	l := ack(t,
		dhcpv4.WithOption(dhcpv4.OptRouter(net.IPv4(203, 0, 113, 1))),
		dhcpv4.WithOption(dhcpv4.OptDNS(net.IPv4(198, 51, 100, 53), net.IPv4(198, 51, 100, 54))),
		dhcpv4.WithOption(dhcpv4.OptClasslessStaticRoute(&dhcpv4.Route{
			Dest: &net.IPNet{IP: net.IPv4(10, 0, 0, 0), Mask: net.CIDRMask(8, 32)}, Router: net.IPv4(203, 0, 113, 254),
		})),
		dhcpv4.WithGeneric(dhcpv4.OptionVendorSpecificInformation, []byte{1, 2}),
	)
	got := engineLease(l)
	if got.Address != netip.MustParsePrefix("203.0.113.2/24") || got.Gateway.String() != "203.0.113.1" || got.Server.String() != "203.0.113.1" ||
		len(got.DNS) != 2 || got.DNS[1].String() != "198.51.100.54" || !got.Expires.Equal(time.Unix(1400, 0)) {
		t.Errorf("lease = %+v", got)
	}
	if len(got.Routes) != 1 || got.Routes[0].Dst.String() != "10.0.0.0/8" || got.Routes[0].Gateway.String() != "203.0.113.254" {
		t.Errorf("routes = %+v", got.Routes)
	}
	t1, t2, exp := leaseTimes(l)
	if !t1.Equal(time.Unix(1200, 0)) || !t2.Equal(time.Unix(1350, 0)) || !exp.Equal(time.Unix(1400, 0)) {
		t.Errorf("times = %v %v %v", t1, t2, exp)
	}
	vars := scriptVars("ether1", l, true)
	for k, want := range map[string]string{"bound": "1", "lease-address": "203.0.113.2", "server-address": "203.0.113.1", "gateway-address": "203.0.113.1", "interface": "ether1", "vendor-specific": "0102"} {
		if got := vars[k].String(); got != want {
			t.Errorf("$%s = %q, want %q", k, got, want)
		}
	}
	if opts := vars["lease-options"].Arr; opts == nil || opts.Keys["3"].String() != "cb007101" || opts.Keys["1"].String() != "ffffff00" {
		t.Errorf("lease-options = %v", vars["lease-options"])
	}
	if scriptVars("ether1", l, false)["bound"].String() != "0" {
		t.Error("bound=0 not set on loss")
	}
}

func TestLeaseTimesFromOptions(t *testing.T) {
	l := ack(t, dhcpv4.WithOption(dhcpv4.OptRenewTimeValue(100*time.Second)), dhcpv4.WithOption(dhcpv4.OptRebindingTimeValue(300*time.Second)))
	t1, t2, _ := leaseTimes(l)
	if !t1.Equal(time.Unix(1100, 0)) || !t2.Equal(time.Unix(1300, 0)) {
		t.Errorf("T1 %v T2 %v", t1, t2)
	}
}
