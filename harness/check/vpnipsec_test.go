package check

import (
	"strings"
	"testing"
)

// TestIPsecNotes (chk54): an L2TP/IPsec server whose input chain accepts
// IKE and NAT-T and drops the rest from the WAN: ESP from a client not
// behind NAT is dropped, which nothing said; and with use-ipsec=required
// an accept of UDP 1701 without ipsec-policy=in,ipsec lets clear-text
// L2TP in, which nothing said either. Controls: ESP accepted; 1701
// accepted only with ipsec-policy=in,ipsec; use-ipsec=yes (no note on
// clear text); IKE itself dropped (the finding speaks, no ESP note).
func TestIPsecNotes(t *testing.T) {
	text := "# 2026-12-06 22:30:00 by RouterOS 7.16.2\n" + homeBridge + `add interface=ether1 list=WAN
/interface l2tp-server server
set enabled=yes ipsec-secret=s3cret use-ipsec=%s
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
/ip firewall filter
add action=accept chain=input connection-state=established,related,untracked
%sadd action=accept chain=input dst-port=1701 protocol=udp%s
add action=drop chain=input in-interface-list=!LAN
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
/ip route
add gateway=203.0.113.1
`
	const ike = "add action=accept chain=input dst-port=500,4500 protocol=udp\n"
	const esp = "add action=accept chain=input protocol=ipsec-esp\n"
	for _, tt := range []struct {
		name, use, accepts, policy string
		esp, clear                 bool
	}{
		{"ESP dropped, clear text accepted", "required", ike, "", true, true},
		{"ESP accepted by number (control)", "required", ike + strings.Replace(esp, "ipsec-esp", "50", 1), " ipsec-policy=in,ipsec", false, false},
		{"ESP accepted, 1701 by policy (control)", "required", ike + esp, " ipsec-policy=in,ipsec", false, false},
		{"use-ipsec=yes (control for clear text)", "yes", ike + esp, "", false, false},
		{"IKE dropped (control)", "required", "", " ipsec-policy=in,ipsec", false, false},
	} {
		p := importText(t, fill(text, tt.use, tt.accepts, tt.policy))
		var espNote, clearNote string
		for _, n := range p.Notes {
			if strings.Contains(n, "drops ESP (IP protocol 50)") {
				espNote = n
			}
			if strings.Contains(n, "L2TP in clear text reaches the server") {
				clearNote = n
			}
		}
		if (espNote != "") != tt.esp || (clearNote != "") != tt.clear {
			t.Errorf("%s: ESP note %q, clear-text note %q", tt.name, espNote, clearNote)
		}
		if tt.esp && !strings.Contains(espNote, "line 21 drops ESP") {
			t.Errorf("%s: %q", tt.name, espNote)
		}
		if tt.clear && !strings.Contains(clearNote, "line 20 accepts UDP 1701") {
			t.Errorf("%s: %q", tt.name, clearNote)
		}
	}
}
