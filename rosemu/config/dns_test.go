package config

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestDNSSettings(t *testing.T) {
	r := New(Options{Ports: ports})
	def := r.DNS()
	if def.AllowRemoteRequests || len(def.Servers) != 0 || def.CacheSize != 2048*1024 || def.CacheMaxTTL != 7*24*time.Hour ||
		def.QueryServerTimeout != 2*time.Second || def.QueryTotalTimeout != 10*time.Second {
		t.Errorf("default config = %+v", def)
	}
	if strings.Contains(body(r.Export()), "/ip dns") {
		t.Errorf("defaults exported:\n%s", r.Export())
	}
	run(t, r, "/ip dns set allow-remote-requests=yes servers=198.51.100.53,2001:db8::53,198.51.100.53 cache-size=4096 cache-max-ttl=1d")
	c := r.DNS()
	want := []netip.Addr{netip.MustParseAddr("198.51.100.53"), netip.MustParseAddr("2001:db8::53")}
	if !c.AllowRemoteRequests || len(c.Servers) != 2 || c.Servers[0] != want[0] || c.Servers[1] != want[1] ||
		c.CacheSize != 4096*1024 || c.CacheMaxTTL != 24*time.Hour {
		t.Errorf("config = %+v", c)
	}
	exp := body(r.Export())
	if !strings.Contains(exp, "/ip dns\nset allow-remote-requests=yes cache-max-ttl=1d cache-size=4096KiB servers=\\\n    198.51.100.53,2001:db8::53\n") {
		t.Errorf("export:\n%s", exp)
	}
	if got := run(t, r, ":put [/ip dns get cache-size]"); got != "4096KiB\n" {
		t.Errorf("get cache-size = %q", got)
	}
	rows, _, err := r.Command(context.Background(), "/ip/dns/print", nil)
	if err != nil || len(rows) != 1 {
		t.Fatalf("print: %v %v", rows, err)
	}
	for k, v := range map[string]string{"allow-remote-requests": "true", "servers": "198.51.100.53,2001:db8::53", "cache-used": "0KiB", "dynamic-servers": "", "cache-max-ttl": "1d"} {
		if got, ok := rows[0].Get(k); !ok || got != v {
			t.Errorf("print %s = %q, want %q", k, got, v)
		}
	}
	// Setting a value back to its default drops it from the export.
	run(t, r, "/ip dns set cache-size=2048KiB servers=\"\"")
	if exp := body(r.Export()); strings.Contains(exp, "cache-size") || strings.Contains(exp, "servers") {
		t.Errorf("export after reset:\n%s", exp)
	}
}

// fakeDNS records what the engine hands to the DNS service.
type fakeDNS struct {
	updates []DNSConfig
	used    int
}

func (f *fakeDNS) Update(c DNSConfig) { f.updates = append(f.updates, c) }
func (f *fakeDNS) CacheUsed() int     { return f.used }

func TestDNSServiceHook(t *testing.T) {
	f := &fakeDNS{used: 5000}
	r := New(Options{Ports: ports, DNS: f})
	run(t, r, "/ip dns set allow-remote-requests=yes")
	if len(f.updates) != 1 || !f.updates[0].AllowRemoteRequests {
		t.Fatalf("updates = %+v", f.updates)
	}
	if _, err := r.Run(context.Background(), "/ip dns static add name=a.test address=10.0.0.1\n/ip dns static add name=b.test"); err == nil {
		t.Fatal("entry without address accepted")
	}
	if len(f.updates) != 1 {
		t.Errorf("a failed transaction reached the service: %+v", f.updates)
	}
	run(t, r, "/ip dns print")
	if len(f.updates) != 1 {
		t.Error("print updated the service")
	}
	if out := run(t, r, ":put [/ip dns get cache-used]"); out != "5KiB\n" {
		t.Errorf("cache-used = %q", out)
	}
}

func TestDNSStatic(t *testing.T) {
	r := New(Options{Ports: ports})
	// The forum post's method 1, with the escaping docs/routeros.md describes.
	run(t, r, `/ip dns static
add address=192.168.88.10 regexp="(^|www\\.)myserver\\.net\$" ttl=5m
add name=Nas.Lan address=192.168.88.11 comment="the nas"
add name=v6.lan address=fd00::11
add name=alias.lan type=CNAME cname=nas.lan
add name=ads.example match-subdomain=yes type=NXDOMAIN
add name=corp.example type=FWD forward-to=10.9.9.9 disabled=yes`)
	c := r.DNS()
	if len(c.Static) != 5 {
		t.Fatalf("static = %+v (the disabled entry must be left out)", c.Static)
	}
	s := c.Static
	if s[0].Regexp != `(^|www\.)myserver\.net$` || s[0].Name != "" || s[0].TTL != 5*time.Minute || s[0].Type != "A" || s[0].Address != netip.MustParseAddr("192.168.88.10") {
		t.Errorf("regexp entry = %+v", s[0])
	}
	if s[1].Name != "nas.lan" || s[1].TTL != 24*time.Hour {
		t.Errorf("name entry = %+v", s[1])
	}
	if s[2].Type != "AAAA" {
		t.Errorf("IPv6 entry type = %q", s[2].Type)
	}
	if s[3].Type != "CNAME" || s[3].CNAME != "nas.lan" || s[4].Type != "NXDOMAIN" || !s[4].MatchSubdomain {
		t.Errorf("entries = %+v", s[3:])
	}
	exp := r.Export()
	wantLines := []string{
		"/ip dns static\n",
		// 7.16 and later write type=A too (realcheck34 D3).
		`add address=192.168.88.10 regexp="(^|www\\.)myserver\\.net\$" ttl=5m type=A` + "\n",
		`add address=192.168.88.11 comment="the nas" name=Nas.Lan type=A` + "\n",
		"add address=fd00::11 name=v6.lan type=AAAA\n",
		"add cname=nas.lan name=alias.lan type=CNAME\n",
		"add disabled=yes forward-to=10.9.9.9 name=corp.example type=FWD\n",
	}
	for _, l := range wantLines {
		if !strings.Contains(exp, l) {
			t.Errorf("export lacks %q:\n%s", l, exp)
		}
	}
	fresh := New(Options{Ports: ports})
	if _, err := fresh.Run(context.Background(), exp); err != nil {
		t.Fatalf("import export: %v\n%s", err, exp)
	}
	if body(fresh.Export()) != body(exp) {
		t.Errorf("round trip differs:\n%s\n---\n%s", exp, fresh.Export())
	}
	rows, _, err := r.Command(context.Background(), "/ip/dns/static/print", nil)
	if err != nil || len(rows) != 6 {
		t.Fatalf("print: %v %v", rows, err)
	}
	for k, v := range map[string]string{"regexp": `(^|www\.)myserver\.net$`, "type": "A", "ttl": "5m", "match-subdomain": "false", "disabled": "false"} {
		if got, _ := rows[0].Get(k); got != v {
			t.Errorf("row 0 %s = %q, want %q", k, got, v)
		}
	}
	run(t, r, `/ip dns static set [find name="Nas.Lan"] address=192.168.88.12`)
	run(t, r, "/ip dns static remove [find type=CNAME]")
	c = r.DNS()
	if len(c.Static) != 4 || c.Static[1].Address != netip.MustParseAddr("192.168.88.12") {
		t.Errorf("after set and remove = %+v", c.Static)
	}
	// Console numbers and moves keep list order, which decides precedence.
	run(t, r, "/ip dns static move 1 0")
	if got := r.DNS().Static[0].Name; got != "nas.lan" {
		t.Errorf("first entry after move = %q", got)
	}
}

func TestDNSRejections(t *testing.T) {
	tests := []struct{ src, wantErr string }{
		{"/ip dns set frob=1", "expected end of command (line 1 column 13)"},
		{"/ip dns set max-udp-packet-size=40", "invalid value for argument max-udp-packet-size (line 1 column 13)"},
		{"/ip dns set use-dot-server=x", "expected end of command (line 1 column 13)"},
		{"/ip dns set servers=198.51.100.300", "invalid value for argument servers (line 1 column 13)"},
		{"/ip dns set cache-size=10", "invalid value for argument cache-size (line 1 column 13)"},
		{"/ip dns set cache-max-ttl=forever", "invalid value for argument cache-max-ttl (line 1 column 13)"},
		{"/ip dns set allow-remote-requests=maybe", "invalid value for argument allow-remote-requests (line 1 column 13)"},
		{`/ip dns static add regexp="(a" address=10.0.0.1`, "invalid value for argument regexp (line 1 column 20)"},
		{`/ip dns static add regexp="*.lan" address=10.0.0.1`, "invalid value for argument regexp (line 1 column 20)"},
		{`/ip dns static add regexp="\\d+" address=10.0.0.1`, "invalid value for argument regexp (line 1 column 20)"},
		{"/ip dns static add name=x.lan address=10.0.0.1\n/ip dns static set 0 regexp=\"[\"", "invalid value for argument regexp (line 2 column 22)"},
		{"/ip dns static add name=x.lan", "failure: address not specified (line 1 column 1)"},
		{"/ip dns static add address=10.0.0.1", "failure: name or regexp must be specified (line 1 column 1)"},
		{"/ip dns static add name=x.lan regexp=x address=10.0.0.1", "failure: only name or regexp allowed (line 1 column 31)"},
		{"/ip dns static add name=x.lan type=MX", "failure: mx-exchange not specified (line 1 column 1)"},
		{"/ip dns static add name=x.lan type=SPF text=x", "invalid value for argument type (line 1 column 31)"},
		{"/ip dns static add name=x.lan type=TXT text=x mx-preference=5", "failure: mx-preference can not be used with type=TXT (line 1 column 47)"},
		{"/ip dns static add name=x.lan type=AAAA address=10.0.0.1", "invalid value for argument address (line 1 column 41)"},
		{"/ip dns static add name=x.lan type=CNAME", "failure: cname not specified (line 1 column 1)"},
		// forum40 D4: an explicit type=A keeps its IPv6 address out, as
		// type=AAAA keeps an IPv4 one out (and on set too).
		{"/ip dns static add name=x.lan type=A address=fd00::1", "invalid value for argument address (line 1 column 38)"},
		{"/ip dns static add name=x.lan address=fd00::1\n/ip dns static set 0 type=A", "invalid value for argument address (line 2 column 1)"},
		{"/ip dns static add name=x.lan type=NXDOMAIN address=10.0.0.1", "failure: address can not be used with type=NXDOMAIN (line 1 column 45)"},
		{"/ip dns static add name=x..lan address=10.0.0.1", "invalid value for argument name (line 1 column 20)"},
		{"/ip dns static add name=x.lan address=10.0.0.1 ttl=-1", "invalid value for argument ttl (line 1 column 48)"},
	}
	for _, tt := range tests {
		r := New(Options{Ports: ports})
		before := body(r.Export())
		_, err := r.Run(context.Background(), tt.src)
		var ce *Error
		if !errors.As(err, &ce) || err.Error() != tt.wantErr {
			t.Errorf("%q: error %v, want %q", tt.src, err, tt.wantErr)
			continue
		}
		if after := body(r.Export()); after != before {
			t.Errorf("%q changed the model:\n%s", tt.src, after)
		}
	}
	// The API names unknown properties in its own words.
	r := New(Options{Ports: ports})
	_, _, err := r.Command(context.Background(), "/ip/dns/set", map[string]string{"use-dot-server": "x"})
	var ce *Error
	if !errors.As(err, &ce) || ce.Msg != "unknown parameter use-dot-server" {
		t.Errorf("api unknown parameter: %v", err)
	}
}

// TestSettingsConsolePrint: a settings menu prints as RouterOS's console
// does, names right-aligned to the longest, booleans as yes/no.
func TestSettingsConsolePrint(t *testing.T) {
	r := New(Options{Ports: []string{"ether1", "ether2"}})
	out, err := r.Run(context.Background(), "/ip dns set allow-remote-requests=yes servers=198.51.100.53\n/ip dns print")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "allow-remote-requests: yes\n") || !strings.Contains(out, "              servers: 198.51.100.53\n") {
		t.Fatalf("/ip dns print =\n%s", out)
	}
	if strings.Contains(out, "true") || strings.Contains(out, "false") {
		t.Fatalf("console print shows API booleans:\n%s", out)
	}
}

// TestDNSStoredRecords: MX, NS, SRV and TXT entries, which real exports
// carry, are stored, exported as written and reported not enforced; the
// DNS service is given only the entries it answers.
func TestDNSStoredRecords(t *testing.T) {
	r := New(Options{Ports: []string{"ether1"}})
	src := `/ip dns static
add name=example.lan text="v=spf1 -all" type=TXT
add mx-exchange=mail.example.lan mx-preference=10 name=example.lan type=MX
add name=_sip._tcp.example.lan srv-port=5060 srv-priority=10 srv-target=pbx.example.lan srv-weight=5 type=SRV
add name=example.lan ns=ns1.example.lan type=NS
add address=192.168.88.5 name=a.example.lan
`
	run(t, r, src)
	exp := r.Export()
	for _, want := range []string{`text="v=spf1 -all" type=TXT`, "mx-preference=10", "srv-port=5060", "ns=ns1.example.lan type=NS"} {
		if !strings.Contains(exp, want) {
			t.Errorf("export lacks %q:\n%s", want, exp)
		}
	}
	if c := r.DNS(); len(c.Static) != 1 || c.Static[0].Name != "a.example.lan" {
		t.Errorf("the DNS service got %+v, want only the A entry", c.Static)
	}
	n := 0
	for _, ne := range r.NotEnforced() {
		if ne.Path == "/ip dns static" {
			n += ne.Count
		}
	}
	if n != 4 {
		t.Errorf("%d not-enforced DNS entries reported, want 4: %v", n, r.NotEnforced())
	}
}

// TestDNSForwardToLocalhost: the allow-domains lists of selective routing
// write "forward-to=localhost" on FWD entries with an address list (a 7.21
// export has 24 of them): RouterOS 7 takes it, the entry asks the router's
// own servers (as an empty forward-to does) and is exported as written;
// RouterOS 6 refuses it.
func TestDNSForwardToLocalhost(t *testing.T) {
	r := runShape(t, "7.21", []string{"ether1"}, "/ip dns set servers=192.0.2.53\n/ip dns static add address-list=allow-domains forward-to=localhost match-subdomain=yes name=example.ru type=FWD\n")
	if exp := body(r.Export()); !strings.Contains(exp, "forward-to=localhost") {
		t.Errorf("export:\n%s", exp)
	}
	cfg := dnsConfig(r.m)
	found := false
	for _, s := range cfg.Static {
		if s.Name == "example.ru" {
			found = true
			if len(s.ForwardTo) != 0 {
				t.Errorf("forward-to=localhost gave servers %v, want the router's own", s.ForwardTo)
			}
		}
	}
	if !found {
		t.Errorf("no FWD entry in %+v", cfg.Static)
	}
	if _, err := New(Options{Ports: []string{"ether1"}, Version: "6.49.10"}).Run(context.Background(), "/ip dns static add forward-to=localhost name=example.ru type=FWD"); err == nil {
		t.Error("RouterOS 6 took forward-to=localhost")
	}
}

// TestDNSStaticSince75: match-subdomain and address-list of static entries
// came with RouterOS 7.5; 6.49 and 7.4 refuse them as unknown parameters,
// as they refuse any parameter they lack, and 7.5 takes them.
func TestDNSStaticSince75(t *testing.T) {
	for _, line := range []string{
		"/ip dns static add name=x.lan address=10.0.0.1 match-subdomain=yes",
		"/ip dns static add name=x.lan address=10.0.0.1 address-list=l",
	} {
		for _, v := range []string{"6.49.18", "7.4"} {
			_, err := New(Options{Ports: []string{"ether1"}, Version: v}).Run(context.Background(), line)
			if err == nil || !strings.Contains(err.Error(), "expected end of command") {
				t.Errorf("RouterOS %s took %q: %v", v, line, err)
			}
		}
		runShape(t, "7.5", []string{"ether1"}, line)
	}
}

// TestDNSAdlistSince715: /ip dns adlist exists from RouterOS 7.15 (forum40
// D1): 6.49 and 7.14 refuse the menu word, as they refuse forwarders; 7.15
// and later take it (stored, reported as not enforced: the control).
func TestDNSAdlistSince715(t *testing.T) {
	src := "/ip dns adlist add url=https://lists.example/hosts\n"
	for _, ver := range []string{"6.49.18", "7.14.3"} {
		v := New(Options{Ports: []string{"ether1"}, Version: ver}).Validate(context.Background(), src, time.Second)
		if got := findings(v); len(got) == 0 || got[0] != "1:9 refused bad command name adlist" {
			t.Errorf("%s: %v, want the menu refused", ver, got)
		}
	}
	for _, ver := range []string{"7.15", "7.16.2"} {
		v := New(Options{Ports: []string{"ether1"}, Version: ver}).Validate(context.Background(), src, time.Second)
		if got := findings(v); len(got) != 1 || !strings.HasPrefix(got[0], "1:1 stored-not-enforced") {
			t.Errorf("%s: %v, want it stored and reported", ver, got)
		}
	}
}

// TestDNSZeroQueryTimeoutV6: a RouterOS 6.27 export's "query-server-timeout=0ms
// query-total-timeout=0ms" imports, re-exports as written, is reported as
// not enforced and resolves with the defaults; RouterOS 7 still refuses it
// [verify].
func TestDNSZeroQueryTimeoutV6(t *testing.T) {
	src := "/ip dns\nset allow-remote-requests=yes cache-max-ttl=0s query-server-timeout=0ms query-total-timeout=0ms\n"
	r := New(Options{Ports: ports, Version: "6.27"})
	if _, err := r.Run(context.Background(), src); err != nil {
		t.Fatalf("6.27 export refused: %v", err)
	}
	if c := r.DNS(); c.QueryServerTimeout != 2*time.Second || c.QueryTotalTimeout != 10*time.Second {
		t.Errorf("timeouts = %v %v, want the defaults", c.QueryServerTimeout, c.QueryTotalTimeout)
	}
	if exp := body(r.Export()); !strings.Contains(exp, "query-server-timeout=0ms") || !strings.Contains(exp, "query-total-timeout=0ms") {
		t.Errorf("export:\n%s", exp)
	}
	n := 0
	for _, ne := range r.NotEnforced() {
		if ne.Path == "/ip dns" && strings.HasPrefix(ne.Property, "query-") {
			n += ne.Count
		}
	}
	if n != 2 {
		t.Errorf("%d zero timeouts reported: %v", n, r.NotEnforced())
	}
	run(t, r, "/ip dns set query-server-timeout=3s query-total-timeout=20s")
	for _, ne := range r.NotEnforced() {
		if ne.Path == "/ip dns" && strings.HasPrefix(ne.Property, "query-") {
			t.Errorf("a non-zero timeout is reported: %v", ne)
		}
	}
	r7 := New(Options{Ports: ports, Version: "7.16"})
	if _, err := r7.Run(context.Background(), "/ip dns set query-server-timeout=0ms"); err == nil {
		t.Errorf("RouterOS 7 took query-server-timeout=0ms")
	}
}
