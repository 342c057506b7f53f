package config

import (
	"strings"
	"testing"
)

// TestExportHotspotDisabledNo: every real export of an enabled hotspot
// server writes disabled=no on its add line, the 7.x ones too, where the
// DHCP server beside it has none: a 7.20.6 CHR's "add
// address-pool=hs-pool-3 disabled=no interface=ether2 name=hotspot1
// profile=hsprof2" (a DHCP server "add address-pool=hs-pool-3
// interface=ether2 name=dhcp1" above it), a 6.49.17 hAP lite's, and the
// ten "/ip hotspot add" lines of 6.23 to 7.x exports the search tool's code
// index holds. rosemu left it out at its default, so its export of such a
// router differed from the router's own (realcheck36 D1). A disabled one
// stays disabled=yes.
func TestExportHotspotDisabledNo(t *testing.T) {
	pool := "/ip pool add name=hs-pool-3 ranges=10.5.50.2-10.5.50.254\n"
	for _, v := range []string{"7.20.6", "6.49.17"} {
		r := exportOf(t, v, pool+"/ip hotspot add address-pool=hs-pool-3 disabled=no interface=ether2 name=hotspot1\n",
			"add address-pool=hs-pool-3 disabled=no interface=ether2 name=hotspot1\n")
		if exp := body(r.Export()); strings.Count(exp, "disabled=no") != 1 {
			t.Errorf("%s: want disabled=no on the hotspot's line only:\n%s", v, exp)
		}
		exportOf(t, v, pool+"/ip hotspot add address-pool=hs-pool-3 interface=ether2 name=hotspot1\n",
			"add address-pool=hs-pool-3 disabled=no interface=ether2 name=hotspot1\n")
		exportOf(t, v, pool+"/ip hotspot add address-pool=hs-pool-3 disabled=yes interface=ether2 name=hotspot1\n",
			"add address-pool=hs-pool-3 disabled=yes interface=ether2 name=hotspot1\n")
	}
}

// TestExportWireGuardPeerHostBits: a 7.22 home router's export writes its
// WireGuard peers' allowed-address with the host bits it was given
// ("add allowed-address=10.10.0.2/24 comment=host2 ... interface=ingress-vpc
// name=ingress-vpc-host2"), so RouterOS keeps them; rosemu masked them
// (10.10.0.0/24), and its export differed from the router's own
// (realcheck36 D2). The tunnel still routes the masked prefix, as
// WireGuard's allowed IPs are prefixes.
func TestExportWireGuardPeerHostBits(t *testing.T) {
	src := "/interface wireguard add listen-port=13231 mtu=1420 name=ingress-vpc\n" +
		"/interface wireguard peers add allowed-address=10.10.0.2/24,192.168.5.0/24 interface=ingress-vpc name=host2 public-key=\"Z2JamOjZYOGaf4tPZzchyHjLw/XlOtUtQObyROEQ9DM=\"\n"
	r := exportOf(t, "7.22.1", src, "allowed-address=10.10.0.2/24,192.168.5.0/24 ")
	wg := r.WireGuardInterfaces()
	if len(wg) != 1 || len(wg[0].Peers) != 1 {
		t.Fatalf("wireguard interfaces %+v", wg)
	}
	if got := wg[0].Peers[0].Allowed; len(got) != 2 || got[0].String() != "10.10.0.0/24" {
		t.Errorf("the tunnel's allowed prefixes %v, want 10.10.0.0/24 first", got)
	}
}
