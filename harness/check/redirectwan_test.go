package check

import (
	"strings"
	"testing"
)

const redirectSSH = "# 2026-11-28 09:14:51 by RouterOS 7.16.2\n" + homeBridge + `add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
add address=203.0.113.2/24 interface=ether1 network=203.0.113.0
/ip firewall filter
add action=accept chain=input comment="defconf: accept established,related,untracked" connection-state=established,related,untracked
add action=accept chain=input comment="defconf: accept ICMP" protocol=icmp
%s
add action=drop chain=input comment="defconf: drop all not coming from LAN" in-interface-list=!LAN
/ip firewall nat
add action=masquerade chain=srcnat comment="defconf: masquerade" ipsec-policy=out,none out-interface-list=WAN
add action=redirect chain=dstnat comment="ssh 2222" dst-port=2222 in-interface-list=WAN protocol=tcp to-ports=22
/ip route
add dst-address=0.0.0.0/0 gateway=203.0.113.1
`

// A redirect of the WAN's 2222 to the router's SSH under defconf's input
// drop leads nowhere: the note names the drop and the input accept for
// redirected connections. With that accept in the export, no note.
func TestRedirectWANInputDrop(t *testing.T) {
	p := importText(t, strings.Replace(redirectSSH, "%s\n", "", 1))
	notes := strings.Join(p.Notes, "\n")
	if !strings.Contains(notes, "line 21 redirects the WAN's tcp 2222 to the router's own port 22") ||
		!strings.Contains(notes, "line 18 drops it") ||
		!strings.Contains(notes, `/ip firewall filter add chain=input action=accept connection-nat-state=dstnat protocol=tcp dst-port=22 in-interface-list=WAN comment="redirect 2222 to 22" place-before=[ find where comment="defconf: drop all not coming from LAN" ]`) {
		t.Errorf("notes: %s", notes)
	}
	p = importText(t, strings.Replace(redirectSSH, "%s", `add action=accept chain=input comment=ssh connection-nat-state=dstnat dst-port=22 in-interface-list=WAN protocol=tcp`, 1))
	if strings.Contains(strings.Join(p.Notes, "\n"), "redirects the WAN's") {
		t.Errorf("notes with the accept: %q", p.Notes)
	}
}

// With no port forward to probe (only the router's services), the verdict
// does not say "every forward works".
func TestVerdictNoForwards(t *testing.T) {
	outs := []Outcome{{Probe: Probe{Forward: -1, Path: "service:winbox@wan", Phase: "before", Kind: "port"}, Result: "filtered"}}
	word, text, code := Verdict(nil, Fix{}, outs)
	if word != "ok" || code != 0 || strings.Contains(text, "every forward works") || !strings.Contains(text, "forwards no port") {
		t.Errorf("Verdict = %s, %q, %d", word, text, code)
	}
}
