package kernel

import (
	"net/netip"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestRenderIPsecPolicies (forum34 D1, D3): an encrypt policy with no SA
// drops what it covers after srcnat, and defconf's masquerade
// (ipsec-policy=out,none) leaves out what a policy covers; a level=use
// policy lets its traffic go in clear text and stays out of the
// ipsec-policy set, and a GRE tunnel's secret drops its GRE packets. The
// control: without policies no chain is written and the masquerade's
// set is empty. Where nft and a network namespace can be had, the text
// is loaded into one (unshare -n nft -f), so that the kernel takes it.
func TestRenderIPsecPolicies(t *testing.T) {
	pf := netip.MustParsePrefix
	masq := rule("*1", "chain=srcnat", "action=masquerade", "ipsec-policy=out,none", "comment=defconf: masquerade")
	st := &State{InterfaceLists: map[string][]string{}, NAT: []Rule{masq}, IPsecPolicies: []IPsecPolicy{
		{What: "ipsec policy *1", Src: []netip.Prefix{pf("192.168.88.0/24")}, Dst: []netip.Prefix{pf("10.77.0.0/24")}, Action: "encrypt", Level: "require"},
		{What: "ipsec policy *2", Src: []netip.Prefix{pf("192.168.88.0/24")}, Dst: []netip.Prefix{pf("10.99.0.0/24")}, Proto: 6, DstPort: "80", Action: "encrypt", Level: "use"},
		{What: "gre gre-a ipsec-secret", Src: []netip.Prefix{pf("203.0.113.2/32")}, Dst: []netip.Prefix{pf("198.51.100.61/32")}, Proto: 47, Action: "encrypt", Level: "require"},
	}}
	out, err := Render(st)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"\t\telements = { 192.168.88.0/24 . 10.77.0.0/24 }\n",
		"\t\ttype filter hook postrouting priority 450; policy accept;\n",
		"\t\tip saddr { 192.168.88.0/24 } ip daddr { 10.77.0.0/24 } counter drop comment \"ipsec policy *1: no SA, level=require\"\n",
		"\t\tip saddr { 192.168.88.0/24 } ip daddr { 10.99.0.0/24 } meta l4proto tcp th dport 80 counter accept comment \"ipsec policy *2: no SA, level=use: clear text\"\n",
		"\t\tip saddr { 203.0.113.2/32 } ip daddr { 198.51.100.61/32 } meta l4proto 47 counter drop comment \"gre gre-a ipsec-secret: no SA, level=require\"\n",
		"ip saddr . ip daddr != @ipsec_out counter ct label set 127 masquerade comment \"*1 defconf: masquerade\"\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	load(t, out)
	st.IPsecPolicies = nil
	out, err = Render(st)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "chain ipsec_policy") || strings.Contains(out, "elements") || !strings.Contains(out, "set ipsec_out {") {
		t.Errorf("without policies:\n%s", out)
	}
	load(t, out)
}

// TestRenderIPsecCarried (ipsec72): a policy whose SA is installed sends
// what it covers into strongSwan's TUN (a copy by dup, its original
// given ipsecSentMark, which the egress table drops on the other links),
// ahead of a later policy that would drop it; the copy crossing
// postrouting again is let through first. ipsec-policy=in,ipsec then
// matches what comes out of the TUN. The control: the same policy with
// no SA drops, in,ipsec stays the secpath's, and the egress table is
// only deleted. Both texts are loaded into a namespace with the links
// (a TUN ipsec0 and ether1).
func TestRenderIPsecCarried(t *testing.T) {
	pf := netip.MustParsePrefix
	acc := rule("*1", "chain=forward", "action=accept", "ipsec-policy=in,ipsec")
	st := &State{InterfaceLists: map[string][]string{}, Filter: []Rule{acc}, IPsecPolicies: []IPsecPolicy{
		{What: "ipsec policy *1", Src: []netip.Prefix{pf("192.168.1.0/24")}, Dst: []netip.Prefix{pf("192.168.2.0/24")}, Action: "encrypt", Level: "require", Tun: IPsecTun},
		{What: "ipsec policy *2", Src: []netip.Prefix{pf("0.0.0.0/0")}, Dst: []netip.Prefix{pf("192.168.0.0/16")}, Action: "discard", Level: "require"},
	}}
	out, err := Render(st)
	if err != nil {
		t.Fatal(err)
	}
	pol := out[strings.Index(out, "chain ipsec_policy"):]
	for _, want := range []string{
		"\t\toifname \"ipsec0\" accept\n\t\tip saddr { 192.168.1.0/24 } ip daddr { 192.168.2.0/24 } counter dup to ip daddr device \"ipsec0\" meta priority set fffe:e5 accept comment \"ipsec policy *1: SA installed: into ESP\"\n",
		"\t\tip saddr { 0.0.0.0/0 } ip daddr { 192.168.0.0/16 } counter drop comment \"ipsec policy *2: action=discard\"\n",
	} {
		if !strings.Contains(pol, want) {
			t.Errorf("no %q in\n%s", want, pol)
		}
	}
	if !strings.Contains(out, "iifname \"ipsec0\" counter accept") {
		t.Errorf("in,ipsec does not match the TUN:\n%s", out)
	}
	eg := RenderIPsecEgress(st, []string{"ether1"})
	if want := "type filter hook egress devices = { \"ether1\" } priority 0; policy accept;\n\t\tmeta priority fffe:e5 counter drop"; !strings.Contains(eg, want) {
		t.Errorf("no %q in\n%s", want, eg)
	}
	loadWith(t, out+eg, "ip tuntap add dev ipsec0 mode tun && ip tuntap add dev ether1 mode tun && ")
	st.IPsecPolicies[0].Tun = ""
	out, err = Render(st)
	if err != nil {
		t.Fatal(err)
	}
	eg = RenderIPsecEgress(st, []string{"ether1"})
	if strings.Contains(out, "dup to") || strings.Contains(out, "ipsec0") || strings.Contains(eg, "chain egress") ||
		!strings.Contains(out, "counter drop comment \"ipsec policy *1: no SA, level=require\"") || !strings.Contains(out, "meta ipsec exists counter accept") {
		t.Errorf("without an SA:\n%s\n%s", out, eg)
	}
	loadWith(t, out+eg, "")
}

// TestRenderIPsecFasttrack (ipsec73): with a fasttrack rule, a
// fasttracked connection's packets skip the policies before the one that
// would send them into ESP, as RouterOS's fast path bypasses IPsec policy
// lookup; without one (control) the chain has no such skip. Loaded into a
// namespace with the TUN.
func TestRenderIPsecFasttrack(t *testing.T) {
	pf := netip.MustParsePrefix
	ft := rule("*1", "chain=forward", "action=fasttrack-connection", "connection-state=established,related")
	st := &State{InterfaceLists: map[string][]string{}, Filter: []Rule{ft}, IPsecPolicies: []IPsecPolicy{
		{What: "ipsec policy *1", Src: []netip.Prefix{pf("192.168.1.0/24")}, Dst: []netip.Prefix{pf("192.168.2.0/24")}, Action: "encrypt", Level: "require", Tun: IPsecTun},
	}}
	out, err := Render(st)
	if err != nil {
		t.Fatal(err)
	}
	pol := out[strings.Index(out, "chain ipsec_policy"):]
	skip := "\t\tct label 126 counter accept comment \"fasttracked: bypasses the IPsec policies\"\n"
	if i, j := strings.Index(pol, skip), strings.Index(pol, "dup to"); i < 0 || j < i {
		t.Errorf("no %q before the policy in\n%s", skip, pol)
	}
	loadWith(t, out, "ip tuntap add dev ipsec0 mode tun && ")
	st.Filter = nil
	if out, err = Render(st); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "bypasses the IPsec policies") {
		t.Errorf("no fasttrack rule, yet the policies are skipped:\n%s", out)
	}
}

// TestIPsecEgressNewLink (ipsec73): while a policy is carried, a link
// made after the last Apply (a PPPoE session's) gets the egress drop of
// the originals sent into ESP without another commit; it had it only at
// the next Apply, and until then such an original left by it in clear
// text beside its encrypted copy.
func TestIPsecEgressNewLink(t *testing.T) {
	l := newLab(t)
	dp := hairpinDataplane(t, l)
	ipcmd(t, "-n", l.r, "tuntap", "add", "dev", IPsecTun, "mode", "tun")
	pf := netip.MustParsePrefix
	st := &State{InterfaceLists: map[string][]string{}, IPsecPolicies: []IPsecPolicy{
		{What: "ipsec policy *1", Src: []netip.Prefix{pf("192.168.88.0/24")}, Dst: []netip.Prefix{pf("192.168.89.0/24")}, Action: "encrypt", Level: "require", Tun: IPsecTun},
	}}
	if err := dp.Apply(st); err != nil {
		t.Fatal(err)
	}
	egress := func() string {
		out, _ := exec.Command("ip", "netns", "exec", l.r, "nft", "list", "table", "netdev", IPsecEgressTable).CombinedOutput()
		return string(out)
	}
	if eg := egress(); !strings.Contains(eg, "ether1") || strings.Contains(eg, "pppoe-out1") {
		t.Fatalf("egress table after Apply:\n%s", eg)
	}
	ipcmd(t, "-n", l.r, "link", "add", "pppoe-out1", "type", "veth", "peer", "name", "ppp-peer")
	deadline := time.Now().Add(3 * time.Second)
	for !strings.Contains(egress(), "pppoe-out1") {
		if time.Now().After(deadline) {
			t.Fatalf("the new link has no egress drop 3 s after it came:\n%s", egress())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// load loads a ruleset into a throwaway network namespace, where the
// machine allows one.
func load(t *testing.T, text string) {
	t.Helper()
	loadWith(t, text, "")
}

// loadWith is load after the shell commands setup (each ending in "&& ")
// made the links the ruleset names.
func loadWith(t *testing.T, text, setup string) {
	t.Helper()
	if _, err := exec.LookPath("nft"); err != nil {
		return
	}
	if err := exec.Command("unshare", "-n", "true").Run(); err != nil {
		return
	}
	cmd := exec.Command("unshare", "-n", "sh", "-c", setup+"nft -f -")
	cmd.Stdin = strings.NewReader(text)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("nft -f: %v: %s\n%s", err, b, text)
	}
}
