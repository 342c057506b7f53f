package check

import (
	"slices"
	"strings"
	"testing"
)

func importText(t *testing.T, text string) *Plan {
	t.Helper()
	return importNamed(t, "test.rsc", []byte(text))
}

const oneToOne = `# 2025-09-02 18:40:11 by RouterOS 7.19.4
` + etherLists + `/ip address
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
add address=203.0.113.2/29 interface=ether1 network=203.0.113.0
add address=203.0.113.4/29 interface=ether1 network=203.0.113.0
/ip firewall nat
add action=netmap chain=dstnat dst-address=203.0.113.4 to-addresses=192.168.88.11
add action=netmap chain=srcnat comment="A out" src-address=192.168.88.10 to-addresses=203.0.113.3
add action=masquerade chain=srcnat comment=masq out-interface-list=WAN
add action=netmap chain=srcnat comment="B \"out\"" out-interface-list=WAN src-address=192.168.88.11 to-addresses=203.0.113.4
add action=src-nat chain=srcnat comment=mail dst-port=25 protocol=tcp src-address=192.168.88.12 to-addresses=203.0.113.5
/ip route
add gateway=203.0.113.1
`

// A host's own src-nat below the general masquerade never takes effect:
// the finding names the masquerade, the fix moves the host's rule above
// it, and the lab probes the host's way out. A rule above the masquerade
// and one for some ports only are no finding.
func TestShadowedSrcNAT(t *testing.T) {
	p := importText(t, oneToOne)
	found, _ := p.Diagnose()
	got := withCause(found, ShadowedSrcNAT)
	if len(got) != 1 || got[0].Path != "srcnat:192.168.88.11" || got[0].Line != 15 || !strings.Contains(got[0].Detail, "line 16") {
		t.Fatalf("findings: %+v", got)
	}
	fx := p.Propose(found)
	want := `/ip firewall nat move [ find where comment="B \"out\"" ] destination=[ find where comment=masq ]`
	if !strings.Contains(strings.Join(fx.Lines, "\n"), want) {
		t.Errorf("fix lines:\n%s\nwant %s", strings.Join(fx.Lines, "\n"), want)
	}
}

func TestWrongSource(t *testing.T) {
	pr := Probe{Forward: -1, Path: "srcnat:192.168.88.11", Phase: "before", Kind: "tcp", Want: "203.0.113.4"}
	outs := []Outcome{{Probe: pr, Result: "ok", Saw: "203.0.113.2"}}
	if !wrongSource(outs, "before") || !hijacked(outs, "before") {
		t.Error("the router's address where the host's own was wanted is not reported")
	}
	if w := ServiceWarnings(outs, "before"); len(w) != 1 || !strings.Contains(w[0], "as 203.0.113.2, not as 203.0.113.4") {
		t.Errorf("warnings: %q", w)
	}
	lost := []Outcome{{Probe: pr, Result: "timeout"}}
	if w := ServiceWarnings(lost, "before"); len(w) != 1 || !strings.Contains(w[0], "as nothing (timeout)") || !strings.Contains(w[0], "do not get through") {
		t.Errorf("warnings of a lost way out: %q", w)
	}
	outs[0].Saw = "203.0.113.4"
	if wrongSource(outs, "before") || len(ServiceWarnings(outs, "before")) != 0 {
		t.Error("the host's own address is reported wrong")
	}
}

// A host's own src-nat to a WAN address written with out-interface=<the
// LAN port> never matches its internet traffic: the fix names the WAN.
func TestSrcNATOutLAN(t *testing.T) {
	text := strings.Replace(oneToOne, `add action=netmap chain=srcnat comment="A out" src-address=192.168.88.10 to-addresses=203.0.113.3`,
		`add action=src-nat chain=srcnat comment="A out" out-interface=ether2 src-address=192.168.88.10 to-addresses=203.0.113.4`, 1)
	p := importText(t, text)
	found, _ := p.Diagnose()
	got := withCause(found, SrcNATOutLAN)
	if len(got) != 1 || got[0].Path != "srcnat:192.168.88.10" || got[0].Line != 14 || !strings.Contains(got[0].Detail, "leave by ether1") {
		t.Fatalf("findings: %+v", got)
	}
	all := strings.Join(p.Propose(found).Lines, "\n")
	if !strings.Contains(all, `/ip firewall nat set [ find where comment="A out" ] out-interface=ether1`) {
		t.Errorf("fix:\n%s", all)
	}
}

// A subnet's own src-nat (the LAN leaves by a second public address)
// below the masquerade: found for the subnet, probed from its lab client.
func TestShadowedSubnetSrcNAT(t *testing.T) {
	text := strings.Replace(oneToOne, `add action=src-nat chain=srcnat comment=mail dst-port=25 protocol=tcp src-address=192.168.88.12 to-addresses=203.0.113.5`,
		`add action=src-nat chain=srcnat comment=lan-out src-address=192.168.88.0/24 to-addresses=203.0.113.4`, 1)
	p := importText(t, text)
	found, _ := p.Diagnose()
	if !slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == ShadowedSrcNAT && f.Path == "srcnat:192.168.88.0/24" }) {
		t.Fatalf("findings: %+v", found)
	}
	c, err := p.Case(p.Propose(found))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(c.Probes, func(pr Probe) bool {
		return pr.Path == "srcnat:192.168.88.0/24" && pr.Want == "203.0.113.4" && pr.From != ""
	}) {
		t.Errorf("no probe from the subnet: %+v", c.Probes)
	}
}

// A host's own src-nat to an address of the WAN's subnet the router does
// not hold: the finding, the fix that puts the address on the WAN, and the
// lab's probe of the host's way out. Held, the address is no finding.
func TestSrcNATUnheld(t *testing.T) {
	text := `# 2025-09-02 18:40:11 by RouterOS 6.49.18
` + etherLists + `/ip address
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
/ip firewall nat
add action=src-nat chain=srcnat comment=mail out-interface-list=WAN src-address=192.168.88.10 to-addresses=203.0.113.3
add action=masquerade chain=srcnat out-interface-list=WAN
add action=dst-nat chain=dstnat dst-port=25 in-interface-list=WAN protocol=tcp to-addresses=192.168.88.10
/ip route
add gateway=203.0.113.1
`
	p := importText(t, text)
	found, _ := p.Diagnose()
	got := withCause(found, SrcNATUnheld)
	if len(got) != 1 || got[0].Path != "srcnat:192.168.88.10" || got[0].Line != 12 || !strings.Contains(got[0].Detail, "subnet of ether1") {
		t.Fatalf("findings: %+v", got)
	}
	fx := p.Propose(found)
	if all := strings.Join(fx.Lines, "\n"); !strings.Contains(all, `/ip address add address=203.0.113.3/24 interface=ether1`) {
		t.Errorf("fix lines:\n%s", all)
	}
	c, err := p.Case(fx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(c.Probes, func(pr Probe) bool { return pr.Path == "srcnat:192.168.88.10" && pr.Want == "203.0.113.3" }) {
		t.Errorf("no probe of the host's way out: %+v", c.Probes)
	}
	p = importText(t, strings.Replace(text, "add address=203.0.113.2/24 interface=ether1 network=203.0.113.0\n",
		"add address=203.0.113.2/24 interface=ether1 network=203.0.113.0\nadd address=203.0.113.3/24 interface=ether1 network=203.0.113.0\n", 1))
	if found, _ := p.Diagnose(); len(withCause(found, SrcNATUnheld)) != 0 {
		t.Errorf("held address: %+v", withCause(found, SrcNATUnheld))
	}
}

// bridge1LAN is a 6.46.6 export's head: ether2 in bridge1, the LAN
// 192.168.188.0/24 on it; the /ip address section goes on after it.
const bridge1LAN = `# 2020-05-14 21:26:00 by RouterOS 6.46.6
/interface bridge
add name=bridge1
/interface bridge port
add bridge=bridge1 interface=ether2
/ip address
add address=192.168.188.1/24 interface=bridge1 network=192.168.188.0
`

// caseOf imports text, diagnoses it and builds its lab case with the fix.
func caseOf(t *testing.T, text string) (*Plan, []Finding, *Case) {
	t.Helper()
	p := importText(t, text)
	found, _ := p.Diagnose()
	c, err := p.Case(p.Propose(found))
	if err != nil {
		t.Fatal(err)
	}
	return p, found, c
}

// dupSrcNAT is two identical src-nat rules of a LAN subnet to the WAN's
// own address (realcheck18 D2).
const dupSrcNAT = bridge1LAN + `add address=203.0.113.121/24 interface=ether1 network=203.0.113.0
/ip firewall nat
add action=src-nat chain=srcnat out-interface=ether1 src-address=192.168.0.0/16 to-addresses=203.0.113.121
add action=src-nat chain=srcnat out-interface=ether1 src-address=192.168.0.0/16 to-addresses=203.0.113.121
/ip route
add distance=1 gateway=203.0.113.1
`

// Two rules that translate the same way are a duplicate, not a shadow:
// no finding, no fix, no probe, a note. The controls: an earlier rule
// that gives another address, and a masquerade out of a WAN with a
// second address, still shadow the host's own rule.
func TestDuplicateSrcNAT(t *testing.T) {
	p, found, c := caseOf(t, dupSrcNAT)
	if got := withCause(found, ShadowedSrcNAT); len(got) != 0 {
		t.Errorf("a duplicate reported as a shadow: %+v", got)
	}
	if !slices.ContainsFunc(p.Notes, func(n string) bool {
		return strings.Contains(n, "line 11 repeats the srcnat of line 10") && strings.Contains(n, "never counts")
	}) {
		t.Errorf("notes: %q", p.Notes)
	}
	if slices.ContainsFunc(c.Probes, func(pr Probe) bool { return strings.HasPrefix(pr.Path, "srcnat:") }) {
		t.Errorf("a duplicate is probed: %+v", c.Probes)
	}
	// The same rule below a masquerade out of ether1, whose only address
	// is the rule's: the masquerade gives the same address.
	masq := strings.Replace(dupSrcNAT, "add action=src-nat chain=srcnat out-interface=ether1 src-address=192.168.0.0/16 to-addresses=203.0.113.121\nadd",
		"add action=masquerade chain=srcnat out-interface=ether1\nadd", 1)
	p = importText(t, masq)
	if found, _ := p.Diagnose(); len(withCause(found, ShadowedSrcNAT)) != 0 {
		t.Errorf("a masquerade to the rule's own address reported as a shadow: %+v", withCause(found, ShadowedSrcNAT))
	}
	// Controls: another to-addresses, and the masquerade with a second
	// address on the WAN (masquerade may pick the other one).
	other := strings.Replace(dupSrcNAT, "to-addresses=203.0.113.121\nadd", "to-addresses=203.0.113.122\nadd", 1)
	other = strings.Replace(other, "add address=203.0.113.121/24 interface=ether1 network=203.0.113.0\n",
		"add address=203.0.113.121/24 interface=ether1 network=203.0.113.0\nadd address=203.0.113.122/24 interface=ether1 network=203.0.113.0\n", 1)
	p = importText(t, other)
	found, _ = p.Diagnose()
	if got := withCause(found, ShadowedSrcNAT); len(got) != 1 || got[0].Line != 11 || !strings.Contains(got[0].Detail, "line 12") {
		t.Errorf("a real shadow (another address) is not found: %+v", got)
	}
	two := strings.Replace(masq, "add address=203.0.113.121/24 interface=ether1 network=203.0.113.0\n",
		"add address=203.0.113.121/24 interface=ether1 network=203.0.113.0\nadd address=203.0.113.122/24 interface=ether1 network=203.0.113.0\n", 1)
	p = importText(t, two)
	if found, _ := p.Diagnose(); len(withCause(found, ShadowedSrcNAT)) != 1 {
		t.Errorf("a masquerade out of a WAN with two addresses is not a shadow: %+v", withCause(found, ShadowedSrcNAT))
	}
}

// privSrcNAT is a LAN's own src-nat to a second address of a private WAN,
// below the masquerade (realcheck18 D1): a real shadow the lab cannot
// show, since its ISP router in front translates every connection again.
const privSrcNAT = bridge1LAN + `add address=172.24.68.121/23 interface=ether1 network=172.24.68.0
add address=172.24.68.122/23 interface=ether1 network=172.24.68.0
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
add action=src-nat chain=srcnat out-interface=ether1 src-address=192.168.188.0/24 to-addresses=172.24.68.122
/ip route
add distance=1 gateway=172.24.68.1
`

// On a private WAN the shadow is found from the rules, but the lab does
// not probe it (the peer would see the ISP router's address whatever the
// router does), a note says why, and the verdict says the lab cannot test
// it instead of "no problem found". The router's services are not probed
// from the internet either. The control, the same export on a public WAN,
// probes both.
func TestPrivateWANSrcNATUntestable(t *testing.T) {
	p, found, c := caseOf(t, privSrcNAT)
	if got := withCause(found, ShadowedSrcNAT); len(got) != 1 || got[0].Path != "srcnat:192.168.188.0/24" {
		t.Fatalf("findings: %+v", got)
	}
	for _, pr := range c.Probes {
		if strings.HasPrefix(pr.Path, "srcnat:") || strings.HasPrefix(pr.Path, "service:") && strings.HasSuffix(pr.Path, "@wan") {
			t.Errorf("probed on a private WAN: %+v", pr)
		}
	}
	for _, want := range []string{"the lab cannot test the rule", "are not probed from the internet"} {
		if !slices.ContainsFunc(p.Notes, func(n string) bool { return strings.Contains(n, want) }) {
			t.Errorf("no note %q: %q", want, p.Notes)
		}
	}
	var sum strings.Builder
	p.Summary(&sum)
	if !strings.Contains(sum.String(), "the router's services are not checked from the internet") {
		t.Errorf("summary:\n%s", sum.String())
	}
	word, text, code := p.LabVerdict(found, p.Propose(found), nil)
	if code != 1 || word != "broken" || !strings.Contains(text, "which the lab cannot test") || strings.Contains(text, "did not confirm") {
		t.Errorf("verdict %s %d: %s", word, code, text)
	}

	pub := strings.ReplaceAll(strings.ReplaceAll(privSrcNAT, "172.24.68.", "203.0.113."), "/23", "/24")
	p, found, c = caseOf(t, pub)
	if !slices.ContainsFunc(c.Probes, func(pr Probe) bool { return pr.Path == "srcnat:192.168.188.0/24" && pr.Want == "203.0.113.122" }) ||
		!slices.ContainsFunc(c.Probes, func(pr Probe) bool { return pr.Path == "service:winbox@wan" }) {
		t.Errorf("public WAN: probes %+v", c.Probes)
	}
	sum.Reset()
	p.Summary(&sum)
	if !strings.Contains(sum.String(), "still checked from the WAN") {
		t.Errorf("public WAN summary:\n%s", sum.String())
	}
	if _, text, _ := p.LabVerdict(found, p.Propose(found), nil); strings.Contains(text, "cannot test") {
		t.Errorf("public WAN verdict: %s", text)
	}
}
