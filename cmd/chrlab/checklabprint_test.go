package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/harness/check"
	"github.com/chrlab/chrlab/harness/export"
)

// TestLabDiagnosisCountsWarnings (chk54): after a lab run the diagnosis
// line read "no problem found" while a warning of the same run (the
// backup line carrying nothing with the main cable pulled) stood beside
// it and the VERDICT line counted it. The diagnosis line counts the
// warnings now, as offline, and they are printed above it. Control: the
// same run whose failover probe worked has no warning and keeps "no
// problem found", exit 0.
func TestLabDiagnosisCountsWarnings(t *testing.T) {
	const text = "# by RouterOS 7.16.2\n/ip address\nadd address=192.168.88.1/24 interface=ether2\nadd address=203.0.113.2/24 interface=ether1\n" +
		"/ip route\nadd dst-address=0.0.0.0/0 gateway=203.0.113.1\n/ip firewall filter\nadd action=accept chain=input connection-state=established,related\nadd action=drop chain=input in-interface=ether1\n/ip firewall nat\nadd action=masquerade chain=srcnat out-interface=ether1\n" +
		"add action=dst-nat chain=dstnat dst-address=203.0.113.2 dst-port=27015 protocol=udp to-addresses=192.168.88.10\n" +
		"add action=masquerade chain=srcnat src-address=192.168.88.0/24 dst-address=192.168.88.10 out-interface=ether2\n"
	f, err := export.Read("lab.rsc", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	p, err := check.Import(f, check.Options{})
	if err != nil {
		t.Fatal(err)
	}
	found, _ := p.Diagnose()
	fx := p.Propose(found)
	c, err := p.Case(fx)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		failover string
		code     int
		want     string
	}{
		{"timeout", 4, "diagnosis: 1 warning(s) above; no other problem found"},
		{"ok", 0, "diagnosis: no problem found"},
	} {
		outs := []check.Outcome{
			{Probe: check.Probe{Forward: 0, Path: "internet", Phase: "before", From: "peer", To: "router.wan:27015"}, Result: "ok"},
			{Probe: check.Probe{Forward: 0, Path: "hairpin:ether2", Phase: "before", From: "client1", To: "router.wan:27015"}, Result: "ok"},
			{Probe: check.Probe{Forward: -1, Path: "failover:ether2", Phase: "before", From: "client1", To: "peer:80", Kind: "tcp"}, Result: tc.failover, By: map[bool]string{true: "peer"}[tc.failover == "ok"]},
		}
		var b bytes.Buffer
		code := printLab(&b, p, &check.Result{Found: found, Fix: fx, Case: c, Outcomes: outs})
		out := b.String()
		if code != tc.code || !strings.Contains(out, tc.want) {
			t.Errorf("failover %s: exit %d, want %d, and %q in:\n%s", tc.failover, code, tc.code, tc.want, out)
		}
		if w, d := strings.Index(out, "warning:"), strings.Index(out, "diagnosis:"); w > d {
			t.Errorf("failover %s: a warning under the diagnosis line:\n%s", tc.failover, out)
		}
	}
}
