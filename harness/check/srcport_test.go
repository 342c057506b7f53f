package check

import (
	"slices"
	"strings"
	"testing"
)

// TestSrcPortForward (realcheck20 D3): a dst-nat with src-port=44158 (the
// server's port written in the wrong field) takes no client's connection:
// the internet's path is a finding whose fix unsets src-port, folded into
// the hairpin fix's set line on the same rule, whose find still names
// src-port= (two set lines left the lab's forward with src-port=, "with
// the fix 2 still are"). Controls: src-port=1024-65535 takes every client
// port (no finding), and a forward without src-port gets no such line.
func TestSrcPortForward(t *testing.T) {
	const text = "# 2024-10-28 12:28:48 by RouterOS 7.16.1\n/ip address\nadd address=192.168.88.1/24 interface=ether2\n/ip dhcp-client\nadd interface=ether1\n/ip firewall nat\nadd action=masquerade chain=srcnat out-interface=ether1\n" +
		"add action=dst-nat chain=dstnat dst-port=44158 in-interface=ether1 protocol=tcp src-port=44158 to-addresses=192.168.88.231 to-ports=44158\n"
	diagnose := func(text string) ([]Finding, Fix) {
		p := importNamed(t, "srcport.rsc", []byte(text))
		found, _ := p.Diagnose()
		return found, p.Propose(found)
	}
	found, fx := diagnose(text)
	if !slices.ContainsFunc(found, func(f Finding) bool { return f.Path == "internet" && f.Cause == SrcPortClient && f.Line == 8 }) {
		t.Errorf("no src-port finding on the internet's path: %+v", found)
	}
	var sets []string
	for _, l := range fx.Lines {
		if strings.HasPrefix(l, "/ip firewall nat set ") {
			sets = append(sets, l)
		}
	}
	if len(sets) != 1 || !strings.Contains(sets[0], "src-port=44158 and to-addresses=192.168.88.231 and to-ports=44158 ] !src-port !in-interface dst-address-type=local") {
		t.Errorf("fix's set lines on the forward: %q (want one, unsetting src-port with the rest)", sets)
	}
	found, _ = diagnose(strings.Replace(text, "src-port=44158", "src-port=1024-65535", 1))
	if slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == SrcPortClient }) {
		t.Errorf("src-port=1024-65535 takes every client port: %+v", found)
	}
	found, fx = diagnose(strings.Replace(text, " src-port=44158", "", 1))
	if slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == SrcPortClient }) || slices.ContainsFunc(fx.Lines, func(l string) bool { return strings.Contains(l, "!src-port") }) {
		t.Errorf("a forward without src-port: %+v, %q", found, fx.Lines)
	}
}
