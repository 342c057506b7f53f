package check

import (
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// serviceMoveNotes notes an input accept written for a service's default
// port after the export moved the service elsewhere (/ip service set ssh
// port=2200; Services page,
// https://help.mikrotik.com/docs/spaces/ROS/pages/103841820/Services): the
// old port is let in and refused (nothing listens there), the new one
// falls to the drop below. The forum's "moved SSH to 2200, opened it, and
// 2200 does not answer from outside". Not probed: the check lab probes
// the services at the ports the export sets, and says they are closed,
// not why.
func (p *Plan) serviceMoveNotes() {
	if p.export == nil || len(p.WANs) == 0 {
		return
	}
	f := p.export
	keep := p.keeper(f)
	w := p.WANs[0]
	wan := p.WANAddr(w, Forward{})
	if !wan.IsValid() {
		return
	}
	m := newMatcher(f, keep)
	ports, off := p.serviceSettings()
	names := make([]string, 0, len(serviceDefaults))
	for n := range serviceDefaults {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		def, now := serviceDefaults[name], ports[name]
		if off[name] || now == def || !p.portFreed(def) {
			continue
		}
		var old []int
		opened := false
		for _, c := range f.Commands {
			if c.Verb != "add" || !enabled(c) || !keep(c) || c.MenuPath() != "ip firewall filter" || c.Value("chain") != "input" {
				continue
			}
			if a := c.Value("action"); a != "" && a != "accept" {
				continue
			}
			if pr := c.Value("protocol"); pr != "tcp" && pr != "6" {
				continue
			}
			dp := c.Value("dst-port")
			if dp == "" || strings.HasPrefix(dp, "!") {
				continue
			}
			if inPorts(dp, now) {
				opened = true
			}
			if inPorts(dp, def) {
				old = append(old, c.Line)
			}
		}
		if opened || len(old) == 0 {
			continue
		}
		// From the internet: the new port is dropped, the old one let in.
		pk := packet{src: p.PeerAddr(), dst: wan, proto: "tcp", dstPort: now, in: w.Interface, local: true, state: "new"}
		if rule, how := m.first(f, keep, "ip firewall filter", "input", pk, map[string]bool{"accept": true, "drop": true, "reject": true}); how != yes || rule == nil || rule.Value("action") == "accept" || rule.Value("action") == "" {
			continue
		}
		pk.dstPort = def
		old = slices.DeleteFunc(old, func(l int) bool { return m.match(p.commandAt(l), pk) != yes })
		for _, l := range old {
			c := p.commandAt(l)
			fix := ""
			if c.Value("dst-port") == strconv.Itoa(def) {
				fix = fmt.Sprintf(": /ip firewall filter set %s dst-port=%d", p.ruleSelector(l), now)
			}
			p.Notes = append(p.Notes, fmt.Sprintf("line %d accepts tcp port %d on input, the default port of %s, which the export moved to %d (/ip service): nothing listens on %d any more (the connection is refused) and no input accept names %d, so it falls to the drop below (not probed)%s", l, def, name, now, def, now, fix))
		}
	}
}

// serviceAddressNotes notes the router's WinBox, SSH and WebFig whose
// address= (Services page) leaves out a LAN segment that the input chain
// lets in: the service itself refuses that segment's hosts (rosemu resets
// them; docs/services.md). The forum's "restricted WinBox to the LAN, and
// the office subnet gets 'connection refused'". Not probed: the check lab
// probes the services from the internet.
func (p *Plan) serviceAddressNotes() {
	if p.export == nil || len(p.Segments) < 2 {
		return
	}
	f := p.export
	keep := p.keeper(f)
	m := newMatcher(f, keep)
	raw := map[string]string{}
	for _, c := range f.Commands {
		if !keep(c) || c.MenuPath() != "ip service" || c.Verb != "set" {
			continue
		}
		if v, ok := c.Get("address"); ok && strings.TrimSpace(v) != "" {
			raw[serviceTarget(c.Target)] = strings.TrimSpace(v)
		}
	}
	type left struct{ names, segs []string }
	byAddr := map[string]*left{}
	var order []string
	for _, s := range p.services() {
		v, ok := raw[s.name]
		if !ok {
			continue
		}
		var nets []netip.Prefix
		for _, part := range strings.Split(v, ",") {
			if pf, err := netip.ParsePrefix(strings.TrimSpace(part)); err == nil {
				nets = append(nets, pf.Masked())
			} else if a, err := netip.ParseAddr(strings.TrimSpace(part)); err == nil {
				nets = append(nets, netip.PrefixFrom(a, a.BitLen()))
			}
		}
		if len(nets) == 0 {
			continue
		}
		for _, seg := range p.Segments {
			if slices.ContainsFunc(nets, func(n netip.Prefix) bool { return n.Overlaps(seg.Prefix.Masked()) }) {
				continue
			}
			host := seg.Prefix.Masked().Addr().Next()
			if host == seg.Prefix.Addr() {
				host = host.Next()
			}
			pk := packet{src: host, dst: seg.Prefix.Addr(), proto: "tcp", dstPort: s.port, in: seg.Interface, local: true, state: "new"}
			rule, how := m.first(f, keep, "ip firewall filter", "input", pk, map[string]bool{"accept": true, "drop": true, "reject": true})
			if how == unknown || rule != nil && rule.Value("action") != "accept" && rule.Value("action") != "" {
				continue
			}
			l := byAddr[v]
			if l == nil {
				l = &left{}
				byAddr[v] = l
				order = append(order, v)
			}
			if !slices.Contains(l.names, s.name) {
				l.names = append(l.names, s.name)
			}
			if d := fmt.Sprintf("%s (%s)", seg.Interface, seg.Prefix.Masked()); !slices.Contains(l.segs, d) {
				l.segs = append(l.segs, d)
			}
		}
	}
	// No paste-ready line that widens address=: the list is the user's
	// management allow-list, and the input chain letting a segment in
	// does not make its hosts administrators. A line that added every
	// left-out subnet opened WinBox, SSH and WebFig to a guest VLAN
	// (realcheck27 D10); check cannot tell a guest segment from an
	// office one, so it says the mismatch and leaves the choice.
	for _, v := range order {
		l := byAddr[v]
		p.Notes = append(p.Notes, fmt.Sprintf("%s admit only %s (/ip service address=): the hosts of %s, which the input chain lets in, are refused by the service itself (not probed); that may be what the list is for: add a segment's subnet to address= only if its hosts should manage the router, never a guest or untrusted one",
			strings.Join(l.names, ", "), v, strings.Join(l.segs, ", ")))
	}
}

// cpePublicForwardNotes notes a forward that names, as its dst-address, a
// public address the router does not hold, on a router whose WAN is
// private behind an ISP router (double NAT): the public address is the ISP
// router's, which translates what it forwards to the router's WAN address
// before it arrives, so the rule never sees the internet's connections;
// it does take the LAN's to the public address (a hairpin). The forum's
// "dst-address=<my IP from whatismyip>, counter 0". The fix is a second
// rule on the router's own WAN side; the ISP router's forward, not in the
// export, is the user's to make.
func (p *Plan) cpePublicForwardNotes() {
	if len(p.WANs) == 0 || p.WANs[0].Behind() != "cpe" || p.export == nil {
		return
	}
	f := p.export
	keep := p.keeper(f)
	w := p.WANs[0]
	for _, fw := range p.Forwards {
		c := fw.cmd
		a, err := netip.ParseAddr(c.Value("dst-address"))
		if err != nil || a.IsPrivate() || cgnatSpace.Contains(a) || p.ownAddress(f, keep, a) != "" || p.inSegments(a.String()) {
			continue
		}
		if c.Value("in-interface") != "" || c.Value("in-interface-list") != "" {
			continue
		}
		var args []string
		for _, k := range []string{"protocol", "dst-port", "to-addresses", "to-ports"} {
			if v := c.Value(k); v != "" {
				args = append(args, k+"="+v)
			}
		}
		in := "in-interface=" + w.Interface
		if newMatcher(f, keep).ifList("WAN", w.Interface) == yes {
			in = "in-interface-list=WAN"
		}
		p.Notes = append(p.Notes, fmt.Sprintf("line %d names dst-address=%s, which is not this router's: its WAN %s has %s behind an ISP router, which holds the public address and translates what it forwards to %s before it arrives, so the rule never sees the internet's connections (the LAN's to %s it does take). With the ISP router forwarding the port to %s (not in the export), a rule on the WAN side takes them: /ip firewall nat add chain=dstnat action=dst-nat %s %s comment=%s",
			fw.Line, a, w.Interface, w.Address.Addr(), w.Address.Addr(), a, w.Address.Addr(), in, strings.Join(args, " "), strconv.Quote("from the ISP router")))
	}
}
