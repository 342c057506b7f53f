package config

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/script"
)

func TestDHCPClientValidation(t *testing.T) {
	tests := []struct {
		src, wantErr string
	}{
		{src: "/ip dhcp-client add", wantErr: "failure: interface not specified (line 1 column 1)"},
		{src: "/ip dhcp-client add interface=ether9", wantErr: "input does not match any value of interface (line 1 column 21)"},
		{src: "/ip dhcp-client add interface=ether1 add-default-route=maybe", wantErr: "invalid value for argument add-default-route (line 1 column 38)"},
		{src: "/ip dhcp-client add interface=ether1 default-route-distance=256", wantErr: "invalid value for argument default-route-distance (line 1 column 38)"},
		{src: "/ip dhcp-client add interface=ether1 dhcp-options=nosuch", wantErr: "input does not match any value of dhcp-options (line 1 column 38)"},
		{src: "/ip dhcp-client add interface=ether1\n/ip dhcp-client add interface=ether1", wantErr: "failure: dhcp-client on that interface already exists (line 2 column 21)"},
		// A script is taken whether it compiles or not, as RouterOS stores
		// one that does not (validate reports it; it fails when it runs).
		{src: "/ip dhcp-client add interface=ether1 script=\":if (\\$bound=1) do={\\n/ip firewall address-list sett\\n}\""},
		{src: "/ip dhcp-client add interface=ether1 script=\":put (1\""},
		{src: "/ip dhcp-client add interface=ether1 use-peer-ntp=no add-default-route=special-classless default-route-distance=5 comment=wan"},
	}
	for _, tt := range tests {
		r := New(Options{Ports: ports})
		_, err := r.Run(context.Background(), tt.src)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("%q: %v", tt.src, err)
		case tt.wantErr != "" && (err == nil || err.Error() != tt.wantErr):
			t.Errorf("%q: error %v, want %q", tt.src, err, tt.wantErr)
		}
	}
	// Over the API too.
	r := New(Options{Ports: ports})
	if _, _, err := r.Command(context.Background(), "/ip/dhcp-client/add", map[string]string{"interface": "ether1", "script": ":put (1"}); err != nil {
		t.Errorf("API add with a script that does not compile: %v", err)
	}
}

func lease(addr string) *Lease {
	return &Lease{
		Address: netip.MustParsePrefix(addr),
		Gateway: netip.MustParseAddr("203.0.113.1"),
		Server:  netip.MustParseAddr("203.0.113.1"),
		DNS:     []netip.Addr{netip.MustParseAddr("198.51.100.53")},
		Expires: time.Now().Add(time.Hour),
	}
}

// recordingDHCP records what the engine hands to the DHCP service.
type recordingDHCP struct{ updates [][]DHCPClient }

func (f *recordingDHCP) Update(c []DHCPClient) { f.updates = append(f.updates, c) }

func TestDHCPLeaseState(t *testing.T) {
	svc := &recordingDHCP{}
	k := &fakeKernel{}
	r := New(Options{Ports: ports, DHCP: svc, Kernel: k})
	run(t, r, "/ip address add address=192.168.88.1/24 interface=ether2\n/ip dhcp-client add interface=ether1 default-route-distance=3 script=\":log info \\$\\\"lease-address\\\"\"")
	if n := len(svc.updates); n != 1 || len(svc.updates[0]) != 1 || svc.updates[0][0].Interface != "ether1" || svc.updates[0][0].Script != `:log info $"lease-address"` {
		t.Fatalf("service updates = %+v", svc.updates)
	}
	if got := run(t, r, ":put [/ip dhcp-client get [find] status]"); got != "searching...\n" {
		t.Errorf("status before a lease = %q", got)
	}
	if err := r.SetLease("ether2", lease("203.0.113.2/24")); err == nil {
		t.Error("lease for an interface without a client accepted")
	}
	if err := r.SetLease("ether1", lease("203.0.113.2/24")); err != nil {
		t.Fatal(err)
	}
	s := r.State()
	wantAddr := kernel.Address{Prefix: netip.MustParsePrefix("203.0.113.2/24"), Interface: "ether1"}
	if len(s.Addresses) != 2 || s.Addresses[1] != wantAddr {
		t.Errorf("state addresses = %+v", s.Addresses)
	}
	wantRoute := kernel.Route{Dst: netip.MustParsePrefix("0.0.0.0/0"), Gateway: "203.0.113.1", Distance: 3}
	if len(s.Routes) != 1 || s.Routes[0] != wantRoute {
		t.Errorf("state routes = %+v", s.Routes)
	}
	if k.last == nil || len(k.last.Addresses) != 2 {
		t.Errorf("kernel did not get the leased address: %+v", k.last)
	}
	out := run(t, r, "/ip address print")
	if !strings.Contains(out, "1 D  203.0.113.2/24   203.0.113.0   ether1") {
		t.Errorf("address print:\n%s", out)
	}
	out = run(t, r, "/ip route print")
	if !strings.Contains(out, "DAd  0.0.0.0/0") || !strings.Contains(out, "203.0.113.1") {
		t.Errorf("route print:\n%s", out)
	}
	out = run(t, r, "/ip dhcp-client print detail")
	for _, want := range []string{"interface=ether1"} {
		if !strings.Contains(out, want) {
			t.Errorf("client print lacks %q:\n%s", want, out)
		}
	}
	rows, _, err := r.Command(context.Background(), "/ip/dhcp-client/print", nil)
	if err != nil || len(rows) != 1 {
		t.Fatalf("API print: %v %v", rows, err)
	}
	for k, v := range map[string]string{"status": "bound", "address": "203.0.113.2/24", "gateway": "203.0.113.1", "dhcp-server": "203.0.113.1", "primary-dns": "198.51.100.53", "use-peer-dns": "true", "add-default-route": "yes"} {
		if got, _ := rows[0].Get(k); got != v {
			t.Errorf("API print %s = %q, want %q", k, got, v)
		}
	}
	if got, _ := rows[0].Get("expires-after"); got == "" || got == "0s" {
		t.Errorf("expires-after = %q", got)
	}
	if got := run(t, r, ":put [/ip dns get dynamic-servers]"); got != "198.51.100.53\n" {
		t.Errorf("dynamic-servers = %q", got)
	}
	if c := r.DNS(); len(c.Servers) != 1 || c.Servers[0] != netip.MustParseAddr("198.51.100.53") {
		t.Errorf("DNS servers = %v", c.Servers)
	}
	exp := body(r.Export())
	if strings.Contains(exp, "203.0.113") || !strings.Contains(exp, "/ip dhcp-client\nadd default-route-distance=3 interface=ether1 script=") {
		t.Errorf("export:\n%s", exp)
	}
	// Dynamic entries cannot be changed or removed by hand.
	if _, err := r.Run(context.Background(), "/ip address remove [find dynamic]"); err == nil {
		t.Error("removed the leased address by hand")
	}
	if _, err := r.Run(context.Background(), "/ip route set [find dynamic] distance=9"); err == nil {
		t.Error("changed the leased route by hand")
	}

	// A renewal with the same address does not touch the kernel.
	applied := k.calls
	if err := r.SetLease("ether1", lease("203.0.113.2/24")); err != nil {
		t.Fatal(err)
	}
	if k.calls != applied {
		t.Errorf("renewal with the same address applied the kernel %d times", k.calls-applied)
	}

	// Losing the lease removes the address, the route and the DNS server.
	if err := r.SetLease("ether1", nil); err != nil {
		t.Fatal(err)
	}
	s = r.State()
	if len(s.Addresses) != 1 || len(s.Routes) != 0 || len(r.DNS().Servers) != 0 {
		t.Errorf("after loss: addresses %+v routes %+v dns %v", s.Addresses, s.Routes, r.DNS().Servers)
	}
	if got := run(t, r, ":put [/ip dhcp-client get [find] status]"); got != "searching...\n" {
		t.Errorf("status after loss = %q", got)
	}

	// Disabling the client drops its lease in the same transaction.
	if err := r.SetLease("ether1", lease("203.0.113.3/24")); err != nil {
		t.Fatal(err)
	}
	run(t, r, "/ip dhcp-client disable [find]")
	if s := r.State(); len(s.Addresses) != 1 || len(s.Routes) != 0 {
		t.Errorf("after disable: %+v %+v", s.Addresses, s.Routes)
	}
	if err := r.SetLease("ether1", lease("203.0.113.3/24")); err == nil {
		t.Error("lease accepted for a disabled client")
	}
	if last := svc.updates[len(svc.updates)-1]; !last[0].Disabled {
		t.Errorf("service not told of the disable: %+v", last)
	}
	run(t, r, "/ip dhcp-client enable [find]")
	if s := r.State(); len(s.Addresses) != 1 {
		t.Errorf("re-enabling brought back the old lease: %+v", s.Addresses)
	}
}

func TestDHCPClasslessRoutes(t *testing.T) {
	l := lease("203.0.113.2/24")
	l.Routes = []LeaseRoute{{Dst: netip.MustParsePrefix("10.0.0.0/8"), Gateway: netip.MustParseAddr("203.0.113.254")}}
	for mode, want := range map[string]string{
		"yes":               "10.0.0.0/8>203.0.113.254",
		"special-classless": "0.0.0.0/0>203.0.113.1 10.0.0.0/8>203.0.113.254",
		"no":                "",
	} {
		r := New(Options{Ports: ports})
		run(t, r, "/ip dhcp-client add interface=ether1 add-default-route="+mode)
		if err := r.SetLease("ether1", l); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, rt := range r.State().Routes {
			got = append(got, rt.Dst.String()+">"+rt.Gateway)
		}
		if strings.Join(got, " ") != want {
			t.Errorf("add-default-route=%s: routes %v, want %s", mode, got, want)
		}
	}
}

// TestDHCPClientDefaultRouteTables: RouterOS 7.18+'s default-route-tables puts the lease's default
// route into each named table, at its own distance or default-route-distance (forum33: dual-WAN
// PCC with DHCP WANs); the classless routes stay in main. Before, the route went to main only.
func TestDHCPClientDefaultRouteTables(t *testing.T) {
	l := lease("203.0.113.2/24")
	l.Routes = []LeaseRoute{{Dst: netip.MustParsePrefix("10.0.0.0/8"), Gateway: netip.MustParseAddr("203.0.113.254")}}
	for tables, want := range map[string]string{
		"":                           "main:0.0.0.0/0@2",
		"default":                    "main:0.0.0.0/0@2",
		"main":                       "main:0.0.0.0/0@2",
		"to_WAN1":                    "to_WAN1:0.0.0.0/0@2",
		"main:1,to_WAN1:1,to_WAN2:3": "main:0.0.0.0/0@1 to_WAN1:0.0.0.0/0@1 to_WAN2:0.0.0.0/0@3",
	} {
		r := New(Options{Ports: ports, Version: "7.18.2"})
		run(t, r, "/routing table add fib name=to_WAN1\n/routing table add fib name=to_WAN2")
		cmd := "/ip dhcp-client add interface=ether1 add-default-route=special-classless default-route-distance=2"
		if tables != "" {
			cmd += " default-route-tables=" + tables
		}
		run(t, r, cmd)
		if err := r.SetLease("ether1", l); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, rt := range r.State().Routes {
			if rt.Dst.Bits() == 0 {
				tb := rt.Table
				if tb == "" {
					tb = "main"
				}
				got = append(got, fmt.Sprintf("%s:%s@%d", tb, rt.Dst, rt.Distance))
			} else if rt.Table != "" && rt.Table != "main" {
				t.Errorf("default-route-tables=%s: classless route %+v left main", tables, rt)
			}
		}
		if strings.Join(got, " ") != want {
			t.Errorf("default-route-tables=%s: default routes %v, want %s", tables, got, want)
		}
	}
	// A table that does not exist is refused as a route's routing-table is.
	r := New(Options{Ports: ports, Version: "7.18.2"})
	if _, err := r.Run(context.Background(), "/ip dhcp-client add interface=ether1 default-route-tables=nope"); err == nil {
		t.Error("default-route-tables=nope (no such table) accepted")
	}
	if _, err := r.Run(context.Background(), "/ip dhcp-client add interface=ether1 default-route-tables=main:300"); err == nil {
		t.Error("default-route-tables=main:300 accepted")
	}
}

// TestDHCPClientCheckGateway: a RouterOS 7.19+ client's check-gateway=ping
// watches the default route it adds (the kernel's gateway checker takes it
// out of use when the ISP stops answering), where without it the route
// is never checked.
func TestDHCPClientCheckGateway(t *testing.T) {
	for cg, want := range map[string]string{"ping": "ping", "none": "", "": ""} {
		r := New(Options{Ports: ports, Version: "7.19.4"})
		cmd := "/ip dhcp-client add interface=ether1"
		if cg != "" {
			cmd += " check-gateway=" + cg
		}
		run(t, r, cmd)
		if err := r.SetLease("ether1", lease("203.0.113.2/24")); err != nil {
			t.Fatal(err)
		}
		routes := r.State().Routes
		if len(routes) != 1 || routes[0].CheckGateway != want {
			t.Errorf("check-gateway=%q: routes %+v, want one checked by %q", cg, routes, want)
		}
	}
}

// method6 is the lease script of the forum post's method 6 (seed), as a
// user pastes it into the client's script property.
const method6 = `:if ($bound=1) do={
/ip firewall address-list set [/ip firewall address-list find where comment="wan1ip"] address=$"lease-address" disabled=no
} else={
/ip firewall address-list set [/ip firewall address-list find where comment="wan1ip"] disabled=yes
}`

func leaseVars(bound int64, addr string) map[string]script.Value {
	return map[string]script.Value{
		"bound": script.Num(bound), "lease-address": script.Str(addr), "server-address": script.Str("203.0.113.1"),
		"gateway-address": script.Str("203.0.113.1"), "interface": script.Str("ether1"),
		"lease-options": {Kind: script.KindArray, Arr: &script.Array{}}, "vendor-specific": script.Str(""),
	}
}

func TestMethod6LeaseScript(t *testing.T) {
	ctx := context.Background()
	r := New(Options{Ports: ports})
	run(t, r, "/ip firewall address-list add comment=wan1ip disabled=yes list=external_wan address=0.0.0.0")
	list := func() (addr string, disabled bool) {
		s := r.State()
		for _, e := range s.AddressLists["external_wan"] {
			return e.Prefix.Addr().String(), false
		}
		return "", true
	}
	if _, dis := list(); !dis {
		t.Fatal("the disabled entry is in the kernel's list")
	}
	if err := r.RunScript(ctx, "dhcp-client ether1", method6, leaseVars(1, "203.0.113.2")); err != nil {
		t.Fatal(err)
	}
	if a, dis := list(); dis || a != "203.0.113.2" {
		t.Errorf("after bound=1: %q disabled=%v", a, dis)
	}
	if err := r.RunScript(ctx, "dhcp-client ether1", method6, leaseVars(1, "203.0.113.3")); err != nil {
		t.Fatal(err)
	}
	if a, _ := list(); a != "203.0.113.3" {
		t.Errorf("after the second lease: %q", a)
	}
	if err := r.RunScript(ctx, "dhcp-client ether1", method6, leaseVars(0, "203.0.113.3")); err != nil {
		t.Fatal(err)
	}
	if _, dis := list(); !dis {
		t.Error("bound=0 left the entry enabled")
	}
	if got := run(t, r, ":put [/ip firewall address-list get [find comment=wan1ip] address]"); got != "203.0.113.3\n" {
		t.Errorf("address kept on loss = %q", got)
	}
	// The event variables do not outlive the run: on the console the
	// name is undeclared again, which RouterOS reports as a syntax error.
	if _, err := r.Run(ctx, `:put [:typeof $"lease-address"]`); err == nil || !strings.Contains(err.Error(), "syntax error") {
		t.Errorf("lease-address after the script: err = %v, want a syntax error", err)
	}
}

func TestLeaseScriptFailureIsLogged(t *testing.T) {
	ctx := context.Background()
	r := New(Options{Ports: ports})
	run(t, r, "/ip firewall address-list add list=x address=10.0.0.1")
	src := ":log info starting\n/ip firewall address-list add list=y address=10.0.0.2\n/ip firewall address-list set [find list=nope] address=$\"lease-address\"\n/ip firewall address-list set *99 address=1.2.3.4"
	err := r.RunScript(ctx, "dhcp-client ether1", src, leaseVars(1, "203.0.113.2"))
	if err == nil {
		t.Fatal("a script that sets a missing item succeeded")
	}
	// What it did before the failing line stays, as RouterOS runs each
	// command as it comes.
	if s := r.State(); len(s.AddressLists["y"]) != 1 || len(s.AddressLists["x"]) != 1 {
		t.Errorf("address lists after the failed script: %+v; want y's entry, added before the failure, kept", s.AddressLists)
	}
	out := run(t, r, "/log print")
	if !strings.Contains(out, "info") || !strings.Contains(out, "starting") ||
		!strings.Contains(out, " script,error dhcp-client ether1: script error: no such item (line 4 column 1)\n") {
		t.Errorf("log:\n%s", out)
	}
	if got := run(t, r, ":put [:len [/log find where topics~\"error\"]]"); got != "1\n" {
		t.Errorf("error entries = %q", got)
	}
}
