package check

import (
	"fmt"
	"net/netip"
	"regexp"
	"sort"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// labCloudSerial gives the router an IP Cloud name in the lab when the
// export enables DDNS: the real serial's name belongs to MikroTik's
// service, which the lab never asks.
const labCloudSerial = "c4ec4ec4ec4e"

// dnsName is what a DNS name is made of; anything else in an address
// field (an address, a range, a prefix) is not a name.
var dnsName = regexp.MustCompile(`^(?i)[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*\.?$`)

// Name is one name the export uses that the public DNS must know.
type Name struct {
	Name string
	Line int    // the export line that uses it, 0 for the lab's IP Cloud name
	From string // dns-static, address-list, ip-cloud
}

// Names lists the names the export's router relies on: its static DNS
// entries, the FQDN entries of its address lists (RouterOS resolves them
// into dynamic entries) and its IP Cloud name. Comments are not names.
func (p *Plan) Names() []Name {
	var out []Name
	seen := map[string]bool{}
	add := func(n Name) {
		n.Name = strings.ToLower(strings.TrimSuffix(n.Name, "."))
		if n.Name == "" || seen[n.Name] || !dnsName.MatchString(n.Name) || !strings.Contains(n.Name, ".") {
			return
		}
		if _, err := netip.ParseAddr(n.Name); err == nil {
			return
		}
		seen[n.Name] = true
		out = append(out, n)
	}
	keep := p.keeper(p.export)
	routerLists := p.routerAddressLists()
	for _, c := range p.export.Commands {
		if !keep(c) || !enabled(c) {
			continue
		}
		switch c.MenuPath() + " " + c.Verb {
		case "ip dns static add":
			if t := c.Value("type"); (t == "" || t == "A") && !p.localOverride(c) {
				add(Name{Name: c.Value("name"), Line: c.Line, From: "dns-static"})
			}
		case "ip firewall address-list add":
			a := c.Value("address")
			if _, err := netip.ParsePrefix(a); err == nil || strings.Contains(a, "-") && !strings.ContainsAny(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
				continue
			}
			if !routerLists[c.Value("list")] {
				// A list no NAT rule takes as the router's address holds
				// other hosts' names (sites routed into a VPN, an
				// office's DynDNS name): served as the public address,
				// the by-name probes went to the router through a
				// third party's name (realcheck19 D4).
				continue
			}
			add(Name{Name: a, Line: c.Line, From: "address-list"})
		case "ip cloud set":
			if c.Value("ddns-enabled") == "yes" {
				add(Name{Name: labCloudSerial + ".sn.mynetname.net", Line: c.Line, From: "ip-cloud"})
			}
		}
	}
	return out
}

// localOverride reports whether static entry c points its name at one of
// the router's own LAN addresses that no forward serves: a captive
// portal's detection names (google.com, connectivitycheck.gstatic.com →
// the hotspot's 10.5.50.1) or a local override, which the router answers
// only to its own clients. They are not the router's public names: served
// as such, the lab's public DNS answered google.com with the WAN address
// and the lab turned IP Cloud on for it (realcheck23 D8). A name that
// points at a forward's server stays (method 1, byNameTarget).
func (p *Plan) localOverride(c *export.Command) bool {
	a, err := netip.ParseAddr(c.Value("address"))
	if err != nil || p.segmentOf(a) == nil || !p.routerHolds(a) {
		return false
	}
	for _, fw := range p.Forwards {
		if fw.ToAddr == a {
			return false
		}
	}
	return true
}

// byNameTarget is the name a LAN client uses for a forward: a static DNS
// entry of the router that points at the forward's server (method 1,
// direct), else a name that leads to the public address (an address
// list's, the IP Cloud name, a static entry pointing elsewhere than the
// LAN); empty when the export names none. The lab's public names answer
// with the first WAN's address, so a forward meant for another WAN only
// has a method 1 name.
func (p *Plan) byNameTarget(fw Forward) (name string, direct bool) {
	static := map[string]netip.Addr{}
	keep := p.keeper(p.export)
	for _, c := range p.export.Commands {
		// Only A entries: an AAAA twin with the IPv4-mapped address
		// (::ffff:10.3.11.1, written by lease scripts) would replace the
		// name's A address and no longer equal the forward's server.
		if t := c.Value("type"); keep(c) && enabled(c) && c.MenuPath() == "ip dns static" && c.Verb == "add" && (t == "" || t == "A") {
			if a, err := netip.ParseAddr(c.Value("address")); err == nil {
				static[strings.ToLower(strings.TrimSuffix(c.Value("name"), "."))] = a
			}
		}
	}
	names := p.Names()
	for _, n := range names {
		if a, ok := static[n.Name]; ok && a == fw.ToAddr {
			return n.Name, true
		}
	}
	if p.hairpinWAN(fw) != 0 {
		return "", false
	}
	rank := map[string]int{"address-list": 0, "ip-cloud": 1, "dns-static": 2}
	sort.SliceStable(names, func(i, j int) bool { return rank[names[i].From] < rank[names[j].From] })
	for _, n := range names {
		if a, ok := static[n.Name]; ok && (p.segmentOf(a) != nil || p.elsewhere(a)) {
			continue // another server's LAN name, or a host behind another router
		}
		return n.Name, false
	}
	return "", false
}

// elsewhere reports whether a static DNS entry's address is a host the
// router reaches by a route of the export (not a default route), or a
// private address that is no WAN's: a split-horizon name of a server
// behind a second router (server.example.org -> 172.26.20.249, routed via
// 172.26.40.2), not a name of the router's public address. The router
// answers the configured address to whoever asks (DNS,
// https://help.mikrotik.com/docs/spaces/ROS/pages/37748767/DNS [verify]);
// taken for a name of the public address, such an entry gave another
// forward a by-name path to a host the lab does not have, broken before
// and after the fix (realcheck26 D4).
func (p *Plan) elsewhere(a netip.Addr) bool {
	for _, w := range p.WANs {
		if w.Address.IsValid() && w.Address.Addr() == a {
			return false
		}
	}
	keep := p.keeper(p.export)
	for _, c := range p.export.Commands {
		if !keep(c) || !enabled(c) || c.MenuPath() != "ip route" || c.Verb != "add" {
			continue
		}
		if pf, err := netip.ParsePrefix(c.Value("dst-address")); err == nil && pf.Bits() > 0 && pf.Contains(a) {
			return true
		}
	}
	return a.IsPrivate() || cgnatPrefix.Contains(a)
}

// routerResolves reports whether the router answers DNS queries from its
// LAN (allow-remote-requests), so that its clients use it as resolver.
func (p *Plan) routerResolves() bool {
	keep := p.keeper(p.export)
	for _, c := range p.export.Commands {
		if keep(c) && c.MenuPath() == "ip dns" && c.Verb == "set" && c.Value("allow-remote-requests") == "yes" {
			return true
		}
	}
	return false
}

// labDNS points the router's upstream resolvers at the lab's public DNS
// (lab traffic never leaves the lab) and says so; DNS over HTTPS, which
// would ask a server outside, is dropped likewise.
func (p *Plan) labDNS() {
	changed := false
	for _, c := range p.export.Commands {
		if c.MenuPath() != "ip dns" || c.Verb != "set" {
			continue
		}
		if v := c.Value("servers"); v != "" && v != p.publicDNS().String() {
			c.Set("servers", p.publicDNS().String())
			what := v
			if strings.Contains(v, "$") {
				// A variable the script does not set to a literal
				// (expandGlobals left it): its value is not known
				// here, and "$dns1,$dns2" read as servers (realcheck19
				// D10).
				what = "(set by the script's variables " + v + ")"
			}
			p.Notes = append(p.Notes, fmt.Sprintf("line %d: the router's DNS servers %s are outside the lab; the lab uses its public DNS %s", c.Line, what, p.publicDNS()))
			changed = true
		}
		if v := c.Value("use-doh-server"); v != "" {
			c.Del("use-doh-server")
			c.Del("verify-doh-cert")
			p.Notes = append(p.Notes, fmt.Sprintf("line %d: DNS over HTTPS (%s) is outside the lab; the lab resolves through %s", c.Line, v, p.publicDNS()))
			changed = true
		}
	}
	if changed {
		p.render(p.export, p.keeper(p.export))
	}
}

// routerAddressLists returns the address lists that stand for the
// router's own public address: those an enabled NAT rule matches as its
// dst-address-list (a port forward's, a hairpin's "dst-address-list=WAN-IP"),
// and those a script fills (a script, scheduler, netwatch or DHCP client
// script that writes the list, as the forum's WAN-IP scripts do with the
// WAN address). A name in any other list (sites marked for a VPN, hosts a
// rule admits) is a third party's, not a name of the router.
func (p *Plan) routerAddressLists() map[string]bool {
	out := map[string]bool{}
	var scripts []string
	keep := p.keeper(p.export)
	for _, c := range p.export.Commands {
		if !keep(c) || !enabled(c) {
			continue
		}
		if c.MenuPath() == "ip firewall nat" {
			if l := c.Value("dst-address-list"); l != "" && !strings.HasPrefix(l, "!") {
				out[l] = true
			}
			continue
		}
		for _, a := range c.Args {
			if a.Name == "source" || a.Name == "script" || a.Name == "on-event" || a.Name == "up-script" || a.Name == "down-script" || a.Name == "lease-script" {
				scripts = append(scripts, a.Value)
			}
		}
	}
	for _, c := range p.export.Commands {
		if c.MenuPath() != "ip firewall address-list" || c.Verb != "add" {
			continue
		}
		l := c.Value("list")
		for _, s := range scripts {
			if strings.Contains(s, "address-list") && (strings.Contains(s, "list="+l) || strings.Contains(s, `list="`+l+`"`) || strings.Contains(s, `list=\"`+l+`\"`)) {
				out[l] = true
			}
		}
	}
	return out
}

// privateSuffixes are the names no public DNS has: .local is mDNS's
// (RFC 6762), home.arpa the home network's (RFC 8375), .internal ICANN's
// reserved private top-level domain (2024), localhost and invalid RFC
// 6761's; .lan and .localdomain are not reserved, but are the usual LAN
// suffixes of home and small office routers (dnsmasq, OpenWrt) and are not
// delegated in the root zone.
var privateSuffixes = []string{"local", "lan", "home.arpa", "internal", "localdomain", "localhost", "invalid"}

// couldBePublic reports whether name could be in the public DNS: not a
// single label and not under a private suffix. Only such names can be
// the router's public names, served by the lab's public DNS and made to
// follow the WAN address; a static entry such as nas.local names a LAN
// host for the router's own clients (realcheck25 W2).
func couldBePublic(name string) bool {
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	if !strings.Contains(name, ".") {
		return false
	}
	for _, s := range privateSuffixes {
		if name == s || strings.HasSuffix(name, "."+s) {
			return false
		}
	}
	return true
}

// publicNames is Names without the names no public DNS could have.
func (p *Plan) publicNames() []Name {
	var out []Name
	for _, n := range p.Names() {
		if couldBePublic(n.Name) {
			out = append(out, n)
		}
	}
	return out
}

// followsWAN reports whether the lab's names follow the router's WAN
// address: on a dynamic first WAN (the lab renumbers it) the router runs
// IP Cloud against the lab's stand-in, and the public DNS answers each
// name with the address the router last published. The lab turns IP
// Cloud on when the export does not, and says so.
func (p *Plan) followsWAN() bool {
	if len(p.WANs) == 0 || p.WANs[0].Kind != "dhcp" || len(p.publicNames()) == 0 {
		return false
	}
	keep := p.keeper(p.export)
	for _, c := range p.export.Commands {
		if keep(c) && c.MenuPath() == "ip cloud" && c.Verb == "set" && c.Value("ddns-enabled") == "yes" {
			return true
		}
	}
	const on = "/ip cloud set ddns-enabled=yes"
	if !contains(p.labLines, on) {
		p.labLines = append(p.labLines, "# chrlab check: IP Cloud on, so that the lab's public DNS follows the WAN address", on)
		p.Notes = append(p.Notes, "the lab turns IP Cloud on (its stand-in is inside the lab) so that the export's names follow the WAN address when the ISP renumbers it")
		p.render(p.export, keep)
	}
	return true
}

// dnsNode is the YAML of the lab's public DNS, answering every name of
// the export with the router's public address.
func (p *Plan) dnsNode(public netip.Addr, follow bool) string {
	args := []string{}
	serve := "dns"
	cloudName := labCloudSerial + ".sn.mynetname.net"
	for _, n := range p.publicNames() {
		args = append(args, "--zone", fmt.Sprintf("%s=%s", n.Name, public))
		if follow {
			args = append(args, "--zone-follow", fmt.Sprintf("%s=%s", n.Name, cloudName))
		}
	}
	if follow {
		// IP Cloud's stand-in publishes with a 10 s TTL (60 s at
		// MikroTik), so that the names follow within seconds.
		serve = "dns, cloud"
		args = append(args, "--zone", "cloud.mikrotik.com="+p.publicDNS().String(), "--cloud-ttl", "10s")
	}
	a := ""
	if len(args) > 0 {
		a = "    args: [" + strings.Join(args, ", ") + "]\n"
	}
	return fmt.Sprintf("  - name: dns\n    role: dns\n    gateway: %s\n    serve: [%s]\n%s    interfaces: [{network: internet, address: %s}]\n", p.internetNet().Addr().Next(), serve, a, p.publicDNS())
}

// ByName says, per forward, what LAN clients get when they use the name
// rather than the address: by-name hairpin is its own finding, and a
// static DNS entry pointing the name at the server (method 1) makes it
// work where the address does not.
func ByName(outs []Outcome, p *Plan, phase string) []string {
	type pair struct{ name, addr []Outcome }
	per := map[string]*pair{}
	var order []string
	for _, o := range outs {
		if o.Probe.Phase != phase || o.Probe.Forward < 0 {
			continue
		}
		seg, byName := strings.CutPrefix(o.Probe.Path, "byname:")
		if !byName {
			var ok bool
			if seg, ok = strings.CutPrefix(o.Probe.Path, "hairpin:"); !ok {
				continue
			}
		}
		k := fmt.Sprintf("%d %s", o.Probe.Forward, seg)
		if per[k] == nil {
			per[k] = &pair{}
			order = append(order, k)
		}
		if byName {
			per[k].name = append(per[k].name, o)
		} else {
			per[k].addr = append(per[k].addr, o)
		}
	}
	var out []string
	for _, k := range order {
		pr := per[k]
		if len(pr.name) == 0 {
			continue
		}
		var fw int
		var seg string
		fmt.Sscanf(k, "%d %s", &fw, &seg)
		n, a := pr.name[0], Outcome{Result: "-"}
		if len(pr.addr) > 0 {
			a = pr.addr[0]
		}
		what := fmt.Sprintf("forward %d from %s by name", fw+1, seg)
		switch {
		case n.Result == "ok" && a.Result != "ok":
			out = append(out, fmt.Sprintf("%s works where by address it does not (%s): the name resolves to the server itself, no hairpin needed (method 1)", what, a.Result))
		case n.Result == "ok":
			out = append(out, what+" works, as by address")
		case a.Result == "ok" && n.Result == "servfail":
			// The router's resolver had nobody to ask: RouterOS's DNS
			// has no servers of its own, only /ip dns servers= and the
			// dynamic ones of a DHCP client or of a PPPoE client with
			// use-peer-dns=yes (default no).
			out = append(out, fmt.Sprintf("%s fails (servfail) where by address it works: the router's DNS could not resolve the name; it needs an upstream server (/ip dns set servers=, or use-peer-dns=yes on the DHCP or PPPoE client)", what))
		case a.Result == "ok":
			out = append(out, fmt.Sprintf("%s fails (%s) where by address it works: the name does not lead to the forward", what, n.Result))
		default:
			out = append(out, fmt.Sprintf("%s fails (%s), as by address: hairpin by name is broken too", what, n.Result))
		}
	}
	return out
}

// hasUpstream reports whether the router's DNS has a server to ask: one
// set in /ip dns, or one a DHCP client (use-peer-dns, yes by default) or a
// PPPoE client (use-peer-dns=yes; no by default) takes from the ISP.
func (p *Plan) hasUpstream() bool {
	keep := p.keeper(p.export)
	for _, c := range p.export.Commands {
		if !keep(c) || !enabled(c) {
			continue
		}
		switch c.MenuPath() {
		case "ip dns":
			if c.Verb == "set" && c.Value("servers") != "" {
				return true
			}
		case "ip dhcp-client":
			if c.Verb == "add" && c.Value("use-peer-dns") != "no" {
				return true
			}
		case "interface pppoe-client":
			if c.Verb == "add" && c.Value("use-peer-dns") == "yes" {
				return true
			}
		}
	}
	return false
}

// nameOnlyList returns the dst-address-list a forward's rule matches when
// every entry the export gives that list is a DNS name (the router
// resolves them with its own DNS), "" otherwise.
func (p *Plan) nameOnlyList(fw Forward) string { return p.nameOnly(fw.cmd.Value("dst-address-list")) }

// nameOnly returns l when every entry the export gives the address list l
// is a DNS name, "" otherwise (and for a negated or empty l).
func (p *Plan) nameOnly(l string) string {
	if l == "" || strings.HasPrefix(l, "!") {
		return ""
	}
	n := 0
	for _, c := range p.export.Commands {
		if c.MenuPath() != "ip firewall address-list" || c.Verb != "add" || c.Value("list") != l || !enabled(c) {
			continue
		}
		a := c.Value("address")
		if _, err := netip.ParsePrefix(a); err == nil {
			return ""
		}
		if _, err := netip.ParseAddr(strings.Split(a, "-")[0]); err == nil {
			return ""
		}
		n++
	}
	if n == 0 {
		return ""
	}
	return l
}

// upstreamFix is the line that gives the router's DNS the ISP's servers:
// use-peer-dns on the first WAN's PPPoE or DHCP client; "" for a static
// WAN, whose servers only the user knows.
func (p *Plan) upstreamFix() string {
	for _, w := range p.WANs {
		switch w.Kind {
		case "pppoe":
			return fmt.Sprintf("/interface pppoe-client set [ find where name=%s ] use-peer-dns=yes", export.Quote(w.Interface))
		case "dhcp":
			// An LTE stand-in's is its APN profile's (standinwan.go).
			return p.clientFix(w.Interface, "use-peer-dns", "yes")
		}
	}
	return ""
}

// directDrop returns the forward-chain rule that drops or rejects a LAN
// client's connection straight to the forward's server, from segment s to
// the server's segment: the path a name resolving to the server itself
// (method 1) takes, which no dst-nat marks, so an "accept dstnat" rule
// does not let it through. Nil when the server is on s (the router does not
// route it) or the rules let it pass or cannot be judged
// (https://help.mikrotik.com/docs/spaces/ROS/pages/48660574/Filter, chain
// forward: traffic routed through the router).
func (p *Plan) directDrop(fw Forward, s Segment) *export.Command {
	seg := p.segmentOf(fw.ToAddr)
	if seg == nil || seg.Interface == s.Interface {
		return nil
	}
	f := p.export
	keep := p.keeper(f)
	m := p.newMatcher(f, keep)
	pk := packet{src: hostIn(s.Prefix, 100), dst: fw.ToAddr, proto: fw.Protocol, dstPort: fw.ToPort, in: s.Interface, out: seg.Interface, state: "new"}
	rule, how := m.first(f, keep, "ip firewall filter", "forward", pk, map[string]bool{"accept": true, "drop": true, "reject": true, "fasttrack-connection": true})
	if rule == nil || how != yes {
		return nil
	}
	if a := rule.Value("action"); a == "drop" || a == "reject" {
		return rule
	}
	return nil
}
