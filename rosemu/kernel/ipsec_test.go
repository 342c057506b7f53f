package kernel

import (
	"net/netip"
	"os/exec"
	"strings"
	"testing"
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
		"\t\ttype filter hook postrouting priority srcnat + 10; policy accept;\n",
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

// load loads a ruleset into a throwaway network namespace, where the
// machine allows one.
func load(t *testing.T, text string) {
	t.Helper()
	if _, err := exec.LookPath("nft"); err != nil {
		return
	}
	if err := exec.Command("unshare", "-n", "true").Run(); err != nil {
		return
	}
	cmd := exec.Command("unshare", "-n", "nft", "-f", "-")
	cmd.Stdin = strings.NewReader(text)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("nft -f: %v: %s\n%s", err, b, text)
	}
}
