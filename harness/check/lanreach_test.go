package check

import (
	"os"
	"strings"
	"testing"
)

// TestLANReachSteps (forum45 D7): the lab probes the LAN's way out (a LAN
// client to the internet's peer), its resolver (a query to the router its
// DHCP hands out) and the port the input accept opens (from the peer),
// for the export whose rules read all three broken and for the control
// where they work; before, neither lab had any of these probes. An accept
// for an office's address (not the lab's peer) gets no probe: it would
// read "filtered" above the drop too.
func TestLANReachSteps(t *testing.T) {
	probes := []string{
		"  - probe: tcp\n    from: client1\n    to: peer:12566\n",
		"  - probe: dns\n    from: client1\n    to: 192.168.88.1:53\n    name: lan-dns-check.example\n",
		"  - probe: port\n    from: peer\n    to: router.wan:22\n",
	}
	for _, name := range []string{"static-wan-no-mask", "static-wan-ok"} {
		data, err := os.ReadFile("testdata/" + name + ".rsc")
		if err != nil {
			t.Fatal(err)
		}
		_, _, c := proposedCase(t, importText(t, string(data)))
		for _, want := range probes {
			// The port probe of the accept comes beside the ssh
			// service's own: twice in a phase.
			n := 1
			if strings.Contains(want, "router.wan:22") {
				n = 2
			}
			if got := strings.Count(strings.Split(c.YAML, "  - action:")[0], want); got != n {
				t.Errorf("%s: %d of %q before any action, want %d:\n%s", name, got, want, n, c.YAML)
			}
		}
		if name != "static-wan-ok" {
			continue
		}
		office := strings.Replace(string(data), `dst-port=22 in-interface-list=WAN protocol=tcp`, `dst-port=22 in-interface-list=WAN protocol=tcp src-address=10.9.9.9`, 1)
		_, _, c = proposedCase(t, importText(t, office))
		if got := strings.Count(c.YAML, probes[2]); got != 1 {
			t.Errorf("office-only accept: %d probes of router.wan:22 (want the ssh service's only)", got)
		}
	}
}

// TestReachVerdict (forum45 D7): the probes of the LAN's way out, its
// resolver and the accept's port confirm their findings (broken, exit 1;
// before, "the lab did not confirm" them, exit 0), and the fix is judged
// on the findings it has a line for (none for a static WAN's DNS); the
// same findings with the probes working are refuted (the control).
func TestReachVerdict(t *testing.T) {
	found := []Finding{
		{Forward: -1, Path: "internet", Cause: GatewayOffLink, Line: 23},
		{Forward: -1, Path: "LAN's DNS", Cause: NoUpstreamDNS, Line: 27},
		{Forward: -1, Path: "router's input from the internet", Cause: InputAcceptBelowDrop, Line: 38,
			Rule: `add action=accept chain=input comment="ssh from outside" dst-port=22 in-interface-list=WAN protocol=tcp`},
	}
	fx := Fix{Lines: []string{"/ip address set ...", "/ip firewall filter move ..."}, Why: []string{string(GatewayOffLink), string(InputAcceptBelowDrop)}}
	reach := func(phase, result, by string) Outcome {
		return Outcome{Probe: Probe{Forward: -1, Path: "lan-reach:bridge", Phase: phase, From: "client1", To: "peer:12566", Kind: "tcp", Want: "peer"}, Result: result, By: by}
	}
	resolve := func(phase, result string) Outcome {
		return Outcome{Probe: Probe{Forward: -1, Path: "lan-resolve:bridge", Phase: phase, From: "client1", To: "192.168.88.1:53", Kind: "dns"}, Result: result}
	}
	input := func(phase, result string) Outcome {
		return Outcome{Probe: Probe{Forward: -1, Path: "input:tcp/22", Phase: phase, From: "peer", To: "router.wan:22", Kind: "port"}, Result: result}
	}
	www := Outcome{Probe: Probe{Forward: -1, Path: "service:www@bridge", Phase: "before", Kind: "http"}, Result: "ok", By: "router"}
	wantVerdicts(t, found, fx, []verdictCase{
		{"shown, fixed", []Outcome{www, reach("before", "unreachable", ""), resolve("before", "servfail"), input("before", "filtered"),
			reach("fixed", "ok", "peer"), resolve("fixed", "servfail"), input("fixed", "open")}, "broken", 1,
			"3 probe(s) show what the rules read (a LAN client's connection to the internet's peer: unreachable; a LAN client's DNS query to the router: servfail; router.wan:22 from the internet: filtered); the fix has no line for some of them (see the diagnosis); with the fix the paths it answers work"},
		{"fix fails", []Outcome{www, reach("before", "unreachable", ""), reach("fixed", "unreachable", "")}, "fix-fails", 1, "with the fix 1 still fail"},
		{"refuted", []Outcome{www, reach("before", "ok", "peer"), resolve("before", "nxdomain"), input("before", "open")}, "ok", 0, "which the lab did not confirm"},
		// A probe the lab could not carry out (error: no address to
		// send from or to) met no packet of the path: it shows nothing,
		// nor does it refute the findings, which stand as the rules
		// read them (chkv53; before, "the lab did not confirm" them).
		{"not carried out", []Outcome{www, reach("before", "error", ""), resolve("before", "error"), input("before", "error")}, "broken", 1,
			"3 finding(s) of the rules alone were not probed: the lab has no probe of their path (internet, LAN's DNS, router's input from the internet)"},
	})
	// The fix's phase could not carry its probe out: the fix is not
	// judged working (nor failing) on it.
	_, text, _ := Verdict(found, fx, []Outcome{www, reach("before", "unreachable", ""), reach("fixed", "error", "")})
	if strings.Contains(text, "with the fix") {
		t.Errorf("fix's probe not carried out: %q judges the fix", text)
	}
	// One of the fix's paths works, the other's probe was not carried
	// out: the fix is not judged working on the one alone.
	_, text, _ = Verdict(found, fx, []Outcome{www, reach("before", "unreachable", ""), input("before", "filtered"), reach("fixed", "ok", "peer"), input("fixed", "error")})
	if strings.Contains(text, "with the fix") {
		t.Errorf("one fixed path not carried out: %q judges the fix", text)
	}
	// The control export: no finding, every probe works.
	word, _, code := Verdict(nil, Fix{}, []Outcome{www, reach("before", "ok", "peer"), resolve("before", "nxdomain"), input("before", "open")})
	if word != "ok" || code != 0 {
		t.Errorf("control: %s, %d", word, code)
	}
}
