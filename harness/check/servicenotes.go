package check

import (
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
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
	raw := serviceAddresses(f, keep)
	type left struct{ names, segs []string }
	byAddr := map[string]*left{}
	var order []string
	for _, s := range p.services() {
		v, ok := raw[s.name]
		if !ok {
			continue
		}
		nets := serviceNets(v)
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
		admit := "admit"
		if len(l.names) == 1 {
			admit = "admits"
		}
		p.Notes = append(p.Notes, fmt.Sprintf("%s %s only %s (/ip service address=): the hosts of %s, which the input chain lets in, are refused by the service itself (not probed); that may be what the list is for: add a segment's subnet to address= only if its hosts should manage the router, never a guest or untrusted one",
			strings.Join(l.names, ", "), admit, v, strings.Join(l.segs, ", ")))
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

// serviceAddresses are the address= lists the export gives /ip service
// entries, by service name.
func serviceAddresses(f *export.File, keep func(*export.Command) bool) map[string]string {
	raw := map[string]string{}
	for _, c := range f.Commands {
		if !keep(c) || c.MenuPath() != "ip service" || c.Verb != "set" {
			continue
		}
		if v, ok := c.Get("address"); ok && strings.TrimSpace(v) != "" {
			raw[serviceTarget(c.Target)] = strings.TrimSpace(v)
		}
	}
	return raw
}

// serviceNets parses an address= list: prefixes and bare addresses.
func serviceNets(v string) []netip.Prefix {
	var nets []netip.Prefix
	for _, part := range strings.Split(v, ",") {
		if pf, err := netip.ParsePrefix(strings.TrimSpace(part)); err == nil {
			nets = append(nets, pf.Masked())
		} else if a, err := netip.ParseAddr(strings.TrimSpace(part)); err == nil {
			nets = append(nets, netip.PrefixFrom(a, a.BitLen()))
		}
	}
	return nets
}

// serviceLockoutNotes notes a service whose address= names the LAN
// segments it is managed from while an input rule drops its port for
// every one of them: the admin is locked out of it by rule order, the
// forum's "I added a drop for WinBox and SSH and now I cannot log in"
// (the first rule that matches decides, Filter,
// https://help.mikrotik.com/docs/spaces/ROS/pages/48660574/Filter). The
// address= list is the intent: a service without one may be dropped on
// purpose (managed over a VPN or MAC-WinBox). Not probed: the check lab
// probes the services from the internet (forum56 D3).
func (p *Plan) serviceLockoutNotes() {
	if p.export == nil {
		return
	}
	f := p.export
	keep := p.keeper(f)
	m := newMatcher(f, keep)
	raw := serviceAddresses(f, keep)
	type lock struct {
		names, ports, segs []string
		line               int
	}
	byRule := map[string]*lock{}
	var order []string
	for _, s := range p.services() {
		nets := serviceNets(raw[s.name])
		var segs []string
		line, all := 0, true
		for _, seg := range p.Segments {
			i := slices.IndexFunc(nets, func(n netip.Prefix) bool { return n.Overlaps(seg.Prefix.Masked()) })
			if i < 0 {
				continue
			}
			// A host the list admits: the list's first host when it is
			// narrower than the segment (its network address is no
			// host, and a rule that admits the list's hosts by a range
			// missed it: chk54), its address when it is one, else the
			// segment's first.
			host := seg.Prefix.Masked().Addr().Next()
			if nets[i].Bits() > seg.Prefix.Bits() {
				host = nets[i].Masked().Addr()
				if nets[i].Bits() < 32 {
					host = host.Next()
				}
			}
			if host == seg.Prefix.Addr() {
				host = host.Next()
			}
			pk := packet{src: host, dst: seg.Prefix.Addr(), proto: "tcp", dstPort: s.port, in: seg.Interface, local: true, state: "new"}
			rule, how := m.first(f, keep, "ip firewall filter", "input", pk, map[string]bool{"accept": true, "drop": true, "reject": true})
			if how != yes || rule == nil || rule.Value("action") == "accept" || line != 0 && rule.Line != line {
				all = false
				break
			}
			line = rule.Line
			segs = append(segs, fmt.Sprintf("%s (%s)", seg.Interface, seg.Prefix.Masked()))
		}
		if !all || len(segs) == 0 || p.managedFromWAN(f, keep, m, nets, s.port) {
			continue
		}
		key := fmt.Sprintf("%d %s %s", line, raw[s.name], strings.Join(segs, ","))
		l := byRule[key]
		if l == nil {
			l = &lock{line: line, segs: segs}
			byRule[key] = l
			order = append(order, key)
		}
		l.names = append(l.names, s.name)
		l.ports = append(l.ports, strconv.Itoa(s.port))
	}
	for _, k := range order {
		l := byRule[k]
		are, them := "are", "them"
		if len(l.names) == 1 {
			are, them = "is", "it"
		}
		p.Notes = append(p.Notes, fmt.Sprintf("%s (tcp %s) %s managed from %s (/ip service address=), but line %d drops %s on input from every segment of that list, %s: the first rule that matches decides, so nobody there reaches %s (not probed); an accept for those addresses above line %d lets %s in",
			strings.Join(l.names, ", "), strings.Join(l.ports, ","), are, strings.Fields(k)[1], l.line, them, strings.Join(l.segs, ", "), them, l.line, them))
	}
}

// managedFromWAN reports whether the address= list also holds the subnet
// of a WAN whose input chain accepts the port: the admin manages the
// router from there (a management network behind the WAN port, an
// address= of every private range), so the LAN segments' drop is no
// lockout, and an accept for the whole list above it would open the
// service to every LAN it names (rc30: a router managed over ether1,
// 192.168.22.0/24 in address=172.16.0.0/16,192.168.0.0/16).
func (p *Plan) managedFromWAN(f *export.File, keep func(*export.Command) bool, m *matcher, nets []netip.Prefix, port int) bool {
	for _, w := range p.WANs {
		if !w.Address.IsValid() || w.Address.Bits() >= 31 || !slices.ContainsFunc(nets, w.Address.Masked().Overlaps) {
			continue
		}
		host := w.Address.Masked().Addr().Next()
		if host == w.Address.Addr() {
			host = host.Next()
		}
		if !slices.ContainsFunc(nets, func(n netip.Prefix) bool { return n.Contains(host) }) {
			continue
		}
		pk := packet{src: host, dst: w.Address.Addr(), proto: "tcp", dstPort: port, in: w.Interface, local: true, state: "new"}
		if rule, how := m.first(f, keep, "ip firewall filter", "input", pk, map[string]bool{"accept": true, "drop": true, "reject": true}); how == yes && (rule == nil || rule.Value("action") == "accept") {
			return true
		}
	}
	return false
}
