package check

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// standIn is a WAN interface a lab router cannot have (an LTE modem, a
// radio in station mode, a bond) that check replaces by a lab port of the
// same name, wired to the lab's ISP: the export's lists, rules, routes and
// NATs that name it then apply to the port (docs/check-report.md, "The
// stand-in WAN").
type standIn struct {
	Name string // lte1, wlan1, bond1: the export's name, the lab port's
	Kind string // "lte", "station" or "bond"
	// Line is the export line that makes the interface what it is (the
	// /interface lte, wireless or bonding line).
	Line int
	// Use says how the export uses it as a WAN (for the note), useLine
	// on which line (0 for --map).
	Use     string
	useLine int
	// dhcp is the DHCP client line the stand-in adds on an LTE WAN, as
	// RouterOS's LTE interface takes its address and default route from
	// the modem; nil when the export has its own client there.
	dhcp *export.Command
	// apn says where the client's settings come from (the APN profile
	// and its line, or RouterOS's defaults); profile is that profile's
	// name, where a fix of the client's settings belongs.
	apn, profile string
}

// standInKinds are the words of the note and the error for each kind.
var standInKinds = map[string]string{
	"lte":     "an LTE modem",
	"station": "a radio in station mode (a wireless client of an ISP's access point)",
	"bond":    "a bond, which the lab router does not build",
}

// lteName matches RouterOS's default names of LTE interfaces.
var lteName = regexp.MustCompile(`^lte[0-9]+$`)

// itemName is the name a set or add line of an interface menu gives its
// item: name=, else default-name= of its find, else its target when that
// is a plain name ("set lte1 ..."); "" when none is said ("set [ find ]").
func itemName(c *export.Command) string {
	if n := c.Value("name"); n != "" {
		return n
	}
	if n, ok := c.FindArg("default-name"); ok {
		return n
	}
	if n, ok := c.FindArg("name"); ok {
		return n
	}
	if t := strings.Trim(strings.TrimSpace(c.Target), `"`); t != "" && !strings.ContainsAny(t, "[ *") {
		if _, err := strconv.Atoi(t); err != nil {
			return t
		}
	}
	return ""
}

// radioMode is the mode a wireless or wifi line gives its radio, and
// whether it says one: mode= of /interface wireless (station,
// station-bridge, station-pseudobridge, ap-bridge, ...; Wireless Interface
// page of the manual), configuration.mode= of /interface wifi, which an
// export may shorten to .mode= after a configuration.country= on the same
// line.
func radioMode(c *export.Command) (string, bool) {
	for _, k := range []string{"mode", "configuration.mode", ".mode"} {
		if v, ok := c.Get(k); ok {
			return v, true
		}
	}
	return "", false
}

// standInCandidates are the interfaces of the export that a lab router
// cannot have and that the export uses as a WAN: a member of a WAN list, an
// interface with an enabled DHCP client, one that a srcnat rule translates
// out of, or a default route's gateway by name. In export order.
func standInCandidates(f *export.File, aside map[*export.Command]string) []standIn {
	kinds, order := standInKindsOf(f, aside)
	note := func(name, kind string, line int) {
		if _, ok := kinds[name]; !ok {
			order = append(order, name)
			kinds[name] = standIn{Name: name, Kind: kind, Line: line}
		}
	}
	bridged := map[string]bool{}
	for _, c := range f.Commands {
		if c.MenuPath() == "interface bridge port" && c.Verb == "add" && enabled(c) {
			bridged[c.Value("interface")] = true
		}
	}
	inc, exc := listDefs(f, func(*export.Command) bool { return true })
	uses := map[string]string{}
	useLines := map[string]int{}
	use := func(name, why string, line int) {
		if _, ok := uses[name]; !ok {
			uses[name], useLines[name] = why, line
		}
	}
	for _, c := range f.Commands {
		if c.Verb != "add" || !enabled(c) || createdDisabled(f, c) {
			continue
		}
		switch c.MenuPath() {
		case "interface list member":
			if roleList(inc, exc, c.Value("list"), "wan") {
				use(c.Value("interface"), fmt.Sprintf("in the WAN list %s (line %d)", c.Value("list"), c.Line), c.Line)
			}
		case "ip dhcp-client":
			use(c.Value("interface"), fmt.Sprintf("its DHCP client (line %d)", c.Line), c.Line)
		case "ip firewall nat":
			if c.Value("chain") == "srcnat" && c.Value("out-interface") != "" {
				use(c.Value("out-interface"), fmt.Sprintf("the srcnat rule out of it (line %d)", c.Line), c.Line)
			}
		case "ip route":
			if d := c.Value("dst-address"); d == "" || d == "0.0.0.0/0" {
				for _, hop := range strings.Split(c.Value("gateway"), ",") {
					if _, iface, ok := strings.Cut(hop, "%"); ok {
						use(iface, fmt.Sprintf("the default route by it (line %d)", c.Line), c.Line)
					} else {
						use(hop, fmt.Sprintf("the default route by it (line %d)", c.Line), c.Line)
					}
				}
			}
		}
	}
	// A name the export uses as a WAN and that is an LTE modem's default
	// name, with no /interface lte line (a header cut off): an LTE WAN.
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for n := range uses {
			if !yield(n) {
				return
			}
		}
	}) {
		if _, ok := kinds[name]; !ok && lteName.MatchString(name) {
			note(name, "lte", 0)
		}
	}
	var out []standIn
	for _, name := range order {
		s := kinds[name]
		why, used := uses[name]
		if !used || bridged[name] {
			// A radio that is a bridge's port is that bridge's uplink
			// (a station-bridge client bridge): the router is a bridge,
			// not a router with a WAN, and a port in its place would
			// not stand for it.
			continue
		}
		s.Use, s.useLine = why, useLines[name]
		out = append(out, s)
	}
	return out
}

// mappedStandIns are the stand-ins --map names (--map lte1=wan): the user
// picks the modem, radio or bond the lab puts a port in place of. An
// error when the named interface is neither a port nor such an interface
// is left to findWANs (it names the ports).
func mappedStandIns(f *export.File, aside map[*export.Command]string, o Options) []standIn {
	var out []standIn
	all, _ := standInKindsOf(f, aside)
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for n := range o.Map {
			if !yield(n) {
				return
			}
		}
	}) {
		if !strings.HasPrefix(o.Map[name], "wan") || physical.MatchString(name) {
			continue
		}
		if s, ok := all[name]; ok {
			s.Use = "--map " + name + "=" + o.Map[name]
			out = append(out, s)
		}
	}
	return out
}

// standInKindsOf is every modem, station radio and bond of the export by
// name, used as a WAN or not (--map may name any of them), and their names
// in export order.
func standInKindsOf(f *export.File, aside map[*export.Command]string) (map[string]standIn, []string) {
	all := map[string]standIn{}
	var order, radios []string
	modes := map[string]modeOf{}
	profiles := map[string]string{} // wifi configuration profile -> mode
	note := func(name, kind string, line int) {
		if _, ok := all[name]; !ok && name != "" {
			order = append(order, name)
			all[name] = standIn{Name: name, Kind: kind, Line: line}
		}
	}
	for _, c := range f.Commands {
		if c.Verb != "set" && c.Verb != "add" {
			continue
		}
		switch c.MenuPath() {
		case "interface lte":
			name := itemName(c)
			if name == "" && strings.Contains(c.Target, "find") {
				// "set [ find ] allow-roaming=yes" of a one-modem
				// board is its lte1.
				name = "lte1"
			}
			note(name, "lte", c.Line)
		case "interface wireless", "interface wifi", "interface wifiwave2":
			n := itemName(c)
			if n == "" {
				continue
			}
			if _, ok := modes[n]; !ok {
				radios = append(radios, n)
				modes[n] = modeOf{line: c.Line, wireless: c.MenuPath() == "interface wireless"}
			}
			if m, said := radioMode(c); said {
				modes[n] = modeOf{mode: m, said: true, line: c.Line, wireless: modes[n].wireless}
			} else if m, said := profiles[c.Value("configuration")]; said {
				// A wifi radio's mode from its configuration profile
				// ("/interface wifi set wifi1 configuration=cfg-sta").
				modes[n] = modeOf{mode: m, said: true, line: c.Line, wireless: modes[n].wireless}
			}
		case "interface wifi configuration", "interface wifiwave2 configuration":
			if m, said := radioMode(c); said && c.Value("name") != "" {
				profiles[c.Value("name")] = m
			}
		case "interface bonding":
			if _, set := aside[c]; c.Verb == "add" && !set && enabled(c) {
				note(c.Value("name"), "bond", c.Line)
			}
		}
	}
	for _, n := range radios {
		// An export leaves out a default: an /interface wireless line
		// without mode= is a station, the menu's default mode (a 6.41
		// mAP lite's wlan1 that takes its uplink from an access point
		// by its DHCP client) [verify]. /interface wifi's default is an
		// access point [verify].
		if m := modes[n]; strings.HasPrefix(m.mode, "station") || !m.said && m.wireless {
			note(n, "station", m.line)
		}
	}
	return all, order
}

// modeOf is the mode a radio's lines say, the last one that says it.
type modeOf struct {
	mode           string
	said, wireless bool
	line           int
}

// lteSettings are the lines that set modem name's APN profile (the one
// apn-profiles= of its /interface lte line names, "default" when none),
// in export order, then that /interface lte line when it sets any of the
// profile's settings itself (the 6.x form [verify]): a later one
// overrides an earlier one. profile is the profile's name.
func lteSettings(f *export.File, name string) (profile string, lines []*export.Command) {
	profile = "default"
	var lteLine *export.Command
	for _, c := range f.Commands {
		if c.MenuPath() != "interface lte" || (c.Verb != "set" && c.Verb != "add") {
			continue
		}
		if n := itemName(c); n != name && (n != "" || name != "lte1") {
			continue
		}
		lteLine = c
		if v := c.Value("apn-profiles"); v != "" {
			profile = strings.Split(v, ",")[0]
		}
	}
	for _, c := range f.Commands {
		if c.MenuPath() != "interface lte apn" || (c.Verb != "set" && c.Verb != "add") {
			continue
		}
		n := c.Value("name")
		if n == "" {
			if fn, ok := c.FindArg("name"); ok {
				n = fn
			} else if strings.Contains(c.Target, "default=yes") {
				n = "default"
			}
		}
		if n == profile {
			lines = append(lines, c)
		}
	}
	if lteLine != nil && slices.ContainsFunc([]string{"add-default-route", "default-route-distance", "use-peer-dns"}, func(k string) bool {
		_, ok := lteLine.Get(k)
		return ok
	}) {
		lines = append(lines, lteLine)
	}
	return profile, lines
}

// lteDHCP is the DHCP client the stand-in runs on an LTE WAN, with the
// settings RouterOS's LTE interface takes its address and default route
// by: the APN profile's add-default-route, default-route-distance and
// use-peer-dns (LTE page of the manual, APN profiles), the profile being
// the one apn-profiles= of the /interface lte line names ("default" when
// none). RouterOS 6 before APN profiles wrote the same on the /interface
// lte line itself [verify]. The defaults are those of the built-in
// profile a verbose export prints: add-default-route=yes
// default-route-distance=2 use-peer-dns=yes.
func lteDHCP(f *export.File, s standIn) (*export.Command, string, string, error) {
	vals := map[string]string{"add-default-route": "yes", "default-route-distance": "2", "use-peer-dns": "yes"}
	from := "RouterOS's defaults for an APN profile"
	// The client cites the line that makes the WAN: the APN profile its
	// settings come from, else the line that uses the modem as a WAN,
	// else the modem's own line (--map).
	line := s.Line
	if s.useLine > 0 {
		line = s.useLine
	}
	profile, settings := lteSettings(f, s.Name)
	for _, c := range settings {
		for k := range vals {
			if v, ok := c.Get(k); ok {
				vals[k] = v
				if c.MenuPath() == "interface lte" {
					from = fmt.Sprintf("line %d", c.Line)
				}
			}
		}
		if c.MenuPath() == "interface lte apn" {
			from = fmt.Sprintf("APN profile %s (line %d)", profile, c.Line)
		}
		line = c.Line
	}
	text := fmt.Sprintf("/ip dhcp-client\nadd add-default-route=%s default-route-distance=%s disabled=no interface=%s use-peer-dns=%s\n",
		vals["add-default-route"], vals["default-route-distance"], export.Quote(s.Name), vals["use-peer-dns"])
	sf, err := export.Read(f.Name, []byte(text))
	if err != nil || len(sf.Commands) != 1 {
		return nil, "", "", fmt.Errorf("the stand-in's DHCP client for %s: %v", s.Name, err)
	}
	c := sf.Commands[0]
	c.Line, c.EndLine, c.Col = line, line, 1
	for i := range c.Args {
		c.Args[i].Line = line
	}
	return c, fmt.Sprintf("add-default-route=%s default-route-distance=%s use-peer-dns=%s, from %s", vals["add-default-route"], vals["default-route-distance"], vals["use-peer-dns"], from), profile, nil
}

// applyStandIns makes each stand-in a lab port of its own name: the lines
// set aside only for naming it are kept again (its list memberships, its
// DHCP client, the rules and queues that name it), a bond's own line is set
// aside (the port takes its name), and an LTE WAN without a DHCP client of
// the export's gets the stand-in's. The modem's and the radio's own menus
// stay set aside.
func (p *Plan) applyStandIns(f *export.File, aside map[*export.Command]string, sis []standIn) error {
	for i := range sis {
		s := &sis[i]
		if p.port(s.Name) != nil {
			continue
		}
		for c, r := range aside {
			if !strings.HasPrefix(r, "names "+s.Name+",") || strings.HasPrefix(c.MenuPath(), "interface lte") ||
				strings.HasPrefix(c.MenuPath(), "interface wireless") || strings.HasPrefix(c.MenuPath(), "interface wifi") {
				continue
			}
			if namesOtherRadio(f, c, s.Name) {
				continue
			}
			delete(aside, c)
			p.Aside = slices.DeleteFunc(p.Aside, func(a Aside) bool { return a.Line == c.Line && a.Param == "" && a.Reason == r })
		}
		if s.Kind == "bond" {
			for _, c := range f.Commands {
				if c.MenuPath() == "interface bonding" && c.Verb == "add" && c.Value("name") == s.Name {
					r := fmt.Sprintf("bond %s of %s: the lab router builds no bond; check's stand-in puts a lab port named %s, wired to the lab's ISP, in its place (its slaves stay separate ports)", s.Name, strings.ReplaceAll(c.Value("slaves"), ",", ", "), s.Name)
					aside[c] = r
					p.Aside = append(p.Aside, Aside{Line: c.Line, Menu: c.MenuPath(), Reason: r})
				}
			}
		}
		if s.Kind == "lte" && !slices.ContainsFunc(f.Commands, func(c *export.Command) bool {
			_, set := aside[c]
			return !set && c.MenuPath() == "ip dhcp-client" && c.Verb == "add" && c.Value("interface") == s.Name && enabled(c) && !createdDisabled(f, c)
		}) {
			c, apn, profile, err := lteDHCP(f, *s)
			if err != nil {
				return err
			}
			s.dhcp, s.apn, s.profile = c, apn, profile
			f.Commands = append(f.Commands, c)
		}
		p.addPort(s.Name)
		p.standIns = append(p.standIns, *s)
	}
	return nil
}

// namesOtherRadio reports whether c names a radio or modem other than
// name in an interface argument: it stays set aside for that one.
func namesOtherRadio(f *export.File, c *export.Command, name string) bool {
	for _, a := range c.Args {
		if !export.InterfaceArgs[a.Name] {
			continue
		}
		for _, n := range strings.Split(strings.TrimPrefix(a.Value, "!"), ",") {
			if n != name && f.IsRadio(n) {
				return true
			}
		}
	}
	return false
}

// standInNotes say, for each stand-in, what the lab puts in place of the
// interface and what of it stays set aside; the WAN's why says it too.
func (p *Plan) standInNotes() {
	for _, s := range p.standIns {
		port := p.port(s.Name)
		if port == nil {
			continue
		}
		for i := range p.WANs {
			if p.WANs[i].Interface == s.Name || p.WANs[i].Port == s.Name {
				p.WANs[i].Why += fmt.Sprintf("; a lab port stands for %s, %s", s.Name, strings.SplitN(standInKinds[s.Kind], " (", 2)[0])
			}
		}
		what := fmt.Sprintf("%s is %s, which a lab router does not have", s.Name, standInKinds[s.Kind])
		if s.Kind == "bond" {
			what = fmt.Sprintf("%s is %s", s.Name, standInKinds[s.Kind])
		}
		if s.Line > 0 {
			what += fmt.Sprintf(" (line %d)", s.Line)
		}
		note := fmt.Sprintf("%s, and the export's WAN (%s): check's stand-in makes %s a lab port (lab %s) wired to the lab's ISP under its own name, so the lists, rules, routes and NATs that name it apply", what, s.Use, s.Name, port.Lab)
		switch s.Kind {
		case "lte":
			if s.dhcp != nil {
				note += fmt.Sprintf("; its address and default route come from a DHCP client the stand-in runs on %s (%s), as RouterOS's LTE interface takes them from the modem", s.Name, s.apn)
			}
			note += "; the modem's settings (band, roaming, APN, use-network-apn, SIM) stay set aside and are not judged"
		case "station":
			note += "; the radio's settings (SSID, security, frequency) stay set aside, and its address is the export's own (DHCP client or static)"
		case "bond":
			note += "; the bond's mode and slaves are not built, and what crosses it is not spread over links"
		}
		p.Notes = append(p.Notes, note)
	}
}

// findWANsOrStandIn finds the WANs; when there is none among the ports
// and the export uses an LTE modem, a station radio or a bond as its WAN,
// it puts the stand-in in its place and finds them again. With a WAN on a
// port already, a modem (or a station radio or bond that carries an
// address) the export also uses as a WAN is a second WAN: the stand-in
// takes it too (secondWANStandIns), unless --map names a WAN.
// mapped are the stand-ins --map named, applied already.
func (p *Plan) findWANsOrStandIn(f *export.File, keep func(*export.Command) bool, o Options, aside map[*export.Command]string) error {
	notes, labLines, ports := slices.Clone(p.Notes), slices.Clone(p.labLines), slices.Clone(p.Ports)
	err := p.findWANs(f, keep, o)
	if err != nil && len(p.standIns) == 0 {
		if sis := standInCandidates(f, aside); len(sis) > 0 {
			p.Notes, p.labLines, p.Ports, p.WANs, p.sharedWANs = notes, labLines, ports, nil, nil
			if err := p.applyStandIns(f, aside, sis); err != nil {
				return err
			}
			err = p.findWANs(f, keep, o)
		}
	}
	if err == nil && len(p.standIns) == 0 {
		// A second WAN a lab router cannot have beside the ports' (an
		// ethernet WAN with an LTE backup, the commonest LTE router of
		// the forum): the stand-in takes it too, so the failover and the
		// backup's masquerade are read and the lab fails the main WAN
		// over to it, as it does for two ethernet WANs.
		sis, idle, why := secondWANStandIns(f, aside)
		if len(sis) > 0 && !mapsWAN(o) {
			p.Notes, p.labLines, p.Ports, p.WANs, p.sharedWANs = notes, labLines, ports, nil, nil
			if err := p.applyStandIns(f, aside, sis); err != nil {
				return err
			}
			err = p.findWANs(f, keep, o)
		}
		if err == nil && !mapsWAN(o) {
			// A modem in the WAN list with no sign of use stays set
			// aside: say so, and how to take it as the second WAN.
			// --map lte1=wan alone makes the modem the only WAN: the
			// pick keeps the ports' WANs and adds the modem after them.
			var pick []string
			for _, w := range p.WANs {
				role := "wan"
				if len(pick) > 0 {
					role = fmt.Sprintf("wan%d", len(pick)+1)
				}
				if e := w.Port + "=" + role; !slices.ContainsFunc(pick, func(q string) bool { return strings.HasPrefix(q, w.Port+"=") }) {
					pick = append(pick, e)
				}
			}
			for i, s := range idle {
				m := strings.Join(append(slices.Clone(pick), fmt.Sprintf("%s=wan%d", s.Name, len(pick)+1)), ",")
				p.Notes = append(p.Notes, fmt.Sprintf("%s, an LTE modem, is %s, but %s: check takes it for an unused modem, leaves it set aside and reads the router with the WANs on its ports; if the modem is your backup WAN, --map %s puts a lab port in its place beside them", s.Name, s.Use, why[i], m))
			}
		}
	}
	if err == nil {
		p.standInNotes()
	}
	return err
}

// secondWANStandIns are the stand-in candidates of an export whose WAN is
// on a port already: the modems, station radios and bonds it also uses as
// a WAN. Left out: those switched off on their own line (disabled=yes, a
// Chateau whose modem waits unused), a radio or bond with no address and
// no DHCP client of its own, which carries nothing (a bond left in the
// WAN list while ether1 holds the WAN's address is idle), and a modem the
// export shows no use of (lteUse): defconf puts lte1 in the WAN list of
// every LTE board, SIM or not, so membership says nothing. idle are the
// modems left out that way, each with why, for the note.
func secondWANStandIns(f *export.File, aside map[*export.Command]string) (sis []standIn, idle []standIn, why []string) {
	for _, s := range standInCandidates(f, aside) {
		if slices.ContainsFunc(f.Commands, func(c *export.Command) bool {
			return c.Line == s.Line && s.Line > 0 && c.Value("disabled") == "yes"
		}) {
			continue
		}
		if s.Kind == "lte" {
			if used, w := lteUse(f, s.Name); !used {
				idle, why = append(idle, s), append(why, w)
				continue
			}
		} else if !holdsOwnAddress(f, s.Name) {
			continue
		}
		sis = append(sis, s)
	}
	return sis, idle, why
}

// holdsOwnAddress reports whether iface has an enabled address or DHCP
// client line of its own.
func holdsOwnAddress(f *export.File, iface string) bool {
	return slices.ContainsFunc(f.Commands, func(c *export.Command) bool {
		m := c.MenuPath()
		return c.Verb == "add" && (m == "ip address" || m == "ip dhcp-client") && c.Value("interface") == iface && enabled(c) && !createdDisabled(f, c)
	})
}

// lteUse reports whether the export shows modem name used as a WAN beside
// a WAN on a port, and when not, why, in words for the note. A sign of use
// is a route by it (gateway=lte1, or an address %lte1), its own address or
// DHCP client, its APN profile adding a default route with a distance the
// user set (the export prints default-route-distance only when it is not
// the default) or an APN name (apn=), another default route put behind
// the profile's distance of 2, a firewall rule or routing rule naming it,
// or a netwatch, script or scheduler naming it. A profile with add-default-route=no, or a
// passthrough one (passthrough-interface=, the modem's address handed to
// a host behind the router; LTE page of the manual, APN profiles
// [verify]), routes nothing of the router's by itself: only a route by the
// modem makes it a WAN then.
func lteUse(f *export.File, name string) (bool, string) {
	word := regexp.MustCompile(`(^|[^A-Za-z0-9_-])` + regexp.QuoteMeta(name) + `($|[^A-Za-z0-9_-])`)
	names := func(c *export.Command) bool {
		for _, a := range c.Args {
			if !export.InterfaceArgs[a.Name] {
				continue
			}
			if slices.Contains(strings.Split(strings.TrimPrefix(a.Value, "!"), ","), name) {
				return true
			}
		}
		return false
	}
	live := func(c *export.Command) bool { return c.Verb == "add" && enabled(c) && !createdDisabled(f, c) }
	if slices.ContainsFunc(f.Commands, func(c *export.Command) bool {
		if !live(c) || (c.MenuPath() != "ip route" && c.MenuPath() != "ipv6 route") {
			return false
		}
		return slices.ContainsFunc(strings.Split(c.Value("gateway"), ","), func(hop string) bool {
			_, iface, scoped := strings.Cut(hop, "%")
			return hop == name || scoped && iface == name
		})
	}) {
		return true, ""
	}
	_, settings := lteSettings(f, name)
	vals := map[string]string{}
	for _, c := range settings {
		for _, k := range []string{"add-default-route", "default-route-distance", "passthrough-interface"} {
			if v, ok := c.Get(k); ok {
				vals[k] = v
			}
		}
	}
	if v := vals["add-default-route"]; v == "no" || v == "false" {
		return false, fmt.Sprintf("its APN profile adds no default route (add-default-route=no) and no route goes by %s", name)
	}
	if v := vals["passthrough-interface"]; v != "" && v != "none" {
		return false, fmt.Sprintf("its APN profile passes the modem's address through to %s and no route goes by %s", v, name)
	}
	// A distance of the user's on the profile, or an APN name the user
	// set (apn=: the carrier's, which defconf leaves at the built-in
	// profile's), says a SIM is in use and the profile's default route
	// is there.
	if _, ok := vals["default-route-distance"]; ok {
		return true, ""
	}
	for _, c := range settings {
		if v, ok := c.Get("apn"); ok && v != "" && c.MenuPath() == "interface lte apn" {
			return true, ""
		}
	}
	// The port WAN's default route put behind the modem's (ether1's
	// client at default-route-distance=5 against the profile's 2): the
	// user made the modem the main WAN.
	if slices.ContainsFunc(f.Commands, func(c *export.Command) bool {
		if !live(c) {
			return false
		}
		var d string
		switch c.MenuPath() {
		case "ip dhcp-client":
			if c.Value("interface") != name {
				d = c.Value("default-route-distance")
			}
		case "ip route":
			if dst := c.Value("dst-address"); (dst == "" || dst == "0.0.0.0/0") && c.Value("routing-table") == "" {
				d = c.Value("distance")
			}
		}
		n, err := strconv.Atoi(d)
		return err == nil && n > 2
	}) {
		return true, ""
	}
	if holdsOwnAddress(f, name) || slices.ContainsFunc(f.Commands, func(c *export.Command) bool {
		if !live(c) {
			return false
		}
		m := c.MenuPath()
		switch {
		case strings.HasPrefix(m, "ip firewall ") || strings.HasPrefix(m, "ipv6 firewall ") || m == "routing rule":
			return names(c)
		case m == "tool netwatch" || m == "system script" || m == "system scheduler":
			return word.MatchString(c.Raw)
		}
		return false
	}) {
		return true, ""
	}
	return false, fmt.Sprintf("nothing else in the export uses %s: no route by it, no APN or distance of yours on its APN profile, no firewall or routing rule, netwatch or script naming it (defconf puts the modem in the WAN list whether a SIM is in or not)", name)
}

// mapsWAN reports whether --map names a WAN: the user's pick stands, the
// stand-in adds no second one.
func mapsWAN(o Options) bool {
	for _, role := range o.Map {
		if strings.HasPrefix(role, "wan") {
			return true
		}
	}
	return false
}

// standInClient reports whether c is the DHCP client a stand-in added.
func (p *Plan) standInClient(c *export.Command) bool {
	return slices.ContainsFunc(p.standIns, func(s standIn) bool { return s.dhcp == c })
}

// keptByItself reports whether c is a line check added in place of a set
// aside one and so carries its number: the stand-in's DHCP client, or a
// WAN list member --map copied for its port (standInMembers). A re-render
// by line (keeper) dropped the copy, and the lab's WAN list lost the port.
func (p *Plan) keptByItself(c *export.Command) bool {
	return p.standInClient(c) || slices.Contains(p.mapCopies, c)
}

// standInWatchFix is the fix that makes the default route of an LTE
// stand-in's client watch its gateway. On the router that route is the
// APN profile's (add-default-route), which has no check-gateway of its
// own, and the lab's DHCP client that carries it is no line the user has:
// the fix turns the profile's route off and routes by a watched host
// beyond the modem, the recursive way of the Failover page of the manual
// (a host routed by gateway=lte1 with scope=10, the default route by that
// host with target-scope=11 check-gateway=ping) [verify: check-gateway
// on a route by an LTE interface].
func (p *Plan) standInWatchFix(c *export.Command) string {
	for _, s := range p.standIns {
		if s.dhcp != c {
			continue
		}
		d := c.Value("default-route-distance")
		// The client carries the line of the profile (or of the modem's
		// own settings) only when the export has one; else the line
		// that uses the modem as a WAN, which is no profile's.
		where := "RouterOS's defaults, which the export does not print"
		if slices.ContainsFunc(p.export.Commands, func(e *export.Command) bool {
			m := e.MenuPath()
			return e.Line == c.Line && (m == "interface lte apn" || m == "interface lte")
		}) {
			where = fmt.Sprintf("line %d", c.Line)
		}
		return fmt.Sprintf("its route is the APN profile %s's (%s; the lab's stand-in DHCP client carries it), which cannot watch a gateway: /interface lte apn set [ find where name=%s ] add-default-route=no, then /ip route add dst-address=<host>/32 gateway=%s scope=10 and /ip route add gateway=<host> target-scope=11 check-gateway=ping distance=%s",
			s.profile, where, export.Quote(s.profile), export.Quote(s.Name), d)
	}
	return ""
}

// clientFix is the fix line that sets prop=value on the DHCP client of
// the WAN iface. On an LTE stand-in the client is the lab's, and the
// setting is the APN profile's on the router (LTE page of the manual), so
// the line the user pastes sets the profile; labClientLine turns it back
// into the client's for the lab router, which has no /interface lte.
func (p *Plan) clientFix(iface, prop, value string) string {
	for _, s := range p.standIns {
		if s.Name == iface && s.dhcp != nil {
			return fmt.Sprintf("/interface lte apn set [ find where name=%s ] %s=%s", export.Quote(s.profile), prop, value)
		}
	}
	return fmt.Sprintf("/ip dhcp-client set [ find where interface=%s ] %s=%s", export.Quote(iface), prop, value)
}

// labClientLine is fix line l as the lab router takes it: an APN
// profile's setting (clientFix) on the stand-in's DHCP client.
func (p *Plan) labClientLine(l string) string {
	for _, s := range p.standIns {
		prefix := fmt.Sprintf("/interface lte apn set [ find where name=%s ] ", export.Quote(s.profile))
		if s.dhcp != nil && strings.HasPrefix(l, prefix) {
			return fmt.Sprintf("/ip dhcp-client set [ find where interface=%s ] ", export.Quote(s.Name)) + strings.TrimPrefix(l, prefix)
		}
	}
	return l
}

// lteStandIn reports whether iface is a port standing for an LTE modem.
// Its link is point-to-point on the router [verify] (the LTE page of the
// manual routes by gateway=lte1), so a route by the interface needs no
// ARP there; the lab's ISP answers ARP for every address on it
// (proxy-arp, docs/labs.md) so that the port behaves alike.
func (p *Plan) lteStandIn(iface string) bool {
	return slices.ContainsFunc(p.standIns, func(s standIn) bool { return s.Name == iface && s.Kind == "lte" })
}
