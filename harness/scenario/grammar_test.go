package scenario

import (
	"strings"
	"testing"
	"time"
)

func TestGrammarErrors(t *testing.T) {
	tests := []struct{ name, steps, wantErr string }{
		{"unknown expectation", "  - probe: tcp\n    from: client1\n    to: server:1\n    expect: {reslt: ok}\n", `t.yaml:8: unknown expectation field "reslt"; known fields: result, server`},
		{"bad threshold", "  - probe: connections\n    from: client1\n    to: server:1\n    expect: {share: most}\n", `t.yaml:8: expectation share: threshold "most": want an operator`},
		{"expectation of another probe", "  - probe: tcp\n    from: client1\n    to: server:1\n    expect: {share: \">0.5\"}\n", "t.yaml:8: expectation share does not apply to a tcp probe (it applies to connections)"},
		{"ratio to nothing", "  - probe: iperf\n    id: direct\n    from: client1\n    to: server:5201\n  - probe: iperf\n    from: client1\n    to: router.wan:5201\n    expect: {ratio_to: dirct, min: 0.8}\n", `t.yaml:12: ratio_to "dirct" names no earlier step; earlier ids: direct`},
		{"ratio without min", "  - probe: iperf\n    id: direct\n    from: client1\n    to: server:5201\n  - probe: iperf\n    from: client1\n    to: router.wan:5201\n    expect: {ratio_to: direct}\n", "ratio_to and min go together"},
		// A block-style counter: the error is at its rule's line, not the step's.
		{"bad counter rule line", "  - probe: tcp\n    from: client1\n    to: server:1\n    expect:\n      result: ok\n      counter:\n        packets: '>0'\n        rule: '/ip firewall nat comment=x'\n", "t.yaml:12: counter rule \"/ip firewall nat comment=x\": want a menu and a find"},
		{"counter without rule line", "  - probe: tcp\n    from: client1\n    to: server:1\n    expect:\n      result: ok\n      counter:\n        packets: '>0'\n", "t.yaml:10: expectation counter needs rule"},
		{"bad counter menu", "  - probe: tcp\n    from: client1\n    to: server:1\n    expect: {counter: {rule: '/ip route [find comment~\"x\"]', packets: '>0'}}\n", "menu /ip route has no rule counters; use one of /ip firewall filter"},
		{"bad option", "  - probe: tcp\n    from: client1\n    to: server:1\n    count: 3\n", "count does not apply to a tcp probe (it applies to ping, connections, conntrack-rate, conntrack-fill)"},
		{"fill option on another probe", "  - probe: conntrack-rate\n    from: client1\n    to: server:12566\n    established: 2\n", "established does not apply to a conntrack-rate probe (it applies to conntrack-fill)"},
		{"fill expectation on another probe", "  - probe: conntrack-rate\n    from: client1\n    to: server:12566\n    expect: {new_share: \"== 0\"}\n", "expectation new_share does not apply to a conntrack-rate probe (it applies to conntrack-fill)"},
		{"fill bad share", "  - probe: conntrack-fill\n    from: client1\n    to: server:12566\n    expect: {established_share: all}\n", `expectation established_share: threshold "all"`},
		{"fill too many new flows", "  - probe: conntrack-fill\n    from: client1\n    to: server:12566\n    new_flows: 5000\n", "new_flows 5000 is not within 1..1000"},
		{"fill ok", "  - probe: conntrack-fill\n    from: client1\n    to: server:12566\n    count: 300\n    rate: 500\n    established: 4\n    new_flows: 50\n    expect: {result: ok, full: true, peak_entries: \">= 195\", new_share: \"== 0\", established_share: \">= 0.95\"}\n", ""},
		{"connect on a udp probe", "  - probe: udp\n    from: client1\n    to: server:1\n    connect: tcp\n", "connect does not apply to a udp probe (it applies to resolve-then-connect)"},
		{"bad connect", "  - probe: resolve-then-connect\n    from: client1\n    to: server:53\n    name: a.example\n    connect: sctp\n", `connect "sctp": want tcp or udp`},
		{"ping with port", "  - probe: ping\n    from: client1\n    to: server:1\n", "a ping goes to an address, not host:port"},
		{"bad rate", "  - probe: cps\n    from: client1\n    to: server:1\n    rate: fast\n", `rate "fast": want connections per second`},
		{"duration on iperf", "  - probe: iperf\n    from: client1\n    to: server:5201\n    duration: 500ms\n", "duration does not apply to a iperf probe (it applies to cps)"},
		{"duration too short", "  - probe: cps\n    from: client1\n    to: server:1\n    duration: 10ms\n", "duration 10ms is not within 100ms..60s"},
		{"duration and seconds", "  - probe: cps\n    from: client1\n    to: server:1\n    duration: 500ms\n    seconds: 2\n", "give seconds or duration, not both"},
		{"netem without node", "  - action: netem\n    delay: 10ms\n", "netem needs node"},
		{"netem bad rate", "  - action: netem\n    node: peer\n    rate: 10mbps\n", `netem rate "10mbps": want a number and kbit, mbit or gbit`},
		{"netem unknown node", "  - action: netem\n    node: isp9\n    loss: 5\n", `t.yaml:6:11: unknown node "isp9" in netem`},
		{"affinity on a tcp probe", "  - probe: tcp\n    from: client1\n    to: server:1\n    affinity: \"0\"\n", "affinity does not apply to a tcp probe (it applies to iperf)"},
		{"bad affinity", "  - probe: iperf\n    from: client1\n    to: server:5201\n    affinity: first\n", `affinity "first": want the client's CPU number`},
		{"link-down without interface", "  - action: link-down\n", "link-down needs interface: the router port whose cable it pulls"},
		{"link-up on no port", "  - action: link-up\n    interface: ether9\n", `t.yaml:6:16: link-up: interface "ether9" is not a port of the lab's router`},
		{"interface on a probe", "  - probe: tcp\n    from: client1\n    to: server:1\n    interface: ether1\n", "interface does not apply to a tcp probe (it belongs to the link-down and link-up actions)"},
		{"node on a probe", "  - probe: ping\n    from: client1\n    to: server\n    node: peer\n", "node does not apply to a ping probe (it belongs to the netem action)"},
		{"link-down during a flow", "  - probe: flow\n    from: client1\n    to: server:1\n    seconds: 2\n    during:\n      - {at: 1s, action: link-down, interface: ether1}\n", ""},
		{"during outside the flow", "  - probe: flow\n    from: client1\n    to: server:1\n    seconds: 2\n    during:\n      - {at: 5s, action: configure, rsc: /ip address print}\n", "at 5s is not within the flow's 2s"},
		{"upnp ok", "  - probe: upnp\n    from: client1\n    to: router.wan:12566\n    port: 12566\n    protocol: udp\n    lease: 1h\n    delete: true\n    expect: {result: ok, answer: router.wan}\n  - probe: upnp\n    from: client1\n    to: router.wan:8080\n    client: server\n    expect: {result: refused, upnp_error: 606}\n", ""},
		{"upnp bad protocol", "  - probe: upnp\n    from: client1\n    to: router.wan:1\n    protocol: icmp\n", `protocol "icmp": want tcp or udp`},
		{"upnp part second lease", "  - probe: upnp\n    from: client1\n    to: router.wan:1\n    lease: 1500ms\n", "lease 1.5s: want whole seconds"},
		{"upnp client unknown", "  - probe: upnp\n    from: client1\n    to: router.wan:1\n    client: nobody\n", `t.yaml:8:13: unknown node "nobody"`},
		{"l2tp ok", "  - probe: l2tp\n    from: peer\n    to: router.wan:1701\n    user: alice\n    password: pw\n    timeout: 8s\n    expect: {result: refused, log: \"authentication failed\"}\n", ""},
		{"l2tp without user", "  - probe: l2tp\n    from: peer\n    to: router.wan:1701\n    password: pw\n", "l2tp probe needs user (and password)"},
		{"user on a tcp probe", "  - probe: tcp\n    from: client1\n    to: server:1\n    user: alice\n", "user does not apply to a tcp probe (it applies to l2tp, sstp, ovpn)"},
		{"sstp ok", "  - probe: sstp\n    from: peer\n    to: router.wan:443\n    user: alice\n    password: pw\n    expect: {result: refused}\n", ""},
		{"sstp without user", "  - probe: sstp\n    from: peer\n    to: router.wan:443\n", "sstp probe needs user (and password)"},
		{"server on an l2tp probe", "  - probe: l2tp\n    from: peer\n    to: router.wan:1701\n    user: a\n    expect: {server: server}\n", "expectation server does not apply to a l2tp probe"},
		{"lease on a tcp probe", "  - probe: tcp\n    from: client1\n    to: server:1\n    lease: 1h\n", "lease does not apply to a tcp probe (it applies to upnp)"},
		// f71 D4: the source port the server saw, for a CGNAT's port
		// block per customer (src-nat to-ports=1000-1999).
		{"server_saw_port ok", "  - probe: tcp\n    from: client1\n    to: server:1\n    expect: {result: ok, server_saw_port: 1000-1999}\n  - probe: udp\n    from: client1\n    to: server:1\n    expect: {server_saw_port: \"40000\"}\n", ""},
		{"server_saw_port on a ping", "  - probe: ping\n    from: client1\n    to: server\n    expect: {server_saw_port: 1000-1999}\n", "t.yaml:8: expectation server_saw_port does not apply to a ping probe (it applies to tcp, udp, flow)"},
		{"server_saw_port not a range", "  - probe: tcp\n    from: client1\n    to: server:1\n    expect: {server_saw_port: 1999-1000}\n", `t.yaml:8: expectation server_saw_port: "1999-1000": want a port or a range A-B of ports 1 to 65535, A not above B (as to-ports=1000-1999)`},
		{"upnp_error on a tcp probe", "  - probe: tcp\n    from: client1\n    to: server:1\n    expect: {upnp_error: 606}\n", "expectation upnp_error does not apply to a tcp probe (it applies to upnp)"},
		// An expect on an action was taken and never judged; the step
		// counted as held (forum44 D6). It is refused at its key.
		{"expect on a configure action", "  - action: configure\n    rsc: ':log info hello'\n    expect: {log: never, result: timeout}\n", "t.yaml:7:5: expect does not apply to an action (configure)"},
		{"expect on an action during a flow", "  - probe: flow\n    from: client1\n    to: server:1\n    seconds: 2\n    during:\n      - at: 1s\n        action: link-down\n        interface: ether1\n        expect: {result: ok}\n", "t.yaml:13:9: expect does not apply to an action (link-down)"},
		{"configure without expect", "  - action: configure\n    rsc: ':log info hello'\n  - probe: ping\n    from: client1\n    to: server\n    expect: {log: hello}\n", ""},
		{"bad result", "  - probe: tcp\n    from: client1\n    to: server:1\n    expect: {result: \"!okay\"}\n", `unknown expected result "!okay"; known: ok, timeout`},
		{"ok", "  - probe: connections\n    from: client1\n    to: router.wan:12566\n    count: 20\n    expect: {result: ok, share: \">= 0.95\", max_failures: 1, counter: {rule: '/ip firewall nat [find comment~\"hairpin\" and action=masquerade]', packets: \">0\"}}\n" +
			"  - probe: flow\n    from: client1\n    to: router.wan:12566\n    src_port: 40000\n    during:\n      - {at: 1s, action: configure, rsc: \"/ip firewall connection remove [find]\"}\n    expect: {result: \"!timeout\", first_reply_s: \">= 0.5\"}\n" +
			"  - probe: resolve-then-connect\n    from: client1\n    to: server:53\n    name: a.example\n    port: 51820\n    connect: udp\n" +
			"  - action: netem\n    node: peer\n    rate: 10mbit\n  - probe: ping\n    from: client1\n    to: server\n    expect: {loss: \"== 0\", rtt_ms: \"< 50\"}\n", ""},
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

func TestInlineCase(t *testing.T) {
	doc := `name: one-file
lab:
  name: tiny
  router:
    name: router
    ports: [{network: lan, address: 192.168.88.1}]
router: |
  /ip firewall nat
  add chain=srcnat action=masquerade comment=hairpin
steps:
  - action: configure
    rsc: |
      /ip firewall connection remove [find]
  - probe: tcp
    from: client1
    to: server:1
`
	s, err := Parse("/x/case.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if s.Lab != "inline" || !s.RouterInline {
		t.Fatalf("lab %q inline router %v, want both inline", s.Lab, s.RouterInline)
	}
	lines := strings.Split(string(s.LabYAML), "\n")
	if len(lines) < 6 || lines[2] != "  name: tiny" || lines[5] != "    ports: [{network: lan, address: 192.168.88.1}]" || lines[0] != "" {
		t.Errorf("inline lab text is not padded to the file's lines: %q", s.LabYAML)
	}
	texts := s.RSCTexts()
	if len(texts) != 2 || texts[0].Line != 8 || texts[0].File != "/x/case.yaml" || !strings.HasPrefix(string(texts[0].Text), "/ip firewall nat\n") ||
		texts[1].Line != 13 || texts[1].What != "step 1 (configure)" {
		t.Errorf("rsc texts = %+v, want the router's at line 8 and the step's at 13", texts)
	}
	for _, bad := range []string{"lab: ../labs/hairpin\nrouter: r.rsc\n", "lab: hairpin\nrouter: ../srcnat/router.rsc\n", "lab: /etc/lab.yaml\nrouter: r.rsc\n"} {
		_, err := Parse("c.yaml", []byte("name: x\n"+bad+"steps:\n  - probe: tcp\n    from: a\n    to: b:1\n"))
		if err == nil || !strings.Contains(err.Error(), "leaves the scenario's folder") {
			t.Errorf("%q: error = %v, want it refused", bad, err)
		}
	}
}

func TestJudgeMore(t *testing.T) {
	one := 1
	tests := []struct {
		name string
		e    Expect
		o    Observation
		ref  *Observation
		kind Kind
		why  string
	}{
		{"ratio holds", Expect{RatioTo: "direct", Min: 0.8}, Observation{BitsPerSecond: 9e9}, &Observation{BitsPerSecond: 10e9}, Iperf, ""},
		{"ratio fails", Expect{RatioTo: "direct", Min: 0.8}, Observation{BitsPerSecond: 7e9}, &Observation{BitsPerSecond: 10e9}, Iperf, "0.70 of direct, expected at least 0.8"},
		{"cps ratio", Expect{RatioTo: "direct", Min: 0.5}, Observation{PerSecond: 100}, &Observation{PerSecond: 1000}, CPS, "0.10 of direct"},
		{"min gbps", Expect{MinGbps: 1}, Observation{BitsPerSecond: 0.5e9}, nil, Iperf, "0.500 Gbit/s, expected at least 1"},
		{"cps bounds", Expect{MinCPS: 1000, MaxP99: 5 * time.Millisecond, MaxFailures: &one}, Observation{PerSecond: 500, P99: 7, Failures: 2}, nil, CPS,
			"500 connections/s, expected at least 1000; p99 7.00ms, expected at most 5ms; 2 failures"},
		{"conntrack-rate holds", Expect{EntriesPerFlow: "== 1", MinInsertsPerS: 1000, MaxEntries: &one}, Observation{EntriesPerFlow: 1, InsertsPerS: 2000, PeakEntries: 1}, nil, ConntrackRate, ""},
		{"conntrack-rate bounds", Expect{EntriesPerFlow: "== 1", MinInsertsPerS: 1000, MaxEntries: &one}, Observation{EntriesPerFlow: 0.983, InsertsPerS: 500, PeakEntries: 983}, nil, ConntrackRate,
			"500 conntrack inserts/s, expected at least 1000; the table held 983 entries, expected at most 1; entries_per_flow 0.983, expected == 1"},
		// forum43 D6: an entry that timed out or was removed is judged by
		// its count; nat cannot say it (it judges the entries there are).
		{"conntrack no entry", Expect{Entries: "== 0"}, Observation{Result: "ok", Count: 0}, nil, Conntrack, ""},
		{"conntrack entry left", Expect{Entries: "== 0"}, Observation{Result: "ok", Count: 2}, nil, Conntrack, "entries 2, expected == 0"},
		{"share", Expect{Share: ">= 0.95"}, Observation{Share: 0.5}, nil, Connections, "share 0.5, expected >= 0.95"},
		{"counter zero", Expect{Counter: CounterExpect{Rule: "/ip firewall nat [find comment~\"x\"]", Packets: "== 0"}}, Observation{Counter: &Counter{Matched: 1, Packets: 3}}, nil, TCP, "counted 3 packets, expected == 0"},
		{"port in the block", Expect{ServerSawPort: "1000-1999"}, Observation{Result: "ok", ServerSawPort: 1500}, nil, TCP, ""},
		{"port outside the block", Expect{ServerSawPort: "1000-1999"}, Observation{Result: "ok", ServerSawPort: 41234}, nil, TCP, "server saw port 41234, expected 1000-1999"},
		{"one port", Expect{ServerSawPort: "40000"}, Observation{Result: "ok", ServerSawPort: 40001}, nil, UDP, "server saw port 40001, expected 40000"},
		{"port of a failed probe", Expect{ServerSawPort: "1000-1999"}, Observation{Result: "timeout"}, nil, TCP, ""},
		{"counter no rule", Expect{Counter: CounterExpect{Rule: "r", Packets: ">0"}}, Observation{Counter: &Counter{}}, nil, TCP, "no rule matches r"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ratio, _ := ratioWhy(tc.e, tc.o, tc.ref, tc.kind)
			why := strings.Join(append(judgeMore(tc.e, tc.o, tc.kind), nonEmpty(ratio)...), "; ")
			if (tc.why == "") != (why == "") || !strings.Contains(why, tc.why) {
				t.Errorf("judgeMore = %q, want %q", why, tc.why)
			}
		})
	}
	if ok, _ := judge(Expect{Result: "!ok"}, "", "", Observation{Result: "timeout"}); !ok {
		t.Error("!ok does not hold for a timeout")
	}
	if ok, _ := judge(Expect{Result: "!ok"}, "", "", Observation{Result: "ok"}); ok {
		t.Error("!ok holds for ok")
	}
}

func TestSelector(t *testing.T) {
	sel, err := ParseSelector(`/ip firewall nat [find where comment~"hair.in" and action=masquerade]`)
	if err != nil {
		t.Fatal(err)
	}
	if sel.Menu != "/ip/firewall/nat" || len(sel.Conds) != 2 {
		t.Fatalf("selector = %+v", sel)
	}
	row := map[string]string{"comment": "hairpin rule", "action": "masquerade"}
	if !sel.Conds[0].Match(row) || !sel.Conds[1].Match(row) || sel.Conds[1].Match(map[string]string{"action": "dst-nat"}) {
		t.Errorf("selector does not match as RouterOS's find would")
	}
	// The IPv6 firewall's rules count too; a menu without counters is
	// named as such, with the menus that have them.
	if sel, err := ParseSelector(`/ipv6 firewall filter [find comment="web server"]`); err != nil || sel.Menu != "/ipv6/firewall/filter" {
		t.Errorf("ipv6 selector = %+v, %v", sel, err)
	}
	if _, err := ParseSelector(`/ipv6 route [find comment=x]`); err == nil || !strings.Contains(err.Error(), "menu /ipv6 route has no rule counters") {
		t.Errorf("/ipv6 route: %v", err)
	}
}

// TestSelectorRouterOSEscapes: a selector's quoted value is unquoted as
// RouterOS does, so "scan\$" (the console's way to anchor a regex: an
// unescaped $ starts a variable) is the regex scan$ (forum27 D6); Go's
// strconv.Unquote refused it ("invalid syntax").
func TestSelectorRouterOSEscapes(t *testing.T) {
	sel, err := ParseSelector(`/ip firewall filter [find comment~"scan\$" and comment!="a\_b"]`)
	if err != nil {
		t.Fatal(err)
	}
	if sel.Conds[0].Value != "scan$" || sel.Conds[1].Value != "a b" {
		t.Fatalf("values = %q, %q", sel.Conds[0].Value, sel.Conds[1].Value)
	}
	if !sel.Conds[0].Match(map[string]string{"comment": "port scan"}) || sel.Conds[0].Match(map[string]string{"comment": "scanners"}) {
		t.Errorf("scan$ does not match as an anchored regex")
	}
	// A $ that starts a variable has no value in a case file.
	if _, err := ParseSelector(`/ip firewall filter [find comment~"scan$x"]`); err == nil || !strings.Contains(err.Error(), "variable") {
		t.Errorf("unescaped $: %v", err)
	}
}

func TestConntrackLimit(t *testing.T) {
	steps := "steps:\n  - probe: tcp\n    from: client1\n    to: server:12566\n"
	s, err := Parse("t.yaml", []byte("name: t\nlab: hairpin\nrouter: router.rsc\nconntrack_limit: 200\n"+steps))
	if err != nil {
		t.Fatal(err)
	}
	if s.ConntrackLimit != 200 {
		t.Errorf("conntrack_limit = %d, want 200", s.ConntrackLimit)
	}
	for _, bad := range []string{"0", "-5", "2000000"} {
		_, err := Parse("t.yaml", []byte("name: t\nlab: hairpin\nrouter: router.rsc\nconntrack_limit: "+bad+"\n"+steps))
		if err == nil || !strings.Contains(err.Error(), "t.yaml:4: conntrack_limit "+bad+" is not within 1..1000000") {
			t.Errorf("conntrack_limit %s: %v", bad, err)
		}
	}
	if _, err := Parse("t.yaml", []byte("name: t\nlab: hairpin\nrouter: router.rsc\nconntrack_limit: many\n"+steps)); err == nil {
		t.Error("conntrack_limit: many was accepted")
	}
}

// TestLogExpectation: log: holds when an entry of the router's /log
// matches, "!re" when none does; the wrong way round fails with the entry
// or the count read, an unread log fails, and a pattern that does not
// compile is refused at load.
func TestLogExpectation(t *testing.T) {
	entries := []string{"script,info chrlab: provisioned", "firewall,info PF forward: in:ether1 out:ether2, connection-state:new proto TCP (SYN)"}
	for _, tc := range []struct {
		pattern, want string
	}{
		{`PF forward: in:ether1 .*\(SYN\)`, ""},
		{`!AGAIN forward:`, ""},
		{`AGAIN forward:`, "none of the router's 2 log entries matches"},
		{`!PF forward`, `the router's log holds "firewall,info PF forward`},
	} {
		seen := MatchLog(tc.pattern, entries)
		why := strings.Join(judgeMore(Expect{Log: tc.pattern}, Observation{Log: &seen}, TCP), "; ")
		if tc.want == "" && why != "" || tc.want != "" && !strings.Contains(why, tc.want) {
			t.Errorf("log %q: %q, want %q", tc.pattern, why, tc.want)
		}
	}
	if why := judgeMore(Expect{Log: "x"}, Observation{}, TCP); len(why) == 0 {
		t.Error("an unread log held")
	}
	if err := checkExpect(TCP, Expect{Log: "(unclosed"}, map[string]int{"log": 0}); err == nil {
		t.Error("a log pattern that does not compile was taken")
	}
	if err := checkExpect(TCP, Expect{Log: "!"}, map[string]int{"log": 0}); err == nil {
		t.Error("an empty log pattern was taken")
	}
}

// TestJudgeUPnPError: upnp_error holds only for the code the gateway
// answered with; no refusal is no code.
func TestJudgeUPnPError(t *testing.T) {
	e := Expect{UPnPError: 606}
	if why := judgeMore(e, Observation{Result: "refused", UPnPError: 606}, UPnP); len(why) != 0 {
		t.Errorf("606 seen: %v", why)
	}
	if why := judgeMore(e, Observation{Result: "refused", UPnPError: 718}, UPnP); len(why) != 1 || why[0] != "UPnP error 718, expected UPnP error 606" {
		t.Errorf("718 seen: %v", why)
	}
	if why := judgeMore(e, Observation{Result: "ok"}, UPnP); len(why) != 1 || why[0] != "no UPnP error, expected UPnP error 606" {
		t.Errorf("none seen: %v", why)
	}
}

// A counter selector's ~ matches bytes, as the console's (forum44 D1b):
// "^\D0\E0" (Windows-1251) was refused at load, "invalid UTF-8". Control:
// it matches the comment's bytes and not another comment.
func TestSelectorRegexpBytes(t *testing.T) {
	sel, err := ParseSelector(`/ip firewall filter [find comment~"^\D0\E0"]`)
	if err != nil {
		t.Fatal(err)
	}
	if !sel.Conds[0].Match(map[string]string{"comment": "\xd0\xe0\xe7\xf0"}) {
		t.Error("the Windows-1251 comment does not match")
	}
	if sel.Conds[0].Match(map[string]string{"comment": "\xd0\x9f"}) {
		t.Error("another comment matches")
	}
	dot, err := ParseSelector(`/ip firewall filter [find comment~"^..\$"]`)
	if err != nil {
		t.Fatal(err)
	}
	if !dot.Conds[0].Match(map[string]string{"comment": "\xd0\x9f"}) {
		t.Error(`"." is not one byte`)
	}
}
