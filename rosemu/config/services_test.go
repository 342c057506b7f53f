package config

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

func runOK(t *testing.T, r *Router, src string) string {
	t.Helper()
	out, err := r.Run(context.Background(), src)
	if err != nil {
		t.Fatalf("%q: %v", src, err)
	}
	return out
}

func TestServicesUsersPoolsValidation(t *testing.T) {
	tests := []struct{ src, wantErr string }{
		{src: "/ip service set www port=8080 address=192.168.88.0/24,10.0.0.5 max-sessions=5"},
		{src: "/ip service set www port=22", wantErr: "failure: port 22 is already used by service ssh (line 1 column 21)"},
		{src: "/ip service set ssh disabled=yes\n/ip service set www port=22"},
		{src: "/ip service set www port=70000", wantErr: "invalid value for argument port (line 1 column 21)"},
		{src: "/ip service set www address=10.0.0.300", wantErr: "invalid value for argument address (line 1 column 21)"},
		{src: "/ip service set gopher disabled=yes", wantErr: "no such item (line 1 column 1)"},
		{src: "/ip service add name=x port=1", wantErr: "bad command name add (line 1 column 13)"},
		{src: "/user add name=alena password=alena group=full\n/user remove admin"},
		{src: "/user add name=bob group=nosuch", wantErr: "input does not match any value of group (line 1 column 20)"},
		{src: "/user add name=bob group=read\n/user add name=bob group=full", wantErr: "failure: user with the same name already exists (line 2 column 11)"},
		{src: "/user settings set minimum-password-length=8\n/user add name=bob group=read password=short", wantErr: "failure: password is too short, minimum length is 8 (line 2 column 31)"},
		{src: "/user group add name=ops policy=ssh,read,!write\n/user add name=op group=ops"},
		{src: "/user group add name=ops policy=ssh,fly", wantErr: "invalid value for argument policy (line 1 column 26)"},
		{src: "/user group add name=ops policy=ssh\n/user add name=op group=ops\n/user group remove ops", wantErr: "failure: group ops is used by user op (line 3 column 1)"},
		{src: "/user group remove full", wantErr: "failure: cannot remove builtin (line 1 column 1)"},
		{src: "/ip pool add name=p ranges=192.168.88.100-192.168.88.50", wantErr: "invalid value for argument ranges (line 1 column 21)"},
		{src: "/ip pool add name=p ranges=192.168.88.10-192.168.88.50,192.168.88.200/29"},
		{src: "/ip pool add name=p ranges=10.0.0.1\n/ip pool add name=p ranges=10.0.0.2", wantErr: "failure: pool with such name exists (line 2 column 14)"},
		{src: "/ip pool add name=p ranges=10.0.0.1 next-pool=q", wantErr: "input does not match any value of next-pool (line 1 column 37)"},
		{src: "/ip dhcp-server add interface=ether2 address-pool=nosuch", wantErr: "input does not match any value of address-pool (line 1 column 38)"},
		{src: "/ip dhcp-server add interface=ether2\n/ip dhcp-server add interface=ether2", wantErr: "failure: server for this interface already exists (line 2 column 21)"},
		{src: "/ip dhcp-server add interface=ether2 lease-time=soon", wantErr: "invalid value for argument lease-time (line 1 column 38)"},
		{src: "/ip dhcp-server network add address=192.168.88.0/24 gateway=192.168.88.1 dns-server=192.168.88.1,1.1.1.1 domain=lan"},
		{src: "/ip dhcp-server network add address=192.168.88.0/24 gateway=router", wantErr: "invalid value for argument gateway (line 1 column 53)"},
		{src: "/ip dhcp-server lease add address=192.168.88.50", wantErr: "failure: mac-address or client-id must be specified (line 1 column 1)"},
		{src: "/ip dhcp-server lease add address=192.168.88.50 mac-address=02:00:00:00:00:zz", wantErr: "invalid value for argument mac-address (line 1 column 49)"},
		{src: "/ip dhcp-server lease add address=192.168.88.50 mac-address=02:00:00:00:00:01\n/ip dhcp-server lease add address=192.168.88.50 mac-address=02:00:00:00:00:02", wantErr: "failure: lease for this address already exists (line 2 column 27)"},
		{src: "/ip dhcp-server lease add address=192.168.88.50 mac-address=02:00:00:00:00:01 server=nosuch", wantErr: "input does not match any value of server (line 1 column 79)"},
		{src: "/ip dhcp-server option add name=o code=300", wantErr: "invalid value for argument code (line 1 column 35)"},
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
}

func TestServiceDefaultsAndExport(t *testing.T) {
	r := New(Options{Ports: ports})
	svcs := r.IPServices()
	if len(svcs) != 8 || svcs[2].Name != "www" || svcs[2].Port != 80 || svcs[2].Disabled || !svcs[4].Disabled || svcs[4].Name != "www-ssl" {
		t.Fatalf("defaults: %+v", svcs)
	}
	if strings.Contains(r.Export(), "/ip service") {
		t.Errorf("a fresh router exports its services:\n%s", r.Export())
	}
	runOK(t, r, "/ip service set www disabled=yes address=192.168.88.0/24\n/ip service set www-ssl disabled=no port=8443\n/user add name=x group=full password=secret")
	exp := r.Export()
	for _, want := range []string{"/ip service\nset www address=192.168.88.0/24 disabled=yes\nset www-ssl disabled=no port=8443\n"} {
		if !strings.Contains(exp, want) {
			t.Errorf("export lacks %q:\n%s", want, exp)
		}
	}
	if strings.Contains(exp, "secret") || strings.Contains(exp, "/user\n") {
		t.Errorf("export shows users:\n%s", exp)
	}
	if out := runOK(t, r, "/user print detail"); strings.Contains(out, "secret") || !strings.Contains(out, "name=x") {
		t.Errorf("user print:\n%s", out)
	}
	if _, err := r.Run(context.Background(), ":put [/user get x password]"); err == nil {
		t.Errorf("get password succeeded")
	}
	www := r.IPServices()[2]
	if !www.Disabled || www.Allows(netip.MustParseAddr("10.0.0.1")) || !www.Allows(netip.MustParseAddr("192.168.88.7")) {
		t.Errorf("www: %+v", www)
	}
}

func TestLogin(t *testing.T) {
	r := New(Options{Ports: ports})
	from := func(s string) net.Addr { return &net.TCPAddr{IP: net.ParseIP(s), Port: 5555} }
	logout, ok := r.Login("admin", "", from("10.0.0.1"), "api", "api")
	if !ok {
		t.Fatal("fresh admin refused")
	}
	logout()
	runOK(t, r, `/user set admin password=pw address=192.168.88.0/24
/user group add name=apionly policy=api,read
/user add name=bot group=apionly password=b`)
	cases := []struct {
		user, pw, from, policy string
		ok                     bool
	}{
		{"admin", "", "192.168.88.5", "ssh", false},
		{"admin", "pw", "192.168.88.5", "ssh", true},
		{"admin", "pw", "10.0.0.1", "ssh", false},
		{"bot", "b", "10.0.0.1", "api", true},
		{"bot", "b", "10.0.0.1", "ssh", false},
		{"nobody", "", "10.0.0.1", "api", false},
	}
	for _, c := range cases {
		logout, ok := r.Login(c.user, c.pw, from(c.from), c.policy, c.policy)
		if ok != c.ok {
			t.Errorf("login %s/%q from %s via %s: %v, want %v", c.user, c.pw, c.from, c.policy, ok, c.ok)
		}
		if ok {
			if out := runOK(t, r, "/user active print"); !strings.Contains(out, c.user) || !strings.Contains(out, c.from) {
				t.Errorf("active:\n%s", out)
			}
			logout()
		}
	}
	if out := runOK(t, r, "/user active print count-only"); strings.TrimSpace(out) != "0" {
		t.Errorf("sessions left: %s", out)
	}
	runOK(t, r, "/user disable bot")
	if _, ok := r.Login("bot", "b", from("10.0.0.1"), "api", "api"); ok {
		t.Error("disabled user admitted")
	}
}

// forum32 D7: a built-in group's policy and skin can be set (real exports
// write "/user group set read policy=...", TestBuiltinGroupPolicy), and
// the logins follow the changed policy; only its name and its removal are
// refused. This pins the behaviour docs/services.md now describes.
func TestBuiltinGroupPolicyLogin(t *testing.T) {
	r := New(Options{Ports: ports})
	from := &net.TCPAddr{IP: net.ParseIP("10.0.0.1"), Port: 5555}
	runOK(t, r, "/user group set full policy=local,api,read\n/user group set read skin=default")
	if _, ok := r.Login("admin", "", from, "ssh", "ssh"); ok {
		t.Error("admin logs in by SSH after full lost the ssh policy")
	}
	logout, ok := r.Login("admin", "", from, "api", "api")
	if !ok {
		t.Fatal("admin refused by the API, which full still grants")
	}
	logout()
	for src, want := range map[string]string{
		"/user group set full name=superusers": "failure: cannot change dynamic or builtin item (line 1 column 1)",
		"/user group remove full":              "failure: cannot remove builtin (line 1 column 1)",
	} {
		if _, err := r.Run(context.Background(), src); err == nil || err.Error() != want {
			t.Errorf("%s: %v, want %s", src, err, want)
		}
	}
}

func dhcpRouter(t *testing.T) *Router {
	r := New(Options{Ports: ports})
	runOK(t, r, `/ip address add address=192.168.88.1/24 interface=ether2
/ip pool add name=lan ranges=192.168.88.100-192.168.88.102
/ip dhcp-server add name=lan interface=ether2 address-pool=lan lease-time=1m lease-script=":log info \$leaseActIP"
/ip dhcp-server network add address=192.168.88.0/24 gateway=192.168.88.1 dns-server=192.168.88.1 domain=lan
/ip dhcp-server lease add address=192.168.88.50 mac-address=02:00:00:00:00:50 comment=printer`)
	return r
}

func TestDHCPServerLeases(t *testing.T) {
	r := dhcpRouter(t)
	a := DHCPClientID{MAC: "02:00:00:00:00:01", HostName: "laptop"}
	o, err := r.Offer("lan", a, netip.Addr{})
	if err != nil || o.Address.String() != "192.168.88.102" || o.ServerID.String() != "192.168.88.1" || o.Netmask != 24 || o.LeaseTime != time.Minute || o.Domain != "lan" {
		t.Fatalf("offer: %+v %v", o, err)
	}
	// A second client is not offered the held address.
	b := DHCPClientID{MAC: "02:00:00:00:00:02"}
	if o2, _ := r.Offer("lan", b, netip.MustParseAddr("192.168.88.102")); o2.Address.String() != "192.168.88.101" {
		t.Errorf("second offer: %+v", o2)
	}
	// Requesting another client's address is refused (NAK).
	if _, err := r.Request("lan", b, netip.MustParseAddr("192.168.88.102")); !errors.Is(err, ErrNoLease) {
		t.Errorf("request of a taken address: %v", err)
	}
	o, err = r.Request("lan", a, netip.MustParseAddr("192.168.88.102"))
	if err != nil || !o.Bound {
		t.Fatalf("request: %+v %v", o, err)
	}
	if o, _ := r.Request("lan", a, netip.MustParseAddr("192.168.88.102")); o.Bound {
		t.Errorf("a renewal counts as a new binding")
	}
	out := runOK(t, r, "/ip dhcp-server lease print")
	if !strings.Contains(out, "192.168.88.102") || !strings.Contains(out, "laptop") || !strings.Contains(out, "bound") {
		t.Errorf("lease print:\n%s", out)
	}
	// print detail shows what print and get show (forum40 D6).
	out = runOK(t, r, "/ip dhcp-server lease print detail")
	for _, want := range []string{"status=bound", "host-name=laptop", "active-address=192.168.88.102", "active-mac-address=02:00:00:00:00:01", "active-server=lan", "expires-after="} {
		if !strings.Contains(out, want) {
			t.Errorf("lease print detail lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(r.Export(), "02:00:00:00:00:01") {
		t.Errorf("dynamic lease exported")
	}
	// The static lease gives its client the chosen address, whatever it asks.
	p := DHCPClientID{MAC: "02:00:00:00:00:50"}
	if o, _ := r.Offer("lan", p, netip.MustParseAddr("192.168.88.100")); o.Address.String() != "192.168.88.50" {
		t.Errorf("static offer: %+v", o)
	}
	// make-static keeps the dynamic lease's address in the configuration.
	runOK(t, r, `/ip dhcp-server lease make-static [find where mac-address="02:00:00:00:00:01"]`)
	if exp := r.Export(); !strings.Contains(exp, "add address=192.168.88.102 mac-address=02:00:00:00:00:01 server=lan") {
		t.Errorf("make-static export:\n%s", exp)
	}
	// Release ends the binding and names the script.
	e, ok := r.Release("lan", a)
	if !ok || e.Address != "192.168.88.102" || !strings.Contains(e.Script, "leaseActIP") {
		t.Errorf("release: %+v %v", e, ok)
	}
}

func TestDHCPServerPoolExhaustedAndExpiry(t *testing.T) {
	r := dhcpRouter(t)
	for i := 1; i <= 3; i++ {
		c := DHCPClientID{MAC: "02:00:00:00:01:0" + string(rune('0'+i))}
		o, err := r.Offer("lan", c, netip.Addr{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.Request("lan", c, o.Address); err != nil {
			t.Fatal(err)
		}
	}
	if out := runOK(t, r, ":put [:len [/log find where topics~\"error\" and message~\"pool\"]]"); strings.TrimSpace(out) != "0" {
		t.Errorf("a pool with room logged %s errors", out)
	}
	if _, err := r.Offer("lan", DHCPClientID{MAC: "02:00:00:00:01:09"}, netip.Addr{}); !errors.Is(err, ErrNoLease) {
		t.Errorf("offer from an exhausted pool: %v", err)
	}
	// RouterOS's error line, which scripts that watch for a full pool match.
	if out := runOK(t, r, "/log print where topics~\"dhcp\""); !strings.Contains(out, "lan: failed to give out IP address: pool <") || !strings.Contains(out, "> is empty") {
		t.Errorf("no pool-empty error in the log:\n%s", out)
	}
	ended := r.ExpireLeases(time.Now().Add(2 * time.Minute))
	if len(ended) != 3 {
		t.Errorf("expired %d leases, want 3", len(ended))
	}
	if out := runOK(t, r, "/ip dhcp-server lease print count-only"); strings.TrimSpace(out) != "1" {
		t.Errorf("leases after expiry: %s", out)
	}
	// Without a network for the pool nothing is offered.
	runOK(t, r, "/ip dhcp-server network remove [find]")
	if _, err := r.Offer("lan", DHCPClientID{MAC: "02:00:00:00:01:09"}, netip.Addr{}); !errors.Is(err, ErrNoLease) {
		t.Errorf("offer without a network: %v", err)
	}
}

// An export of the new menus applies again to a fresh router.
func TestServicesExportRoundTrip(t *testing.T) {
	r := dhcpRouter(t)
	runOK(t, r, `/ip service set www port=8080 address=192.168.88.0/24
/ip service set telnet disabled=yes
/user group add name=ops policy=ssh,read
/user settings set minimum-password-length=4
/ip dhcp-server option add name=ntp code=42 value="'192.168.88.1'"`)
	exp := r.Export()
	fresh := New(Options{Ports: ports})
	if _, err := fresh.Run(context.Background(), exp); err != nil {
		t.Fatalf("apply the export again: %v\n%s", err, exp)
	}
	if got := fresh.Export(); stripHeader(got) != stripHeader(exp) {
		t.Errorf("export after re-apply differs:\n%s\nwant\n%s", got, exp)
	}
}

// forum32 D1: a property equal to the generic default but not to the
// item's own (www-ssl starts disabled, so disabled=no) is exported, and
// re-importing the export gives the same services; a value that is the
// item's own default (telnet disabled=no) is not written. The builtin
// items of defaults (service-port rtsp, also disabled by default) keep
// their state through the same round trip.
func TestItemDefaultExportRoundTrip(t *testing.T) {
	r := New(Options{Ports: ports})
	runOK(t, r, `/ip service set www-ssl disabled=no
/ip service set api-ssl disabled=yes
/ip service set telnet disabled=no port=23
/ip firewall service-port set rtsp disabled=no
/ip firewall service-port set ftp disabled=no`)
	exp := r.Export()
	for _, want := range []string{"set www-ssl disabled=no\n", "set api-ssl disabled=yes\n", "set rtsp disabled=no\n"} {
		if !strings.Contains(exp, want) {
			t.Errorf("export lacks %q:\n%s", want, exp)
		}
	}
	for _, not := range []string{"set telnet", "set ftp"} {
		if strings.Contains(exp, not) {
			t.Errorf("export writes %q, the item's own default:\n%s", not, exp)
		}
	}
	fresh := New(Options{Ports: ports})
	if _, err := fresh.Run(context.Background(), exp); err != nil {
		t.Fatalf("apply the export again: %v\n%s", err, exp)
	}
	for _, s := range fresh.IPServices() {
		want := s.Name == "api-ssl"
		if s.Disabled != want {
			t.Errorf("after re-import %s disabled=%v, want %v", s.Name, s.Disabled, want)
		}
	}
	if got := fresh.Export(); stripHeader(got) != stripHeader(exp) {
		t.Errorf("export after re-apply differs:\n%s\nwant\n%s", got, exp)
	}
	// Back to the item's default: www-ssl disabled=yes and an unset
	// port leave no line, and unset returns www-ssl to disabled.
	runOK(t, fresh, "/ip service set www-ssl disabled=yes\n/ip service set api-ssl disabled=no\n/ip firewall service-port set rtsp disabled=yes")
	if exp := fresh.Export(); strings.Contains(exp, "/ip service") || strings.Contains(exp, "rtsp") {
		t.Errorf("items at their own defaults are exported:\n%s", exp)
	}
	runOK(t, fresh, "/ip service set www-ssl disabled=no\n/ip service unset www-ssl disabled")
	if !fresh.IPServices()[4].Disabled {
		t.Errorf("unset disabled enabled www-ssl: %+v", fresh.IPServices()[4])
	}
}

func stripHeader(s string) string {
	_, rest, _ := strings.Cut(s, "#\n")
	return rest
}

func TestStoredUserAAAAndDHCPConfig(t *testing.T) {
	r := New(Options{Ports: ports})
	runOK(t, r, "/user aaa set use-radius=yes default-group=full\n/ip dhcp-server config set store-leases-disk=never")
	exp := r.Export()
	for _, want := range []string{"/user aaa\nset default-group=full use-radius=yes\n", "/ip dhcp-server config\nset store-leases-disk=never\n"} {
		if !strings.Contains(exp, want) {
			t.Errorf("export lacks %q:\n%s", want, exp)
		}
	}
	if _, err := r.Run(context.Background(), "/user aaa set default-group=nosuch"); err == nil {
		t.Error("default-group of no group accepted")
	}
}

// A bound lease puts its address in its own address-lists and its
// server's, while bound: a firewall rule on src-address-list=trusted
// admits the printer once it has its lease, and not after it ends.
func TestDHCPLeaseAddressLists(t *testing.T) {
	r := dhcpRouter(t)
	runOK(t, r, "/ip dhcp-server lease set [find comment=printer] address-lists=trusted\n/ip dhcp-server set lan address-lists=lan-hosts")
	lists := func() string {
		var out []string
		for list, es := range r.State().AddressLists {
			for _, e := range es {
				out = append(out, list+"="+e.Prefix.Addr().String())
			}
		}
		slices.Sort(out)
		return strings.Join(out, " ")
	}
	if got := lists(); got != "" {
		t.Errorf("lists before any lease: %q", got)
	}
	printer := DHCPClientID{MAC: "02:00:00:00:00:50"}
	if _, err := r.Request("lan", printer, netip.MustParseAddr("192.168.88.50")); err != nil {
		t.Fatal(err)
	}
	if got := lists(); got != "lan-hosts=192.168.88.50 trusted=192.168.88.50" {
		t.Errorf("lists with the printer bound: %q", got)
	}
	if out := runOK(t, r, "/ip firewall address-list print count-only where list=trusted and dynamic"); strings.TrimSpace(out) != "1" {
		t.Errorf("dynamic trusted entries: %s", out)
	}
	if _, ok := r.Release("lan", printer); !ok {
		t.Fatal("release")
	}
	if got := lists(); got != "" {
		t.Errorf("lists after the lease ended: %q", got)
	}
}

// TestLeaseAddARP: a server with add-arp=yes gives the kernel a neighbour
// entry for each bound lease, on its interface, at once (an arp=reply-only
// LAN reaches only those); without add-arp a lease gives none.
func TestLeaseAddARP(t *testing.T) {
	k := &fakeKernel{}
	r := New(Options{Ports: ports, Kernel: k})
	runOK(t, r, `/ip address add address=192.168.88.1/24 interface=ether2
/ip pool add name=lan ranges=192.168.88.100-192.168.88.102
/ip dhcp-server add name=lan interface=ether2 address-pool=lan lease-time=1m
/ip dhcp-server network add address=192.168.88.0/24 gateway=192.168.88.1`)
	a := DHCPClientID{MAC: "02:00:00:00:00:01"}
	bind := func() {
		t.Helper()
		if _, err := r.Offer("lan", a, netip.Addr{}); err != nil {
			t.Fatal(err)
		}
		if _, err := r.Request("lan", a, netip.MustParseAddr("192.168.88.102")); err != nil {
			t.Fatal(err)
		}
	}
	bind()
	if n := len(k.last.StaticARP); n != 0 {
		t.Errorf("without add-arp the kernel got %d ARP entries", n)
	}
	run(t, r, "/ip dhcp-server set lan add-arp=yes")
	want := kernel.Neighbor{Addr: netip.MustParseAddr("192.168.88.102"), MAC: "02:00:00:00:00:01", Interface: "ether2"}
	if got := k.last.StaticARP; len(got) != 1 || got[0] != want {
		t.Errorf("with add-arp: %+v, want %+v", got, want)
	}
	calls := k.calls
	a = DHCPClientID{MAC: "02:00:00:00:00:02"}
	if _, err := r.Offer("lan", a, netip.Addr{}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Request("lan", a, netip.MustParseAddr("192.168.88.101")); err != nil {
		t.Fatal(err)
	}
	if k.calls == calls || len(k.last.StaticARP) != 2 {
		t.Errorf("a new bind did not reach the kernel: %d calls, %+v", k.calls-calls, k.last.StaticARP)
	}
}

// TestLeaseRateLimitQueue: a static lease with rate-limit=rx/tx gives the
// kernel a simple queue of its address while bound (rx its upload, tx its
// download), before the configured queues, and none after it ends; the
// control is the lease without rate-limit, which gives no queue.
func TestLeaseRateLimitQueue(t *testing.T) {
	k := &fakeKernel{}
	r := New(Options{Ports: ports, Kernel: k})
	runOK(t, r, `/ip address add address=192.168.88.1/24 interface=ether2
/ip pool add name=lan ranges=192.168.88.100-192.168.88.102
/ip dhcp-server add name=lan interface=ether2 address-pool=lan lease-time=1m
/ip dhcp-server network add address=192.168.88.0/24 gateway=192.168.88.1
/ip dhcp-server lease add address=192.168.88.50 mac-address=02:00:00:00:00:50 server=lan comment=tv
/queue simple add name=all target=192.168.88.0/24 max-limit=50M/50M`)
	tv := DHCPClientID{MAC: "02:00:00:00:00:50"}
	bind := func() {
		t.Helper()
		if _, err := r.Request("lan", tv, netip.MustParseAddr("192.168.88.50")); err != nil {
			t.Fatal(err)
		}
	}
	bind()
	if q := k.last.Queues; len(q) != 1 || q[0].Name != "all" {
		t.Errorf("without rate-limit: queues %+v", q)
	}
	runOK(t, r, "/ip dhcp-server lease set [find comment=tv] rate-limit=2M/4M")
	bind()
	q := k.last.Queues
	if len(q) != 2 || q[0].Targets[0] != netip.MustParsePrefix("192.168.88.50/32") || q[0].Upload != 2e6 || q[0].Download != 4e6 || q[1].Name != "all" {
		t.Errorf("with rate-limit=2M/4M: queues %+v", q)
	}
	if _, ok := r.Release("lan", tv); !ok {
		t.Fatal("release")
	}
	if q := k.last.Queues; len(q) != 1 {
		t.Errorf("after the lease ended: queues %+v", q)
	}
	if _, err := r.Run(context.Background(), "/ip dhcp-server lease set [find comment=tv] rate-limit=fast"); err == nil {
		t.Error("rate-limit=fast accepted")
	}
}

// TestDHCPServerRouterDNS (realcheck23 D6, forum40 D7): a network without
// dns-server hands out the router's own DNS servers, configured and
// dynamic; dns-none=yes hands out none; a network's dns-server wins
// (control).
func TestDHCPServerRouterDNS(t *testing.T) {
	r := dhcpRouter(t)
	runOK(t, r, "/ip dns set servers=198.51.100.53,198.51.100.54\n/ip dhcp-server network set 0 dns-server=\"\"")
	c := DHCPClientID{MAC: "02:00:00:00:00:07"}
	o, err := r.Offer("lan", c, netip.Addr{})
	if err != nil || fmt.Sprint(o.DNS) != "[198.51.100.53 198.51.100.54]" {
		t.Errorf("no dns-server: DNS %v %v, want the router's servers", o.DNS, err)
	}
	runOK(t, r, "/ip dhcp-server network set 0 dns-none=yes")
	if o, _ := r.Offer("lan", c, netip.Addr{}); len(o.DNS) != 0 {
		t.Errorf("dns-none=yes: DNS %v, want none", o.DNS)
	}
	runOK(t, r, "/ip dhcp-server network set 0 dns-none=no dns-server=192.168.88.1")
	if o, _ := r.Offer("lan", c, netip.Addr{}); fmt.Sprint(o.DNS) != "[192.168.88.1]" {
		t.Errorf("dns-server set: DNS %v", o.DNS)
	}
}

// TestLeaseQueueServerReason: a DHCP server's settings for its leases'
// queues are reported as stored without saying that rosemu makes no
// queue for a lease, which a lease's rate-limit queue contradicts (f71
// N6).
func TestLeaseQueueServerReason(t *testing.T) {
	v := New(Options{Ports: ports}).Validate(context.Background(), "/ip dhcp-server add name=d interface=ether2 insert-queue-before=bottom\n", time.Second)
	got := strings.Join(findings(v), "\n")
	if !strings.Contains(got, "1:1 stored-not-enforced") || strings.Contains(got, "makes no simple queue") || !strings.Contains(got, "the lease's own rate-limit") {
		t.Errorf("findings:\n%s", got)
	}
}
