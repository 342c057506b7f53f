package config

import (
	"context"
	"testing"
)

// versionCase is one source run on one RouterOS version: wantErr is the
// refusal in RouterOS's words with its position, "" when the version
// takes the source.
type versionCase struct{ ver, src, wantErr string }

// checkVersionCases runs each case on a fresh router of its version.
func checkVersionCases(t *testing.T, cases []versionCase) {
	t.Helper()
	for _, c := range cases {
		r := New(Options{Ports: []string{"ether1", "ether2"}, Version: c.ver})
		_, err := r.Run(context.Background(), c.src)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != c.wantErr {
			t.Errorf("%s %q: err %q, want %q", c.ver, c.src, got, c.wantErr)
		}
	}
}

// TestDHCPClientPropsByVersion: the DHCP client's check-gateway and
// allow-reconfigure are 7.19+, default-route-tables 7.18+, dscp,
// vlan-priority and use-broadcast 7.20+ (the community.routeros Ansible
// collection's table of API paths); the server's use-reconfigure is 7.19+.
// Each version before refuses the name at its position (ver46 D2).
func TestDHCPClientPropsByVersion(t *testing.T) {
	checkVersionCases(t, []versionCase{
		{"7.18.2", "/ip dhcp-client add interface=ether1 check-gateway=ping", "bad parameter check-gateway (line 1 column 38)"},
		{"7.16.2", "/ip dhcp-client add interface=ether1 check-gateway=ping", "bad parameter check-gateway (line 1 column 38)"},
		{"6.49.18", "/ip dhcp-client add interface=ether1 check-gateway=ping", "bad parameter check-gateway (line 1 column 38)"},
		{"7.19", "/ip dhcp-client add interface=ether1 check-gateway=ping", ""},
		{"7.18.2", "/ip dhcp-client add interface=ether1 allow-reconfigure=yes", "bad parameter allow-reconfigure (line 1 column 38)"},
		{"7.19.4", "/ip dhcp-client add interface=ether1 allow-reconfigure=yes", ""},
		{"7.17.2", "/ip dhcp-client add interface=ether1 default-route-tables=main", "bad parameter default-route-tables (line 1 column 38)"},
		{"7.18", "/ip dhcp-client add interface=ether1 default-route-tables=main", ""},
		{"7.19.6", "/ip dhcp-client add interface=ether1 dscp=10", "bad parameter dscp (line 1 column 38)"},
		{"7.20.8", "/ip dhcp-client add interface=ether1 dscp=10", ""},
		{"7.20.8", "/ip dhcp-client add interface=ether1 dscp=64", "invalid value for argument dscp (line 1 column 38)"},
		{"7.19.6", "/ip dhcp-client add interface=ether1 vlan-priority=3", "bad parameter vlan-priority (line 1 column 38)"},
		{"7.20.8", "/ip dhcp-client add interface=ether1 vlan-priority=3", ""},
		{"7.16.2", "/ip dhcp-client add interface=ether1 use-broadcast=never", "bad parameter use-broadcast (line 1 column 38)"},
		{"7.20.8", "/ip dhcp-client add interface=ether1 use-broadcast=never", ""},
		{"7.18.2", "/ip pool add name=p ranges=10.0.0.2-10.0.0.9\n/ip dhcp-server add address-pool=p interface=ether2 use-reconfigure=yes", "bad parameter use-reconfigure (line 2 column 53)"},
		{"7.19", "/ip pool add name=p ranges=10.0.0.2-10.0.0.9\n/ip dhcp-server add address-pool=p interface=ether2 use-reconfigure=yes", ""},
	})
}
