package check

import (
	"strings"
	"testing"
)

// TestFailoverSteps: a two-WAN failover gets a failover phase that pulls
// the main WAN's cable (ether1), probes the LAN's way to the internet's
// peer and plugs the cable back; one WAN, a backup only a routing table
// leads to, and a main WAN whose port also carries the LAN (a VLAN WAN on
// the LAN's port) get none.
func TestFailoverSteps(t *testing.T) {
	vlanWAN := strings.NewReplacer(
		"add name=bridge\n", "add name=bridge\n/interface vlan\nadd interface=ether3 name=wan-vlan vlan-id=7\n",
		"add interface=ether1 list=WAN", "add interface=wan-vlan list=WAN",
		"interface=ether1 network=203.0.113.0", "interface=wan-vlan network=203.0.113.0",
		"out-interface=ether1", "out-interface=wan-vlan").Replace(failoverMasq)
	for _, c := range []struct {
		name, text string
		port       string // the port pulled; empty: no failover phase
	}{
		{"two WANs", failoverMasq, "ether1"},
		{"recursive routes", strings.Replace(failoverMasq, "add distance=1 gateway=203.0.113.1\nadd distance=2 gateway=198.18.0.1\n",
			"add dst-address=9.9.9.9/32 gateway=203.0.113.1 scope=10\nadd dst-address=1.0.0.1/32 gateway=198.18.0.1 scope=10\n"+
				"add check-gateway=ping distance=1 gateway=9.9.9.9 target-scope=11\nadd check-gateway=ping distance=2 gateway=1.0.0.1 target-scope=11\n", 1), "ether1"},
		{"one WAN", strings.NewReplacer("add distance=2 gateway=198.18.0.1\n", "", "add address=198.18.0.2/24 interface=ether2 network=198.18.0.0\n", "", "add interface=ether2 list=WAN\n", "").Replace(failoverMasq), ""},
		{"backup in a routing table only", strings.Replace(failoverMasq, "add distance=2 gateway=198.18.0.1", "add gateway=198.18.0.1 routing-table=isp2\n/routing table\nadd fib name=isp2", 1), ""},
		{"main WAN on the LAN's port", vlanWAN, ""},
		{"PPPoE main WAN", strings.NewReplacer(
			"add name=bridge\n", "add name=bridge\n/interface pppoe-client\nadd disabled=no interface=ether1 name=pppoe-out1 user=office password=secret\n",
			"add interface=ether1 list=WAN", "add interface=pppoe-out1 list=WAN",
			"add address=203.0.113.2/24 interface=ether1 network=203.0.113.0\n", "",
			"out-interface=ether1", "out-interface=pppoe-out1",
			"add distance=1 gateway=203.0.113.1", "add distance=1 gateway=pppoe-out1").Replace(failoverMasq), ""},
	} {
		p := importNamed(t, "failover.rsc", []byte(c.text))
		cs, err := p.Case(Fix{})
		if err != nil {
			t.Fatalf("%s: Case: %v", c.name, err)
		}
		down := "  - action: link-down\n    interface: " + c.port + "\n"
		has := strings.Contains(cs.YAML, "action: link-down")
		if c.port == "" {
			if has {
				t.Errorf("%s: a failover phase, want none:\n%s", c.name, cs.YAML)
			}
			// Two lines and no test: a note says why; one line has none.
			if noted := hasNote(p.Notes, "failover between the WANs is not tested: "); noted != (len(p.WANs) >= 2) {
				t.Errorf("%s: %d WANs, note of the untested failover: %v (%q)", c.name, len(p.WANs), noted, p.Notes)
			}
			continue
		}
		if hasNote(p.Notes, "failover between the WANs is not tested") {
			t.Errorf("%s: tested, yet noted untested: %q", c.name, p.Notes)
		}
		if !strings.Contains(cs.YAML, down) || !strings.Contains(cs.YAML, "  - action: link-up\n    interface: "+c.port+"\n") {
			t.Errorf("%s: no link-down and link-up of %s in the case:\n%s", c.name, c.port, cs.YAML)
			continue
		}
		after := cs.YAML[strings.Index(cs.YAML, down):]
		if !strings.Contains(after, "to: peer:12566") {
			t.Errorf("%s: no probe to the internet's peer after the cable is pulled:\n%s", c.name, after)
		}
		found := false
		for _, pr := range cs.Probes {
			found = found || pr.Path == failoverPrefix+"bridge" && pr.Phase == "before"
		}
		if !found {
			t.Errorf("%s: no probe with path %sbridge", c.name, failoverPrefix)
		}
	}
}

// TestFailoverWarning: a segment that does not reach the internet's peer
// with the main WAN's cable out is a warning and a bad path; one the peer
// answered is neither.
func TestFailoverWarning(t *testing.T) {
	pr := Probe{Forward: -1, Path: failoverPrefix + "bridge", Phase: "before", From: "client1", To: "peer:12566", Kind: "tcp"}
	bad := Outcome{Probe: pr, Result: "timeout"}
	good := Outcome{Probe: pr, Result: "ok", By: "peer", Saw: "198.18.0.2"}
	if w := ServiceWarnings([]Outcome{bad}, "before"); len(w) != 1 || !strings.Contains(w[0], "main WAN's cable pulled, LAN bridge does not reach") {
		t.Errorf("warnings of a failed failover = %q", w)
	}
	if w := ServiceWarnings([]Outcome{good}, "before"); len(w) != 0 {
		t.Errorf("warnings of a working failover = %q, want none", w)
	}
	if !serviceBad(bad) || serviceBad(good) {
		t.Errorf("serviceBad(failed) = %v, serviceBad(working) = %v; want true, false", serviceBad(bad), serviceBad(good))
	}
}

// TestSilentSteps: after the cable, the lab silences the main ISP (netem
// loss on its link to the router). A default route that watches its
// gateway (check-gateway=ping, also on a recursive next hop) is given time
// to fail over and to come back, seen again as the main line's address;
// one that watches nothing gets one probe and an offline note with the
// fix; a netwatch or check-gateway=arp leaves the phase out.
func TestSilentSteps(t *testing.T) {
	const silence = "  - action: netem\n    node: isp1\n    network: wan\n    loss: 100\n"
	pinged := strings.Replace(failoverMasq, "add distance=1 gateway=203.0.113.1", "add check-gateway=ping distance=1 gateway=203.0.113.1", 1)
	recursive := strings.Replace(failoverMasq, "add distance=1 gateway=203.0.113.1\n",
		"add dst-address=9.9.9.9/32 gateway=203.0.113.1 scope=10\nadd check-gateway=ping distance=1 gateway=9.9.9.9 target-scope=11\n", 1)
	for _, c := range []struct {
		name, text string
		phase      bool   // a silent phase
		watch      string // in the probe's Watch; empty: nothing watches
		note       string // in the plan's notes; empty: no note on the gateway
	}{
		{"nothing watches", failoverMasq, true, "", "/ip route set [find gateway=203.0.113.1] check-gateway=ping"},
		{"check-gateway=ping", pinged, true, "check-gateway=ping on the default route (line", ""},
		{"recursive", recursive, true, "recursive next hop 9.9.9.9", ""},
		{"netwatch", failoverMasq + "/tool netwatch\nadd host=9.9.9.9 down-script=\"/ip route disable [find comment=isp1]\"\n", false, "", ""},
		{"arp", strings.Replace(pinged, "check-gateway=ping", "check-gateway=arp", 1), false, "", ""},
	} {
		p := importNamed(t, "silent.rsc", []byte(c.text))
		cs, err := p.Case(Fix{})
		if err != nil {
			t.Fatalf("%s: Case: %v", c.name, err)
		}
		noted := ""
		for _, n := range p.Notes {
			if strings.Contains(n, "does not watch its gateway") {
				noted = n
			}
		}
		if c.note == "" && noted != "" || c.note != "" && !strings.Contains(noted, c.note) {
			t.Errorf("%s: gateway note %q, want one with %q", c.name, noted, c.note)
		}
		if !c.phase {
			if strings.Contains(cs.YAML, "action: netem") {
				t.Errorf("%s: a silent phase, want none:\n%s", c.name, cs.YAML)
			}
			continue
		}
		i := strings.Index(cs.YAML, silence)
		if i < 0 || !strings.Contains(cs.YAML[i:], "  - action: netem\n    node: isp1\n    network: wan\n    clear: true\n") {
			t.Errorf("%s: no silence and clear of isp1 on wan:\n%s", c.name, cs.YAML)
			continue
		}
		var silent, back *Probe
		for k := range cs.Probes {
			switch cs.Probes[k].Path {
			case silentPrefix + "bridge":
				silent = &cs.Probes[k]
			case failbackPrefix + "bridge":
				back = &cs.Probes[k]
			}
		}
		if silent == nil {
			t.Errorf("%s: no probe %sbridge", c.name, silentPrefix)
			continue
		}
		if c.watch == "" {
			if silent.Watch != "" || back != nil || strings.Contains(cs.YAML[i:], "within: "+silentSettle) {
				t.Errorf("%s: watch %q, failback %v: want neither, one try", c.name, silent.Watch, back)
			}
			continue
		}
		if !strings.Contains(silent.Watch, c.watch) {
			t.Errorf("%s: watch %q, want %q", c.name, silent.Watch, c.watch)
		}
		if back == nil || back.Want != "203.0.113.2" || !strings.Contains(cs.YAML[i:], "server_saw: 203.0.113.2, within: "+silentSettle) {
			t.Errorf("%s: failback %+v, want one waiting to be seen as 203.0.113.2:\n%s", c.name, back, cs.YAML[i:])
		}
	}
}

// TestSilentWarning: a silent ISP that strands the LAN is a warning, worded
// by whether the export watches the gateway; a failback seen as another
// address is one too; a carried LAN and a failback seen right are not.
func TestSilentWarning(t *testing.T) {
	pr := Probe{Forward: -1, Path: silentPrefix + "bridge", Phase: "before", From: "client1", To: "peer:12566", Kind: "tcp"}
	watched := pr
	watched.Watch = "check-gateway=ping on the default route (line 12)"
	back := Probe{Forward: -1, Path: failbackPrefix + "bridge", Phase: "before", From: "client1", To: "peer:12566", Kind: "tcp", Want: "203.0.113.2"}
	for _, c := range []struct {
		name string
		o    Outcome
		want string // in the one warning; empty: none
	}{
		{"unwatched, stranded", Outcome{Probe: pr, Result: "timeout"}, "works on a dead link only"},
		{"watched, stranded", Outcome{Probe: watched, Result: "timeout"}, "although check-gateway=ping on the default route (line 12) watches it"},
		{"watched, carried", Outcome{Probe: watched, Result: "ok", By: "peer", Saw: "198.18.0.2"}, ""},
		{"failback seen as the backup", Outcome{Probe: back, Result: "ok", By: "peer", Saw: "198.18.0.2"}, "not back on the main line"},
		{"failback", Outcome{Probe: back, Result: "ok", By: "peer", Saw: "203.0.113.2"}, ""},
	} {
		w := ServiceWarnings([]Outcome{c.o}, "before")
		switch {
		case c.want == "" && (len(w) != 0 || serviceBad(c.o)):
			t.Errorf("%s: warnings %q, bad %v; want none", c.name, w, serviceBad(c.o))
		case c.want != "" && (len(w) != 1 || !strings.Contains(w[0], c.want) || !serviceBad(c.o)):
			t.Errorf("%s: warnings %q, bad %v; want one with %q", c.name, w, serviceBad(c.o), c.want)
		}
	}
}

// TestSilentStepsDefconfMasquerade: the defconf masquerade
// (ipsec-policy=out,none out-interface-list=WAN) takes the LAN out of the
// main line, so the failback is waited for as its address.
func TestSilentStepsDefconfMasquerade(t *testing.T) {
	p := load(t, "testdata/rb4011-failover-wan2-forward.rsc")
	cs, err := p.Case(Fix{})
	if err != nil {
		t.Fatal(err)
	}
	for _, pr := range cs.Probes {
		if pr.Path == failbackPrefix+"bridge" {
			if pr.Want != "203.0.113.10" {
				t.Errorf("failback waits to be seen as %q, want 203.0.113.10", pr.Want)
			}
			return
		}
	}
	t.Errorf("no failback probe:\n%s", cs.YAML)
}

// TestPPPoEISPAsksWhatTheClientAllows: the lab's PPPoE ISP asks for the
// protocols the export's client allows (a client with
// allow=chap,mschap2 never answered the default PAP, so its session never
// came up); without allow= the ISP keeps its default (the control).
func TestPPPoEISPAsksWhatTheClientAllows(t *testing.T) {
	for _, c := range []struct{ allow, want string }{{" allow=chap,mschap2", `auth: "chap,mschap2"`}, {"", ""}} {
		text := strings.NewReplacer(
			"add name=bridge\n", "add name=bridge\n/interface pppoe-client\nadd disabled=no interface=ether1 name=pppoe-out1 user=office password=secret"+c.allow+"\n",
			"add interface=ether1 list=WAN", "add interface=pppoe-out1 list=WAN",
			"add address=203.0.113.2/24 interface=ether1 network=203.0.113.0\n", "",
			"out-interface=ether1", "out-interface=pppoe-out1",
			"add distance=1 gateway=203.0.113.1", "add distance=1 gateway=pppoe-out1").Replace(failoverMasq)
		p := importNamed(t, "pppoe.rsc", []byte(text))
		cs, err := p.Case(Fix{})
		if err != nil {
			t.Fatalf("allow %q: Case: %v", c.allow, err)
		}
		caseLoads(t, cs)
		switch {
		case !strings.Contains(cs.YAML, "kind: pppoe"):
			t.Errorf("allow %q: no PPPoE ISP in the case:\n%s", c.allow, cs.YAML)
		case c.want != "" && !strings.Contains(cs.YAML, c.want):
			t.Errorf("allow %q: the ISP does not ask for %s:\n%s", c.allow, c.want, cs.YAML)
		case c.want == "" && strings.Contains(cs.YAML, "auth:"):
			t.Errorf("no allow=: the ISP got an auth list:\n%s", cs.YAML)
		}
	}
}

// TestSilentNoteDHCPClientByVersion: the note on a DHCP main WAN that
// watches nothing suggests the client's own check-gateway=ping only on
// 7.19 and later, which have it; 7.16.2 and 7.18 refuse that line, so
// they get the static-route advice (ver46 D2).
func TestSilentNoteDHCPClientByVersion(t *testing.T) {
	dhcp := strings.Replace(failoverMasq, "add address=203.0.113.2/24 interface=ether1 network=203.0.113.0\n", "", 1)
	dhcp = strings.Replace(dhcp, "add distance=1 gateway=203.0.113.1\n", "", 1)
	dhcp += "/ip dhcp-client\nadd interface=ether1\n"
	const own = "/ip dhcp-client set [find interface=ether1] check-gateway=ping"
	const static = "a DHCP client before RouterOS 7.19 cannot watch its gateway"
	for _, c := range []struct{ version, want string }{
		{"7.16.2", static},
		{"7.18.2", static},
		{"7.19.4", own},
		{"7.20.8", own},
	} {
		text := strings.Replace(dhcp, "by RouterOS 7.16.2", "by RouterOS "+c.version, 1)
		p := importNamed(t, "dhcp.rsc", []byte(text))
		noted := ""
		for _, n := range p.Notes {
			if strings.Contains(n, "does not watch its gateway") {
				noted = n
			}
		}
		if !strings.Contains(noted, c.want) {
			t.Errorf("%s: gateway note %q, want one with %q", c.version, noted, c.want)
		}
	}
}
