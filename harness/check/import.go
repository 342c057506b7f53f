// Package check turns a user's own router export into a lab: it maps the
// router's ports onto lab ports, sets aside what a lab router cannot have,
// finds the WANs, the LAN segments and the port forwards, plans the
// probes that show whether each forward works from the internet and from
// every LAN segment, and names the cause of each failure in the forum's
// terms.
package check

import (
	"fmt"
	"maps"
	"net/netip"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/chrlab/chrlab/harness/export"
	"github.com/chrlab/chrlab/rosemu/config"
)

// Plan is what the import found in an export and what the lab will be.
type Plan struct {
	// fixAdds are the rules the fix being proposed adds, in its order
	// (Propose): a later fix line's [ find ... ] must not find them too
	// (selectWhere).
	fixAdds []*export.Command
	// mcache is the export's matcher, kept for the next newMatcher of the
	// same export, set-aside lines and peer (see newMatcher).
	mcache *matcherCache
	File   string
	// fixResolves is set by Case when the fix turns on the router's
	// resolver for other hosts: the fixed phase then probes it from the
	// internet too (an open resolver).
	fixResolves bool
	// Ports are the router's physical ports in lab order: Ports[i] is lab
	// port ether<i+1>. A name is the port's name in the export.
	Ports []Port
	WANs  []WAN
	// sharedWANs are WANs on the port of an earlier WAN (a second ISP on
	// a VLAN of the first one's port): the lab wires one ISP to a port,
	// so they are left out, and their subnets are no LAN segments.
	sharedWANs []WAN
	// labVersion is the RouterOS version the lab router runs (LabVersion).
	labVersion string
	// internet is the lab's internet network, chosen away from the
	// export's networks (internetNet).
	internet netip.Prefix
	// Segments are the LAN segments: interfaces with an address that are
	// not a WAN.
	Segments []Segment
	Forwards []Forward
	// aliases are the LAN's aliases among the dst-nat rules (lanalias.go).
	aliases []lanAlias
	// ToRouter are the TCP dst-nat rules that send a port of the WAN to
	// one of the router's own services on its own address (WinBox from
	// outside on 18291): probed from the internet as the router's service.
	ToRouter []Forward
	// Aside lists what the lab router cannot have, with the reason.
	Aside []Aside
	// Notes are things the import decided that the user should know.
	Notes []string
	// failoverGaps are the notes of a failover that does not carry the
	// LAN (noteFailoverGap): warnings offline; gapProbes maps each to
	// the path (or the prefix of the paths) of the lab's probes that
	// show it.
	failoverGaps []string
	gapProbes    map[string]string
	// v6Faults are the IPv6 faults the export's own rules make certain
	// (warnIPv6): warnings, not notes.
	v6Faults []string
	// scriptLANs are the LAN segments whose ports a script the check
	// cannot read makes (scriptLANNotes): not probed.
	scriptLANs []string
	// placeholders are the refused lines whose value is a placeholder
	// (placeholderNote): what they stand for is not judged.
	placeholders []string
	// RSC is the lab-ready configuration: the export without the lines
	// set aside, its ports renamed onto the lab's.
	RSC string
	// Lines maps a line of RSC (1-based) to the line of the export it
	// came from, so that a refusal can name the user's line.
	Lines []int
	// labLines are what the lab adds to the configuration, after the
	// export's own lines (IP Cloud, so that the lab's names follow the WAN).
	labLines []string
	// learntWAN is the WAN whose BGP peer the lab router's stand-in
	// default route goes by (learntDefaultRoute), -1 when there is none.
	learntWAN int
	// hsLogins is, per interface of a hotspot server, the login the lab's
	// host there makes before its way out is probed (hotspotlogin.go).
	hsLogins map[string]hotspotLogin
	// hwArgs are the hardware-only parameters (poe-out=) to leave out of
	// each kept command's line in RSC.
	hwArgs map[*export.Command][]string
	// memberCuts are the members of a bridge VLAN line's tagged= and
	// untagged= the lab router has no interface of (cutMembers): the
	// line is written without them.
	memberCuts map[*export.Command]map[string][]string
	// standIns are the WAN interfaces a lab router cannot have (an LTE
	// modem, a station radio, a bond) that a lab port of the same name
	// stands for (standinwan.go).
	standIns []standIn
	// mapCopies are the WAN list members standInMembers copies for the
	// port --map names, on the line of the member they stand for, which
	// stays set aside: the keeper keeps them by themselves.
	mapCopies []*export.Command

	export *export.File
}

// Port is one physical port of the user's router.
type Port struct {
	Name        string // as the export names it (after a rename)
	DefaultName string // its default-name: ether1, sfp-sfpplus1
	Lab         string // the lab router's port: ether3
	// Disabled is a port the export disables (/interface ethernet ...
	// disabled=yes): it carries nothing, so no lab host is placed on it
	// while its bridge has another port.
	Disabled bool
	// DisabledBy is the line that disables it, for the message that a
	// disabled port is no WAN (realcheck22 D1).
	DisabledBy *export.Command
}

// WAN is one of the router's WANs.
type WAN struct {
	Interface string // the L3 interface: ether1, pppoe-out1, vlan100
	Port      string // the physical port under it
	Kind      string // static, dhcp or pppoe
	VLAN      int    // the 802.1Q id its frames carry on the port's wire; 0 untagged
	// Private is, on a DHCP WAN, the private address a forward names
	// literally (dst-address=192.168.1.50): the address an ISP router in
	// front leases it, so the router is behind that router (double NAT).
	Private netip.Addr
	Address netip.Prefix
	// Peer is, on a static WAN whose address is a /32 with network= naming
	// another address (address=1.1.1.1 network=2.2.2.2), the far end of
	// that point-to-point link: RouterOS reaches it on the WAN's port
	// (IP Addressing: network is "the address of the remote end" for
	// point-to-point links), and the lab's ISP answers there.
	Peer    netip.Addr
	Gateway netip.Addr
	// Lease is, on a DHCP WAN, the address a src-nat of the export sends
	// from through it (pinDHCPGateways): the lab leases it that address.
	Lease netip.Addr
	Why   string // how the import knew it is a WAN
}

// cgnatSpace is the shared address space of RFC 6598, which ISPs give
// customers behind their carrier-grade NAT.
var cgnatSpace = netip.MustParsePrefix("100.64.0.0/10")

// Behind says what holds the public address when the WAN has none of its
// own: "cgnat" for an address of the shared space (the ISP's
// carrier-grade NAT), "cpe" for a private address (an ISP router in
// front), "" for a public or dynamic WAN.
func (w WAN) Behind() string {
	if w.Kind == "dhcp" && w.Private.IsValid() {
		return "cpe"
	}
	if w.Kind != "static" || !w.Address.IsValid() {
		return ""
	}
	switch a := w.Address.Addr(); {
	case cgnatSpace.Contains(a):
		return "cgnat"
	case a.IsPrivate():
		return "cpe"
	}
	return ""
}

// Segment is a LAN segment.
type Segment struct {
	Interface string       // bridge, vlan10, ether5
	Prefix    netip.Prefix // the router's address on it: 192.168.88.1/24
	// Port is the physical port a lab host plugs into, untagged; empty
	// when the segment can only be reached tagged.
	Port string
	VLAN int
	// Tagged says the lab host reaches the segment through Port, a trunk,
	// in VLAN: no port carries it untagged (VLANs on a bridge towards a
	// switch, or on a port).
	Tagged bool
	// onPort is the bridge port the export put the segment's address on
	// (Interface is then that bridge), and addr that address's line:
	// RouterOS marks an address on a bridge port invalid, so the hosts
	// behind the bridge have no router until it moves to the bridge.
	onPort string
	addr   *export.Command
	// secondOn is the port this subnet is a second address on, whose lab
	// network is an earlier segment's: no lab host of its own.
	secondOn string
	// line is the export line of the address the segment comes from
	// (0 when made otherwise): a line the lab router refuses makes no
	// segment (dropRefusedSegments).
	line int
	// tunnel is the kind of tunnel the segment's interface is
	// ("WireGuard"), "" for any other: no port, its peers are its hosts.
	tunnel string
}

// Forward is one dst-nat rule.
type Forward struct {
	Line     int    // in the export
	Position int    // the rule's number in /ip firewall nat print
	Text     string // the rule as the export has it
	Protocol string // tcp, udp or empty for any
	DstPort  int    // the public port a client uses
	ToAddr   netip.Addr
	ToPort   int
	Comment  string
	// Sources is the rule's own restriction of who may use it
	// (src-address=..., src-address-list=...): the lab's peer and clients
	// are not among them, so its paths fail by design.
	Sources string
	// SourcesLAN are the LAN segments whose clients the restriction
	// admits all the same (src-address-list=allowed holding the LAN's
	// subnet beside a partner's): their paths are judged as any other.
	SourcesLAN []string
	// AllowList is the restriction a forward filter drop puts on the
	// internet's sources (drop from the WAN src-address-list=!admin: an
	// allow-list written in the filter), AllowLine its line: the forward's
	// internet paths fail by design, its LAN paths are judged (allowlist.go).
	AllowList string
	AllowLine int
	cmd       *export.Command
	// jump is the dstnat rule that jumps to the user chain the forward
	// is in (chain=dstnat action=jump jump-target=port-fwd); nil when the
	// forward is in dstnat itself.
	jump *export.Command
}

// Aside is a line the lab router cannot have, or one parameter of a line
// it keeps (Param: poe-out of a RouterBOARD port).
type Aside struct {
	Line   int
	Menu   string
	Reason string
	Param  string
}

// Options steer the import.
type Options struct {
	// Map names lab roles for ports: "ether1" -> "wan", "sfp1" -> "lan2".
	Map map[string]string
}

// physical matches the names RouterOS gives physical ports.
var physical = regexp.MustCompile(`^(ether|sfp|sfpplus|sfp-sfpplus|qsfpplus|qsfp28-|combo)[0-9]+(-[0-9]+)?$`)

// checkAside are the menus check sets aside besides the hardware ones: the
// router's own secrets, accounts, licence, packages, serial ports and
// disks, none of which a lab router needs to prove its forwarding.
var checkAside = []export.MenuReason{
	{Prefix: "port", Reason: "serial ports: a lab router has none"},
	{Prefix: "certificate", Reason: "certificates are secrets of your router and not part of its forwarding"},
	{Prefix: "user", Reason: "users and passwords of your router: the lab logs in with its own user"},
	{Prefix: "system license", Reason: "licence of your router"},
	{Prefix: "system package", Reason: "packages of your router"},
	{Prefix: "disk", Reason: "disks of your router (USB, NVMe, RAM disks): a lab router has only its system disk"},
	// rosemu runs netwatch probes and their scripts, and the hosts an
	// export watches (8.8.8.8, a camera, the far end of a tunnel) are not
	// in a check's lab: every probe would fail and each down-script run,
	// failing over or disabling routes for a reason of the lab, not of
	// the configuration. A case file (chrlab lab) runs them in its own lab.
	{Prefix: "tool netwatch", Reason: "netwatch: the hosts it watches are not in the lab, so its probes would fail and its down-scripts run; a lab of your own (chrlab lab --file) runs them"},
}

// Import reads the export's structure and plans the lab.
func Import(f *export.File, o Options) (*Plan, error) {
	expandGlobals(f)
	p := &Plan{File: f.Name, export: f}
	p.applyEdits(f)
	var older6 bool
	if p.labVersion, older6 = labVersionOf(f.Version); older6 {
		p.Notes = append(p.Notes, fmt.Sprintf("the export is from RouterOS %s; the lab router runs %s, the nearest version the emulator has", f.Version, p.labVersion))
	}
	if f.VersionInferred != "" && p.labVersion != "" {
		p.Notes = append(p.Notes, fmt.Sprintf("the lab router runs RouterOS %s: %s", p.labVersion, f.VersionInferred))
	}
	aside := f.Hardware(checkAside)
	for c := range aside {
		if c.MenuPath() == "certificate settings" { // CRL settings: a CHR has them
			delete(aside, c)
		}
	}
	for _, c := range f.Commands {
		if why := uncarried(c); why != "" {
			aside[c] = why
		} else if why := resetConfigurationAside(c); why != "" {
			aside[c] = why
		} else if c.MenuPath() == "system" && c.Verb == "reboot" {
			// RouterOS restarts there (an import of the file stops at
			// the line); the lab applies the other lines to a router
			// that runs through the probes, so a restart mid-run has
			// nothing to do in it (rosemu logs one and keeps running).
			aside[c] = "reboot restarts the router, and an import of this file stops there; the lab does not reboot mid-run, so this line is left out and the lines after it are checked as the configuration meant for the router"
		}
	}
	hwArgs := f.HardwareArgs(aside)
	trims := f.RadioTrims(aside)
	for _, e := range f.Unreadable {
		// Listed among the refused lines, as validate calls it, and under
		// no menu: the menu in effect is the line before's, which the
		// line is no part of (realcheck20 D12: a console prompt read
		// "line 55 /system logging: ... a lab router cannot have").
		p.Aside = append(p.Aside, Aside{Line: e.Line, Reason: unreadablePrefix + e.Msg + " (two commands glued into one line, or a line that is not RouterOS's?); it is left out"})
	}
	for _, c := range f.Commands {
		if r, ok := aside[c]; ok {
			if c.Verb == "add" && strings.HasSuffix(c.MenuPath(), " settings") {
				// A settings menu has one item to set and no add: the
				// line is no hardware setting but one RouterOS refuses,
				// often a command whose menu line went missing (rc32 C4:
				// a scheduler's add under /system routerboard settings,
				// set aside unseen as RouterBOARD settings).
				r = routerOSRefuses + fmt.Sprintf("/%s is a settings menu: it has set and no add (RouterOS: bad command name add); a menu line missing above it?", c.MenuPath())
			}
			p.Aside = append(p.Aside, Aside{Line: c.Line, Menu: c.MenuPath(), Reason: r})
			continue
		}
		if tr, ok := trims[c]; ok {
			// The lab runs the line without its radios: the wired ports
			// keep their VLAN membership. Set aside as a parameter is
			// (Param): with no Param the keeper dropped the whole line,
			// and the diagnosis asked for the bridge's tagging the line
			// gives (rc30 C1).
			tr.Apply(c)
			p.Aside = append(p.Aside, Aside{Line: c.Line, Menu: c.MenuPath(), Param: strings.Join(tr.Cut, ","), Reason: tr.Reason()})
		}
		for _, a := range hwArgs[c] {
			if p.hwArgs == nil {
				p.hwArgs = map[*export.Command][]string{}
			}
			p.hwArgs[c] = append(p.hwArgs[c], a.Name)
			p.Aside = append(p.Aside, Aside{Line: c.Line, Menu: c.MenuPath(), Param: a.Name,
				Reason: fmt.Sprintf("%s only: %s, a lab router has none; the rest of the line is kept", a.Setting(), export.HardwareEthernetArgs[a.Name])})
		}
		// An export has no certificates (RouterOS leaves them out, and
		// check sets /certificate aside), so a service's certificate=
		// names one the lab router lacks, which it refuses (forum32 D3):
		// the parameter is set aside and the service keeps the rest of
		// its line (www-ssl's disabled=no).
		if v := c.Value("certificate"); c.MenuPath() == "ip service" && v != "" && v != "none" {
			if p.hwArgs == nil {
				p.hwArgs = map[*export.Command][]string{}
			}
			p.hwArgs[c] = append(p.hwArgs[c], "certificate")
			p.Aside = append(p.Aside, Aside{Line: c.Line, Menu: c.MenuPath(), Param: "certificate",
				Reason: "certificate=" + v + ": the export carries no certificates, so the lab router has none of that name (its TLS services use their own); the rest of the line is kept"})
		}
	}
	p.maskedMACs(f, aside)
	p.standInMembers(f, aside, o)
	keep := func(c *export.Command) bool { _, ok := aside[c]; return !ok }

	p.Ports = ports(f, keep)
	if len(p.Ports) == 0 {
		return nil, fmt.Errorf("%s: the export names no ethernet port (etherN, sfpN, ...): there is nothing to wire into a lab", f.Name)
	}
	// --map lte1=wan: the user picks the modem, radio or bond the lab
	// puts a port in place of (standinwan.go).
	if err := p.applyStandIns(f, aside, mappedStandIns(f, aside, o)); err != nil {
		return nil, err
	}
	if err := p.findWANsOrStandIn(f, keep, o, aside); err != nil {
		return nil, err
	}
	p.findSegments(f, keep)
	p.scriptLANNotes(f, keep)
	p.pinDHCPGateways(f, keep)
	p.chooseInternet()
	p.labBogonNote()
	p.findForwards(f, keep)
	p.srcPortNote()
	p.disabledForwardNotes(f, keep)
	p.strayForwardNotes(f)
	p.connLimitNotes(f, keep)
	p.limitAcceptNotes(f, keep)
	p.ipv6Notes(f, keep)
	p.pdNotes(f, keep)
	p.ftpHelperNotes(f, keep)
	p.upnpNotes(f, keep)
	p.pppoeServerNotes(f, keep)
	p.fasttrackOutNote(f, keep)
	p.fasttrackTunnelNote(f, keep)
	p.redirectWANNotes(f, keep)
	p.masqueradeAllNote(f, keep)
	p.srcnatNotes()
	p.segmentOutsideListNote(f, keep)
	p.wgForwardNote(f, keep)
	p.vrrpListNotes(f, keep)
	p.trackingOffNote(f, keep)
	p.unusedTableNote(f, keep)
	p.dhcpTieNote(f, keep)
	p.knockBelowDropNote(f, keep)
	p.fwdExactNote(f, keep)
	p.lanNotes(f, keep)
	p.guestReachNotes(f, keep)
	p.ipsecNotes()
	p.publicLANNotes()
	p.managementLinkNotes()
	p.networkAddrNotes()
	p.routedNetworkNote()
	p.otherWANOutNotes()
	p.silentNote()
	p.otherWANServiceNotes()
	p.serviceMoveNotes()
	p.serviceAddressNotes()
	p.serviceLockoutNotes()
	p.cpePublicForwardNotes()
	p.findPrivateWANs()
	// Its note of a gateway that is another host of the LAN is printed
	// with the import's (Summary), before the diagnosis runs.
	p.dhcpSubnet()
	p.renameClashNote(f, keep)
	p.learntDefaultRoute(f, keep)
	p.hotspotLogins(f, keep)
	p.render(f, keep)
	// The allow-lists of the forward filter are read from the diagnosis'
	// walk; their note is printed with the import's (Summary).
	p.Diagnose()
	return p, nil
}

// renameClashNote says which renames take a name another port still holds
// at their line (D9: a swap or a shift of port names): the lab applies
// them through temporary names (renameClashes), and an import of the file
// line by line would not.
func (p *Plan) renameClashNote(f *export.File, keep func(*export.Command) bool) {
	_, lines := p.renameClashLines(f, keep)
	if len(lines) == 0 {
		return
	}
	var ls []string
	for _, l := range lines {
		ls = append(ls, strconv.Itoa(l))
	}
	what, verb := "line "+ls[0], "gives"
	if len(ls) > 1 {
		what, verb = "lines "+strings.Join(ls, ", "), "give"
	}
	p.Notes = append(p.Notes, fmt.Sprintf("%s %s a port a name another port still holds at that line (a swap or shift of port names): the router this export comes from has these names, so the lab first gives those other ports a temporary name and wires its hosts by the export's names; imported line by line onto a fresh router, such a rename is refused (\"already have interface with such name\")", what, verb))
}

// standInMembers puts the port --map names the WAN where the interface it
// stands for is in an interface list: the export's WAN a lab router
// cannot have (a Chateau's lte1, set aside) is in the WAN list, and
// without its stand-in there every in-interface-list=WAN forward and
// out-interface-list=WAN masquerade read as never matching, and the fix
// rewrote the user's rules (D2). The new member line takes the set-aside
// line's place (same export line), so the lab router holds it too.
func (p *Plan) standInMembers(f *export.File, aside map[*export.Command]string, o Options) {
	var port string
	for _, pt := range slices.Sorted(maps.Keys(o.Map)) {
		if strings.HasPrefix(o.Map[pt], "wan") {
			if port != "" {
				return // two WANs mapped: which one stands for what is not said
			}
			port = pt
		}
	}
	if port == "" {
		return
	}
	var cmds []*export.Command
	var stood []string
	inc, exc := listDefs(f, func(*export.Command) bool { return true })
	for _, c := range f.Commands {
		cmds = append(cmds, c)
		if _, set := aside[c]; !set || c.MenuPath() != "interface list member" || c.Verb != "add" || !enabled(c) || !roleList(inc, exc, c.Value("list"), "wan") {
			continue
		}
		iface := c.Value("interface")
		if iface == "" || iface == port {
			continue
		}
		cc := *c
		cc.Args = append([]export.Arg(nil), c.Args...)
		cc.Set("interface", port)
		cc.Raw = cc.Text()
		cmds = append(cmds, &cc)
		p.mapCopies = append(p.mapCopies, &cc)
		stood = append(stood, fmt.Sprintf("%s in list %s (line %d)", iface, c.Value("list"), c.Line))
	}
	if len(stood) == 0 {
		return
	}
	f.Commands = cmds
	// Rules that name the stood-for interface itself (in-interface=lte1,
	// out-interface=lte1) follow the map too: on the router they match
	// the WAN's traffic, which in the lab arrives on the port
	// (realcheck20: --map promised the port takes the WAN's place, and a
	// forward bound to lte1 read "never matches").
	var named []string
	for _, c := range cmds {
		if _, set := aside[c]; set && !strings.HasPrefix(c.MenuPath(), "ip firewall") {
			continue
		}
		for _, key := range []string{"in-interface", "out-interface"} {
			v := c.Value(key)
			neg := strings.HasPrefix(v, "!")
			if !slices.ContainsFunc(stood, func(s string) bool { return strings.HasPrefix(s, strings.TrimPrefix(v, "!")+" in list ") }) || v == "" || v == "!" {
				continue
			}
			if r, set := aside[c]; set && !strings.Contains(r, strings.TrimPrefix(v, "!")) {
				continue // set aside for something else than the interface
			}
			nv := port
			if neg {
				nv = "!" + port
			}
			c.Set(key, nv)
			c.Raw = c.Text()
			named = append(named, fmt.Sprintf("line %d's %s=%s", c.Line, key, v))
			if _, set := aside[c]; set {
				// Set aside for naming the interface only: with the
				// port in its place the lab router has the rule.
				delete(aside, c)
				p.Aside = slices.DeleteFunc(p.Aside, func(a Aside) bool { return a.Line == c.Line && a.Param == "" })
			}
		}
	}
	what := ""
	if len(named) > 0 {
		what = fmt.Sprintf(", and in the rules that name it (%s)", strings.Join(named, ", "))
	}
	p.Notes = append(p.Notes, fmt.Sprintf("%s (--map %s=%s) stands for %s, which a lab router cannot have: the lab puts %s where the export has it%s", port, port, o.Map[port], strings.Join(stood, ", "), port, what))
}

// markDisabled records what an /interface ethernet line says of the
// port's disabled: the last line that says it wins.
func markDisabled(p *Port, c *export.Command) {
	switch c.Value("disabled") {
	case "yes", "true":
		p.Disabled, p.DisabledBy = true, c
	case "no", "false":
		p.Disabled, p.DisabledBy = false, nil
	}
}

// ports lists the physical ports the export names, and gives each a lab
// port: a port named etherN keeps ether<N> (so that no rename is needed and
// none can clash), the others follow the highest of those.
func ports(f *export.File, keep func(*export.Command) bool) []Port {
	byDefault := map[string]*Port{}
	byName := map[string]*Port{}
	var order []string
	add := func(def, name string) *Port {
		if p := byDefault[def]; p != nil {
			if name != "" {
				delete(byName, p.Name)
				p.Name = name
				byName[name] = p
			}
			return p
		}
		if name == "" {
			name = def
		}
		p := &Port{Name: name, DefaultName: def}
		byDefault[def], byName[name] = p, p
		order = append(order, def)
		return p
	}
	for _, c := range f.Commands {
		if !keep(c) || c.MenuPath() != "interface ethernet" {
			continue
		}
		if def, ok := c.FindArg("default-name"); ok {
			markDisabled(add(def, c.Value("name")), c)
			continue
		}
		// A port named by its current name, as hand-written
		// configurations rename ports ("/interface ethernet set ether1
		// name=ether1-wan", "set [ find name=ether2 ] name=lan"): the name
		// is a port renamed before, or a port's default name.
		cur := strings.Trim(strings.TrimSpace(c.Target), `"`)
		if n, ok := c.FindArg("name"); ok {
			cur = n
		}
		if cur == "" || c.Verb != "set" {
			continue
		}
		if p := byName[cur]; p != nil {
			markDisabled(add(p.DefaultName, c.Value("name")), c)
		} else if physical.MatchString(cur) {
			markDisabled(add(cur, c.Value("name")), c)
		}
	}
	for _, c := range f.Commands {
		if !keep(c) || c.Menu == nil {
			continue
		}
		for _, a := range c.Args {
			if !export.InterfaceArgs[a.Name] {
				continue
			}
			for _, n := range strings.Split(strings.TrimPrefix(a.Value, "!"), ",") {
				if byName[n] == nil && physical.MatchString(n) {
					add(n, "")
				}
			}
		}
	}
	// A setup script's ports (":global wanIf \"ether1\"", a loop's
	// ("ether" . $i)): read by the function validate reads them with, so
	// that both give the router the same ports (realcheck19 D6).
	for _, c := range f.Commands {
		if !keep(c) || c.Menu != nil {
			continue
		}
		for _, n := range config.ScriptPorts(c.Raw) {
			if byName[n] == nil && physical.MatchString(n) {
				add(n, "")
			}
		}
	}
	var out []Port
	used := map[int]bool{}
	max := 0
	for _, def := range order {
		if n, ok := etherIndex(def); ok {
			used[n] = true
			if n > max {
				max = n
			}
		}
	}
	next := max + 1
	for _, def := range order {
		p := byDefault[def]
		if n, ok := etherIndex(def); ok {
			p.Lab = "ether" + strconv.Itoa(n)
		} else {
			p.Lab = "ether" + strconv.Itoa(next)
			next++
		}
		out = append(out, *p)
	}
	sort.Slice(out, func(i, j int) bool { a, _ := etherIndex(out[i].Lab); b, _ := etherIndex(out[j].Lab); return a < b })
	return out
}

// addPort gives the plan a port the export does not name (--map names
// it): an etherN keeps its number, another name the port after the
// highest.
func (p *Plan) addPort(name string) {
	lab := name
	if _, ok := etherIndex(name); !ok {
		lab = "ether" + strconv.Itoa(p.PortCount()+1)
	}
	p.Ports = append(p.Ports, Port{Name: name, DefaultName: name, Lab: lab})
	sort.Slice(p.Ports, func(i, j int) bool {
		a, _ := etherIndex(p.Ports[i].Lab)
		b, _ := etherIndex(p.Ports[j].Lab)
		return a < b
	})
}

func etherIndex(name string) (int, bool) {
	s, ok := strings.CutPrefix(name, "ether")
	if !ok {
		return 0, false
	}
	// "ether01" is a name of its own, not ether1: RouterOS names its
	// ports ether1, ether2, ... and a rename to ether01 clashes with no
	// port (realcheck26 D9: a hAP ax3 renaming ether1..5 to ether01..05
	// got a note that the renames would be refused).
	if s == "" || s[0] < '1' || s[0] > '9' {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n > 0
}

// PortCount is how many lab ports the router needs: the highest lab port,
// so that ether<N> exists for every port that keeps its number.
func (p *Plan) PortCount() int {
	n := 0
	for _, pt := range p.Ports {
		if i, _ := etherIndex(pt.Lab); i > n {
			n = i
		}
	}
	return n
}

// port returns the physical port of that (current) name.
func (p *Plan) port(name string) *Port {
	for i := range p.Ports {
		if p.Ports[i].Name == name {
			return &p.Ports[i]
		}
	}
	return nil
}

// cgnatLease returns the address in the carrier-grade NAT space (RFC
// 6598) that a forward names on the DHCP WAN w (dst-address=100.72.14.9,
// the lease of the day): the ISP leases it from behind its NAT, so no
// connection from the internet comes in. The lab leases that address
// from its own ISP, so only the diagnosis says so.
func (p *Plan) cgnatLease(w WAN) (netip.Addr, bool) {
	if w.Kind != "dhcp" {
		return netip.Addr{}, false
	}
	for _, fw := range p.Forwards {
		if a, err := netip.ParseAddr(fw.cmd.Value("dst-address")); err == nil && cgnatSpace.Contains(a) {
			return a, true
		}
	}
	return netip.Addr{}, false
}

// findPrivateWANs marks a DHCP WAN whose forwards name a private address
// of no LAN segment: an ISP router leases it that address and holds the
// public one (dst-address=192.168.1.50 with the ISP's box at .1).
func (p *Plan) findPrivateWANs() {
	for i := range p.WANs {
		w := &p.WANs[i]
		if w.Kind != "dhcp" {
			continue
		}
		for _, fw := range p.Forwards {
			a, err := netip.ParseAddr(fw.cmd.Value("dst-address"))
			if err != nil || !a.IsPrivate() || p.staticOwns(a) || p.inSegments(a.String()) {
				continue
			}
			w.Private = a
			p.Notes = append(p.Notes, fmt.Sprintf("%s is a DHCP WAN whose forward on line %d names the private address %s: an ISP router in front leases it and holds the public address (double NAT); the lab puts one there", w.Interface, fw.Line, a))
			break
		}
	}
}

// uncarried says why a command's text cannot go into the lab's case file,
// "" when it can: the case is YAML, which takes neither control characters
// (a terminal's escape codes pasted with the export, a stray byte) nor
// text that is not UTF-8, and a case that does not load runs nothing.
//
// A file saved in a Windows code page holds its names and comments as raw
// bytes (comment="câmera" in Latin-1): RouterOS keeps a value's bytes as
// they are, and the lab writes them as RouterOS's \XX escapes (the line's
// Text quotes them so), so such a line loads (chk62 B). A script line is
// written as it came: the bytes of its quoted strings become \XX, the
// same string. Bytes in a menu, command or parameter name are no
// RouterOS name, and the line is refused as RouterOS refuses it.
func uncarried(c *export.Command) string {
	raw := c.Raw
	if !utf8.ValidString(raw) {
		if c.Menu == nil {
			if esc, ok := escapeQuotedBytes(raw); ok {
				c.Raw = esc
				raw = esc
			}
		}
		if !utf8.ValidString(raw) {
			if name, words := byteName(c); name != "" {
				return routerOSRefuses + fmt.Sprintf("%s holds bytes that are not text, and no menu, command or parameter of RouterOS is so named (RouterOS: %s); it is left out", readable(name), words)
			}
			if !utf8.ValidString(c.Text()) {
				return "the line is not UTF-8 text outside its quoted strings (RouterOS writes other bytes as \\XX escapes), which the lab's case file cannot carry; it is left out"
			}
		}
	}
	for _, r := range raw {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r >= 0x7f && r <= 0x9f && r != 0x85 {
			return fmt.Sprintf("the line holds the control character %U, which the lab's case file cannot carry; it is left out", r)
		}
	}
	return ""
}

// byteName is the menu, command or parameter name of c that is not
// UTF-8, "" when every name is, and RouterOS's words for such a name
// (its words for any unknown menu or parameter; docs/check-report.md).
func byteName(c *export.Command) (name, words string) {
	if c.Menu == nil {
		return "", ""
	}
	if p := c.MenuPath(); !utf8.ValidString(p) {
		return "/" + p, "bad command name"
	}
	if !utf8.ValidString(c.Verb) {
		return c.Verb, "bad command name"
	}
	for _, a := range c.Args {
		if !utf8.ValidString(a.Name) {
			return a.Name + "=", "expected end of command"
		}
	}
	for _, u := range c.Unset {
		if !utf8.ValidString(u) {
			return "!" + u, "expected end of command"
		}
	}
	return "", ""
}

// escapeQuotedBytes writes each byte of s beyond ASCII that stands in a
// quoted string as \XX, RouterOS's escape of that byte; ok is false
// when such a byte stands outside a quoted string.
func escapeQuotedBytes(s string) (string, bool) {
	var b strings.Builder
	quoted := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && quoted && i+1 < len(s):
			b.WriteByte(c)
			i++
			c = s[i]
			if c >= 0x80 {
				// A backslash before a raw byte is no escape
				// RouterOS knows: the line stays as it was.
				return s, false
			}
		case c == '"':
			quoted = !quoted
		case c >= 0x80:
			if !quoted {
				return s, false
			}
			fmt.Fprintf(&b, `\%02X`, c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String(), true
}

// resetConfigurationArgs are the arguments of /system reset-configuration
// (Configuration Management page, "Configuration Reset",
// https://help.mikrotik.com/docs/display/ROS/Configuration+Management),
// true for the yes/no ones.
var resetConfigurationArgs = map[string]bool{"keep-users": true, "no-defaults": true, "skip-backup": true, "run-after-reset": false}

// resetConfigurationAside says why a /system reset-configuration line is
// left out of the lab (realcheck20 D10), "" for any other line. RouterOS
// erases the configuration and reboots there, which also ends an import
// of the file; the lab router is configured by the lab from the lines
// that are kept, so the reset has nothing to do in it. Its arguments are
// checked as rosemu checks them, so that a line RouterOS refuses says so.
func resetConfigurationAside(c *export.Command) string {
	if c.MenuPath() != "system" || c.Verb != "reset-configuration" {
		return ""
	}
	for _, a := range c.Args {
		yesNo, known := resetConfigurationArgs[a.Name]
		switch {
		case !known:
			return "reset-configuration: RouterOS refuses the line (expected end of command, at " + a.Name + "); it is left out"
		case yesNo && a.Value != "yes" && a.Value != "no" && a.Value != "true" && a.Value != "false":
			return "reset-configuration: RouterOS refuses the line (invalid value for argument " + a.Name + "); it is left out"
		}
	}
	return "reset-configuration erases the router's configuration and reboots it, and an import of this file stops there; " +
		"the lab router is configured by the lab from the other lines, so this one is left out and the lines after it are checked as the configuration meant for the router"
}
