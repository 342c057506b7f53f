package check

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// redirectWANNotes looks at each redirect that takes connections from the
// WAN (a non-standard port to the router's SSH or WinBox): a redirect
// sends the packet to the router itself, so the input chain judges it,
// with the port the rule redirects to (NAT page of the manual, redirect:
// "replaces destination port ... and destination address to one of the
// router's local addresses", https://help.mikrotik.com/docs/spaces/ROS/pages/3211299/NAT;
// dstnat is in prerouting, before input). When the first input rule
// that takes it drops it (defconf's "drop all not coming from LAN"), the
// redirect leads nowhere: a note names the drop and the accept to add.
// Not probed: the check lab's probes of the router's services from the
// WAN use the services' own ports.
func (p *Plan) redirectWANNotes(f *export.File, keep func(*export.Command) bool) {
	w, m := p.firstWANMatcher(f, keep)
	if m == nil {
		return
	}
	for _, c := range f.Commands {
		if !keep(c) || !enabled(c) || c.Verb != "add" || c.MenuPath() != "ip firewall nat" || c.Value("chain") != "dstnat" || c.Value("action") != "redirect" {
			continue
		}
		to, err := strconv.Atoi(c.Value("to-ports"))
		proto := c.Value("protocol")
		if err != nil || (proto != "tcp" && proto != "udp") {
			continue
		}
		from, err := strconv.Atoi(c.Value("dst-port"))
		if err != nil {
			continue
		}
		addr := p.WANAddr(w, Forward{})
		pk := packet{src: p.PeerAddr(), dst: addr, proto: proto, dstPort: from, in: w.Interface, state: "new", local: true}
		if m.match(c, pk) != yes {
			continue
		}
		if !p.routerListens(proto, to) {
			// Nothing of the router's listens there: the redirect was
			// meant as a port forward to a LAN host.
			p.Notes = append(p.Notes, fmt.Sprintf("line %d redirects the WAN's %s %d to the router itself (action=redirect sends the packet to one of the router's own addresses), and none of the router's services listens on %d: if a LAN host serves it, a port forward is action=dst-nat with to-addresses=<the host> (not probed): /ip firewall nat set %s action=dst-nat to-addresses=<the host's LAN address>",
				c.Line, proto, from, to, p.ruleSelector(c.Line)))
			continue
		}
		if from == 53 && to == 53 {
			p.dnsRedirectNote(f, keep, c)
			continue
		}
		if pp, on := p.proxyPort(); on && proto == "tcp" && to == pp {
			// A transparent web proxy is for the LAN's browsing: opening
			// it on input from the WAN would make it an open proxy. What
			// the redirect takes from the WAN (a forward of 80) is the
			// diagnosis' finding, with the narrowing as its fix.
			continue
		}
		pk.dstPort, pk.dstnatted = to, true
		rule, how := m.first(f, keep, "ip firewall filter", "input", pk, map[string]bool{"accept": true, "drop": true, "reject": true})
		if rule == nil || how != yes || (rule.Value("action") != "drop" && rule.Value("action") != "reject") {
			continue
		}
		in := "in-interface=" + export.Quote(w.Interface)
		if l := c.Value("in-interface-list"); l != "" && !strings.HasPrefix(l, "!") {
			in = "in-interface-list=" + export.Quote(l)
		}
		p.Notes = append(p.Notes, fmt.Sprintf("line %d redirects the WAN's %s %d to the router's own port %d, and the input chain sees port %d coming in from the WAN: line %d drops it, so the redirect leads nowhere (not probed); to open it for redirected connections only: /ip firewall filter add chain=input action=accept connection-nat-state=dstnat protocol=%s dst-port=%d %s comment=%s place-before=%s",
			c.Line, proto, from, to, to, rule.Line, proto, to, in, export.Quote(fmt.Sprintf("redirect %d to %d", from, to)), p.ruleSelector(rule.Line)))
	}
}

// routerListens reports whether one of the router's own services listens
// on proto/port: an /ip service entry at the port the export sets
// (telnet, ftp, www, ssh, www-ssl, api, winbox, api-ssl, enabled or not:
// a disabled one is the user's to enable) or its DNS on 53.
func (p *Plan) routerListens(proto string, port int) bool {
	if port == 53 {
		return true
	}
	if proto != "tcp" {
		return false
	}
	ports, _ := p.serviceSettings()
	for _, n := range ports {
		if n == port {
			return true
		}
	}
	pp, on := p.proxyPort()
	return on && pp == port
}

// proxyPort is the port of the router's web proxy (/ip proxy, port 8080
// unless set) and whether the export enables it: the transparent proxy
// recipe redirects the LAN's port 80 there.
func (p *Plan) proxyPort() (int, bool) {
	port, on := 8080, false
	keep := p.keeper(p.export)
	for _, c := range p.export.Commands {
		if !keep(c) || c.MenuPath() != "ip proxy" || c.Verb != "set" {
			continue
		}
		if v := c.Value("enabled"); v != "" {
			on = v == "yes"
		}
		if n, err := strconv.Atoi(c.Value("port")); err == nil {
			port = n
		}
	}
	return port, on
}

// dnsRedirectNote: a redirect of port 53 to the router's own 53 is the
// recipe that forces the LAN's clients onto the router's resolver (DNS
// page of the manual: the router answers remote requests on 53,
// https://help.mikrotik.com/docs/spaces/ROS/pages/37748767/DNS). Bound to
// the WAN it is written for the wrong side: opened from the WAN it would
// make the router an open resolver, so the input drop that stops it is
// right, and the LAN's clients that ask another resolver pass by it. A
// redirect bound to nothing also takes the LAN's queries: no note then.
func (p *Plan) dnsRedirectNote(f *export.File, keep func(*export.Command) bool, c *export.Command) {
	if c.Value("in-interface") == "" && c.Value("in-interface-list") == "" {
		return
	}
	var segs []string
	for _, s := range p.Segments {
		segs = append(segs, s.Interface)
	}
	if len(segs) == 0 {
		return
	}
	fix := "in-interface=" + export.Quote(segs[0])
	if l := p.listHoldingOnly(f, keep, segs, nil); l != "" {
		fix = "in-interface-list=" + export.Quote(l)
	}
	p.Notes = append(p.Notes, fmt.Sprintf("line %d redirects DNS (%s 53) coming in from the WAN to the router's resolver: that is the rule forcing the LAN's clients onto the router, written for the wrong side; from the WAN it would make the router an open resolver (the input chain rightly drops it), and LAN clients that ask another resolver pass by it (not probed); for the LAN: /ip firewall nat set %s %s",
		c.Line, c.Value("protocol"), p.ruleSelector(c.Line), fix))
}

// firstWANMatcher is the first WAN, whose packets the import's notes
// weigh, and a matcher over the import's keep (not the plan's keeper: no
// cached matcher yet); nil without a WAN.
func (p *Plan) firstWANMatcher(f *export.File, keep func(*export.Command) bool) (WAN, *matcher) {
	if len(p.WANs) == 0 {
		return WAN{}, nil
	}
	m := newMatcher(f, keep)
	m.internet = p.internetNet()
	return p.WANs[0], m
}
