package check

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// TakesRouterWireGuard is a forward of the UDP port the router's own
// WireGuard interface listens on, while the input chain accepts that port
// from the internet: both are meant, and only one can have the port.
const TakesRouterWireGuard Cause = "the forward takes the UDP port the router's own WireGuard listens on, which the input chain accepts from the internet: dstnat comes before the input chain (Packet Flow page of the manual), so the handshakes go to the forward's server and the router's WireGuard gets none; only one of them can have the port (move the router's listen-port or the forward's public port)"

// TakesRouterVPN is the same conflict for the router's SSTP, OpenVPN or
// L2TP/IPsec server: a forward of the port the server listens on, which
// the input chain accepts from the internet.
const TakesRouterVPN Cause = "the forward takes the port the router's own VPN server listens on, which the input chain accepts from the internet: dstnat comes before the input chain (Packet Flow page of the manual), so the VPN clients go to the forward's server and the router's server gets none; only one of them can have the port (move the router's server port or the forward's public port)"

// vpnListener is a port one of the router's own VPN servers listens on.
type vpnListener struct {
	cmd   *export.Command
	name  string // wg-home, sstp-server, ...
	path  string // the finding's path: service:wireguard@wan, service:sstp@wan, ...
	proto string
	port  int
	cause Cause
	// ipsec: the port is reached inside IPsec (an L2TP/IPsec server's UDP
	// 1701), so the packet the input chain judges is the decrypted one.
	ipsec bool
}

// packet is a new connection from the internet to the listener's port on
// the WAN's address wan, arriving on interface in.
func (l vpnListener) packet(src, wan netip.Addr, in string) packet {
	return packet{src: src, dst: wan, proto: l.proto, dstPort: l.port, in: in, local: true, state: "new", ipsecIn: l.ipsec}
}

// vpnListeners are the ports of the router's own enabled VPN servers:
// WireGuard's listen-port (UDP, WireGuard page of the manual); the SSTP
// server's port (TCP, 443 unless set; https://help.mikrotik.com/docs/display/ROS/SSTP);
// the OpenVPN server's port (1194 unless set, TCP unless 7's protocol=udp;
// https://help.mikrotik.com/docs/display/ROS/OpenVPN), from 7.17 each
// server of the list whose add says disabled=no (a new one is disabled);
// the L2TP server's UDP 1701, and with use-ipsec=yes or required IKE's UDP
// 500 and NAT-T's 4500 (https://help.mikrotik.com/docs/display/ROS/L2TP),
// 1701 then coming in decrypted; the PPTP server's TCP 1723
// (https://help.mikrotik.com/docs/display/ROS/PPTP); a passive IPsec peer's
// UDP 500 and 4500 (a road-warrior responder: a passive peer only answers
// and never starts IKE, https://help.mikrotik.com/docs/display/ROS/IPsec).
func vpnListeners(f *export.File, keep func(*export.Command) bool) []vpnListener {
	var out []vpnListener
	portOr := func(c *export.Command, def int) int {
		if v := c.Value("port"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n <= 0 || n > 65535 {
				return 0
			}
			return n
		}
		return def
	}
	for _, c := range f.Commands {
		if !keep(c) || !enabled(c) {
			continue
		}
		switch c.MenuPath() {
		case "interface wireguard":
			if c.Verb != "add" {
				continue
			}
			port, err := strconv.Atoi(c.Value("listen-port"))
			if err != nil || port <= 0 || port > 65535 {
				continue
			}
			out = append(out, vpnListener{c, c.Value("name"), "service:wireguard@wan", "udp", port, TakesRouterWireGuard, false})
		case "interface sstp-server server":
			if c.Value("enabled") != "yes" {
				continue
			}
			if port := portOr(c, 443); port != 0 {
				out = append(out, vpnListener{c, "the SSTP server", "service:sstp@wan", "tcp", port, TakesRouterVPN, false})
			}
		case "interface ovpn-server server":
			name := "the OpenVPN server"
			switch c.Verb {
			case "add": // 7.17's list of servers: a new one is disabled
				if c.Value("disabled") != "no" {
					continue
				}
				name += " " + c.Value("name")
			default:
				if c.Value("enabled") != "yes" {
					continue
				}
			}
			proto := "tcp"
			if c.Value("protocol") == "udp" {
				proto = "udp"
			}
			if port := portOr(c, 1194); port != 0 {
				out = append(out, vpnListener{c, name, "service:ovpn@wan", proto, port, TakesRouterVPN, false})
			}
		case "interface l2tp-server server":
			if c.Value("enabled") != "yes" {
				continue
			}
			u := c.Value("use-ipsec")
			ipsec := u == "yes" || u == "required"
			name := "the L2TP server"
			if ipsec {
				name = "the L2TP server (inside IPsec)"
			}
			if ipsec {
				out = append(out, vpnListener{c, "the L2TP server's IPsec (IKE)", "service:l2tp@wan", "udp", 500, TakesRouterVPN, false},
					vpnListener{c, "the L2TP server's IPsec (NAT-T)", "service:l2tp@wan", "udp", 4500, TakesRouterVPN, false})
			}
			out = append(out, vpnListener{c, name, "service:l2tp@wan", "udp", 1701, TakesRouterVPN, ipsec})
		case "interface pptp-server server":
			if c.Value("enabled") == "yes" {
				out = append(out, vpnListener{c, "the PPTP server", "service:pptp@wan", "tcp", 1723, TakesRouterVPN, false})
			}
		case "ip ipsec peer":
			if c.Verb != "add" || c.Value("passive") != "yes" {
				continue
			}
			name := "the passive IPsec peer"
			if n := c.Value("name"); n != "" {
				name += " " + n
			}
			out = append(out, vpnListener{c, name + " (IKE)", "service:ipsec@wan", "udp", 500, TakesRouterVPN, false},
				vpnListener{c, name + " (NAT-T)", "service:ipsec@wan", "udp", 4500, TakesRouterVPN, false})
		}
	}
	return out
}

// takesWireGuard finds the forwards that take a port of the router's own
// VPN servers (vpnListeners) which an input accept names by port: the
// NAS's old VPN forward left beside the router's own WireGuard, a web
// server's 443 beside the router's SSTP. The user must choose, so the
// finding comes without a fix line.
func (p *Plan) takesWireGuard() []Finding {
	v, ok := p.firstWAN()
	if !ok {
		return nil
	}
	f, keep, m, w, wan := v.f, v.keep, v.m, v.w, v.wan
	var out []Finding
	for _, l := range vpnListeners(f, keep) {
		pk := l.packet(p.PeerAddr(), wan, w.Interface)
		in, how := m.first(f, keep, "ip firewall filter", "input", pk, map[string]bool{"accept": true, "drop": true, "reject": true})
		if in == nil || how != yes || in.Value("action") != "accept" {
			continue
		}
		if v, neg := negated(in.Value("dst-port")); v == "" || neg {
			continue // a blanket accept says nothing of this port
		}
		hit, how := m.first(f, keep, "ip firewall nat", "dstnat", pk, map[string]bool{"dst-nat": true, "netmap": true, "accept": true, "redirect": true})
		if hit == nil || how != yes {
			continue
		}
		for i, fw := range p.Forwards {
			if fw.cmd == hit {
				out = append(out, Finding{Forward: i, Path: l.path, Cause: l.cause, Line: l.cmd.Line, Rule: withoutKey(l.cmd),
					Detail: fmt.Sprintf("%s port %d of %s; line %d accepts it on input, the dst-nat at line %d takes it first", l.proto, l.port, l.name, in.Line, fw.Line)})
			}
		}
	}
	return out
}

// withoutKey is the interface's line as the report shows it: with its
// private key (and an L2TP server's IPsec secret) left out (an export made with show-sensitive carries it, and
// a report is for pasting into a forum).
func withoutKey(c *export.Command) string {
	parts := []string{c.Verb}
	for _, a := range c.Args {
		if a.Name == "private-key" || a.Name == "ipsec-secret" {
			continue
		}
		parts = append(parts, a.Name+"="+export.Quote(a.Value))
	}
	return strings.Join(parts, " ")
}

// VPNInputDrops is the router's own VPN server whose port the input chain
// drops from the internet: the clients' first packet (a WireGuard
// handshake initiation, an SSTP or OpenVPN connection) is new to
// connection tracking, so no established/related accept lets it in, and
// a "drop all not coming from LAN" rule takes it (Filter page of the
// manual; WireGuard's listen-port,
// https://help.mikrotik.com/docs/display/ROS/WireGuard).
const VPNInputDrops Cause = "the router's own VPN server listens on this port, but the input chain drops a new connection to it from the internet: the clients' handshakes never reach it (an accept for the port is missing, or sits below the drop)"

// wgServes reports whether WireGuard interface name has a peer that must
// come to the router: one without endpoint-address. A peer the router
// dials itself answers within the connection the router opened, which the
// established accept lets in.
func wgServes(f *export.File, keep func(*export.Command) bool, name string) bool {
	for _, c := range f.Commands {
		if c.MenuPath() == "interface wireguard peers" && c.Verb == "add" && keep(c) && enabled(c) &&
			c.Value("interface") == name && c.Value("endpoint-address") == "" {
			return true
		}
	}
	return false
}

// vpnInputDrops finds the router's VPN servers (vpnListeners) whose port
// the input chain certainly drops or rejects for a new connection from
// the internet on the first WAN. A port a dstnat rule takes, or might, is
// takesWireGuard's business; a rule the reading cannot weigh leaves it
// unjudged. Before, --offline said "no problem found" of a defconf whose
// WireGuard server had no accept above "drop all not coming from LAN".
func (p *Plan) vpnInputDrops() []Finding {
	v, ok := p.firstWAN()
	if !ok || v.w.Behind() != "" {
		return nil
	}
	f, keep, m, w, wan := v.f, v.keep, v.m, v.w, v.wan
	var out []Finding
	for _, l := range vpnListeners(f, keep) {
		if l.path == "service:wireguard@wan" && !wgServes(f, keep, l.name) {
			continue
		}
		pk := l.packet(p.PeerAddr(), wan, w.Interface)
		if hit, _ := m.first(f, keep, "ip firewall nat", "dstnat", pk, map[string]bool{"dst-nat": true, "netmap": true, "redirect": true}); hit != nil {
			continue
		}
		if rule, _ := m.first(f, keep, "ip firewall raw", "prerouting", pk, map[string]bool{"drop": true}); rule != nil {
			continue
		}
		rule, how := m.first(f, keep, "ip firewall filter", "input", pk, map[string]bool{"accept": true, "drop": true, "reject": true})
		if rule == nil || how != yes || rule.Value("action") == "accept" {
			continue
		}
		d := fmt.Sprintf("%s port %d of %s, from the internet on %s", l.proto, l.port, l.name, w.Interface)
		if below := p.acceptBelow(m, keep, pk, rule.Line); below != nil {
			d += fmt.Sprintf("; the accept at line %d comes after the drop and is never reached", below.Line)
		}
		out = append(out, Finding{Forward: -1, Path: l.path, Cause: VPNInputDrops, Line: rule.Line, Rule: rule.Raw, Detail: d})
	}
	return out
}

// acceptBelow is the first enabled input accept after the rule at line,
// in the router's order (chainRules, place-before= applied: forum45 D5),
// that names the packet's port and would take it: a rule added at the end
// of the chain.
func (p *Plan) acceptBelow(m *matcher, keep func(*export.Command) bool, pk packet, line int) *export.Command {
	after := false
	for _, c := range m.chainRules(p.export, keep, "ip firewall filter", "input") {
		if c.Line == line {
			after = true
			continue
		}
		if !after || c.Value("action") != "accept" || c.Value("dst-port") == "" {
			continue
		}
		if m.match(c, pk) == yes {
			return c
		}
	}
	return nil
}

// vpnInputFix opens the VPN server's port above the input rule that drops
// it: the accept added at the end of the chain moved up when there is
// one, else a new accept for the port alone from the WAN.
func (p *Plan) vpnInputFix(f Finding) (key, line string) {
	v, ok := p.firstWAN()
	if !ok {
		return "", ""
	}
	keep, m, w, wan := v.keep, v.m, v.w, v.wan
	for _, l := range vpnListeners(p.export, keep) {
		if l.path != f.Path || !strings.HasPrefix(f.Detail, fmt.Sprintf("%s port %d of %s,", l.proto, l.port, l.name)) {
			continue
		}
		pk := l.packet(p.PeerAddr(), wan, w.Interface)
		if below := p.acceptBelow(m, keep, pk, f.Line); below != nil {
			return fmt.Sprintf("input move %d", below.Line), fmt.Sprintf("/ip firewall filter move %s destination=%s", p.ruleSelector(below.Line), p.ruleSelector(f.Line))
		}
		// L2TP inside IPsec is opened for what the SAs decrypt only, as
		// the IPsec page's policy matcher example does, so that clear-text
		// L2TP stays shut to the internet.
		only := ""
		if l.ipsec {
			only = " ipsec-policy=in,ipsec"
		}
		return fmt.Sprintf("input %s %d", l.proto, l.port), fmt.Sprintf("/ip firewall filter add chain=input action=accept protocol=%s dst-port=%d%s comment=%s place-before=%s",
			l.proto, l.port, only, export.Quote("VPN: "+l.name), p.ruleSelector(f.Line))
	}
	return "", ""
}

// wanView is the export read for a connection from the internet to the
// first WAN's address: its rules, their matcher, the WAN and the address.
type wanView struct {
	f    *export.File
	keep func(*export.Command) bool
	m    *matcher
	w    WAN
	wan  netip.Addr
}

// firstWAN is the view of the first WAN; false when the export has no WAN
// or no address for it.
func (p *Plan) firstWAN() (wanView, bool) {
	if len(p.WANs) == 0 {
		return wanView{}, false
	}
	f := p.export
	keep := p.keeper(f)
	w := p.WANs[0]
	wan := p.WANAddr(w, Forward{})
	if !wan.IsValid() {
		return wanView{}, false
	}
	return wanView{f: f, keep: keep, m: p.newMatcher(f, keep), w: w, wan: wan}, true
}
