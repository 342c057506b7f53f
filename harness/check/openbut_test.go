package check

import (
	"strings"
	"testing"
)

// scannerDrop is an input chain whose only drop takes the addresses a
// port-scan rule collects at run time (rc32's crs326, cut down).
const scannerDrop = `# by RouterOS 7.16
/ip address add address=192.168.88.1/24 interface=ether2
/ip address add address=203.0.113.2/24 interface=ether1
/ip route add gateway=203.0.113.1
/ip firewall filter add action=accept chain=input connection-state=established,related
/ip firewall filter add action=add-src-to-address-list address-list="port scanners" address-list-timeout=2w chain=input protocol=tcp psd=21,3s,3,1
/ip firewall filter add action=drop chain=input src-address-list="port scanners"
/ip firewall nat add action=masquerade chain=srcnat out-interface=ether1
/ip service set telnet disabled=yes
/ip service set ftp disabled=yes
/ip service set api disabled=yes
/ip service set api-ssl disabled=yes
/ip service set www disabled=yes
/ip service set ssh disabled=yes
/tool bandwidth-server set enabled=no
`

// TestOpenButRuntimeDrop (chk58 N2): a drop on a list filled at run time
// keeps only those addresses out; the service is open to everyone else.
// check said "may be open ... the check cannot tell". Controls: a drop of
// the WAN's traffic after it closes the service (no warning); an accept
// on a run-time list keeps "may be open".
func TestOpenButRuntimeDrop(t *testing.T) {
	warn := func(rsc string) string {
		t.Helper()
		return strings.Join(loadText(t, rsc).OfflineServiceWarnings(), "\n")
	}
	w := warn(scannerDrop)
	if !strings.Contains(w, `WinBox (8291) would be open to the internet on 203.0.113.2 (no input rule stops it) to all but the packets that line 7 (src-address-list="port scanners") drops`) || strings.Contains(w, "may be open") {
		t.Errorf("want open but to the listed:\n%s", w)
	}
	closed := scannerDrop + "/ip firewall filter add action=drop chain=input in-interface=ether1\n"
	if w := warn(closed); strings.Contains(w, "WinBox") {
		t.Errorf("control, a WAN drop after it: warned:\n%s", w)
	}
	accept := strings.Replace(scannerDrop, `add action=drop chain=input src-address-list="port scanners"`, `add action=accept chain=input src-address-list="port scanners"`, 1) +
		"/ip firewall filter add action=drop chain=input in-interface=ether1\n"
	if w := warn(accept); !strings.Contains(w, "WinBox (8291) may be open") {
		t.Errorf("control, an accept on a run-time list: want may be open:\n%s", w)
	}
}

// TestServicesSynFlags (f75): an input accept that asks flags no SYN
// carries (a 6.49 export's "accept comment=ACK+PSH protocol=tcp
// tcp-flags=psh,ack") admits no new connection, so the final drop closes
// WinBox; check said "may be open ... the check cannot tell". Control: an
// accept of tcp-flags=syn opens it.
func TestServicesSynFlags(t *testing.T) {
	const base = `# by RouterOS 6.49.6
/ip address add address=192.168.88.1/24 interface=ether2
/ip address add address=203.0.113.2/24 interface=ether1
/ip route add gateway=203.0.113.1
/ip firewall filter add action=accept chain=input connection-state=established,related
/ip firewall filter add action=accept chain=input comment=ACK+PSH protocol=tcp tcp-flags=psh,ack
/ip firewall filter add action=drop chain=input in-interface=ether1
/ip firewall nat add action=masquerade chain=srcnat out-interface=ether1
`
	warn := func(rsc string) string {
		t.Helper()
		return strings.Join(loadText(t, rsc).OfflineServiceWarnings(), "\n")
	}
	if w := warn(base); strings.Contains(w, "WinBox") {
		t.Errorf("psh,ack admits no SYN, yet WinBox was warned of:\n%s", w)
	}
	syn := strings.Replace(base, "tcp-flags=psh,ack", "tcp-flags=syn", 1)
	if w := warn(syn); !strings.Contains(w, "WinBox (8291) would be open to the internet on 203.0.113.2") {
		t.Errorf("control, an accept of SYNs: want WinBox open:\n%s", w)
	}
}
