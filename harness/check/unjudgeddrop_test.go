package check

import (
	"strings"
	"testing"
)

// TestUnjudgedDropThenDrop (forum48 D2): a psd rule fills "port scanners"
// at run time, a drop of that list follows, then defconf's "drop all not
// coming from LAN". Whether the list holds the internet's peer or not,
// the connection is dropped: no service may be open. Controls: an accept
// of WebFig's port between the two drops lets it in when the list does not
// hold the peer, so WebFig keeps its "may be open" warning (and the other
// services, still dropped either way, stay silent); without the final
// drop every service keeps it. Since chk58 N2 such a warning reads "would
// be open ... to all but the packets that line N drops": the drop on a
// run-time list keeps only those addresses out.
func TestUnjudgedDropThenDrop(t *testing.T) {
	const export = "# dec/06/2026 10:00:00 by RouterOS 7.16.2\n" + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
/ip route
add gateway=203.0.113.1
/ip firewall filter
add action=accept chain=input connection-state=established,related,untracked
add action=accept chain=input in-interface-list=LAN
add action=add-src-to-address-list address-list="port scanners" address-list-timeout=2w chain=input in-interface-list=WAN protocol=tcp psd=21,3s,3,1
add action=drop chain=input src-address-list="port scanners"
%s/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
`
	const dropRest = "add action=drop chain=input in-interface-list=!LAN\n"
	const acceptWeb = "add action=accept chain=input dst-port=80 protocol=tcp\n"
	for _, tt := range []struct {
		name, rules string
		open        []string // services warned of as open to all but the list
		closed      []string // services not warned of
	}{
		{"both branches drop", dropRest, nil, []string{"WebFig", "FTP", "API", "bandwidth-test"}},
		{"an accept of WebFig between", acceptWeb + dropRest, []string{"WebFig (80)"}, []string{"FTP", "API", "bandwidth-test"}},
		{"no drop after", "", []string{"WebFig (80)", "FTP (21)", "API (8728)"}, nil},
	} {
		warns := importText(t, strings.Replace(export, "%s", tt.rules, 1)).OfflineServiceWarnings()
		got := strings.Join(warns, "\n")
		for _, s := range tt.open {
			if !strings.Contains(got, "the router's "+s+" would be open to the internet") || !strings.Contains(got, `to all but the packets that line 21 (src-address-list="port scanners") drops`) {
				t.Errorf("%s: want %s open to all but the list in\n%s", tt.name, s, got)
			}
		}
		for _, s := range tt.closed {
			for _, w := range warns {
				if strings.Contains(w, "the router's "+s) {
					t.Errorf("%s: %s warned of though dropped either way: %s", tt.name, s, w)
				}
			}
		}
	}
}
