package config

import (
	"context"
	"strings"
	"testing"
)

// TestIPsecProposalEmptyAuth: RouterOS writes a GCM proposal with no
// separate integrity algorithm as auth-algorithms="" (a 7.6 hAP lite's
// "add auth-algorithms=\"\" disabled=no enc-algorithms=aes-256-gcm
// lifetime=1h name=fortigate pfs-group=ecp521" in a FortiGate tutorial, and
// "add auth-algorithms=\"\" enc-algorithms=aes-256-gcm lifetime=1h name=\"
// in a 7.x export beside an Azure proposal). rosemu refused the empty set
// ("invalid value for argument auth-algorithms"), and with it every policy
// naming the proposal (realcheck37 D1). The empty set exports as given and
// re-imports; a CBC proposal without integrity still fails where the
// tunnel is built (rosemu/service/ipsec).
func TestIPsecProposalEmptyAuth(t *testing.T) {
	exportOf(t, "7.16.2", "/ip ipsec proposal add auth-algorithms=\"\" enc-algorithms=aes-256-gcm lifetime=1h name=fortigate pfs-group=ecp521\n",
		"add auth-algorithms=\"\" enc-algorithms=aes-256-gcm lifetime=1h name=fortigate \\\n")
	_, err := New(Options{Ports: ports, Version: "7.16.2"}).Run(context.Background(), "/ip ipsec proposal add auth-algorithms=sha3 name=x\n")
	if err == nil || !strings.Contains(err.Error(), "invalid value for argument auth-algorithms") {
		t.Errorf("auth-algorithms=sha3: %v", err)
	}
}

// TestExportRoutingKeepsGiven: RouterOS 7 writes what a route or a
// routing item was given, defaults and all, and leaves out what was not:
// a 7.17 RB4011's "add disabled=no dst-address=0.0.0.0/0
// gateway=208.114.200.213 routing-table=main suppress-hw-offload=no", a
// 7.19.4 hAP ax2's "add disabled=yes distance=1 dst-address=0.0.0.0/0
// gateway=bridge routing-table=main scope=30 suppress-hw-offload=no
// target-scope=10", a 7.21.5 switch's "add comment=\"Default via R1\"
// dst-address=0.0.0.0/0 gateway=10.10.10.1", beside a 7.22.1 router's
// "add comment=... dst-address=10.30.30.0/24 gateway=wg-s2s" without
// them; a 7.19.4 lab router's OSPF "add disabled=no name=ospf", "add
// area-id=0.0.0.50 disabled=no instance=ospf name=area50", "add
// area=area50 disabled=no interfaces=lo type=ptp", where a 7.22.1 one
// writes "add name=main-instance originate-default=always ..." without;
// a 7.18.1 router's "/routing rule add action=drop disabled=no ..."; a
// 7.20.8 router's "/ipv6 route add dst-address=::/0 gateway=...", "/routing
// id add disabled=no id=... name=id-main select-dynamic-id=\"\"" and BGP
// "add afi=ip,evpn disabled=no instance=...". rosemu dropped every value at
// its default, so its export of these routers differed from their own
// (realcheck36's known gap, confirmed by realcheck37's 18 exports). RouterOS
// 6 keeps its own forms (a route's distance=1 always written).
func TestExportRoutingKeepsGiven(t *testing.T) {
	exportOf(t, "7.17", "/ip route add disabled=no dst-address=0.0.0.0/0 gateway=208.114.200.213 routing-table=main suppress-hw-offload=no\n",
		"add disabled=no dst-address=0.0.0.0/0 gateway=208.114.200.213 routing-table=\\\n    main suppress-hw-offload=no\n")
	exportOf(t, "7.19.4", "/ip route add disabled=yes distance=1 dst-address=0.0.0.0/0 gateway=ether1 routing-table=main scope=30 suppress-hw-offload=no target-scope=10\n",
		"add disabled=yes distance=1 dst-address=0.0.0.0/0 gateway=ether1 \\\n    routing-table=main scope=30 suppress-hw-offload=no target-scope=10\n")
	r := exportOf(t, "7.22.1", "/ip route add comment=wg dst-address=10.30.30.0/24 gateway=ether2\n/ip route add gateway=ether1\n",
		"add comment=wg dst-address=10.30.30.0/24 gateway=ether2\nadd gateway=ether1\n")
	if exp := body(r.Export()); strings.Contains(exp, "disabled=no") || strings.Contains(exp, "0.0.0.0/0") {
		t.Errorf("7.22.1: defaults not given are written:\n%s", exp)
	}
	exportOf(t, "7.19.4", "/interface bridge add name=lo1\n/routing ospf instance add disabled=no name=ospf\n/routing ospf area add area-id=0.0.0.50 disabled=no instance=ospf name=area50\n/routing ospf interface-template add area=area50 disabled=no interfaces=lo1 type=ptp\n",
		"/routing ospf instance\nadd disabled=no name=ospf\n",
		"/routing ospf area\nadd area-id=0.0.0.50 disabled=no instance=ospf name=area50\n",
		"add area=area50 disabled=no interfaces=lo1 type=ptp\n")
	exportOf(t, "7.18.1", "/routing rule add action=drop disabled=no dst-address=172.16.1.0/24 src-address=192.168.88.0/24\n",
		"add action=drop disabled=no dst-address=172.16.1.0/24 src-address=\\\n    192.168.88.0/24\n")
	exportOf(t, "7.20.8", "/ipv6 route add dst-address=::/0 gateway=fd00:b00b:0:1::1\n/routing id add disabled=no id=100.127.50.101 name=id-main select-dynamic-id=\"\"\n",
		"add dst-address=::/0 gateway=fd00:b00b:0:1::1\n",
		"add disabled=no id=100.127.50.101 name=id-main select-dynamic-id=\"\"\n")
	exportOf(t, "6.49.6", "/ip route add dst-address=0.0.0.0/0 gateway=192.0.2.1\n", "add distance=1 gateway=192.0.2.1\n")
}

// TestExportHotspotIPBindingHost: RouterOS writes an ip-binding's host
// address as given, without a length: "add address=192.168.88.192
// mac-address=04:18:D6:8C:B5:58 type=bypassed" (a 7.x hotspot export),
// "add address=10.0.0.2 comment=DEV... server=BRIDGE-PORTAL
// to-address=10.0.0.2 type=bypassed" (another), a network as a prefix
// ("add address=10.251.0.0/16 server=hotspot"). rosemu wrote the host
// 192.168.99.2/32 (a 7.18.2 E50UG's "add address=192.168.99.2
// mac-address=8C:CE:4E:C8:2B:CA type=bypassed", realcheck37 D3). The
// binding still bypasses that host.
func TestExportHotspotIPBindingHost(t *testing.T) {
	r := exportOf(t, "7.18.2", "/ip address add address=192.168.99.1/24 interface=ether2\n/ip hotspot add disabled=no interface=ether2 name=EllaFi\n/ip hotspot ip-binding add address=192.168.99.2 mac-address=8C:CE:4E:C8:2B:CA type=bypassed\n/ip hotspot ip-binding add address=10.251.0.0/16\n",
		"add address=192.168.99.2 mac-address=8C:CE:4E:C8:2B:CA type=bypassed\n",
		"add address=10.251.0.0/16\n")
	if got := r.State().AddressLists[HotspotAuthList]; len(got) != 1 || got[0].Prefix.String() != "192.168.99.2/32" {
		t.Errorf("bypassed entries %+v, want 192.168.99.2/32", got)
	}
}

// TestL2TPUseIPsecReason: validate told a 7.x ISP router's "/interface
// l2tp-server server set enabled=yes use-ipsec=yes" that "rosemu has no
// IPsec (the lab kernel has no ESP, rosemu no IKE)", which stopped being
// true when rosemu began running /ip ipsec peers with strongSwan
// (docs/ipsec.md); what it lacks is the server's dynamic peer (realcheck37
// D4).
func TestL2TPUseIPsecReason(t *testing.T) {
	r := runShape(t, "7.16.2", []string{"ether1"}, "/interface l2tp-server server set enabled=yes use-ipsec=yes\n")
	found := false
	for _, n := range r.NotEnforced() {
		if strings.Contains(n.Reason, "use-ipsec") || strings.Contains(n.Reason, "IPsec") {
			found = true
			if strings.Contains(n.Reason, "rosemu has no IPsec") || !strings.Contains(n.Reason, "dynamic IPsec peer") {
				t.Errorf("reason %q", n.Reason)
			}
		}
	}
	if !found {
		t.Errorf("use-ipsec=yes not reported: %+v", r.NotEnforced())
	}
}
