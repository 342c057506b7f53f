package check

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/scenario"
)

// wanInBridge is forum45's rb5009-sfp mini cut down: the RB5009 defconf
// keeps sfp-sfpplus1 in the bridge, and the user moved the DHCP client
// onto it.
const wanInBridge = `# 2025-03-02 12:00:00 by RouterOS 7.16.2
# model = RB5009UG+S+
/interface bridge
add admin-mac=78:9A:18:00:00:01 auto-mac=no comment=defconf name=bridge
/interface list
add comment=defconf name=WAN
add comment=defconf name=LAN
/interface bridge port
add bridge=bridge comment=defconf interface=ether2
add bridge=bridge comment=defconf interface=sfp-sfpplus1
/interface list member
add comment=defconf interface=bridge list=LAN
add comment=defconf interface=sfp-sfpplus1 list=WAN
/ip address
add address=192.168.88.1/24 comment=defconf interface=bridge network=192.168.88.0
/ip dhcp-client
add comment=defconf interface=sfp-sfpplus1
/ip firewall nat
add action=masquerade chain=srcnat comment="defconf: masquerade" out-interface-list=WAN
`

// TestWANPortInBridge (forum45 D8): the WAN port left in the LAN bridge is
// a finding on its bridge port line, fixed by taking it out of the bridge;
// before, "no problem found". Control: the same export without that port
// line has no such finding.
func TestWANPortInBridge(t *testing.T) {
	p := loadText(t, wanInBridge)
	found, _ := p.Diagnose()
	var got []Finding
	for _, f := range found {
		if f.Cause == WANPortInBridge {
			got = append(got, f)
		}
	}
	if len(got) != 1 || got[0].Line != 10 || !strings.Contains(got[0].Detail, "is a port of bridge bridge, so its DHCP client on sfp-sfpplus1 is not used") {
		t.Fatalf("want one WANPortInBridge finding on line 10, got %v (all: %v)", got, found)
	}
	want := "/interface bridge port remove [ find where interface=sfp-sfpplus1 bridge=bridge ]"
	if lines := p.Propose(found).Lines; !strings.Contains(strings.Join(lines, "\n"), want) {
		t.Errorf("fix lines:\n%s\nwant %s", strings.Join(lines, "\n"), want)
	}
	p = loadText(t, strings.Replace(wanInBridge, "add bridge=bridge comment=defconf interface=sfp-sfpplus1\n", "", 1))
	found, _ = p.Diagnose()
	for _, f := range found {
		if f.Cause == WANPortInBridge {
			t.Errorf("a WAN port out of the bridge: %v", f)
		}
	}
}

// TestWANInBridgeLab (forum45 D8, lab mode): an RB5009 defconf whose
// sfp-sfpplus1 is still a bridge port while its DHCP client is the WAN
// has no WAN address, so the lab's renumber-wan waited for a lease that
// never came and ended the run ("lab run failed"). The lab leaves the
// renumbering out and says why, still probes the router's services from
// the internet and the LAN, and after the fix (the port out of the bridge)
// waits for the lease before probing router.wan again; the case loads.
// Control: the same export with the port out of the bridge is renumbered,
// with no note and no wait.
func TestWANInBridgeLab(t *testing.T) {
	data, err := os.ReadFile("testdata/rb5009-wan-in-bridge.rsc")
	if err != nil {
		t.Fatal(err)
	}
	p := importText(t, string(data))
	_, fx, c := proposedCase(t, p)
	if strings.Contains(c.YAML, "renumber-wan") {
		t.Errorf("the WAN in the bridge is renumbered:\n%s", c.YAML)
	}
	if !slices.ContainsFunc(p.Notes, func(n string) bool {
		return strings.Contains(n, "the lab does not renumber sfp-sfpplus1: it is a port of bridge bridge (line 19)")
	}) {
		t.Errorf("no note says why the WAN is not renumbered: %q", p.Notes)
	}
	fixAt := strings.Index(c.YAML, "  - action: configure\n")
	wait := "  - probe: ping\n    from: peer\n    to: router.wan\n    expect: {result: \"!error\", within: 60s}\n"
	if !slices.Contains(fx.Lines, "/interface bridge port remove [ find where interface=sfp-sfpplus1 bridge=bridge ]") || fixAt < 0 ||
		!strings.Contains(c.YAML[fixAt:], wait) {
		t.Errorf("no wait for the lease after the fix %q:\n%s", fx.Lines, c.YAML)
	}
	if n := strings.Count(c.YAML[:max(fixAt, 0)], "to: router.wan:"); n < 3 {
		t.Errorf("the router's services on the WAN are probed %d times before the fix, want WinBox, SSH and WebFig:\n%s", n, c.YAML)
	}
	file := filepath.Join(t.TempDir(), "case.yaml")
	if err := os.WriteFile(file, []byte(c.YAML), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := scenario.Read(file); err != nil {
		t.Fatalf("the case does not load: %v", err)
	}

	p = importText(t, strings.Replace(string(data), "add bridge=bridge comment=defconf interface=sfp-sfpplus1\n", "", 1))
	_, _, c = proposedCase(t, p)
	if !strings.Contains(c.YAML, "  - action: renumber-wan\n") || strings.Contains(c.YAML, "!error") {
		t.Errorf("control: the WAN out of the bridge is not renumbered, or waited for:\n%s", c.YAML)
	}
	if slices.ContainsFunc(p.Notes, func(n string) bool { return strings.Contains(n, "the lab does not renumber") }) {
		t.Errorf("control: noted %q", p.Notes)
	}
}

// TestWANInBridgeVerdict: the lab's probes of the WAN that found no
// address confirm the finding (broken; before, "the lab did not confirm"
// it, exit 0); reached with the fix, the fix is said to work; still
// without an address with the fix, it fails. Control: the same finding
// with the WAN's probes answered is not confirmed.
func TestWANInBridgeVerdict(t *testing.T) {
	found := []Finding{{Forward: -1, Path: "router's WAN sfp-sfpplus1", Cause: WANPortInBridge, Line: 19}}
	fx := Fix{Lines: []string{"/interface bridge port remove [ find where interface=sfp-sfpplus1 bridge=bridge ]"}}
	wan := func(phase, result string) Outcome {
		return Outcome{Probe: Probe{Forward: -1, Path: "service:winbox@wan", Phase: phase, To: "router.wan:8291", Kind: "port"}, Result: result}
	}
	www := Outcome{Probe: Probe{Forward: -1, Path: "service:www@bridge", Phase: "before", Kind: "http"}, Result: "ok", By: "router"}
	wantVerdicts(t, found, fx, []verdictCase{
		{"fixed", []Outcome{www, wan("before", "error"), wan("fixed", "filtered")}, "broken", 1, "the router held no WAN address, and 1 probe(s) of it from the internet found none to probe; with the fix (the port out of the bridge) the router leases its WAN address"},
		{"fix fails", []Outcome{www, wan("before", "error"), wan("fixed", "error")}, "fix-fails", 1, "with the fix 1 still find none"},
		{"control", []Outcome{www, wan("before", "filtered"), wan("fixed", "filtered")}, "ok", 0, "which the lab did not confirm"},
	})
}

// verdictCase is a lab's outcomes and the verdict they must give.
type verdictCase struct {
	name string
	outs []Outcome
	word string
	code int
	text string
}

// wantVerdicts checks the verdict of found and fx on each case's outcomes.
func wantVerdicts(t *testing.T, found []Finding, fx Fix, cases []verdictCase) {
	t.Helper()
	for _, tt := range cases {
		word, text, code := Verdict(found, fx, tt.outs)
		if word != tt.word || code != tt.code || !strings.Contains(text, tt.text) {
			t.Errorf("%s: Verdict = %s, %q, %d; want %s, %q, %d", tt.name, word, text, code, tt.word, tt.text, tt.code)
		}
	}
}
