package kernel

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestRenderAcceptedShapes: configurations RouterOS accepts that were
// render errors (a sweep of the renderer's errors reachable from parsed
// properties): each renders, and as root its text loads for real into a
// scratch namespace (nft -c skips the kernel's per-hook checks that refused
// meta ipsec and ether saddr on the output hooks). want are lines the text
// must hold, gone comments of rules that must be left out (they never
// match on their hook).
func TestRenderAcceptedShapes(t *testing.T) {
	cases := []struct {
		name       string
		st         *State
		want, gone []string
	}{
		{"jump to a built-in chain", &State{Filter: []Rule{
			rule("*1", "chain=mine", "action=jump", "jump-target=forward"),
			rule("*2", "chain=forward", "protocol=udp", "action=accept"),
			rule("*3", "chain=forward", "protocol=tcp", "action=drop"),
			rule("*4", "chain=input", "protocol=icmp", "action=jump", "jump-target=mine"),
		}}, []string{
			`counter jump filter_user_forward comment "*1"`,
			"chain filter_user_forward {",
			"type filter hook forward priority filter; policy accept;",
			"chain filter_user_forward {\n\t\tmeta l4proto udp counter accept comment \"*2\"\n\t\tmeta l4proto tcp counter drop comment \"*3\"\n\t}",
		}, nil},
		{"ipsec-policy=in on the output hooks", &State{
			Filter: []Rule{rule("*1", "chain=output", "ipsec-policy=in,ipsec", "action=drop"), rule("*2", "chain=forward", "ipsec-policy=in,ipsec")},
			NAT:    []Rule{rule("*3", "chain=srcnat", "ipsec-policy=in,none", "action=masquerade")},
			Mangle: []Rule{rule("*4", "chain=postrouting", "ipsec-policy=in,ipsec", "action=accept"), rule("*5", "chain=output", "ipsec-policy=in,none", "action=accept")},
		}, []string{`meta ipsec exists counter accept comment "*2"`}, []string{`"*1"`, `"*3"`, `"*4"`, `"*5"`}},
		{"src-mac-address on the output hooks", &State{
			Filter: []Rule{rule("*1", "chain=output", "src-mac-address=00:11:22:33:44:55", "action=drop"), rule("*2", "chain=input", "src-mac-address=00:11:22:33:44:55", "action=drop")},
			Mangle: []Rule{rule("*3", "chain=postrouting", "src-mac-address=!00:11:22:33:44:55", "action=accept")},
		}, []string{`ether saddr 00:11:22:33:44:55 counter drop comment "*2"`}, []string{`"*1"`, `"*3"`}},
		{"netmap to a range of six", &State{NAT: []Rule{
			rule("*1", "chain=dstnat", "dst-address=203.0.113.0-203.0.113.5", "action=netmap", "to-addresses=192.168.1.0-192.168.1.5"),
			rule("*2", "chain=srcnat", "src-address=192.168.2.0/24", "action=netmap", "to-addresses=203.0.113.10-203.0.113.12"),
			rule("*3", "chain=srcnat", "src-address=192.168.3.0/24", "action=netmap", "to-addresses=203.0.113.16-203.0.113.23"),
		}}, []string{
			`dnat ip prefix to 192.168.1.0-192.168.1.5 comment "*1"`,
			`snat ip prefix to 203.0.113.10-203.0.113.12 comment "*2"`,
			`snat ip prefix to 203.0.113.16/29 comment "*3"`,
		}, nil},
		// A prefix netmap with to-ports (forum53 D1): the host bits pick
		// the mapped address and the port goes with it; a /31 and a /24
		// load, a range that is no prefix keeps its address map only.
		{"netmap of a prefix with to-ports", &State{NAT: []Rule{
			rule("*1", "chain=dstnat", "dst-address=203.0.113.10/31", "protocol=tcp", "dst-port=9080", "action=netmap", "to-addresses=192.168.88.10/31", "to-ports=8080"),
			rule("*2", "chain=srcnat", "src-address=192.168.88.0/24", "protocol=udp", "action=netmap", "to-addresses=198.51.100.0/24", "to-ports=40000-40100"),
			rule("*3", "chain=dstnat", "dst-address=203.0.113.0-203.0.113.5", "protocol=tcp", "action=netmap", "to-addresses=192.168.1.0-192.168.1.5", "to-ports=80"),
		}}, []string{
			`dnat ip to ip daddr & 0.0.0.1 map { 0.0.0.0 : 192.168.88.10 . 8080, 0.0.0.1 : 192.168.88.11 . 8080 } comment "*1"`,
			`snat ip to ip saddr & 0.0.0.255 map { 0.0.0.0 : 198.51.100.0 . 40000-40100, 0.0.0.1 : 198.51.100.1 . 40000-40100,`,
			`0.0.0.255 : 198.51.100.255 . 40000-40100 } comment "*2"`,
			`dnat ip prefix to 192.168.1.0-192.168.1.5 comment "*3"`,
		}, nil},
		{"clamp-to-pmtu before routing", &State{Mangle: []Rule{
			rule("*1", "chain=prerouting", "protocol=tcp", "tcp-flags=syn", "action=change-mss", "new-mss=clamp-to-pmtu"),
			rule("*2", "chain=forward", "protocol=tcp", "tcp-flags=syn", "action=change-mss", "new-mss=clamp-to-pmtu"),
		}}, []string{`counter tcp option maxseg size set rt mtu comment "*2"`}, []string{`"*1"`}},
		// A user chain reached from hooks that refuse one of its
		// matchers: it is rendered per reaching built-in chain, the rule
		// kept where it matches and left out where it never does.
		{"ipsec-policy=in in a user chain reached from output", &State{Filter: []Rule{
			rule("*1", "chain=output", "action=jump", "jump-target=vpn"),
			rule("*2", "chain=forward", "action=jump", "jump-target=vpn"),
			rule("*3", "chain=vpn", "ipsec-policy=in,ipsec", "action=accept"),
			rule("*4", "chain=vpn", "protocol=udp", "action=drop"),
		}}, []string{
			"chain filter_output {\n\t\ttype filter hook output priority filter; policy accept;\n\t\tcounter jump filter_user_vpn_at_output comment \"*1\"",
			"counter jump filter_user_vpn_at_forward comment \"*2\"",
			"chain filter_user_vpn_at_forward {\n\t\tmeta ipsec exists counter accept comment \"*3\"\n\t\tmeta l4proto udp counter drop comment \"*4\"\n\t}",
			"chain filter_user_vpn_at_output {\n\t\tmeta l4proto udp counter drop comment \"*4\"\n\t}",
		}, nil},
		{"clamp-to-pmtu in a user chain reached from prerouting", &State{Mangle: []Rule{
			rule("*1", "chain=prerouting", "action=jump", "jump-target=mss"),
			rule("*2", "chain=forward", "action=jump", "jump-target=mss"),
			rule("*3", "chain=mss", "protocol=tcp", "tcp-flags=syn", "action=change-mss", "new-mss=clamp-to-pmtu"),
		}}, []string{
			"chain mangle_user_mss_at_forward {\n\t\tmeta l4proto tcp tcp flags & (syn) == syn counter tcp option maxseg size set rt mtu comment \"*3\"\n\t}",
			"chain mangle_user_mss_at_prerouting {\n\t}",
		}, nil},
		// Through a second user chain and a built-in chain as
		// jump-target: the copy of chain=forward reached from output
		// leaves out forward's ipsec-policy=in rule.
		{"ipsec-policy=in in a built-in chain jumped to from output", &State{Filter: []Rule{
			rule("*1", "chain=output", "action=jump", "jump-target=a"),
			rule("*2", "chain=a", "action=jump", "jump-target=forward"),
			rule("*3", "chain=forward", "ipsec-policy=in,none", "action=drop"),
			rule("*4", "chain=forward", "protocol=icmp", "action=accept"),
		}}, []string{
			"counter jump filter_user_a_at_output comment \"*1\"",
			"chain filter_user_a_at_output {\n\t\tcounter jump filter_user_forward_at_output comment \"*2\"\n\t}",
			"chain filter_user_forward_at_output {\n\t\tmeta l4proto icmp counter accept comment \"*4\"\n\t}",
			"chain filter_forward {\n\t\ttype filter hook forward priority filter; policy accept;\n\t\tmeta ipsec missing counter drop comment \"*3\"",
		}, nil},
		// A built-in nat chain as jump-target from the other direction:
		// the copy for dstnat's packets leaves out the masquerade (valid
		// only in srcnat) and maps the netmap as dstnat does.
		{"a jump from dstnat to srcnat", &State{NAT: []Rule{
			rule("*1", "chain=dstnat", "protocol=udp", "action=jump", "jump-target=srcnat"),
			rule("*2", "chain=srcnat", "out-interface=ether1", "action=masquerade"),
			rule("*3", "chain=srcnat", "dst-address=203.0.113.8/30", "action=netmap", "to-addresses=192.168.1.8/30"),
			rule("*4", "chain=srcnat", "protocol=udp", "dst-port=53", "action=accept"),
		}}, []string{
			`counter jump nat_user_srcnat_at_dstnat comment "*1"`,
			"chain nat_user_srcnat_at_dstnat {\n\t\tip daddr 203.0.113.8/30 counter dnat ip prefix to 192.168.1.8/30 comment \"*3\"\n\t\tmeta l4proto udp th dport 53 counter accept comment \"*4\"\n\t}",
			`oifname "ether1" counter ct label set 127 masquerade comment "*2"`,
			`ip daddr 203.0.113.8/30 counter snat ip prefix to 192.168.1.8/30 comment "*3"`,
		}, nil},
		// Jump loops: nft refuses them; the jump that closes the loop is
		// left out (it never jumps), every other rule acts.
		{"jump loops", &State{Filter: []Rule{
			rule("*1", "chain=input", "action=jump", "jump-target=a"),
			rule("*2", "chain=a", "protocol=tcp", "action=jump", "jump-target=b"),
			rule("*3", "chain=b", "protocol=tcp", "dst-port=22", "action=accept"),
			rule("*4", "chain=b", "action=jump", "jump-target=a"),
			rule("*5", "chain=c", "action=jump", "jump-target=c"),
			rule("*6", "chain=forward", "action=jump", "jump-target=mine"),
			rule("*7", "chain=mine", "action=jump", "jump-target=forward"),
			rule("*8", "chain=mine", "protocol=udp", "action=drop"),
		}}, []string{
			`counter jump filter_user_b comment "*2"`,
			`th dport 22 counter accept comment "*3"`,
			`counter jump filter_user_mine comment "*6"`,
			`meta l4proto udp counter drop comment "*8"`,
		}, []string{`"*4"`, `"*5"`, `"*7"`}},
		{"an empty time window", &State{Filter: []Rule{
			rule("*1", "chain=forward", "time=10h-10h,mon", "action=drop"),
			rule("*2", "chain=forward", "time=0s-0s", "action=drop"),
		}}, []string{
			`meta hour "00:00:00"-"23:59:59" meta day { 1 } counter drop comment "*1"`,
			`meta hour "00:00:00"-"23:59:59" counter drop comment "*2"`,
		}, nil},
	}
	load := nftLoader(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.st.InterfaceLists == nil {
				c.st.InterfaceLists = map[string][]string{}
			}
			text, err := Render(c.st)
			if err != nil {
				t.Fatalf("render: %v", err)
			}
			for _, w := range c.want {
				if !strings.Contains(text, w) {
					t.Errorf("no %q in:\n%s", w, text)
				}
			}
			for _, g := range c.gone {
				if strings.Contains(text, g) {
					t.Errorf("rule %s rendered (it never matches there):\n%s", g, text)
				}
			}
			load(t, text)
		})
	}
}

// nftLoad loads text for real into a namespace of its own (as root, when
// ip and nft are there): the kernel checks per hook what nft -c does not.
func nftLoad(t *testing.T, text string) {
	t.Helper()
	nftLoader(t)(t, text)
}

// nftLoader makes one namespace for t and returns what loads a text into
// it, for a test whose subtests each load one: an ip netns add and del
// took 0.4 to 2.7 s a subtest on the loaded 2-core machine (60 of them in
// TestRenderRandomJumps, 26 s), the nft load a few milliseconds. Each
// text is loaded behind a flush ruleset in the same nft -f, one
// transaction: the kernel checks it against an empty ruleset, as in a
// namespace of its own, whatever an earlier subtest loaded. The loads
// must not run at once (the subtests are not parallel).
func nftLoader(t *testing.T) func(*testing.T, string) {
	t.Helper()
	if os.Geteuid() != 0 {
		return func(t *testing.T, _ string) { t.Log("not root: not loaded") }
	}
	for _, tool := range []string{"ip", "nft"} {
		if _, err := exec.LookPath(tool); err != nil {
			return func(t *testing.T, _ string) { t.Logf("%s is not installed: not loaded", tool) }
		}
	}
	ns := nsName("accepted")
	if out, err := exec.Command("ip", "netns", "add", ns).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add %s: %v: %s", ns, err, out)
	}
	t.Cleanup(func() { exec.Command("ip", "netns", "del", ns).Run() })
	return func(t *testing.T, text string) {
		t.Helper()
		// The text shown is the one loaded, so that nft's line numbers fit.
		full := "flush ruleset\n" + text
		cmd := exec.Command("ip", "netns", "exec", ns, "nft", "-f", "-")
		cmd.Stdin = strings.NewReader(full)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("the kernel refuses the text: %v: %s\n%s", err, out, full)
		}
	}
}

// TestRender6AcceptedJumps: Render6 plans its chains as Render does: a
// user chain reached from output and from input keeps ipsec-policy=in
// where it matches (input) and leaves it out on output, and the jump that
// closes a loop is left out; the text loads (as root).
func TestRender6AcceptedJumps(t *testing.T) {
	v6 := &IPv6{Filter: []Rule{
		rule("*1", "chain=output", "action=jump", "jump-target=vpn"),
		rule("*2", "chain=input", "action=jump", "jump-target=vpn"),
		rule("*3", "chain=vpn", "ipsec-policy=in,ipsec", "action=accept"),
		rule("*4", "chain=vpn", "action=jump", "jump-target=back"),
		rule("*5", "chain=back", "action=jump", "jump-target=vpn"),
	}}
	text, err := Render6(v6, map[string][]string{})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{
		"chain filter_user_vpn_at_input {\n\t\tmeta ipsec exists counter accept comment \"*3\"\n\t\tcounter jump filter_user_back_at_input comment \"*4\"\n\t}",
		"chain filter_user_vpn_at_output {\n\t\tcounter jump filter_user_back_at_output comment \"*4\"\n\t}",
	} {
		if !strings.Contains(text, w) {
			t.Errorf("no %q in:\n%s", w, text)
		}
	}
	if strings.Contains(text, `"*5"`) {
		t.Errorf("the jump closing the loop is rendered:\n%s", text)
	}
	nftLoad(t, text)
}
