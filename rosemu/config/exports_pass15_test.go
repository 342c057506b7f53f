package config

import (
	"strings"
	"testing"
)

// Fifteenth pass: lines of a third corpus of real exports and setup
// scripts (67 files of 47 repositories) that rosemu refused.

// TestBridgeAutoMACWithoutAdminMAC: an RB751U setup script adds its bridge
// with auto-mac=no and sets admin-mac on the next line; sanitised exports
// drop the MAC. Both were refused ("admin-mac must be set"), and every
// port, VLAN and address on the bridge after them.
func TestBridgeAutoMACWithoutAdminMAC(t *testing.T) {
	src := "/interface bridge add auto-mac=no name=bridge-local protocol-mode=rstp\n" +
		"/interface bridge port add bridge=bridge-local interface=ether2\n" +
		"/interface bridge set bridge-local admin-mac=02:00:00:00:00:01\n"
	if refused := refusedLines(validateShape("6.49.10", []string{"ether1", "ether2"}, src)); len(refused) > 0 {
		t.Fatalf("refused: %q", refused)
	}
	r := New(Options{Ports: []string{"ether1", "ether2"}})
	run(t, r, src)
	if b := r.State().Bridges; len(b) != 1 || b[0].MAC != "02:00:00:00:00:01" {
		t.Errorf("bridges %+v", b)
	}
	// The control: a MAC that is no MAC stays refused.
	if len(refusedLines(validateShape("6.49.10", []string{"ether1"}, "/interface bridge add auto-mac=no admin-mac=02:00 name=b\n"))) != 1 {
		t.Error("took a bad admin-mac")
	}
}

// TestLoopbackBridgeOn6: RouterOS 6 has no built-in lo, and MPLS labs make
// a bridge of that name for the router's loopback address; the address was
// refused ("input does not match any value of interface") and the bridge's
// address kept out of the kernel. RouterOS 7 refuses the name (its own
// loopback has it).
func TestLoopbackBridgeOn6(t *testing.T) {
	src := "/interface bridge add name=lo\n/ip address add address=1.1.1.1/32 interface=lo\n"
	if refused := refusedLines(validateShape("6.48.6", []string{"ether1"}, src)); len(refused) > 0 {
		t.Fatalf("6: refused %q", refused)
	}
	r := New(Options{Ports: []string{"ether1"}, Version: "6.48.6"})
	run(t, r, src)
	if a := r.State().Addresses; len(a) != 1 || a[0].Interface != "lo" {
		t.Errorf("6: kernel addresses %+v, want the bridge's", a)
	}
	if refused := refusedLines(validateShape("7.16.2", []string{"ether1"}, src)); len(refused) != 1 {
		t.Errorf("7: refused %q, want the bridge's name", refused)
	}
}

// TestSNMPEngineIDOn7: a 7.6 verbose export writes engine-id="" (it was
// refused as a RouterOS 6 property).
func TestSNMPEngineIDOn7(t *testing.T) {
	if refused := refusedLines(validateShape("7.6", []string{"ether1"}, "/snmp set contact=\"\" enabled=no engine-id=\"\" location=\"\"\n")); len(refused) > 0 {
		t.Errorf("refused %q", refused)
	}
}

// TestCopyFrom: add's copy-from= starts the item as a copy of another of
// the menu (OpenVPN setup scripts make each client's certificate from a
// template with it; it was "bad parameter copy-from"); the add's own
// arguments change the copy, and a reference to nothing is refused.
func TestCopyFrom(t *testing.T) {
	r := New(Options{Ports: []string{"ether1"}, Version: "7.12"})
	out := run(t, r, `/certificate add name=client-template common-name=client key-usage=tls-client days-valid=3650
/certificate add name=client1 copy-from="client-template" common-name="client1-ovpn"
:put ([/certificate get client1 key-usage] . " " . [/certificate get client1 common-name] . " " . [/certificate get client1 days-valid])
/ip firewall filter add chain=input action=drop protocol=tcp dst-port=22 comment=ssh
/ip firewall filter add copy-from=0 dst-port=23 comment=telnet`)
	if got := strings.TrimSpace(out); got != "tls-client client1-ovpn 3650" {
		t.Errorf("client1: %q", got)
	}
	f := r.State().Filter
	if len(f) != 2 || f[1].Props["protocol"] != "tcp" || f[1].Props["action"] != "drop" || f[1].Props["dst-port"] != "23" || f[0].Props["dst-port"] != "22" {
		t.Errorf("rules %+v", f)
	}
	if _, err := r.Run(t.Context(), "/ip firewall filter add copy-from=99 dst-port=23"); err == nil {
		t.Error("copy-from=99 of two rules was taken")
	}
}
