package config

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/chrlab/chrlab/rosemu/version"
)

// TestExportHeaderDate (forum35 D9): a 6.x export's header writes the
// date as RouterOS 6 does ("# dec/05/2026 23:39:08 by RouterOS 6.49.18"),
// the form its clock and log use; 7.10 and later write the ISO date (the
// control). Either way chrlab's version detection reads the version.
func TestExportHeaderDate(t *testing.T) {
	for _, tt := range []struct {
		v    string
		date *regexp.Regexp
	}{
		{"6.49.18", regexp.MustCompile(`^# [a-z]{3}/\d\d/\d{4} \d\d:\d\d:\d\d by RouterOS 6\.49\.18\n`)},
		{"7.16.2", regexp.MustCompile(`^# \d{4}-\d\d-\d\d \d\d:\d\d:\d\d by RouterOS 7\.16\.2\n`)},
	} {
		r := New(Options{Ports: []string{"ether1"}, Version: tt.v})
		out := run(t, r, "/export")
		if !tt.date.MatchString(out) {
			t.Errorf("%s header: %q", tt.v, strings.SplitN(out, "\n", 2)[0])
		}
		if got := version.OfExport(out); got != tt.v {
			t.Errorf("%s: version read from the header %q", tt.v, got)
		}
	}
}

// TestExportOrderDHCP (forum35 D7): /ip dhcp-server lease and network
// export after /ip address and /ip dhcp-client and before /ip dns, as
// RouterOS's exports order them, not after /system script.
func TestExportOrderDHCP(t *testing.T) {
	r := New(Options{Ports: []string{"ether1", "ether2"}})
	run(t, r, `/ip pool add name=lan ranges=192.168.88.10-192.168.88.254
/ip dhcp-server add address-pool=lan interface=ether2 name=lan
/ip address add address=192.168.88.1/24 interface=ether2
/ip dhcp-client add interface=ether1
/ip dhcp-server lease add address=192.168.88.20 mac-address=02:00:00:00:00:20 server=lan
/ip dhcp-server network add address=192.168.88.0/24 gateway=192.168.88.1
/ip dns set allow-remote-requests=yes
/system script add name=s source=":log info x"`)
	out := run(t, r, "/export")
	var order []string
	for _, l := range strings.Split(out, "\n") {
		switch l {
		case "/ip pool", "/ip dhcp-server", "/ip address", "/ip dhcp-client", "/ip dhcp-server lease", "/ip dhcp-server network", "/ip dns", "/system script":
			order = append(order, l)
		}
	}
	want := "/ip pool|/ip dhcp-server|/ip address|/ip dhcp-client|/ip dhcp-server lease|/ip dhcp-server network|/ip dns|/system script"
	if got := strings.Join(order, "|"); got != want {
		t.Errorf("export order\n got %s\nwant %s", got, want)
	}
	// The export applies again (a lease names its server, exported before it).
	r2 := New(Options{Ports: []string{"ether1", "ether2"}})
	if _, err := r2.Run(context.Background(), out); err != nil {
		t.Errorf("the export does not apply again: %v", err)
	}
}
