package kernel

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the renderer's output")

func goldenNames() []string {
	var names []string
	for n := range goldenStates() {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func TestRenderGolden(t *testing.T) {
	for _, name := range goldenNames() {
		t.Run(name, func(t *testing.T) {
			got, err := Render(goldenStates()[name])
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			again, _ := Render(goldenStates()[name])
			if got != again {
				t.Fatalf("Render is not deterministic for %s", name)
			}
			path := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("read golden file (run go test -run TestRenderGolden -update to create it): %v", err)
			}
			if got != string(want) {
				t.Errorf("Render(%s) differs from %s (rerun with -update after checking):\n%s", name, path, diffLines(string(want), got))
			}
		})
	}
}

// diffLines shows the first differing lines, enough to see what changed.
func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\n  want %q\n  got  %q", i+1, wl, gl)
		}
	}
	return "(no line differs)"
}

// TestGoldenNftCheck proves that every golden text is real nft syntax with
// `nft -c -f`. Check mode skips some kernel validation (expressions allowed
// only on some hooks), so as root the text is also loaded for real into a
// scratch network namespace. Each golden file has a namespace of its own
// and its subtest runs in parallel with the others: the eleven files one
// after another took 38 s of the package's parallel phase (four nft runs
// each, mostly waiting), and in one shared namespace a file's load could
// replace the table another file's subtest is counting.
func TestGoldenNftCheck(t *testing.T) {
	t.Parallel()
	nft, err := exec.LookPath("nft")
	if err != nil {
		t.Skip("nft is not installed: cannot prove the golden files are valid nftables syntax")
	}
	root := false
	if os.Geteuid() == 0 {
		if _, err := exec.LookPath("ip"); err == nil {
			root = true
		}
	}
	for _, name := range goldenNames() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join("testdata", name+".golden")
			if out, err := exec.Command(nft, "-c", "-f", path).CombinedOutput(); err != nil {
				t.Fatalf("nft -c -f %s: %v\n%s", path, err, out)
			}
			if !root {
				t.Log("not root: loaded in check mode only")
				return
			}
			ns := nsName("golden")
			if out, err := exec.Command("ip", "netns", "add", ns).CombinedOutput(); err != nil {
				t.Fatalf("ip netns add %s: %v: %s", ns, err, out)
			}
			t.Cleanup(func() { exec.Command("ip", "netns", "del", ns).Run() })
			// Loading twice proves the create-delete-create prologue
			// replaces an existing table.
			for i := 0; i < 2; i++ {
				if out, err := exec.Command("ip", "netns", "exec", ns, nft, "-f", path).CombinedOutput(); err != nil {
					t.Fatalf("load %s into namespace %s (pass %d): %v\n%s", path, ns, i+1, err, out)
				}
			}
			out, err := exec.Command("ip", "netns", "exec", ns, nft, "list", "table", "ip", TableName).CombinedOutput()
			if err != nil {
				t.Fatalf("list the loaded table: %v\n%s", err, out)
			}
			want := strings.Count(ruleLines(t, path), "\n")
			if got := strings.Count(string(out), " comment \""); got < want {
				t.Errorf("the kernel holds %d commented rules, the golden file has %d", got, want)
			}
		})
	}
}

// ruleLines returns the rule lines (those with a counter) of a golden file.
func ruleLines(t *testing.T, path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, l := range strings.Split(string(data), "\n") {
		if strings.Contains(l, " counter") {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

func TestRenderRules(t *testing.T) {
	// Each case renders one rule in the given table and expects this line.
	cases := []struct {
		table string
		rule  Rule
		want  string
	}{
		{"filter", rule("*1", "chain=input", "src-address=!1.2.3.0/24", "action=drop"),
			`ip saddr != 1.2.3.0/24 counter drop comment "*1"`},
		{"filter", rule("*1", "chain=input", "dst-address=192.168.88.1/24"),
			`ip daddr 192.168.88.0/24 counter accept comment "*1"`},
		{"filter", rule("*1", "chain=input", "protocol=tcp", "dst-port=80,443,8000-8080", "action=accept"),
			`meta l4proto tcp th dport { 80, 443, 8000-8080 } counter accept comment "*1"`},
		{"filter", rule("*1", "chain=input", "dst-address-list=!L"),
			`ip daddr != @al_L counter accept comment "*1"`},
		{"filter", rule("*1", "chain=forward", "connection-nat-state=!dstnat"),
			`ct status & dnat == 0 counter accept comment "*1"`},
		{"filter", rule("*1", "chain=forward", "ipsec-policy=out,none"),
			`ip saddr . ip daddr != @ipsec_out counter accept comment "*1"`},
		{"filter", rule("*1", "chain=input", "action=passthrough", "comment=x"),
			`counter comment "*1 x"`},
		{"filter", rule("*1", "chain=input", "action=log", "log-prefix=FW"),
			`counter log prefix "FW input: " comment "*1"`},
		{"nat", rule("*2", "chain=dstnat", "action=dst-nat", "protocol=tcp", "to-addresses=10.0.0.1", "to-ports=80"),
			`meta l4proto tcp counter dnat to 10.0.0.1:80 comment "*2"`},
		{"nat", rule("*2", "chain=srcnat", "action=masquerade"),
			`counter ct label set 127 masquerade comment "*2"`},
		{"filter", rule("*1", "chain=input", "action=tarpit", "protocol=tcp", "src-address-list=scanners"),
			`ip saddr @al_scanners meta l4proto tcp counter drop comment "*1"`},
		{"filter", rule("*1", "chain=input", "ipv4-options=any", "action=drop"),
			`ip hdrlength > 5 counter drop comment "*1"`},
		{"filter", rule("*1", "chain=input", "ipv4-options=no-source-routing"),
			`ip option lsrr missing ip option ssrr missing counter accept comment "*1"`},
		{"filter", rule("*1", "chain=forward", "action=drop", "time=22h-6h,mon,tue"),
			`meta hour { "22:00:00"-"23:59:59", "00:00:00"-"05:59:59" } meta day { 1, 2 } counter drop comment "*1"`},
		{"filter", rule("*1", "chain=forward", "action=accept", "limit=10M/1s,5M:bit"),
			`limit name "lim__2a1" counter accept comment "*1"`},
		{"filter", rule("*1", "chain=forward", "action=accept", "limit=10M/1s,5M:bit"),
			`rate 1250000 bytes/second burst 625000 bytes`},
		{"nat", rule("*2", "chain=srcnat", "action=endpoint-independent-nat", "protocol=udp", "randomise-ports=no"),
			`meta l4proto udp counter ct label set 127 masquerade comment "*2"`},
		{"nat", rule("*2", "chain=srcnat", "action=endpoint-independent-nat", "protocol=udp", "to-addresses=192.0.2.1"),
			`meta l4proto udp counter snat to 192.0.2.1 comment "*2"`},
		{"nat", rule("*2", "chain=dstnat", "action=endpoint-independent-nat", "protocol=udp", "in-interface=ether1"),
			`meta l4proto udp iifname "ether1" counter comment "*2"`},
		{"nat", rule("*2", "chain=dstnat", "action=dst-nat", "protocol=tcp", "dst-port=2222", "to-ports=22"),
			`meta l4proto tcp th dport 2222 counter dnat to :22 comment "*2"`},
		{"nat", rule("*2", "chain=srcnat", "action=src-nat", "protocol=udp", "src-port=123", "to-ports=12300"),
			`meta l4proto udp th sport 123 counter snat to :12300 comment "*2"`},
		// forum38 D4: neither to-addresses nor to-ports: accepted, the
		// packet kept as is (it was refused "port-only translation is
		// not supported" at column 1).
		{"nat", rule("*2", "chain=dstnat", "action=dst-nat", "protocol=tcp", "dst-port=82"),
			`meta l4proto tcp th dport 82 counter accept comment "*2"`},
		{"nat", rule("*2", "chain=srcnat", "action=src-nat", "out-interface=ether1", "to-addresses=0.0.0.0"),
			`oifname "ether1" counter accept comment "*2"`},
		{"nat", rule("*2", "chain=dstnat", "action=redirect", "protocol=udp", "to-ports=53"),
			`meta l4proto udp counter redirect to :53 comment "*2"`},
		{"nat", rule("*2", "chain=dstnat", "action=netmap", "to-addresses=10.1.0.0/16"),
			`counter dnat ip prefix to 10.1.0.0/16 comment "*2"`},
		{"nat", rule("*2", "chain=srcnat", "action=src-nat", "to-addresses=1.2.3.4-1.2.3.9", "disabled=no"),
			`counter snat to 1.2.3.4-1.2.3.9 comment "*2"`},
	}
	for _, c := range cases {
		st := &State{InterfaceLists: map[string][]string{}}
		if c.table == "nat" {
			st.NAT = []Rule{c.rule}
		} else {
			st.Filter = []Rule{c.rule}
		}
		out, err := Render(st)
		if err != nil {
			t.Errorf("Render(%v): %v", c.rule.Props, err)
			continue
		}
		if !strings.Contains(out, "\t\t"+c.want+"\n") {
			t.Errorf("Render(%v): no line %q in\n%s", c.rule.Props, c.want, out)
		}
	}
}

func TestRenderErrors(t *testing.T) {
	cases := []struct {
		table   string
		rule    Rule
		wantErr string
	}{
		{"filter", rule("*1", "chain=input", "dst-port=80"), "dst-port: needs protocol"},
		{"filter", rule("*1", "chain=input", "protocol=!tcp", "dst-port=80"), "dst-port: needs protocol"},
		{"filter", rule("*1", "chain=input", "protocol=tcp", "dst-port=80-70"), "ascending range"},
		{"filter", rule("*1", "chain=input", "src-address=10.0.0.300"), "parse address"},
		{"filter", rule("*1", "chain=input", "src-address=2001:db8::1"), "IPv4"},
		{"filter", rule("*1", "chain=input", "protocol=bogus"), "parse protocol"},
		{"filter", rule("*1", "chain=input", "connection-state=weird"), "parse connection state"},
		{"filter", rule("*1", "chain=input", "tcp-flags=syn"), "tcp-flags: needs protocol=tcp"},
		{"filter", rule("*1", "chain=input", "action=jump"), "jump-target is missing"},
		{"filter", rule("*1", "chain=input", "action=reject", "reject-with=tcp-reset"), "needs protocol=tcp"},
		{"filter", rule("*1", "chain=input", "action=add-src-to-address-list"), "address-list is missing"},
		{"filter", rule("*1", "chain=input", "action=same", "protocol=tcp"), "not supported"},
		{"filter", rule("*1", "chain=input", "action=dst-nat", "to-addresses=1.2.3.4"), "not supported in filter chains"},
		{"filter", rule("*1", "chain=input", "in-interface-list=NOPE"), `interface list "NOPE" does not exist`},
		{"filter", rule("*1", "chain=input", "dst-address-type=anycast"), "parse address type"},
		{"filter", rule("*1", "action=drop"), "chain is missing"},
		{"nat", rule("*1", "chain=srcnat", "action=dst-nat", "to-addresses=1.2.3.4"), "only valid in chain=dstnat or chain=output"},
		{"nat", rule("*1", "chain=dstnat", "action=masquerade"), "only valid in chain=srcnat"},
		{"nat", rule("*1", "chain=dstnat", "action=dst-nat", "to-addresses=1.2.3.4", "to-ports=80"), "to-ports=80: needs protocol"},
		{"nat", rule("*1", "chain=mine", "action=netmap", "to-addresses=10.0.0.0/8", "to-ports=80"), "to-ports=80: needs protocol"},
		{"nat", rule("*1", "chain=dstnat", "action=same"), "to-addresses is missing"},
		{"nat", rule("*1", "chain=dstnat", "action=reject"), "only valid in filter chains"},
	}
	for _, c := range cases {
		st := &State{InterfaceLists: map[string][]string{}}
		if c.table == "nat" {
			st.NAT = []Rule{c.rule}
		} else {
			st.Filter = []Rule{c.rule}
		}
		_, err := Render(st)
		if err == nil || !strings.Contains(err.Error(), c.wantErr) {
			t.Errorf("Render(%s %v) error = %v, want one containing %q", c.table, c.rule.Props, err, c.wantErr)
		}
	}
}

func TestIdentInjective(t *testing.T) {
	seen := map[string]string{}
	for _, n := range []string{"a-b", "a_b", "a_2db", "a b", "a/b", "ab", "A-B", "é"} {
		id, err := ident("c_", n)
		if err != nil {
			t.Fatal(err)
		}
		if prev, dup := seen[id]; dup {
			t.Errorf("ident maps both %q and %q to %q", prev, n, id)
		}
		seen[id] = n
	}
}

func TestIntervalElements(t *testing.T) {
	got, err := intervalElements([]AddrEntry{prefix("10.1.0.0/16"), prefix("10.0.0.0/8"), span("192.168.1.0", "192.168.1.127"), host("192.168.1.128"), span("1.1.1.1", "1.1.1.3")})
	if err != nil {
		t.Fatal(err)
	}
	want := "1.1.1.1-1.1.1.3, 10.0.0.0/8, 192.168.1.0-192.168.1.128"
	if s := strings.Join(got, ", "); s != want {
		t.Errorf("intervalElements = %s, want %s", s, want)
	}
}

// TestRenderUnmatchable: a rule with a matcher nftables cannot express
// (port-scan detection, a payload string) is left out, and
// NeverMatches names the matcher.
func TestRenderUnmatchable(t *testing.T) {
	st := &State{InterfaceLists: map[string][]string{}, AddressLists: map[string][]AddrEntry{}}
	st.Filter = []Rule{
		rule("*1", "chain=input", "action=add-src-to-address-list", "address-list=scanners", "address-list-timeout=2w", "protocol=tcp", "psd=21,3s,3,1"),
		rule("*2", "chain=forward", "action=drop", "content=youtube"),
		rule("*3", "chain=input", "action=accept", "protocol=icmp"),
		// No connection is related through quake3 (connTypeMatch).
		rule("*4", "chain=forward", "action=accept", "connection-type=quake3"),
	}
	st.Mangle = []Rule{rule("*5", "chain=prerouting", "action=route", "route-dst=192.0.2.1", "src-address=10.0.0.5"),
		// A classifier remainder of its denominator (a 7.1.1 export's
		// 2/2) is no class: the rule never matches; 2/1 is a class.
		rule("*6", "chain=prerouting", "action=mark-connection", "new-connection-mark=b", "per-connection-classifier=both-addresses-and-ports:2/2"),
		rule("*7", "chain=prerouting", "action=mark-connection", "new-connection-mark=b", "per-connection-classifier=both-addresses-and-ports:2/1")}
	out, err := Render(st)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, `"*1"`) || strings.Contains(out, `"*2"`) || !strings.Contains(out, `"*3"`) || strings.Contains(out, `"*4"`) ||
		!strings.Contains(out, `ip saddr 10.0.0.5 counter comment "*5"`) || strings.Contains(out, `"*6"`) || !strings.Contains(out, `"*7"`) {
		t.Errorf("ruleset:\n%s", out)
	}
	if got := NeverMatches(st.Filter[0].Props); got != "psd" {
		t.Errorf("NeverMatches = %q", got)
	}
	if got := NeverMatches(st.Mangle[1].Props); got != "per-connection-classifier" {
		t.Errorf("NeverMatches(2/2) = %q", got)
	}
}

// TestConnectionRateSets: RouterOS measures a connection's rate once a
// second (0 in its first); rosemu's sampler keeps a set of ct ids per
// rule. Where rate 0 matches, the set holds the connections measured
// outside and the rule matches the ids not in it; a range with both ends
// inside renders too; every rate needs no set, and its negation never
// matches.
func TestConnectionRateSets(t *testing.T) {
	st := &State{InterfaceLists: map[string][]string{}, AddressLists: map[string][]AddrEntry{}}
	st.Filter = []Rule{
		rule("*1", "chain=forward", "action=accept", "connection-bytes=0-1000000", "connection-rate=0-100k", "protocol=tcp"),
		rule("*2", "chain=forward", "action=drop", "connection-rate=200k-100M", "protocol=tcp"),
		rule("*3", "chain=forward", "action=drop", "connection-rate=!0-100k", "protocol=udp"),
		rule("*4", "chain=forward", "action=accept", "connection-rate=!200k-100M", "protocol=udp"),
		rule("*5", "chain=forward", "action=accept", "connection-rate=0-4294967295", "protocol=udp"),
		rule("*6", "chain=forward", "action=accept", "connection-rate=!0-4294967295", "protocol=udp"),
	}
	out, err := Render(st)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"*1": "meta l4proto { tcp, udp } ct id != @cr__2a1 ",
		"*2": "meta l4proto { tcp, udp } ct id @cr__2a2 ",
		"*3": "meta l4proto { tcp, udp } ct id @cr__2a3 ",
		"*4": "meta l4proto { tcp, udp } ct id != @cr__2a4 ",
		"*5": "meta l4proto { tcp, udp }",
	}
	for id, w := range want {
		found := false
		for _, l := range strings.Split(out, "\n") {
			if strings.Contains(l, `comment "`+id+`"`) {
				found = true
				if !strings.Contains(l, w) {
					t.Errorf("rule %s: %s\nwant %s", id, l, w)
				}
			}
		}
		if !found {
			t.Errorf("rule %s left out:\n%s", id, out)
		}
	}
	if strings.Contains(out, `"*6"`) {
		t.Errorf("!0-4294967295 rendered:\n%s", out)
	}
	specs := connRateSets(out)
	if len(specs) != 4 || specs["cr__2a2"] != (connRateSpec{lo: 200e3, hi: 100e6}) || specs["cr__2a3"] != (connRateSpec{hi: 100e3, neg: true}) {
		t.Errorf("connRateSets = %+v", specs)
	}
	for _, c := range []struct {
		v    string
		rate uint64
		want bool
	}{
		{"0-100k", 0, true}, {"0-100k", 100e3, true}, {"0-100k", 100e3 + 1, false},
		{"200k-100M", 0, false}, {"200k-100M", 8e6, true}, {"200k-100M", 100e6 + 1, false},
		{"!200k-100M", 0, true}, {"!200k-100M", 8e6, false}, {"!0-100k", 8e6, true}, {"!0-100k", 5e3, false},
	} {
		s, err := parseConnRate(c.v)
		if err != nil || s.matches(c.rate) != c.want {
			t.Errorf("connection-rate=%s at %d bit/s: %v %v, want %v", c.v, c.rate, s.matches(c.rate), err, c.want)
		}
	}
	if got := NeverMatches(st.Filter[1].Props); got != "" {
		t.Errorf("NeverMatches(200k-100M) = %q", got)
	}
	if got := NeverMatches(st.Filter[5].Props); got != "connection-rate" {
		t.Errorf("NeverMatches(!0-4294967295) = %q", got)
	}
}

// TestRenderForeignActionParams: another action's parameters on a mangle
// rule (route-dst on mark-connection, new-priority on mark-packet, a sniff
// target on accept) are inert: the rule renders with its own matchers and
// action. Before, the apply refused the whole configuration with "render
// properties route-dst: not supported by rosemu".
func TestRenderForeignActionParams(t *testing.T) {
	st := &State{InterfaceLists: map[string][]string{}, AddressLists: map[string][]AddrEntry{}}
	st.Mangle = []Rule{
		rule("*1", "chain=prerouting", "action=mark-connection", "new-connection-mark=c", "passthrough=yes", "route-dst=10.0.0.1", "src-address=10.0.0.5"),
		rule("*2", "chain=forward", "action=mark-packet", "new-packet-mark=p", "new-priority=3", "protocol=udp"),
		rule("*3", "chain=prerouting", "action=accept", "sniff-target=10.0.0.9", "sniff-target-port=37008", "sniff-id=1", "protocol=icmp"),
	}
	out, err := Render(st)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{`ip saddr 10.0.0.5 counter ct mark set`, `"*2"`, `"*3"`} {
		if !strings.Contains(out, id) {
			t.Errorf("no %s in the ruleset:\n%s", id, out)
		}
	}
	if strings.Contains(out, "10.0.0.1") || strings.Contains(out, "10.0.0.9") {
		t.Errorf("an inert parameter was rendered:\n%s", out)
	}
}
