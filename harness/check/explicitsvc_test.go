package check

import (
	"strings"
	"testing"
)

// TestExplicitServicesOpen (realcheck26 D7): Telnet, FTP and API that the
// export enables, with an input chain that accepts everything, are warned
// of as WinBox is. Control: the same export without those lines names
// none of them.
func TestExplicitServicesOpen(t *testing.T) {
	const base = `# 2026-09-10 08:12:44 by RouterOS 7.19.2
/ip address
add address=196.201.10.22/30 interface=ether1 network=196.201.10.20
add address=10.50.0.1/24 interface=ether2 network=10.50.0.0
/ip route
add gateway=196.201.10.21
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
`
	const on = "/ip service\nset telnet disabled=no\nset ftp disabled=no\nset api disabled=no port=18728\n"
	w := strings.Join(importText(t, base+on).OfflineServiceWarnings(), "\n")
	for _, want := range []string{"the router's Telnet (23) would be open", "the router's FTP (21) would be open", "the router's API (18728) would be open", "the router's WinBox (8291) would be open"} {
		if !strings.Contains(w, want) {
			t.Errorf("warnings lack %q:\n%s", want, w)
		}
	}
	// The lab probes none of them: its report carries the prediction,
	// marked as one, where it would otherwise say nothing.
	lab := strings.Join(importText(t, base+on).LabServiceWarnings(nil, ""), "\n")
	for _, want := range []string{"the router's Telnet (23) would be open", "the router's API (18728) would be open"} {
		if !strings.Contains(lab, want) || !strings.Contains(lab, "(predicted from the rules: the lab does not probe it)") {
			t.Errorf("lab warnings lack %q:\n%s", want, lab)
		}
	}
	// Control: the export turns them off (realcheck27 D5: they are on
	// by default, so leaving them out no longer silences them).
	const offLines = "/ip service\nset telnet disabled=yes\nset ftp disabled=yes\nset api disabled=yes\nset api-ssl disabled=yes\n/tool bandwidth-server\nset enabled=no\n"
	w = strings.Join(importText(t, base+offLines).OfflineServiceWarnings(), "\n")
	if strings.Contains(w, "Telnet") || strings.Contains(w, "FTP") || strings.Contains(w, "API") || strings.Contains(w, "bandwidth") {
		t.Errorf("control warnings:\n%s", w)
	}
}

// TestDefaultServicesOpen (realcheck27 D5): an export that says nothing
// of Telnet, FTP, API, API-SSL and the bandwidth-test server leaves them
// on, as RouterOS starts them; with an input chain that stops nothing
// they are warned of, marked as defaults. Control: an input chain that
// drops the WAN names none of them.
func TestDefaultServicesOpen(t *testing.T) {
	const base = `# 2024-05-10 08:12:44 by RouterOS 6.48.1
/ip address
add address=10.50.0.1/24 interface=ether2 network=10.50.0.0
/ip dhcp-client
add disabled=no interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface=ether1
`
	w := strings.Join(importText(t, base).OfflineServiceWarnings(), "\n")
	for _, want := range []string{"the router's Telnet (23) would be open to the internet", "the router's FTP (21)", "the router's API (8728)", "the router's API-SSL (8729)", "the router's bandwidth-test server (2000)", "on by default and the export does not turn it off (/ip service disable telnet)"} {
		if !strings.Contains(w, want) {
			t.Errorf("warnings lack %q:\n%s", want, w)
		}
	}
	w = strings.Join(importText(t, base+"/ip firewall filter\nadd action=drop chain=input in-interface=ether1\n").OfflineServiceWarnings(), "\n")
	if strings.Contains(w, "Telnet") || strings.Contains(w, "bandwidth") {
		t.Errorf("control warnings:\n%s", w)
	}
}
