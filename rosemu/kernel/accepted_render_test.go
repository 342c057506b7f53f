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
		{"clamp-to-pmtu before routing", &State{Mangle: []Rule{
			rule("*1", "chain=prerouting", "protocol=tcp", "tcp-flags=syn", "action=change-mss", "new-mss=clamp-to-pmtu"),
			rule("*2", "chain=forward", "protocol=tcp", "tcp-flags=syn", "action=change-mss", "new-mss=clamp-to-pmtu"),
		}}, []string{`counter tcp option maxseg size set rt mtu comment "*2"`}, []string{`"*1"`}},
		{"an empty time window", &State{Filter: []Rule{
			rule("*1", "chain=forward", "time=10h-10h,mon", "action=drop"),
			rule("*2", "chain=forward", "time=0s-0s", "action=drop"),
		}}, []string{
			`meta hour "00:00:00"-"23:59:59" meta day { 1 } counter drop comment "*1"`,
			`meta hour "00:00:00"-"23:59:59" counter drop comment "*2"`,
		}, nil},
	}
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
			nftLoad(t, text)
		})
	}
}

// nftLoad loads text for real into a namespace of its own (as root, when
// ip and nft are there): the kernel checks per hook what nft -c does not.
func nftLoad(t *testing.T, text string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Log("not root: not loaded")
		return
	}
	for _, tool := range []string{"ip", "nft"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Logf("%s is not installed: not loaded", tool)
			return
		}
	}
	ns := nsName("accepted-")
	if out, err := exec.Command("ip", "netns", "add", ns).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add %s: %v: %s", ns, err, out)
	}
	defer exec.Command("ip", "netns", "del", ns).Run()
	cmd := exec.Command("ip", "netns", "exec", ns, "nft", "-f", "-")
	cmd.Stdin = strings.NewReader(text)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("the kernel refuses the text: %v: %s\n%s", err, out, text)
	}
}
