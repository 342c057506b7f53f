package config

import (
	"context"
	"strings"
	"testing"
)

// TestDHCPRawValue encodes each data type of the DHCP page's list and its
// own example (0x01'vards'$(HOSTNAME) with HOSTNAME kvm).
func TestDHCPRawValue(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"0x01'vards'$(HOSTNAME)", "0176617264736b766d"},
		{"'192.168.88.1'", "c0a85801"},
		{"s'192.168.88.10'", "3139322e3136382e38382e3130"},
		{"'10'", "0a"},
		{"s'10'", "3130"},
		{"'chrlab'", "6368726c6162"},
		{"0x18C0A837AC100A01", "18c0a837ac100a01"},
		{"", ""},
	} {
		got, ok := dhcpRawValue(c.in, map[string]string{"HOSTNAME": "kvm"})
		if !ok || got != c.want {
			t.Errorf("%s: %q %v, want %q", c.in, got, ok, c.want)
		}
	}
	for _, bad := range []string{"0x1", "0xzz", "'open", "$(HOSTNAME"} {
		if got, ok := dhcpRawValue(bad, nil); ok {
			t.Errorf("%s: %q, want no value", bad, got)
		}
	}
}

// TestDHCPOptionRawValueMenus: get, print and where see raw-value of a
// server option and of a client option (the Scripting page's :convert of
// the hostname option gives the identity back). The control: another
// read-only name is still refused.
func TestDHCPOptionRawValueMenus(t *testing.T) {
	r := New(Options{Ports: ports})
	out := run(t, r, `/ip dhcp-server option add name=ntp42 code=42 value="'192.168.88.1'"
/ip dhcp-server option add name=tftp66 code=66 value="s'192.168.88.10'"
/system identity set name=kvm
:put ("raw42=" . [/ip dhcp-server option get ntp42 raw-value])
:put ("raw66=" . [/ip dhcp-server option get [find name=tftp66] raw-value])
:put ("where=" . [:len [/ip dhcp-server option find where raw-value="c0a85801"]])
:put ("host=" . [:convert [/ip dhcp-client option get hostname raw-value] from=hex to=raw])`)
	for _, want := range []string{"raw42=c0a85801", "raw66=3139322e3136382e38382e3130", "where=1", "host=kvm"} {
		if !strings.Contains(out, want) {
			t.Errorf("want %q in:\n%s", want, out)
		}
	}
	rows, _, err := r.Command(context.Background(), "/ip/dhcp-server/option/print", nil)
	if err != nil || len(rows) != 2 {
		t.Fatalf("API print: %v %v", rows, err)
	}
	if v, _ := rows[0].Get("raw-value"); v != "c0a85801" {
		t.Errorf("API print raw-value = %q", v)
	}
	if strings.Contains(body(r.Export()), "raw-value") {
		t.Errorf("export writes the read-only raw-value:\n%s", body(r.Export()))
	}
	if _, err := r.Run(context.Background(), ":put [/ip dhcp-server option get ntp42 raw-valu]"); err == nil {
		t.Error("a misspelt name was taken")
	}
}
