package script

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"
)

// resolverHost is a recorder that also resolves names for :resolve.
type resolverHost struct{ recorder }

func (resolverHost) Resolve(_ context.Context, name string) (netip.Addr, error) {
	if name == "router.lan" {
		return netip.MustParseAddr("192.168.88.1"), nil
	}
	return netip.Addr{}, ErrNoSuchName
}

func (resolverHost) ScriptSchema() Schema { return testTree() }

// runStrict compiles src as the router compiles scripts and runs it.
func runStrict(src string, declared []string, host Host, globals map[string]Value) (string, error) {
	b, err := ParseWith(src, ParseOptions{Schema: testTree(), Strict: true, Declared: declared})
	if err != nil {
		return "", err
	}
	in := NewInterp(host)
	for k, v := range globals {
		in.Globals[k] = v
	}
	err = in.Run(context.Background(), b)
	return in.Out.String(), err
}

func TestLanguage(t *testing.T) {
	tests := []struct {
		name, src, want, wantErr string
		declared                 []string
	}{
		// Declarations (docs/routeros.md).
		{name: "undeclared variable", src: ":put $myVar", wantErr: "syntax error (line 1 column 7)"},
		{name: "undeclared in string", src: ":put \"a $x\"", wantErr: "syntax error (line 1 column 10)"},
		{name: "undeclared quoted name", src: ":local a 1\n:put $\"my-var\"", wantErr: "syntax error (line 2 column 7)"},
		{name: "set undeclared", src: ":set nope 1", wantErr: "syntax error (line 1 column 6)"},
		{name: "local out of its block", src: "{ :local a 3 }\n:put $a", wantErr: "syntax error (line 2 column 7)"},
		{name: "local in nested block", src: "{ :local a 3; { :local b 4; :put ($a + $b) } }", want: "7\n"},
		{name: "declared after use", src: ":put $a; :local a 1", wantErr: "syntax error (line 1 column 7)"},
		{name: "injected event variables", src: ":if ($bound = 1) do={ :put $\"lease-address\" }", declared: []string{"bound", "lease-address"}, want: "10.0.0.5\n"},
		{name: "loop variables", src: ":foreach k,v in={a=1} do={ :put \"$k=$v\" }; :for i from=1 to=2 do={ :put $i }", want: "a=1\n1\n2\n"},
		{name: "loop variable gone after loop", src: ":for i from=1 to=2 do={}\n:put $i", wantErr: "syntax error (line 2 column 7)"},
		{name: "interpolation stops at non-alphanumeric", src: ":local a \"x\"; :put \"$a_b $a-c $a.d\"", want: "x_b x-c x.d\n"},
		{name: "set without value removes", src: ":local a 1; :set a; :put [:typeof $a]", want: "nothing\n"},
		// Functions and code.
		{name: "function", src: ":global f do={ :return ($1 + $a) }\n:put [$f a=1 2]", want: "3\n"},
		{name: "function statement", src: ":local f do={ :put \"hi $name\" }\n$f name=x", want: "hi x\n"},
		{name: "function does not see caller locals", src: ":local x 5; :local f do={ :return [:typeof $x] }; :put [$f]", want: "nothing\n"},
		{name: "variable as command value", src: ":local d \"dom\"; :put [:len [$d]]", want: "3\n"},
		{name: "recursion is bounded", src: ":global f do={ :global f; $f }; $f", wantErr: "stack overflow (line 1 column 27)"},
		{name: "parse", src: ":local c [:parse \":put parsed\"]; $c", want: "parsed\n"},
		{name: "parse error", src: ":local c [:parse \":put (\"]", wantErr: "syntax error (line 1 column 7) (line 1 column 11)"},
		{name: "return ends the script", src: ":put a; :return 1; :put b", want: "a\n"},
		// Arrays.
		{name: "set array element", src: ":local a {x=1}; :set ($a->\"x\") 5; :set ($a->\"y\") 6; :put $a", want: "x=5;y=6\n"},
		{name: "set nested element", src: ":local a [:toarray \"\"]; :set ($a->\"n\"->\"c\") 1; :put ($a->\"n\"->\"c\")", want: "1\n"},
		{name: "arrays are values", src: ":local a {1;2}; :local b $a; :set ($b->0) 9; :put \"$a $b\"", want: "1;2 9;2\n"},
		{name: "set list index", src: ":local a {1;2}; :set ($a->2) 3; :put [:len $a]", want: "3\n"},
		{name: "comma builds arrays", src: ":put [:len (1,2,3)]; :put [:typeof ({1;2},3)]", want: "3\narray\n"},
		{name: "toarray value=", src: ":foreach h in=[:toarray value=\"a,b\"] do={ :put $h }", want: "a\nb\n"},
		{name: "array iteration order", src: ":foreach k,v in={b=2;1;a=3} do={ :put \"$k:$v\" }", want: "0:1\na:3\nb:2\n"},
		// Precedence measured on CHR (docs/routeros.md).
		{name: "dot looser than plus", src: ":put (1 + 2 . 3)", want: "33\n"},
		{name: "relational looser than dot", src: ":put (1 < 2 . 3)", want: "true\n"},
		{name: "shift looser than or", src: ":put (1 | 2 << 1)", want: "6\n"},
		{name: "and tighter than or", src: ":put (2 | 1 & 3)", want: "3\n"},
		{name: "plus tighter than shift", src: ":put (1 << 2 + 1)", want: "8\n"},
		{name: "logical and tighter than or", src: ":put (true || false && false)", want: "true\n"},
		// a in b = c is a in (b = c).
		{name: "in looser than relational", src: ":put (10.0.0.1 in 10.0.0.0/8 = true); :put ((10.0.0.1 in 10.0.0.0/8) = true)", want: "false\ntrue\n"},
		{name: "regex is POSIX ERE", src: ":put (\"gw-202\" ~ \"^[a-z-]*202\\$\"); :put (\"ab\" ~ \"^(a|b)+\\$\")", want: "true\ntrue\n"},
		{name: "bad regex", src: ":put (\"a\" ~ \"(\")", wantErr: "invalid regular expression (line 1 column 11)"},
		// Types (docs/routeros.md).
		{name: "short ip", src: ":put 1.1; :put [:typeof 1.1]; :put [:typeof 1.256]", want: "1.0.0.1\nip\ntime\n"},
		{name: "ip6", src: ":put [:typeof 2001:db8::1]; :put [:typeof [:toip6 \"fe80::1\"]]", want: "ip6\nip6\n"},
		{name: "prefix without spaces", src: ":put [:typeof 10/8]", want: "ip-prefix\n"},
		{name: "typeof code", src: ":local f do={}; :put [:typeof $f]", want: "code\n"},
		{name: "conversions", src: ":put [:tonum \"7\"]; :put [:tobool \"yes\"]; :put [:toip \"1.2.3.4\"]; :put [:totime \"1m\"]", want: "7\ntrue\n1.2.3.4\n00:01:00\n"},
		{name: "timestamp", src: ":put [:typeof [:timestamp]]", want: "time\n"},
		{name: "escapes", src: `:put "a\_b\41\$\"\\\?"`, want: "a bA$\"\\?\n"},
		// Runtime errors carry their position.
		{name: "error position", src: ":local a 1\n:if ($a = 1) do={\n  :error \"boom\"\n}", wantErr: "boom (line 3 column 3)"},
		{name: "on-error catches", src: ":do { :error x } on-error={ :put caught }", want: "caught\n"},
		{name: "resolve", src: ":put [:resolve router.lan]", want: "192.168.88.1\n"},
		{name: "resolve nxdomain", src: ":put [:resolve nope.lan]", wantErr: "failure: dns name does not exist (line 1 column 7)"},
		{name: "resolve caught", src: ":do { :resolve nope.lan } on-error={ :put gone }", want: "gone\n"},
		{name: "unterminated block", src: ":if (1 = 1) do={\n :put x\n", wantErr: "syntax error (line 3 column 1)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := runStrict(tt.src, tt.declared, &resolverHost{}, map[string]Value{"bound": Num(1), "lease-address": Str("10.0.0.5")})
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if got != tt.want {
				t.Errorf("got %q want %q", got, tt.want)
			}
		})
	}
}

// TestWhereWords checks bare values and juxtaposed conditions of where
// clauses: [find name=foo.bar] compares with "foo.bar" as RouterOS reads a
// command argument, where it used to be read as foo . bar.
func TestWhereWords(t *testing.T) {
	props := map[string]Value{"name": Str("foo.bar"), "address": Str("10.0.0.1"), "comment": Str("wan1ip"), "chain": Str("input")}
	lookup := func(n string) (Value, bool) { v, ok := props[n]; return v, ok }
	tests := []struct {
		src  string
		want bool
	}{
		{"/ip address print where name=foo.bar", true},
		{"/ip address print where name=foo.baz", false},
		{"/ip address print where name=\"foo.bar\"", true},
		{"/ip address print where address=10.0.0.1 comment=wan1ip", true},
		{"/ip address print where address=10.0.0.1 comment=other", false},
		{"/ip address print where (name=foo.bar and chain=input)", true},
		{"/ip address print where name~\"^foo\\\\.\"", true},
		{"/ip address print where chain=input !(comment=x)", true},
	}
	for _, tt := range tests {
		b, err := Parse(tt.src, testTree(), nil)
		if err != nil {
			t.Fatalf("%s: %v", tt.src, err)
		}
		rec := &recorder{}
		if err := NewInterp(rec).Run(context.Background(), b); err != nil {
			t.Fatalf("%s: %v", tt.src, err)
		}
		got, err := rec.calls[0].Where(lookup)
		if err != nil || got != tt.want {
			t.Errorf("%s = %v, %v; want %v", tt.src, got, err, tt.want)
		}
	}
}

// leaseTree has the menus the lease scripts use.
func leaseTree() *Tree {
	t := testTree()
	params := map[string]bool{"list": true, "address": true, "disabled": true, "comment": true, "name": true, "ttl": true}
	for _, p := range []string{"ip firewall address-list", "ip dns static", "ip dhcp-server lease"} {
		t.Add(p, map[string]*Syntax{
			"add":    {Params: params},
			"set":    {Params: params, Unnamed: 1},
			"remove": {Unnamed: 1},
			"find":   {Expr: true},
			"print":  {Flags: map[string]bool{"as-value": true}, Where: true},
		})
	}
	return t
}

// method6 is the lease script of method 6 of the forum post (seed/).
const method6 = `:if ($bound=1) do={
/ip firewall address-list set [/ip firewall address-list find where comment="wan1ip"] address=$"lease-address" disabled=no
} else={
/ip firewall address-list set [/ip firewall address-list find where comment="wan1ip"] disabled=yes
}`

func TestMethod6Script(t *testing.T) {
	leaseVars := []string{"bound", "server-address", "lease-address", "interface", "gateway-address"}
	if _, err := ParseWith(method6, ParseOptions{Schema: leaseTree(), Strict: true}); err == nil || !strings.Contains(err.Error(), "syntax error (line 1 column 7)") {
		t.Fatalf("without injected variables: %v", err)
	}
	b, err := ParseWith(method6, ParseOptions{Schema: leaseTree(), Strict: true, Declared: leaseVars})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		bound Value
		want  []string
	}{
		{Num(1), []string{"/ip firewall address-list find", "/ip firewall address-list set address=203.0.113.7 disabled=no <*1,*2>"}},
		{Str("0"), []string{"/ip firewall address-list find", "/ip firewall address-list set disabled=yes <*1,*2>"}},
	} {
		rec := &recorder{}
		in := NewInterp(rec)
		in.Globals["bound"] = tc.bound
		in.Globals["lease-address"] = Str("203.0.113.7")
		if err := in.Run(context.Background(), b); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range rec.calls {
			got = append(got, describe(c))
		}
		if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("bound=%v:\n%s\nwant\n%s", tc.bound, strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
		}
	}
}

// dhcpToDNS is the widely copied DHCP server lease script docs/routeros.md describes
// (cameronm77/mikrotik scripts/dhcp-settings.rsc), as its source reads
// once the export's escapes are undone; its ":delay 1" is 1ms here so that
// the test does not wait.
const dhcpToDNS = `# When "1" all DNS entries with IP address of DHCP lease are removed
:local dnsRemoveAllByIp "1"
:local dnsRemoveAllByName "1"
:local dnsAlwaysNonfqdn "1"
:local dnsDomain "YOURDOMAIN"
:local dnsTtl "00:15:00"
:local leaseClientHostnameSource "lease-hostname"

:local leaseComment "dhcp-lease-script_$leaseServerName_$leaseClientHostnameSource"
:local leaseClientHostname
:if ($leaseClientHostnameSource = "lease-hostname") do={
  :set leaseClientHostname $"lease-hostname"
} else={
  :set leaseClientHostname ([:pick \
    [/ip dhcp-server lease print as-value where server="$leaseServerName" address="$leaseActIP" mac-address="$leaseActMAC"] \
    0]->"$leaseClientHostnameSource")
}
:local leaseClientHostnames "$leaseClientHostname"
:if ([:len [$dnsDomain]] > 0) do={
  :if ($dnsAlwaysNonfqdn = "1") do={
    :set leaseClientHostnames "$leaseClientHostname.$dnsDomain,$leaseClientHostname"
  } else={
    :set leaseClientHostnames "$leaseClientHostname.$dnsDomain"
  }
}
:if ($dnsRemoveAllByIp = "1") do={
  /ip dns static remove [/ip dns static find comment="$leaseComment" and address="$leaseActIP"]
}
:foreach h in=[:toarray value="$leaseClientHostnames"] do={
  :if ($dnsRemoveAllByName = "1") do={
    /ip dns static remove [/ip dns static find comment="$leaseComment" and name="$h"]
  }
  /ip dns static remove [/ip dns static find comment="$leaseComment" and address="$leaseActIP" and name="$h"]
  :if ($leaseBound = "1") do={
    :delay 1ms
    /ip dns static add comment="$leaseComment" address="$leaseActIP" name="$h" ttl="$dnsTtl"
  }
}`

func TestDHCPToDNSScript(t *testing.T) {
	vars := map[string]Value{
		"leaseBound": Str("1"), "leaseServerName": Str("dhcp1"), "leaseActMAC": Str("02:00:00:00:00:01"),
		"leaseActIP": Str("192.168.88.20"), "lease-hostname": Str("laptop"),
	}
	var names []string
	for k := range vars {
		names = append(names, k)
	}
	b, err := ParseWith(dhcpToDNS, ParseOptions{Schema: leaseTree(), Strict: true, Declared: names})
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	in := NewInterp(rec)
	for k, v := range vars {
		in.Globals[k] = v
	}
	if err := in.Run(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	var adds []string
	for _, c := range rec.calls {
		if c.Verb == "add" {
			adds = append(adds, describe(c))
		}
	}
	want := []string{
		"/ip dns static add comment=dhcp-lease-script_dhcp1_lease-hostname address=192.168.88.20 name=laptop.YOURDOMAIN ttl=00:15:00",
		"/ip dns static add comment=dhcp-lease-script_dhcp1_lease-hostname address=192.168.88.20 name=laptop ttl=00:15:00",
	}
	if strings.Join(adds, "\n") != strings.Join(want, "\n") {
		t.Errorf("adds:\n%s\nwant:\n%s", strings.Join(adds, "\n"), strings.Join(want, "\n"))
	}
	// 1 remove by address, then per name two removes and one add.
	if n := len(rec.calls); n != 2+2*(2+2+1) {
		t.Errorf("%d calls", n)
	}
}

func TestRuntimeErrorIsPlaced(t *testing.T) {
	_, err := runStrict(":local a {1}\n:put [:pick $a 0]\n:put (1 / 0)", nil, &recorder{}, nil)
	var se *Error
	if !errors.As(err, &se) || se.Pos != (Pos{Line: 3, Col: 9}) {
		t.Fatalf("error = %v", err)
	}
}
