package check

import (
	"fmt"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// Two readings of the router's IPsec road-warrior servers (an L2TP server
// with use-ipsec=yes or required, a passive /ip ipsec peer), both notes
// (chk54):
//
//   - ESP. A client behind NAT sends its traffic in UDP 4500 (NAT-T); one
//     with a public address of its own sends ESP, IP protocol 50, which
//     is new to connection tracking and meets the input chain (IPsec page
//     of the manual, its firewall example accepts protocol=ipsec-esp
//     beside UDP 500 and 4500, https://help.mikrotik.com/docs/display/ROS/IPsec).
//     A chain that accepts IKE and drops ESP lets such a client bring the
//     tunnel up and carry nothing through it. Most road warriors are
//     behind NAT, so it is a note: who the clients are decides.
//   - Clear-text L2TP. use-ipsec=required means the server is meant for
//     L2TP inside IPsec only; an input accept of UDP 1701 without
//     ipsec-policy=in,ipsec also lets L2TP in clear text reach it from the
//     internet. The fix's own accept of 1701 carries ipsec-policy=in,ipsec
//     (vpnInputFix). [verify] whether RouterOS's server itself refuses a
//     clear-text session under required.

// ipsecNotes adds the ESP and clear-text L2TP notes.
func (p *Plan) ipsecNotes() {
	v, ok := p.firstWAN()
	if !ok || v.w.Behind() != "" {
		return
	}
	f, keep, m, w, wan := v.f, v.keep, v.m, v.w, v.wan
	input := func(pk packet) (*export.Command, bool) {
		r, how := m.first(f, keep, "ip firewall filter", "input", pk, map[string]bool{"accept": true, "drop": true, "reject": true})
		return r, how == yes
	}
	esp := false
	for _, l := range vpnListeners(f, keep) {
		if l.proto != "udp" || l.port != 500 || esp {
			continue
		}
		if r, sure := input(l.packet(p.PeerAddr(), wan, w.Interface)); !sure || r != nil && r.Value("action") != "accept" {
			continue // IKE itself dropped: VPNInputDrops says so
		}
		pk := packet{src: p.PeerAddr(), dst: wan, proto: "ipsec-esp", in: w.Interface, local: true, state: "new"}
		r, sure := input(pk)
		if !sure || r == nil || r.Value("action") == "accept" {
			continue
		}
		esp = true
		p.Notes = append(p.Notes, fmt.Sprintf("%s is let in on UDP 500 (and NAT-T's 4500), but line %d drops ESP (IP protocol 50) from the internet on input: a client with a public address of its own, not behind NAT, sends its traffic as ESP and gets a tunnel that carries nothing (clients behind NAT use UDP 4500 and are not hit; not probed); to let them in: /ip firewall filter add chain=input action=accept protocol=ipsec-esp in-interface=%s comment=\"IPsec ESP\" place-before=%s",
			strings.TrimSuffix(l.name, " (IKE)"), r.Line, export.Quote(w.Interface), p.ruleSelector(r.Line)))
	}
	for _, c := range f.Commands {
		if !keep(c) || !enabled(c) || c.MenuPath() != "interface l2tp-server server" || c.Value("enabled") != "yes" || c.Value("use-ipsec") != "required" {
			continue
		}
		pk := packet{src: p.PeerAddr(), dst: wan, proto: "udp", dstPort: 1701, in: w.Interface, local: true, state: "new"}
		r, sure := input(pk)
		if !sure || r == nil || r.Value("action") != "accept" {
			continue
		}
		p.Notes = append(p.Notes, fmt.Sprintf("the L2TP server (line %d) has use-ipsec=required, but line %d accepts UDP 1701 from the internet whether IPsec decrypted it or not: L2TP in clear text reaches the server too; to let in only what came through IPsec, give the accept ipsec-policy=in,ipsec: /ip firewall filter set %s ipsec-policy=in,ipsec (not probed)",
			c.Line, r.Line, p.ruleSelector(r.Line)))
	}
}
