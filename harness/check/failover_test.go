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
			continue
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
