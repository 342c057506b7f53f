package scenario

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type topo struct{}

func (topo) HasNode(n string) bool { return n == "client1" || n == "server" || n == "peer" }
func (topo) HasRouterPort(p string) bool {
	return p == "wan" || p == "lan" || p == "ether1" || p == "ether2"
}

const head = "name: t\nlab: hairpin\nrouter: router.rsc\nsteps:\n"

func TestParseAndCheck(t *testing.T) {
	tests := []struct {
		name, steps, wantErr string
	}{
		{"ok", "  - probe: tcp\n    from: client1\n    to: router.wan:12566\n    expect: {result: ok, server_saw: router.lan}\n", ""},
		{"action", "  - action: renumber-wan\n  - action: configure\n    rsc: /ip address print\n", ""},
		{"unknown probe", "  - probe: pong\n    from: client1\n    to: server:1\n", "t.yaml:5: unknown probe \"pong\"; known probes: tcp, udp"},
		{"unknown action", "  - probe: tcp\n    from: client1\n    to: server:1\n  - action: reboot\n", "t.yaml:8: unknown action \"reboot\""},
		{"no port", "  - probe: tcp\n    from: client1\n    to: server\n", "t.yaml:5: target \"server\" is not host:port"},
		{"unknown node", "  - probe: tcp\n    from: client9\n    to: server:1\n", "t.yaml:6:11: unknown node \"client9\" in from"},
		{"conntrack without from", "  - probe: conntrack\n    to: router.wan:12566\n", ""},
		{"conntrack from a node", "  - probe: conntrack\n    from: client1\n    to: router.wan:12566\n", ""},
		{"conntrack from unknown node", "  - probe: conntrack\n    from: client9\n    to: router.wan:12566\n", "t.yaml:6:11: unknown node \"client9\" in from"},
		{"unknown target", "  - probe: udp\n    from: client1\n    to: servr:1\n", "t.yaml:7:9: unknown node \"servr\""},
		{"unknown router port", "  - probe: tcp\n    from: client1\n    to: router.dmz:1\n", "t.yaml:7:9: unknown router address \"router.dmz\""},
		{"bad result", "  - probe: tcp\n    from: client1\n    to: server:1\n    expect: {result: maybe}\n", "t.yaml:8: unknown expected result \"maybe\""},
		{"dns without name", "  - probe: dns\n    from: client1\n    to: router.lan:53\n", "t.yaml:5: dns probe needs the name"},
		{"probe and action", "  - probe: tcp\n    action: configure\n    from: client1\n    to: server:1\n", "t.yaml:5: a step is either a probe or an action"},
		{"configure without rsc", "  - action: configure\n", "t.yaml:5: configure step has no rsc"},
		{"unknown field", "  - probe: tcp\n    form: client1\n    to: server:1\n", "t.yaml:6: unknown step field \"form\"; known fields: probe, action"},
		// yaml.v3 alone said "line 7: cannot unmarshal !!str `ether1` into int".
		{"a field of the wrong type", "  - action: link-down\n    port: ether1\n", "t.yaml:6: port: want a number, got \"ether1\""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse("t.yaml", []byte(head+tc.steps))
			if err == nil {
				err = s.Check(topo{})
			}
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("error = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

func TestJudge(t *testing.T) {
	tests := []struct {
		name    string
		e       Expect
		saw     string
		answer  string
		o       Observation
		wantOK  bool
		wantWhy string
	}{
		{"ok", Expect{Result: "ok", Server: "server"}, "192.168.88.1", "", Observation{Result: "ok", ServerName: "server", ServerSaw: "192.168.88.1"}, true, ""},
		{"wrong result", Expect{Result: "ok"}, "", "", Observation{Result: "timeout"}, false, "result timeout, expected ok"},
		{"wrong source", Expect{Result: "ok", ServerSaw: "router.lan"}, "192.168.88.1", "", Observation{Result: "ok", ServerSaw: "192.168.88.20"}, false, "server saw 192.168.88.20, expected 192.168.88.1 (router.lan)"},
		{"wrong server", Expect{Result: "ok", Server: "server"}, "", "", Observation{Result: "ok", ServerName: "peer"}, false, `answered by "peer"`},
		{"expected failure holds", Expect{Result: "timeout", ServerSaw: "router.lan"}, "192.168.88.1", "", Observation{Result: "timeout"}, true, ""},
		{"dns answer", Expect{Result: "ok", Answer: "server"}, "", "192.168.88.10", Observation{Result: "ok", Answers: []string{"192.168.88.10"}}, true, ""},
		{"dns wrong answer", Expect{Result: "ok", Answer: "server"}, "", "192.168.88.10", Observation{Result: "ok", Answers: []string{"203.0.113.2"}}, false, "answers [203.0.113.2], expected 192.168.88.10"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ok, why := judge(tc.e, tc.saw, tc.answer, tc.o)
			if ok != tc.wantOK || !strings.Contains(why, tc.wantWhy) {
				t.Fatalf("judge = %v %q, want %v %q", ok, why, tc.wantOK, tc.wantWhy)
			}
		})
	}
}

// A RouterBOARD's export pasted as the router's configuration: its radio
// and RouterBOARD lines are set aside, listed with the case file's lines,
// and the text keeps its line numbers.
func TestReadSetsAsideHardware(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "case.yaml")
	src := "name: rb\ntitle: t\nlab: hairpin\nrouter: |\n" +
		"  /interface wireless\n" +
		"  set [ find default-name=wlan1 ] ssid=Home\n" +
		"  /ip firewall nat\n" +
		"  add action=masquerade chain=srcnat out-interface=ether1\n" +
		"steps:\n  - probe: tcp\n    from: client1\n    to: router.wan:12566\n    expect: {result: ok}\n"
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Read(file)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.SetAside) != 1 || !strings.HasPrefix(s.SetAside[0], file+":6 /interface wireless: wireless") {
		t.Fatalf("set aside %q, want the wireless line at %s:6", s.SetAside, file)
	}
	lines := strings.Split(string(s.RSC), "\n")
	if len(lines) < 4 || !strings.HasPrefix(lines[0], "#") || !strings.HasPrefix(lines[1], "#") || lines[3] != "add action=masquerade chain=srcnat out-interface=ether1" {
		t.Errorf("router text:\n%s", s.RSC)
	}
}

// topoMore is topo with a more router, site-b, that has ether1 and ether2.
type topoMore struct{ topo }

func (topoMore) HasNode(n string) bool {
	return topo{}.HasNode(n) || n == "site-b.wan" || n == "site-b.ether2"
}
func (topoMore) MoreRouters() []string { return []string{"site-b"} }

// TestMoreRouterAddress: a port a more router lacks is named as such, as
// router.dmz is, not as an unknown node (f68 N1); a dotted name of no
// router stays an unknown node.
func TestMoreRouterAddress(t *testing.T) {
	for _, tt := range []struct{ to, wantErr string }{
		{"site-b.ether2:1", ""},
		{"site-b.ether7:1", `t.yaml:7:9: unknown router address "site-b.ether7" (use site-b.wan, site-b.lan or site-b.<interface>, such as site-b.ether2)`},
		{"site-c.ether7:1", `t.yaml:7:9: unknown node "site-c.ether7"`},
	} {
		s, err := Parse("t.yaml", []byte(head+"  - probe: tcp\n    from: client1\n    to: "+tt.to+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		err = s.Check(topoMore{})
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("%s: %v", tt.to, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%s: want %q, got %v", tt.to, tt.wantErr, err)
		}
	}
}
