package config

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/script"
)

// OSPFv2 of RouterOS 7 (/routing ospf instance, area, interface-template)
// and of RouterOS 6 (/routing ospf instance, area, network, interface):
// rosemu runs it with BIRD (rosemu/service/bird), which forms
// adjacencies with the lab's routers, announces the router's networks and
// installs what it learns in the main table with distance 110. What the
// engine hands the service is the configuration resolved the way RouterOS
// resolves it: each interface with IPv4 addresses goes to the first
// interface template that matches it, the router id comes from the
// instance, /routing id or the router's lowest address, and redistribution
// names the routes it covers. What BIRD does not run the RouterOS way is
// stored and reported instead (ospfStored).

// OSPFInstance is one /routing ospf instance of version 2.
type OSPFInstance struct {
	Name     string
	RouterID netip.Addr
	// External are the routes the instance announces as external:
	// redistributed connected networks and static or DHCP routes, and
	// the default route it originates, each once.
	External []OSPFExternal
	Areas    []OSPFArea
	// Import and Export are the instance's routing filter chains
	// (in-filter-chain, out-filter-chain) when they translate: what it
	// installs, and which external routes it announces.
	Import, Export *RouteFilter
}

// OSPFExternal is an external route an instance announces.
type OSPFExternal struct {
	Prefix netip.Prefix
	Type   int // 1 or 2
	Metric int
}

// OSPFArea is one area of an instance with the interfaces the templates
// put in it.
type OSPFArea struct {
	Name        string
	ID          netip.Addr
	Type        string // default, stub or nssa
	DefaultCost int
	NoSummaries bool
	Interfaces  []OSPFInterface
}

// OSPFInterface is an interface running OSPF, with its template's
// settings.
type OSPFInterface struct {
	Interface string         // RouterOS's name
	Link      string         // the kernel's link
	Networks  []netip.Prefix // the interface's IPv4 networks the template matched
	Type      string         // broadcast, ptp or ptmp
	Cost      int
	Priority  int
	Passive   bool
	Hello     time.Duration
	Dead      time.Duration
	Retransmit,
	TransmitDelay time.Duration
	Auth    string // "", simple, md5, sha1, sha256, sha384, sha512
	AuthKey string
	AuthID  int
}

// OSPFNeighbor is a neighbor as the service sees it.
type OSPFNeighbor struct {
	Instance  string
	Area      string
	Address   netip.Addr
	Interface string // the kernel's link
	RouterID  netip.Addr
	Priority  int
	State     string // Full, 2-Way, Init, ExStart, Exchange, Loading, Down
	DR, BDR   string
}

const (
	ospfV3Reason     = "rosemu runs OSPFv2 only: OSPFv3 is stored, no adjacencies form"
	ospfVRFReason    = "rosemu runs OSPF in the main table only: an instance of another VRF or routing table is stored"
	ospfFilterReason = "rosemu applies no routing filters: the instance's routes are announced and installed unfiltered"
	ospfTypeReason   = "rosemu's OSPF runs broadcast, point-to-point and ptmp interfaces: this one is stored and runs no OSPF"
	ospfBFDReason    = "rosemu runs no BFD: OSPF notices a dead neighbor by its dead-interval only"
	ospfPrefixReason = "rosemu applies no prefix list to an interface template"
	ospfRedistReason = "rosemu redistributes connected, static and dhcp routes into OSPF; the other kinds are not carried out"
	ospfNBMAReason   = "rosemu's OSPF runs no NBMA interfaces: the neighbor is stored"
	ospfRangeReason  = "rosemu's OSPF summarises no area ranges: the range is stored, the area's networks are announced one by one"
	ospfVLinkReason  = "rosemu's OSPF makes no virtual links: the link is stored"
	ospfAuthReason   = "rosemu's OSPF (BIRD) takes md5 and sha authentication with a hello interval of 5 s or more only: this one is stored and runs no OSPF"
)

// ospfNeighborMenu is /routing ospf neighbor: read-only, what the service
// last reported.
var ospfNeighborMenu = &menu{
	path: "routing ospf neighbor", readOnly: true,
	props: []*prop{
		{name: "instance", show: true}, {name: "area", show: true}, {name: "address", show: true},
		{name: "priority", show: true}, {name: "interface", show: true}, {name: "router-id", show: true},
		{name: "dr", show: true}, {name: "bdr", show: true}, {name: "state", show: true},
	},
	columns: []string{"instance", "area", "address", "interface", "router-id", "state"},
}

// ospfInterfaceV7Menu is RouterOS 7's /routing ospf interface: read-only,
// one dynamic entry for each address of an interface an interface-template
// put into OSPF (the OSPF page of the manual, "Interfaces"), made from the
// configuration as the service is given it. It was refused as "bad
// command name interface" on 7 (ver46 D9), where a monitoring script
// counts its entries. The entry's state (dr, bdr, ...) is the OSPF
// service's and is not shown. [verify] the property names against a 7.x
// "print detail".
var ospfInterfaceV7Menu = &menu{
	path: "routing ospf interface", readOnly: true, major: 7,
	props: []*prop{
		{name: "address", show: true}, {name: "interface", show: true}, {name: "instance", show: true},
		{name: "area", show: true}, {name: "network-type", show: true}, {name: "cost", show: true},
		{name: "priority", show: true}, {name: "passive", show: true, isBool: true},
	},
	columns: []string{"address", "area", "network-type", "cost", "priority"},
}

// ospfInterfacesV7 are the entries of ospfInterfaceV7Menu.
func (t *tx) ospfInterfacesV7() []*item {
	var out []*item
	for _, inst := range ospfConfig(t) {
		for _, a := range inst.Areas {
			for _, ifc := range a.Interfaces {
				for _, n := range ifc.Networks {
					out = append(out, &item{id: ospfIfaceID + uint64(len(out)), dynamic: true, props: map[string]string{
						"address": n.Addr().String() + "%" + ifc.Interface, "interface": ifc.Interface,
						"instance": inst.Name, "area": a.Name, "network-type": ifc.Type,
						"cost": strconv.Itoa(ifc.Cost), "priority": strconv.Itoa(ifc.Priority),
						"passive": yesNoWord(ifc.Passive),
					}})
				}
			}
		}
	}
	return out
}

func init() {
	insertMenus("ip route", ospfNeighborMenu, ospfInterfaceV7Menu)
	// The unenforced properties of the modelled menus.
	for _, p := range ospfInstanceMenu.props {
		switch p.name {
		case "in-filter-chain", "out-filter-chain":
			// Applied when the chain translates (ospfFilterUse reports
			// it when it does not).
		case "out-filter-select":
			p.notEnforced = ospfFilterReason
		case "domain-id", "domain-tag", "mpls-te-address", "mpls-te-area":
			p.notEnforced = "rosemu's OSPF carries no VPN domain or MPLS traffic engineering"
		}
	}
	for _, p := range ospfTemplateMenu.props {
		switch p.name {
		case "use-bfd":
			p.notEnforced = ospfBFDReason
		case "prefix-list":
			p.notEnforced = ospfPrefixReason
		}
	}
	// RouterOS 6's interface entry has use-bfd too: it was accepted
	// silently (forum39 D5).
	if p := ospfInterfaceV6Menu.prop("use-bfd"); p != nil {
		p.notEnforced = ospfBFDReason
	}
}

// ospfStored says why the OSPF item of path is stored rather than run, ""
// when the service runs it.
func ospfStored(t *tx, path string, it *item) string {
	switch path {
	case "routing ospf instance":
		return ospfInstanceStored(it)
	case "routing ospf area":
		if inst := t.findByName("routing ospf instance", t.m.refName(it.props["instance"], "routing ospf instance", "default")); inst != nil {
			return ospfInstanceStored(inst)
		}
	case "routing ospf interface-template":
		switch it.props["type"] {
		case "nbma", "ptp-unnumbered", "virtual-link":
			return ospfTypeReason
		}
		if cryptoFastHello(it.props["auth"], it.props["hello-interval"]) {
			return ospfAuthReason
		}
		if a := t.findByName("routing ospf area", it.props["area"]); a != nil {
			if inst := t.findByName("routing ospf instance", a.props["instance"]); inst != nil {
				return ospfInstanceStored(inst)
			}
		}
	case "routing ospf interface":
		if it.props["network-type"] == "nbma" {
			return ospfTypeReason
		}
		if cryptoFastHello(it.props["authentication"], it.props["hello-interval"]) {
			return ospfAuthReason
		}
	case "routing ospf static-neighbor":
		return ospfNBMAReason
	}
	return ""
}

// cryptoFastHello: cryptographic authentication with hellos more often
// than every 5 s, which BIRD refuses (a replay risk, it says).
func cryptoFastHello(auth, hello string) bool {
	return auth != "" && auth != "none" && auth != "simple" && ospfTime(hello, 10*time.Second) < 5*time.Second
}

func ospfInstanceStored(it *item) string {
	if it.props["version"] == "3" {
		return ospfV3Reason
	}
	if v := it.props["vrf"]; v != "" && v != "main" {
		return ospfVRFReason
	}
	if v := it.props["routing-table"]; v != "" && v != "main" {
		return ospfVRFReason
	}
	return ""
}

var ospfPaths = []string{"routing ospf instance", "routing ospf area", "routing ospf interface-template", "routing ospf static-neighbor", "routing ospf interface"}

// ospfWhy says why an OSPF item of path is stored, its instance's
// unenforced redistribution included.
func ospfWhy(t *tx, path string) func(*item) string {
	return func(it *item) string {
		why := ospfStored(t, path, it)
		if why == "" && path == "routing ospf instance" {
			why = ospfRedistStored(it)
		}
		return why
	}
}

// madeOSPFStored says why the OSPF items a command made (ids from, to)
// are stored, "" when they run.
func madeOSPFStored(t *tx, path string, from, to uint64) string {
	if !slices.Contains(ospfPaths, path) {
		return ""
	}
	return madeStored(t.m, path, from, to, ospfWhy(t, path))
}

// ospfRedistStored names the kinds of redistribution rosemu does not
// carry out: RouterOS 7's redistribute= list, RouterOS 6's
// redistribute-<kind> settings.
func ospfRedistStored(it *item) string {
	var left []string
	for _, k := range splitList(it.props["redistribute"]) {
		switch k {
		case "connected", "static", "dhcp":
		default:
			left = append(left, k)
		}
	}
	for _, k := range []string{"ospf", "bgp", "rip", "other-ospf"} {
		if v := it.props["redistribute-"+k]; v != "" && v != "no" {
			left = append(left, "redistribute-"+k)
		}
	}
	if len(left) == 0 {
		return ""
	}
	if strings.HasPrefix(left[0], "redistribute-") {
		return strings.Join(left, ",") + ": " + ospfRedistReason
	}
	return "redistribute=" + strings.Join(left, ",") + ": " + ospfRedistReason
}

// ospfUse counts, for NotEnforced, the OSPF items that are stored.
func ospfUse(t *tx) []NotEnforcedItem {
	var out []NotEnforcedItem
	for _, path := range ospfPaths {
		out = append(out, storedUse(t.m, path, "", ospfWhy(t, path))...)
	}
	return out
}

// ospfConfig resolves the OSPF instances for the service.
func ospfConfig(t *tx) []OSPFInstance {
	var out []OSPFInstance
	addrs := t.ospfAddresses()
	for _, inst := range t.m.tables["routing ospf instance"] {
		if inst.disabled() || ospfStored(t, "routing ospf instance", inst) != "" {
			continue
		}
		var oi OSPFInstance
		if t.v6() {
			oi = t.ospfInstanceV6(inst, addrs)
		} else {
			oi = t.ospfInstanceV7(inst, addrs)
		}
		// An instance with no interface has no one to talk to: RouterOS
		// 6's built-in instance is there on every router, and BIRD need
		// not start for it.
		running := slices.ContainsFunc(oi.Areas, func(a OSPFArea) bool { return len(a.Interfaces) > 0 })
		if oi.RouterID.IsValid() && running {
			out = append(out, oi)
		}
	}
	return out
}

// ospfAreas are the enabled areas of instance name.
func (t *tx) ospfAreas(name string) []OSPFArea {
	var out []OSPFArea
	for _, a := range t.m.tables["routing ospf area"] {
		if a.disabled() || t.m.refName(a.props["instance"], "routing ospf instance", "default") != name {
			continue
		}
		id, _ := netip.ParseAddr(orDefault(a.props["area-id"], "0.0.0.0"))
		noSum := a.props["no-summaries"] == "yes" || a.props["inject-summary-lsas"] == "no"
		out = append(out, OSPFArea{Name: a.props["name"], ID: id, Type: orDefault(a.props["type"], "default"),
			DefaultCost: atoiOr(a.props["default-cost"], 1), NoSummaries: noSum})
	}
	return out
}

// ospfInstanceV7 resolves a RouterOS 7 instance: its areas, and each
// interface in the first template that matches it.
func (t *tx) ospfInstanceV7(inst *item, addrs ospfAddrs) OSPFInstance {
	oi := OSPFInstance{Name: inst.props["name"], RouterID: t.routerID(inst.props["router-id"], addrs), Areas: t.ospfAreas(inst.props["name"])}
	oi.Import, _ = t.routeFilter(inst.props["in-filter-chain"], 0)
	oi.Export, _ = t.routeFilter(inst.props["out-filter-chain"], 0)
	var kinds []string
	for _, k := range splitList(inst.props["redistribute"]) {
		if k == "connected" || k == "static" || k == "dhcp" {
			kinds = append(kinds, k)
		}
	}
	// Type 2, cost 1. [verify] RouterOS 7's defaults for redistributed
	// and originated routes.
	oi.External = t.ospfExternal(kinds, addrs, func(string) (int, int) { return 2, 1 })
	if d := inst.props["originate-default"]; d == "always" || d == "if-installed" && t.hasActiveDefault() {
		oi.External = addExternal(oi.External, OSPFExternal{Prefix: netip.MustParsePrefix("0.0.0.0/0"), Type: 2, Metric: 1})
	}
	taken := map[string]bool{}
	for _, tpl := range t.m.tables["routing ospf interface-template"] {
		if tpl.disabled() || ospfStored(t, "routing ospf interface-template", tpl) != "" {
			continue
		}
		ai := slices.IndexFunc(oi.Areas, func(a OSPFArea) bool { return a.Name == tpl.props["area"] })
		if ai < 0 {
			continue
		}
		for _, ifc := range addrs.order {
			if taken[ifc] {
				continue
			}
			nets := t.templateMatch(tpl, ifc, addrs.byIface[ifc])
			if nets == nil {
				continue
			}
			taken[ifc] = true
			oi.Areas[ai].Interfaces = append(oi.Areas[ai].Interfaces, ospfIface(t, tpl, ifc, nets))
		}
	}
	return oi
}

// ospfInstanceV6 resolves a RouterOS 6 instance: an address inside a
// /routing ospf network runs OSPF in that network's area (the first
// network that holds it), with the settings of the interface's /routing
// ospf interface entry, else of the entry for all, else RouterOS 6's
// defaults (cost 10, priority 1).
func (t *tx) ospfInstanceV6(inst *item, addrs ospfAddrs) OSPFInstance {
	name := inst.props["name"]
	rid := inst.props["router-id"]
	if rid == "0.0.0.0" {
		rid = ""
	}
	oi := OSPFInstance{Name: name, RouterID: t.routerID(rid, addrs), Areas: t.ospfAreas(name)}
	// in-filter: the routes OSPF installs; out-filter: the routes it
	// redistributes (the OSPF page of the v6 manual).
	oi.Import, _ = t.routeFilterV6(0, ospfV6Filter(inst, "in-filter"))
	oi.Export, _ = t.routeFilterV6(0, ospfV6Filter(inst, "out-filter"))
	typeOf := func(v string) int {
		if strings.HasSuffix(v, "type-1") {
			return 1
		}
		return 2
	}
	var kinds []string
	for _, k := range []string{"connected", "static"} {
		if v := inst.props["redistribute-"+k]; v != "" && v != "no" {
			kinds = append(kinds, k)
		}
	}
	oi.External = t.ospfExternal(kinds, addrs, func(kind string) (int, int) {
		return typeOf(inst.props["redistribute-"+kind]), atoiOr(inst.props["metric-"+kind], 20)
	})
	if d := inst.props["distribute-default"]; strings.HasPrefix(d, "always") || strings.HasPrefix(d, "if-installed") && t.hasActiveDefault() {
		oi.External = addExternal(oi.External, OSPFExternal{Prefix: netip.MustParsePrefix("0.0.0.0/0"), Type: typeOf(d), Metric: atoiOr(inst.props["metric-default"], 1)})
	}
	settings := map[string]*item{}
	for _, e := range t.m.tables["routing ospf interface"] {
		if !e.disabled() && settings[orDefault(e.props["interface"], "all")] == nil {
			settings[orDefault(e.props["interface"], "all")] = e
		}
	}
	type key struct {
		ifc  string
		area int
	}
	at := map[key]int{} // the interface's entry in its area
	taken := map[netip.Prefix]bool{}
	for _, nw := range t.m.tables["routing ospf network"] {
		if nw.disabled() {
			continue
		}
		area := t.m.refName(nw.props["area"], "routing ospf area", "backbone")
		ai := slices.IndexFunc(oi.Areas, func(a OSPFArea) bool { return a.Name == area })
		np, err := netip.ParsePrefix(orDefault(nw.props["network"], "0.0.0.0/0"))
		if ai < 0 || err != nil {
			continue
		}
		for _, ifc := range addrs.order {
			e := settings[ifc]
			if e == nil {
				e = settings["all"]
			}
			if e != nil && ospfStored(t, "routing ospf interface", e) != "" {
				continue
			}
			for _, p := range addrs.byIface[ifc] {
				if taken[p] || !np.Contains(p.Addr()) {
					continue
				}
				taken[p] = true
				k := key{ifc, ai}
				if i, ok := at[k]; ok {
					oi.Areas[ai].Interfaces[i].Networks = append(oi.Areas[ai].Interfaces[i].Networks, p)
					continue
				}
				at[k] = len(oi.Areas[ai].Interfaces)
				oi.Areas[ai].Interfaces = append(oi.Areas[ai].Interfaces, ospfIfaceV6(t, e, ifc, p))
			}
		}
	}
	return oi
}

// ospfIfaceV6 is an interface with the settings of its RouterOS 6 entry
// (nil: the defaults).
func ospfIfaceV6(t *tx, e *item, ifc string, p netip.Prefix) OSPFInterface {
	props := map[string]string{}
	if e != nil {
		props = e.props
	}
	typ := map[string]string{"point-to-point": "ptp", "ptmp": "ptmp"}[props["network-type"]]
	auth := props["authentication"]
	if auth == "none" {
		auth = ""
	}
	return OSPFInterface{
		Interface: ifc, Link: kernel.LinkName(kernelName(t.m, ifc)), Networks: []netip.Prefix{p}, Type: orDefault(typ, "broadcast"),
		Cost: atoiOr(props["cost"], 10), Priority: atoiOr(props["priority"], 1),
		Passive:       props["passive"] == "yes",
		Hello:         ospfTime(props["hello-interval"], 10*time.Second),
		Dead:          ospfTime(props["dead-interval"], 40*time.Second),
		Retransmit:    ospfTime(props["retransmit-interval"], 5*time.Second),
		TransmitDelay: ospfTime(props["transmit-delay"], time.Second),
		Auth:          auth, AuthKey: props["authentication-key"], AuthID: atoiOr(props["authentication-key-id"], 1),
	}
}

// addExternal adds e unless its prefix is announced already.
func addExternal(ext []OSPFExternal, e OSPFExternal) []OSPFExternal {
	for _, x := range ext {
		if x.Prefix == e.Prefix {
			return ext
		}
	}
	return append(ext, e)
}

// ospfAddrs are the router's usable IPv4 addresses by interface, in the
// order the interfaces first appear.
type ospfAddrs struct {
	order   []string
	byIface map[string][]netip.Prefix
}

func (t *tx) ospfAddresses() ospfAddrs {
	a := ospfAddrs{byIface: map[string][]netip.Prefix{}}
	isStored := storedIndex(t.m)
	// A GRE, IPIP or EoIP tunnel rosemu carries is a link, though its
	// menu is among the stored ones: OSPF runs over it (forum f68 D1).
	built := builtTunnel(t.m)
	for _, it := range t.view(menuByPath("ip address")) {
		if it.disabled() || t.addressInvalid(it) {
			continue
		}
		p, err := netip.ParsePrefix(it.props["address"])
		if err != nil || !p.Addr().Is4() {
			continue
		}
		ifc := it.props["interface"]
		if isStored(ifc) && !built(ifc) {
			continue
		}
		if _, ok := a.byIface[ifc]; !ok {
			a.order = append(a.order, ifc)
		}
		a.byIface[ifc] = append(a.byIface[ifc], p)
	}
	return a
}

// routerID resolves an instance's router-id: an address, a /routing id
// entry by name (its id=, else elected), or "main", elected: the lowest
// IPv4 address of the router. [verify] RouterOS's election among several
// addresses; the docs name the choices (any, lowest, only-active...) but
// not which "any" picks.
func (t *tx) routerID(v string, addrs ospfAddrs) netip.Addr {
	if a, err := netip.ParseAddr(v); err == nil {
		return a
	}
	if v == "" {
		v = "main"
	}
	if id := t.findByName("routing id", v); id != nil && !id.disabled() {
		if a, err := netip.ParseAddr(id.props["id"]); err == nil {
			return a
		}
	}
	var all []netip.Addr
	for _, ps := range addrs.byIface {
		for _, p := range ps {
			all = append(all, p.Addr())
		}
	}
	if len(all) == 0 {
		return netip.Addr{}
	}
	slices.SortFunc(all, func(a, b netip.Addr) int { return a.Compare(b) })
	return all[0]
}

// templateMatch returns the networks of ifc that tpl matches (all of
// them when it names no networks), nil when it does not match ifc.
func (t *tx) templateMatch(tpl *item, ifc string, prefixes []netip.Prefix) []netip.Prefix {
	if ifs := tpl.props["interfaces"]; ifs != "" && !t.ifaceSelected(ifs, ifc) {
		return nil
	}
	nets := tpl.props["networks"]
	if nets == "" {
		return prefixes
	}
	var out []netip.Prefix
	for _, p := range prefixes {
		for _, n := range splitList(nets) {
			np, err := netip.ParsePrefix(n)
			if err == nil && np.Addr().Is4() && np.Contains(p.Addr()) {
				out = append(out, p)
				break
			}
		}
	}
	return out
}

// ifaceSelected reports whether a template's interfaces= (names,
// interface lists, "all", each perhaps negated with !) selects ifc.
func (t *tx) ifaceSelected(list, ifc string) bool {
	sel := false
	for _, x := range splitList(list) {
		neg := strings.HasPrefix(x, "!")
		x = strings.TrimPrefix(x, "!")
		hit := x == "all" || x == ifc
		if !hit && t.findByName("interface list", x) != nil {
			hit = slices.Contains(listMembers(t, x, t.allInterfaces(), map[string]bool{}), ifc)
		}
		if hit {
			if neg {
				return false
			}
			sel = true
		}
	}
	return sel
}

func ospfIface(t *tx, tpl *item, ifc string, nets []netip.Prefix) OSPFInterface {
	typ := orDefault(tpl.props["type"], "broadcast")
	o := OSPFInterface{
		Interface: ifc, Link: kernel.LinkName(kernelName(t.m, ifc)), Networks: nets, Type: typ,
		Cost: atoiOr(tpl.props["cost"], 1), Priority: atoiOr(tpl.props["priority"], 128),
		Passive:       tpl.props["passive"] == "yes",
		Hello:         ospfTime(tpl.props["hello-interval"], 10*time.Second),
		Dead:          ospfTime(tpl.props["dead-interval"], 40*time.Second),
		Retransmit:    ospfTime(tpl.props["retransmit-interval"], 5*time.Second),
		TransmitDelay: ospfTime(tpl.props["transmit-delay"], time.Second),
		Auth:          tpl.props["auth"], AuthKey: tpl.props["auth-key"], AuthID: atoiOr(tpl.props["auth-id"], 1),
	}
	return o
}

func ospfTime(v string, def time.Duration) time.Duration {
	if d, ok := script.ParseTime(v); ok && d > 0 {
		return d
	}
	return def
}

// ospfExternal are the routes redistribution announces: the router's
// connected networks, the enabled static routes and the DHCP client's
// routes of the main table but the default route, each destination once;
// typeMetric gives a
// kind's external type and metric.
func (t *tx) ospfExternal(kinds []string, addrs ospfAddrs, typeMetric func(kind string) (int, int)) []OSPFExternal {
	var out []OSPFExternal
	add := func(kind string, p netip.Prefix) {
		typ, metric := typeMetric(kind)
		out = addExternal(out, OSPFExternal{Prefix: p.Masked(), Type: typ, Metric: metric})
	}
	for _, kind := range kinds {
		if kind == "connected" {
			for _, ifc := range addrs.order {
				for _, p := range addrs.byIface[ifc] {
					add(kind, p)
				}
			}
			continue
		}
		items := t.m.tables["ip route"]
		if kind == "dhcp" {
			items = t.dhcpRoutes()
		}
		for _, r := range items {
			if r.disabled() || routeTable(r) != "main" || !t.routeUsable(r) {
				continue
			}
			// The default route is announced by originate-default (7) or
			// distribute-default (6) alone, as OSPF routers do. [verify]
			// on a CHR.
			p, err := netip.ParsePrefix(orDefault(r.props["dst-address"], "0.0.0.0/0"))
			if err == nil && p.Addr().Is4() && p.Bits() > 0 {
				add(kind, p)
			}
		}
	}
	return out
}

// hasActiveDefault reports whether the main table has an active default
// route (originate-default=if-installed).
func (t *tx) hasActiveDefault() bool {
	for _, r := range append(append([]*item(nil), t.m.tables["ip route"]...), routeDynamic(t)...) {
		if orDefault(r.props["dst-address"], "0.0.0.0/0") == "0.0.0.0/0" && routeTable(r) == "main" && !r.disabled() && t.routeActive(r) {
			return true
		}
	}
	return false
}

// ospfFilterUse counts, for NotEnforced, the RouterOS 7 instances whose
// filter chain rosemu cannot apply.
func ospfFilterUse(t *tx) []NotEnforcedItem {
	if t.v6() {
		return nil
	}
	var out []NotEnforcedItem
	for _, key := range []string{"in-filter-chain", "out-filter-chain"} {
		out = append(out, storedUse(t.m, "routing ospf instance", key, func(it *item) string {
			return t.ospfFilterWhy(it, key)
		})...)
	}
	return out
}

// ospfFilterWhy says why the instance's chain of key is not applied, ""
// when it is or the instance names none.
func (t *tx) ospfFilterWhy(it *item, key string) string {
	if it.disabled() || ospfStored(t, "routing ospf instance", it) != "" {
		return ""
	}
	if _, err := t.routeFilter(it.props[key], 0); err != nil {
		return "rosemu cannot apply the chain (" + err.Error() + "): the instance's routes go unfiltered that way"
	}
	return ""
}
