package check

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// TakesRouterWireGuard is a forward of the UDP port the router's own
// WireGuard interface listens on, while the input chain accepts that port
// from the internet: both are meant, and only one can have the port.
const TakesRouterWireGuard Cause = "the forward takes the UDP port the router's own WireGuard listens on, which the input chain accepts from the internet: dstnat comes before the input chain (Packet Flow page of the manual), so the handshakes go to the forward's server and the router's WireGuard gets none; only one of them can have the port (move the router's listen-port or the forward's public port)"

// takesWireGuard finds the forwards that take the listen-port of an
// enabled WireGuard interface of the router (/interface wireguard
// listen-port=51820) which an input accept names by port: the NAS's old
// VPN forward left beside the router's own WireGuard. The user must
// choose, so the finding comes without a fix line.
func (p *Plan) takesWireGuard() []Finding {
	if len(p.WANs) == 0 {
		return nil
	}
	f := p.export
	keep := p.keeper(f)
	m := p.newMatcher(f, keep)
	w := p.WANs[0]
	wan := p.WANAddr(w, Forward{})
	if !wan.IsValid() {
		return nil
	}
	var out []Finding
	for _, c := range f.Commands {
		if !keep(c) || !enabled(c) || c.MenuPath() != "interface wireguard" || c.Verb != "add" {
			continue
		}
		port, err := strconv.Atoi(c.Value("listen-port"))
		if err != nil || port <= 0 || port > 65535 {
			continue
		}
		pk := packet{src: p.PeerAddr(), dst: wan, proto: "udp", dstPort: port, in: w.Interface, local: true, state: "new"}
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
				out = append(out, Finding{Forward: i, Path: "service:wireguard@wan", Cause: TakesRouterWireGuard, Line: c.Line, Rule: withoutKey(c),
					Detail: fmt.Sprintf("udp port %d of %s; line %d accepts it on input, the dst-nat at line %d takes it first", port, c.Value("name"), in.Line, fw.Line)})
			}
		}
	}
	return out
}

// withoutKey is the interface's line as the report shows it: with its
// private key left out (an export made with show-sensitive carries it, and
// a report is for pasting into a forum).
func withoutKey(c *export.Command) string {
	parts := []string{c.Verb}
	for _, a := range c.Args {
		if a.Name == "private-key" {
			continue
		}
		parts = append(parts, a.Name+"="+export.Quote(a.Value))
	}
	return strings.Join(parts, " ")
}
