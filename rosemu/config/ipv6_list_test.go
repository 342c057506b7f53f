package config

import (
	"context"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

// TestIPv6ListRange (forum30 D1): an IPv6 address-list range a-b is an
// interval of the list, not a DNS name (the Address-lists page: "a single
// IP address or range of IPs"). It reaches the kernel's set as From/To and
// is not reported; a descending range and a half-address range are
// refused. The control: a DNS name is no interval (it has no entry until
// the FQDN service resolves it, TestIPv6ListFQDN), and a prefix is handed
// on as before.
func TestIPv6ListRange(t *testing.T) {
	src := `/ipv6 address add address=3fff:88::1/64 interface=ether2
/ipv6 firewall address-list add address=3fff:100::40-3fff:100::60 list=partners6
/ipv6 firewall address-list add address=3fff:200::/64 list=partners6
/ipv6 firewall address-list add address=partner.example.net list=names6
/ipv6 firewall filter add action=accept chain=forward src-address-list=partners6`
	r := New(Options{Ports: []string{"ether1", "ether2"}, Version: "7.16.2"})
	if _, err := r.Run(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	v6 := buildState(r.begin(false), nil).IPv6
	if v6 == nil {
		t.Fatal("no IPv6 state")
	}
	var got []string
	for _, e := range v6.AddressLists["partners6"] {
		if e.Prefix.IsValid() {
			got = append(got, e.Prefix.String())
		} else {
			got = append(got, e.From.String()+"-"+e.To.String())
		}
	}
	if s := strings.Join(got, " "); s != "3fff:100::40-3fff:100::60 3fff:200::/64" {
		t.Errorf("partners6 entries %q", s)
	}
	if e := v6.AddressLists["partners6"]; len(e) > 0 && (e[0].From != netip.MustParseAddr("3fff:100::40") || e[0].To != netip.MustParseAddr("3fff:100::60")) {
		t.Errorf("range entry %+v", e[0])
	}
	if len(v6.AddressLists["names6"]) != 0 {
		t.Errorf("names6 %+v, want no entry (the name is not resolved yet)", v6.AddressLists["names6"])
	}
	// Since forum30 D5 a name is resolved (AAAA), so no entry is stored.
	for _, n := range r.NotEnforced() {
		if n.Path == "/ipv6 firewall address-list" {
			t.Errorf("address-list reported %d x %q, want nothing", n.Count, n.Reason)
		}
	}
	for _, bad := range []string{"3fff:100::60-3fff:100::40", "3fff:100::40-partner", "3fff:100::40-10.0.0.1"} {
		r := New(Options{Ports: []string{"ether1", "ether2"}, Version: "7.16.2"})
		_, err := r.Run(context.Background(), "/ipv6 firewall address-list add list=x address="+bad)
		if err == nil || !strings.Contains(err.Error(), "invalid value for argument address") {
			t.Errorf("%s: err %v, want invalid value for argument address", bad, err)
		}
	}
}

// TestIPv6EUI64 (forum30 D4): an eui-64=yes address is assigned (the
// kernel makes its host part from the link's MAC, kernel.EUI64Prefix) and
// advertised, and no longer reported as stored. The control: a plain
// address beside it is handed on without EUI64.
func TestIPv6EUI64(t *testing.T) {
	r := New(Options{Ports: []string{"ether1", "ether2"}, Version: "7.16.2"})
	if _, err := r.Run(context.Background(), `/ipv6 address add address=3fff:88::/64 eui-64=yes interface=ether2
/ipv6 address add address=3fff:113::2/64 interface=ether1 advertise=no`); err != nil {
		t.Fatal(err)
	}
	tx := r.begin(false)
	if s := v6Addresses(t, tx); s != "3fff:88::/64@ether2/true 3fff:113::2/64@ether1/false" {
		t.Errorf("addresses %q", s)
	}
	ra := raInterfaces(tx)
	if len(ra) != 1 || ra[0].Interface != "ether2" || len(ra[0].Prefixes) != 1 || ra[0].Prefixes[0].Prefix.String() != "3fff:88::/64" {
		t.Errorf("router advertisements %+v, want 3fff:88::/64 on ether2", ra)
	}
	for _, n := range r.NotEnforced() {
		if n.Path == "/ipv6 address" {
			t.Errorf("reported: %d x %q", n.Count, n.Reason)
		}
	}
}

// TestIPv6EUI64FromPool (forum55 D3): an address taken from a pool with
// eui-64=yes, as forum exports write the LAN's (add from-pool=isp
// interface=bridge eui-64=yes), is assigned from the pool's next piece
// with EUI64 for the kernel, and advertised; it was skipped, so the LAN
// had no address and no advertisement while nothing said so. The
// control: the plain from-pool address beside it takes the second piece.
func TestIPv6EUI64FromPool(t *testing.T) {
	r := New(Options{Ports: []string{"ether1", "ether2", "ether3"}, Version: "7.16.2"})
	if _, err := r.Run(context.Background(), `/ipv6 pool add name=isp prefix=3fff:200::/56 prefix-length=64
/ipv6 address add from-pool=isp interface=ether2 eui-64=yes advertise=yes
/ipv6 address add address=::1 from-pool=isp interface=ether3`); err != nil {
		t.Fatal(err)
	}
	tx := r.begin(false)
	if s := v6Addresses(t, tx); s != "3fff:200::/64@ether2/true 3fff:200:0:1::1/64@ether3/false" {
		t.Errorf("addresses %q, want the first piece eui-64 on ether2 and ::1 of the second on ether3", s)
	}
	var ra []string
	for _, i := range raInterfaces(tx) {
		for _, p := range i.Prefixes {
			ra = append(ra, p.Prefix.String()+"@"+i.Interface)
		}
	}
	if s := strings.Join(ra, " "); s != "3fff:200::/64@ether2 3fff:200:0:1::/64@ether3" {
		t.Errorf("router advertisements %q", s)
	}
}

// TestIPv6RouteECMP (forum30 D3): /ipv6 route gateway=a,b is taken, as
// IPv4's, and handed to the kernel with both gateways (one multipath
// route); the wiki's Manual:IPv6/Route has gateway=fc00:1::2,fc00:2::2.
// The control: a list with a member that is no gateway is refused.
func TestIPv6RouteECMP(t *testing.T) {
	for _, v := range []string{"7.16.2", "6.49.18"} {
		r := New(Options{Ports: []string{"ether1", "ether2"}, Version: v})
		if _, err := r.Run(context.Background(), `/ipv6 address add address=3fff:113::2/64 interface=ether1 advertise=no
/ipv6 address add address=3fff:88::1/64 interface=ether2
/ipv6 route add dst-address=3fff:500::/48 gateway=3fff:113::1,fe80::5%ether2`); err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		v6 := buildState(r.begin(false), nil).IPv6
		if v6 == nil || len(v6.Routes) != 1 || v6.Routes[0].Gateway != "3fff:113::1,fe80::5%ether2" {
			t.Errorf("%s: routes %+v", v, v6)
		}
		_, err := r.Run(context.Background(), "/ipv6 route add dst-address=3fff:600::/48 gateway=3fff:113::1,nosuch")
		if err == nil || !strings.Contains(err.Error(), "invalid value for argument gateway") {
			t.Errorf("%s: gateway=3fff:113::1,nosuch: %v", v, err)
		}
	}
}

// TestV7OnlyMenusOn6 (forum30 D2): RouterOS 6 has no /ipv6 firewall nat
// (IPv6 NAT came with 7) and no WireGuard (7.x only): 6.49 refuses the
// menu word as RouterOS does, "bad command name ..."; 7 takes both (the
// control).
func TestV7OnlyMenusOn6(t *testing.T) {
	for src, word := range map[string]string{
		"/ipv6 firewall nat add action=masquerade chain=srcnat out-interface=ether1": "nat",
		"/interface wireguard add name=wg1":                                          "wireguard",
		"/interface wireguard peers add interface=wg1 public-key=\"x\"":              "wireguard",
	} {
		r := New(Options{Ports: []string{"ether1", "ether2"}, Version: "6.49.18"})
		if _, err := r.Run(context.Background(), src); err == nil || !strings.Contains(err.Error(), "bad command name "+word) {
			t.Errorf("6.49.18 %q: %v, want bad command name %s", src, err, word)
		}
	}
	r := New(Options{Ports: []string{"ether1", "ether2"}, Version: "7.16.2"})
	if _, err := r.Run(context.Background(), "/ipv6 firewall nat add action=masquerade chain=srcnat out-interface=ether1\n/interface wireguard add name=wg1"); err != nil {
		t.Errorf("7.16.2: %v", err)
	}
}

// TestIPv6ListFQDN (forum30 D5): an /ipv6 firewall address-list entry
// given as a DNS name is handed to the FQDN service as an IPv6 entry, and
// the AAAA records it reports become dynamic children (address/128, the
// name as comment) in the list and in the kernel's IPv6 set, as the A
// records of an IPv4 list's name do (Address-lists: "IP address or range
// of IPs ... or DNS name"). The control: the IPv4 list's entry of the
// same name takes only the IPv4 addresses, the IPv6 one only the IPv6
// ones; removing a child, disabling and removing the entry behave as for
// IPv4.
func TestIPv6ListFQDN(t *testing.T) {
	ff := &fakeFQDN{}
	k := &fakeKernel{}
	r := New(Options{Ports: ports, FQDN: ff, Kernel: k, Version: "7.16.2"})
	run(t, r, `/ipv6 address add address=3fff:88::1/64 interface=ether2
/ipv6 firewall address-list add list=allowed6 address=partner.example.net
/ip firewall address-list add list=allowed4 address=partner.example.net`)
	if len(ff.last) != 2 {
		t.Fatalf("service got %+v, want the IPv4 and the IPv6 entry", ff.last)
	}
	var e4, e6 FQDNEntry
	for _, e := range ff.last {
		if e.IPv6 {
			e6 = e
		} else {
			e4 = e
		}
	}
	if e6.List != "allowed6" || e6.Name != "partner.example.net" || e4.List != "allowed4" {
		t.Fatalf("entries %+v", ff.last)
	}
	if n := r.NotEnforced(); len(n) != 0 {
		t.Errorf("not enforced %+v, want nothing", n)
	}
	v4a := netip.MustParseAddr("198.51.100.7")
	v6a, v6b := netip.MustParseAddr("3fff:100::50"), netip.MustParseAddr("3fff:100::51")
	both := []netip.Addr{v4a, v6b, v6a}
	if err := r.SetFQDNAddresses(e6.ID, e6.Name, both); err != nil {
		t.Fatal(err)
	}
	if err := r.SetFQDNAddresses(e4.ID, e4.Name, both); err != nil {
		t.Fatal(err)
	}
	set6 := func(st *kernel.State) []string {
		var out []string
		if st.IPv6 != nil {
			for _, e := range st.IPv6.AddressLists["allowed6"] {
				out = append(out, e.Prefix.String())
			}
		}
		slices.Sort(out)
		return out
	}
	if got := set6(k.last); !slices.Equal(got, []string{"3fff:100::50/128", "3fff:100::51/128"}) {
		t.Errorf("kernel allowed6 = %v", got)
	}
	if got := listAddrs(k.last, "allowed4"); !slices.Equal(got, []string{"198.51.100.7/32"}) {
		t.Errorf("kernel allowed4 = %v", got)
	}
	out := run(t, r, "/ipv6 firewall address-list print")
	if !strings.Contains(out, ";;; partner.example.net") || !strings.Contains(out, "3fff:100::50/128") || strings.Contains(out, "198.51.100.7") {
		t.Errorf("print:\n%s", out)
	}
	if n := run(t, r, `:put [:len [/ipv6 firewall address-list find where dynamic and comment="partner.example.net"]]`); strings.TrimSpace(n) != "2" {
		t.Errorf("find dynamic children = %q", n)
	}
	if exp := r.Export(); strings.Contains(exp, "3fff:100::50") || !strings.Contains(exp, "address=partner.example.net list=allowed6") {
		t.Errorf("export:\n%s", exp)
	}
	// A child can be removed (until the next resolution); set refuses it.
	run(t, r, "/ipv6 firewall address-list remove [find where address=3fff:100::51/128]")
	if got := set6(k.last); !slices.Equal(got, []string{"3fff:100::50/128"}) {
		t.Errorf("after removing a child: %v", got)
	}
	if _, err := r.Run(context.Background(), "/ipv6 firewall address-list set [find where address=3fff:100::50/128] list=other"); err == nil {
		t.Error("set on a child accepted")
	}
	// Disabling drops the children; a late answer is refused.
	run(t, r, "/ipv6 firewall address-list disable [find where address=partner.example.net]")
	if got := set6(k.last); len(got) != 0 {
		t.Errorf("disabled entry keeps %v", got)
	}
	if err := r.SetFQDNAddresses(e6.ID, e6.Name, both); err == nil {
		t.Error("addresses accepted for a disabled entry")
	}
	if got := listAddrs(k.last, "allowed4"); !slices.Equal(got, []string{"198.51.100.7/32"}) {
		t.Errorf("the IPv4 list followed the IPv6 one: %v", got)
	}
}

// TestIPv6RouteVRFInterface (realcheck28): RouterOS 7's /ipv6 route takes
// vrf-interface= as /ip route does (a 7.2x PE export routes its
// management VRF so); it is stored and reported, and the export writes it
// back. RouterOS 6's /ipv6 route has no VRFs: refused there, at its
// position.
func TestIPv6RouteVRFInterface(t *testing.T) {
	src := `/ip vrf add interfaces=ether2 name=mgmt
/ipv6 route add gateway=3fff:da7a:1ab:77::1 routing-table=mgmt vrf-interface=mgmt`
	r := New(Options{Ports: []string{"ether1", "ether2"}, Version: "7.20.4"})
	if _, err := r.Run(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	if exp := r.Export(); !strings.Contains(exp, "vrf-interface=mgmt") {
		t.Errorf("export lacks vrf-interface:\n%s", exp)
	}
	v := New(Options{Ports: []string{"ether1", "ether2"}, Version: "7.20.4"}).Validate(context.Background(), src, time.Second)
	if len(v.Findings) != 2 || v.Findings[1].Verdict != NotEnforced || !strings.Contains(v.Findings[1].Msg, "vrf-interface: "+vrfReason) {
		t.Errorf("validate on 7: %+v", v.Findings)
	}
	v6 := New(Options{Ports: []string{"ether1", "ether2"}, Version: "6.49.18"}).Validate(context.Background(), "/ipv6 route add gateway=3fff:da7a:1ab:77::1 vrf-interface=ether2", time.Second)
	if len(v6.Findings) != 1 || v6.Findings[0].Verdict != Refused || v6.Findings[0].Msg != "expected end of command" {
		t.Errorf("validate on 6: %+v", v6.Findings)
	}
}

// v6Addresses are the IPv6 addresses the state hands the kernel, as
// prefix@interface/eui64.
func v6Addresses(t *testing.T, tx *tx) string {
	t.Helper()
	v6 := buildState(tx, nil).IPv6
	if v6 == nil {
		t.Fatal("no IPv6 state")
	}
	var got []string
	for _, a := range v6.Addresses {
		got = append(got, a.Prefix.String()+"@"+a.Interface+"/"+strconv.FormatBool(a.EUI64))
	}
	return strings.Join(got, " ")
}

// TestIPv6ICMPOptionsChecked (forum55 D4): an /ipv6 firewall rule's
// icmp-options is read as the IPv4 one is, type[:code] with ranges and a
// negated type, and anything else is refused at its position in
// RouterOS's words. A list (icmp-options=135:0-255,136:0-255, written
// after the manual's advanced firewall) was accepted by validate and then
// failed the whole commit with "failure: apply state: render ipv6 raw
// rule ...". The controls: the manual's forms are taken.
func TestIPv6ICMPOptionsChecked(t *testing.T) {
	for _, ok := range []string{"135", "1:0-255", "3:0-1", "128:0-255", "!128"} {
		r := New(Options{Ports: []string{"ether1"}, Version: "7.16.2"})
		if _, err := r.Run(context.Background(), "/ipv6 firewall raw add chain=prerouting protocol=icmpv6 action=accept icmp-options="+ok); err != nil {
			t.Errorf("icmp-options=%s: %v", ok, err)
		}
	}
	for _, tbl := range []string{"filter", "raw", "mangle"} {
		for _, bad := range []string{"135:0-255,136:0-255", "135:x", "300"} {
			r := New(Options{Ports: []string{"ether1"}, Version: "7.16.2"})
			_, err := r.Run(context.Background(), "/ipv6 firewall "+tbl+" add chain=forward protocol=icmpv6 action=accept icmp-options="+bad)
			if err == nil || !strings.Contains(err.Error(), "invalid value for argument icmp-options") {
				t.Errorf("%s icmp-options=%s: err %v, want invalid value for argument icmp-options", tbl, bad, err)
			}
		}
	}
}
