package check

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// A dst-nat written with a port and nothing about the destination
// ("dst-port=80 protocol=tcp to-addresses=...") runs on every packet the
// router routes: besides the internet's connections to the public address
// it takes the LAN's own connections to that port of every host on the
// internet, and sends them to the server (forum: "since I forwarded 80 to
// the NAS, no http:// site loads"). RouterOS's dstnat chain sees every
// packet that enters the router, not only those addressed to it (NAT page
// of the manual, https://help.mikrotik.com/docs/display/ROS/NAT).

// TakesInternet is the cause of such a forward.
const TakesInternet Cause = "the dst-nat names no destination (no dst-address, dst-address-list or dst-address-type=local): it also takes the LAN's own connections to this port of every host on the internet and sends them to the server"

// lanInternetPrefix starts the path of a probe from a LAN client to the
// internet's peer on a forwarded port.
const lanInternetPrefix = "lan-internet:"

// takesInternet lists the LAN segments whose clients' connections to the
// internet's peer on fw's port the forward takes, as the rules read.
func (p *Plan) takesInternet(fw Forward) []string {
	if fw.cmd == nil || fw.Sources != "" {
		return nil
	}
	f := p.export
	keep := p.keeper(f)
	m := p.newMatcher(f, keep)
	var out []string
	for _, s := range p.Segments {
		if s.Port == "" {
			continue
		}
		pk := packet{src: hostIn(s.Prefix, 100), dst: p.PeerAddr(), proto: fw.Protocol, dstPort: fw.DstPort, in: s.Interface, state: "new"}
		if hit, how := m.first(f, keep, "ip firewall nat", "dstnat", pk,
			map[string]bool{"dst-nat": true, "netmap": true, "accept": true, "redirect": true}); hit == fw.cmd && how == yes {
			out = append(out, s.Interface)
		}
	}
	return out
}

// takesInternetFindings names every forward that takes the LAN's
// connections to the internet.
func (p *Plan) takesInternetFindings() []Finding {
	var out []Finding
	for i, fw := range p.Forwards {
		for _, seg := range p.takesInternet(fw) {
			d := fmt.Sprintf("%s:%d on the internet, asked from %s, goes to %s", p.PeerAddr(), fw.DstPort, seg, fw.ToAddr)
			for _, k := range []string{"dst-address", "dst-address-list"} {
				if v := fw.cmd.Value(k); strings.HasPrefix(v, "!") {
					// A guard written to spare the LAN is no destination.
					d = fmt.Sprintf("%s=%s only leaves out what it names: every other address, the internet's included, is taken; ", k, v) + d
				}
			}
			out = append(out, Finding{Forward: i, Path: "LAN to the internet from " + seg, Cause: TakesInternet, Line: fw.Line, Rule: fw.Text, Detail: d})
		}
	}
	return out
}

// lanInternetPorts are the ports the internet's peer must serve for the
// probes of takesInternet (it serves whoami on 12566 and a page on 80).
func (p *Plan) lanInternetPorts() []int {
	var out []int
	for _, fw := range p.Forwards {
		if len(p.takesInternet(fw)) > 0 && fw.DstPort != 80 && fw.DstPort != 12566 && !slices.Contains(out, fw.DstPort) {
			out = append(out, fw.DstPort)
		}
	}
	slices.Sort(out)
	return out
}

// lanInternetSteps probes, from each LAN client a forward takes, the
// internet's peer on the forward's port: the peer should answer.
func (p *Plan) lanInternetSteps(c *Case, b *strings.Builder, phase string) {
	for i, fw := range p.Forwards {
		for _, seg := range p.takesInternet(fw) {
			client := c.Clients[seg]
			if client == "" {
				continue
			}
			kind := "tcp"
			switch {
			case fw.DstPort == 80 && (fw.Protocol == "tcp" || fw.Protocol == "6"):
				kind = "http"
			case fw.Protocol == "udp" || fw.Protocol == "17":
				kind = "udp"
			}
			p.add(c, b, Probe{Forward: -1, Path: fmt.Sprintf("%s%s:%d", lanInternetPrefix, seg, i), Phase: phase, From: client,
				To: fmt.Sprintf("peer:%d", fw.DstPort), Kind: kind, Want: "peer"}, "")
		}
	}
}

// lanInternetTaken reports whether, in phase, a LAN client's connection to
// the internet's peer on a forwarded port was not answered by the peer.
func lanInternetTaken(outs []Outcome, phase string) bool {
	return slices.ContainsFunc(outs, func(o Outcome) bool { return o.Probe.Phase == phase && lanInternetWrong(o) })
}

func lanInternetWrong(o Outcome) bool {
	return strings.HasPrefix(o.Probe.Path, lanInternetPrefix) && !reachedPeer(o)
}

// reachedPeer reports whether a LAN client's probe to the internet was
// answered by the internet's peer itself.
func reachedPeer(o Outcome) bool { return o.Result == "ok" && o.By == "peer" }

// orNobody names who answered a probe, "nobody" when no one did.
func orNobody(by string) string {
	if by == "" {
		return "nobody"
	}
	return by
}

// takesInternetFix binds the forward to the router's own addresses.
func (p *Plan) takesInternetFix(fw *Forward) (key, line string) {
	sel := p.selector(fw)
	return "dst-type " + sel, fmt.Sprintf("/ip firewall nat set %s dst-address-type=local", sel)
}

// interception reports whether a dst-nat takes the LAN's traffic to any
// address (bound to LAN interfaces only, no destination): a DNS or NTP
// interception ("every query from the LAN goes to the Pi-hole"), not a
// port forward, and not to be probed or rewritten as one.
func (p *Plan) interception(c *export.Command) bool {
	for _, k := range []string{"dst-address", "dst-address-list", "dst-address-type"} {
		if c.Value(k) != "" {
			return false
		}
	}
	lan := func(name string) bool {
		return slices.ContainsFunc(p.Segments, func(s Segment) bool { return s.Interface == name }) &&
			!slices.ContainsFunc(p.WANs, func(w WAN) bool { return w.Interface == name })
	}
	if in := c.Value("in-interface"); in != "" {
		return !strings.HasPrefix(in, "!") && lan(in)
	}
	l := c.Value("in-interface-list")
	if l == "" || strings.HasPrefix(l, "!") {
		return false
	}
	var members []string
	for _, m := range p.export.Commands {
		if m.MenuPath() == "interface list member" && m.Verb == "add" && m.Value("list") == l && enabled(m) {
			members = append(members, m.Value("interface"))
		}
	}
	return len(members) > 0 && !slices.ContainsFunc(members, func(n string) bool { return !lan(n) })
}

// interceptedPorts are the ports a LAN-bound dst-nat with no destination
// is written for on purpose: DNS, NTP and web proxies.
var interceptedPorts = map[int]bool{53: true, 123: true, 80: true, 443: true, 3128: true, 8080: true, 853: true}

// interceptionNote says what an interception rule does, that the check
// leaves it alone, and what it lacks when its server sits on the
// clients' own segment: a masquerade of the intercepted traffic (the
// server answers the clients directly otherwise, from an address they did
// not ask) and its own queries left out (they are taken too, and sent
// back to itself).
func (p *Plan) interceptionNote(c *export.Command, to netip.Addr) string {
	port, proto := c.Value("dst-port"), c.Value("protocol")
	what := "traffic"
	if port != "" {
		what = proto + " " + port
	}
	note := fmt.Sprintf("line %d sends the LAN's %s to any address to %s (an interception, as for DNS, not a port forward): it is not probed from the internet and not rewritten", c.Line, what, to)
	if n, err := strconv.Atoi(port); err == nil && !interceptedPorts[n] && len(p.WANs) > 0 {
		// RDP, a camera's or a game's port bound to the LAN is a port
		// forward written with the LAN's interface as in-interface
		// ("where the server is"); in-interface is where the packets
		// come in (NAT page of the manual, dst-nat examples with the
		// public side's in-interface).
		set := "in-interface=" + export.Quote(p.WANs[0].Interface)
		if c.Value("in-interface-list") != "" {
			set = "!in-interface-list " + set
			if p.hasList("WAN") {
				set = "in-interface-list=WAN"
			}
		}
		return fmt.Sprintf("line %d sends the LAN's %s to any address to %s and is not probed: %s is not a port the LAN's traffic is usually intercepted on (DNS, NTP, a web proxy); if it is meant as a port forward from the internet, in-interface names where the packets come in, the WAN, not where the server is: /ip firewall nat set %s %s",
			c.Line, what, to, what, p.ruleSelector(c.Line), set)
	}
	seg := p.segmentOf(to)
	if seg == nil || port == "" || strings.ContainsAny(port, ",-!") {
		return note
	}
	f := p.export
	keep := p.keeper(f)
	m := p.newMatcher(f, keep)
	n := firstPort(port)
	var lacks []string
	client := packet{src: hostIn(seg.Prefix, 100), dst: to, proto: proto, dstPort: n, in: seg.Interface, out: seg.Interface, dstnatted: true, state: "new"}
	if hit, _ := m.first(f, keep, "ip firewall nat", "srcnat", client, map[string]bool{"masquerade": true, "src-nat": true, "netmap": true, "same": true, "accept": true}); hit == nil && m.match(c, packet{src: client.src, dst: p.publicDNS(), proto: proto, dstPort: n, in: seg.Interface, state: "new"}) == yes {
		lacks = append(lacks, fmt.Sprintf("%s answers %s's clients directly, from an address they did not ask, and they drop it: /ip firewall nat add chain=srcnat action=masquerade src-address=%s dst-address=%s protocol=%s dst-port=%d out-interface=%s",
			to, seg.Interface, seg.Prefix.Masked(), to, proto, n, export.Quote(seg.Interface)))
	}
	if m.match(c, packet{src: to, dst: p.publicDNS(), proto: proto, dstPort: n, in: seg.Interface, state: "new"}) == yes {
		// A resolver's upstream queries, or a web proxy's own fetches:
		// the words follow the port (it said "queries" of 443).
		own := "queries to its upstream"
		if n != 53 && n != 853 {
			own = fmt.Sprintf("connections out on %s %d", proto, n)
		}
		lacks = append(lacks, fmt.Sprintf("%s's own %s are taken too and sent back to itself: /ip firewall nat set %s src-address=!%s", to, own, p.ruleSelector(c.Line), to))
	}
	if len(lacks) > 0 {
		note += "; " + strings.Join(lacks, "; ")
	}
	return note
}
