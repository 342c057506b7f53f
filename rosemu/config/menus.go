package config

import (
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/chrlab/chrlab/rosemu/script"
)

// prop describes one settable property of a menu.
type prop struct {
	name  string
	parse parser
	// def is the value RouterOS assumes when the property is not set; print
	// shows it when show is set, export omits properties at their default.
	def  string
	show bool
	// defaultEntryOf, when set, is the menu of which def names a default
	// entry (the default hotspot or PPP profile). RouterOS refers to that
	// entry by id, so a verbose export writes the name it has now, which
	// a "set [ find default=yes ] name=..." may have changed.
	defaultEntryOf string
	// writeDefault makes exports write the property at its default too,
	// where RouterOS does (a RouterOS 6 OSPF network's area=backbone),
	// by the default entry's present name when defaultEntryOf is set.
	writeDefault bool
	// writeDefaultSince, with writeDefault, is the first RouterOS
	// version ("6.43", "7.16") whose exports write the property at its
	// default; older ones leave it out as any default (a 6.42.1 export's
	// scripts carry no dont-require-permissions=no, a 6.43.7 one's do; a
	// 7.14.1 export's static DNS entries no type=A, a 7.16.2 one's do).
	writeDefaultSince string
	// isBool makes the API print true/false instead of yes/no.
	isBool   bool
	required bool
	// always keeps the property in exports even at its default (the
	// firewall's action and chain).
	always bool
	// keepGiven keeps a value given at the default too, without filling
	// it in where none was given: RouterOS 7.13+ writes a bridge port's
	// path-cost=10 where it was set, though 10 is what an unset cost
	// prints (realcheck35 D6).
	keepGiven bool
	// major, when set, is the only RouterOS major version (6 or 7) that
	// has the property; the other refuses it as an unknown parameter.
	major int
	// sinceMinor7, when set, is the first RouterOS 7 minor version that
	// has the property (address-list of /ip dns static: 7.17); older
	// versions refuse it as an unknown parameter.
	sinceMinor7 int
	// beforeMinor7, when set, is the first RouterOS 7 minor version that
	// no longer has the property (/tool e-mail address, renamed server).
	beforeMinor7 int
	// sinceMinor6, when set, is the first RouterOS 6 minor version that
	// has the property (a bridge's vlan-filtering, from the bridge rework
	// of 6.41); older 6.x refuse it as an unknown parameter, 7 has it.
	sinceMinor6 int
	// beforeMinor6, when set, is the first RouterOS 6 minor version that
	// no longer takes the property (a bridge's l2mtu, read-only from the
	// bridge rework of 6.41); RouterOS 7 does not take it either.
	beforeMinor6 int
	// notEnforced, when set, says why the emulator stores this property
	// of a modelled menu without enforcing it (/interface ethernet
	// l2mtu); NotEnforced reports it at non-default values.
	notEnforced string
	// inert, when set, reports that the property's value has no effect
	// given the item's other settings (props: the item's, or a command's
	// arguments): an ethernet port's speed under auto-negotiation. Such
	// a value is not reported as not enforced.
	inert func(props map[string]string) bool
	// enforced, when set, is the one value rosemu enforces whatever is
	// configured, where RouterOS's default differs from it (a RouterOS 6
	// bridge port's ingress-filtering=no, while Linux always filters): the
	// not-enforced checks compare against it instead of def, so an item
	// left at the default is reported too.
	enforced string
	// inertIn is inert with the configuration at hand: a bridge port's
	// ingress-filtering has no effect unless its bridge has
	// vlan-filtering=yes.
	inertIn func(t *tx, props map[string]string) bool
	// defaultNotedOnce: an add that leaves the property at a default
	// rosemu does not enforce is not marked on its own line; one note on
	// the line that makes the default matter says it (RouterOS 6's
	// ingress-filtering=no, noted on the bridge's vlan-filtering=yes:
	// realcheck21 D7 b, 21 port lines of one export carried it).
	defaultNotedOnce bool
	// sensitive properties (a user's password) are never printed.
	sensitive bool
	// unsetMark lets add take "!name" for a property without a default,
	// as RouterOS's verbose exports write an unset one (a simple queue's
	// "!time", a RouterOS 6 route's "!check-gateway"), and verbose export
	// writes it so. The item stays at its default: RouterOS's compact
	// exports never write these (realcheck34 D2), unless unsetKept.
	unsetMark bool
	// unsetKept, with unsetMark: the unset state is not the default and
	// compact exports write it too, as RouterOS 7.2x exports write the
	// scheduler's days ("add !days interval=1d name=...").
	unsetKept bool
	// flag: a console flag (flagProps) that RouterOS 7's exports write as
	// its bare name when on ("add blackhole dst-address=...", "add fib
	// name=...", "passive"), never name=yes (realcheck34 D5).
	flag bool
	// emptyValue: "" is a value of its own, given and exported as
	// name="" (a GCM proposal's auth-algorithms=""), not the property
	// unset, which an export writes "!name".
	emptyValue bool
	// unsetOff: the property's unset state is not its default but "off"
	// (a tunnel's keepalive: 10s,10 on a new tunnel, none once unset), so
	// set's "!name" and unset store it unset as add's "!name" does
	// (empty, exported "!name"), instead of returning it to the default.
	unsetOff bool
}

// menu describes one configuration menu.
type menu struct {
	path     string
	single   bool // one unnamed item: /system identity
	readOnly bool // print only: /interface
	noAdd    bool // items are not added by users: /interface ethernet
	// v6Detail: on 6.x, print writes each item with all its properties
	// (defaults included), not a table: RouterOS 6's /routing ospf
	// instance print (forum39 D10).
	v6Detail bool
	props    []*prop
	nameProp string // property that names items for references
	// addOnly are parameters valid only on add (place-before).
	addOnly []string
	// check validates an item after add or set.
	check func(t *tx, it *item) error
	// readonly returns the read-only properties print shows for an item.
	readonly func(t *tx, it *item) []Prop
	// detailReadonly are the readonly properties print detail writes
	// after the settings (the others are read by get, find and the API
	// only).
	detailReadonly []string
	// maybeAbsent are read-only values the menu has that readonly leaves
	// out while they have no value (IP Cloud's public-address before an
	// update): get of one gives nothing (nil) instead of refusing the
	// name.
	maybeAbsent []string
	// table is the model table the menu shows (default: path).
	table string
	// columns selects the console's table layout; nil prints detail lines.
	columns []string
	// exportRef writes the item reference of set lines for menus whose
	// items are not added (ethernet): "[ find default-name=ether1 ]".
	exportRef func(it *item) string
	// commands are the menu's own commands besides the generic verbs
	// (/ip cloud force-update).
	commands map[string]menuCommand
	// defaultsV6Only limits defaults to RouterOS 6 (the OSPF instance
	// "default" and area "backbone" that 7 no longer creates).
	defaultsV6Only bool
	// defaultsV7Only limits defaults to RouterOS 7 (the DHCP client's
	// built-in options clientid, clientid_duid and hostname).
	defaultsV7Only bool
	// before7, when set, makes the menu exist only in RouterOS 6 and in 7
	// before 7.before7: the wireless security profiles of a CHR, which lost
	// the wireless package in 7.13. Later versions refuse the menu word.
	before7 int
	// major, when set, is the only RouterOS major version (6 or 7) that has
	// the menu: /mpls ldp is a settings menu in 6 and a list in 7, two
	// menus of one path.
	major int
	// since6, when set, is the first RouterOS 6 minor version that has
	// the menu (7 has it): /tool mac-server's allowed-interface-list
	// settings came with 6.41. before6, when set, makes the menu exist only
	// in RouterOS 6 before 6.before6: the per-interface /tool mac-server
	// list and /ip neighbor discovery of 6.40 and older.
	since6, before6 int
	// since7, when set, is the first RouterOS 7 minor version that has
	// the menu, which 6 has not: /routing gmp came with 7.4.
	since7 int
	// back7, when set, is the 7.x minor version that brought back a menu
	// of RouterOS 6 that 7 lacked until then: /routing bgp instance, which
	// 7.1-7.19 do not have and 7.20 reintroduced.
	back7 int
	// addUnsetAll lets add name any optional property as "!name", also
	// those with an empty default (a no-op): RouterOS 7 exports of
	// /ip hotspot walled-garden ip write every unset matcher that way
	// ("add action=accept dst-address=10.0.0.1 !dst-address-list !dst-port
	// !protocol !src-address !src-address-list").
	addUnsetAll bool
	// onDemand, when set, gives the default properties of a built-in
	// item that exists as soon as a set names it (nil: no such item): a
	// CHR's disk slots, as many as its virtual machine has controllers
	// for ("/disk set slot13 media-interface=none slot=slot13").
	// t is nil when only the defaults are asked for (export).
	onDemand func(t *tx, name string) map[string]string
	// notEnforced, when set, says why the emulator accepts and stores this
	// menu's configuration without enforcing it (/system ntp client: the
	// lab has no time servers). Every run's report lists such menus as
	// "accepted, not enforced by the emulator"; an empty string means the
	// menu is modelled with RouterOS's behaviour.
	notEnforced string
	// idle, when set on a not-enforced menu, reports that RouterOS itself
	// would do nothing with the menu's configuration as it stands: the
	// service it configures is off (traffic-flow enabled=no, an SMB server
	// with no share to serve) or runs only when a command starts it, which
	// rosemu has not (the sniffer). Such configuration asks for nothing
	// rosemu leaves out, so it is not reported; the line that turns the
	// service on is.
	idle func(m *model) bool
	// defaults are the items every router has from the start that users
	// may change but not remove (/system logging action memory, /ip
	// firewall service-port sip). They are builtin items; export writes a
	// set line for each that differs from its default, naming it with
	// exportRef.
	defaults []map[string]string
	// renamable lets set change nameProp of a menu whose items are not
	// added (/interface ethernet set name=).
	renamable bool
	// noExport keeps the menu out of /export, as RouterOS leaves /user
	// out of it.
	noExport bool
	// exportSkip, when set, leaves a property out of an item's export
	// line: items with defaults of their own (/ip service www-ssl is
	// disabled by default, each service has its own port).
	exportSkip func(it *item, name, value string) bool
	// exportValue, when set, gives the text export writes for a value
	// that RouterOS writes in a shorter form than print shows (a /32
	// address without its prefix length).
	exportValue func(name, value string) string
	// itemDef, when set, gives an item's own default for a property where
	// the item is no builtin of defaults (a service's port and disabled
	// state: www-ssl starts disabled, telnet enabled). set keeps a value
	// that equals the property's default but not the item's (www-ssl
	// disabled=no), so that export writes it and a re-import gives the
	// same router; export leaves out a value equal to the item's default.
	itemDef func(it *item, name string) (string, bool)
	// exportV6 are properties RouterOS 6's export writes even at their
	// default, with that value (a DHCP client's disabled=no, since 6
	// creates a client disabled).
	exportV6 map[string]string
	// omitV6 are values RouterOS 6's export leaves out, being the
	// default of its add there: a DHCP client's disabled=yes.
	omitV6 map[string]string
}

// menuCommand is a command of one menu: what the parser accepts and what
// it does inside the transaction.
type menuCommand struct {
	syntax *script.Syntax
	run    func(t *tx, req *request) (result, error)
}

func (m *menu) tableName() string {
	if m.table != "" {
		return m.table
	}
	return m.path
}

// isItemDefault reports whether v is it's default for the property p:
// the item's own default (itemDef) where it has one, else p's.
func (m *menu) isItemDefault(it *item, p *prop, v string) bool {
	if m.itemDef != nil {
		if d, ok := m.itemDef(it, p.name); ok {
			return v == d
		}
	}
	return v == p.def
}

func (m *menu) prop(name string) *prop {
	for _, p := range m.props {
		if p.name == name {
			return p
		}
	}
	return nil
}

func (m *menu) hasProp(name string) bool { return m.prop(name) != nil }

// forVersion reports whether RouterOS version v has the menu.
func (m *menu) forVersion(v string) bool {
	if m.major != 0 && v != "" && strings.HasPrefix(v, "6.") != (m.major == 6) {
		return false
	}
	is6 := strings.HasPrefix(v, "6.")
	if m.since7 > 0 && v != "" && (is6 || !versionAtLeast(v, 7, m.since7)) {
		return false
	}
	if m.since6 > 0 && is6 && !versionAtLeast(v, 6, m.since6) {
		return false
	}
	if m.back7 > 0 && v != "" && !is6 && !versionAtLeast(v, 7, m.back7) {
		return false
	}
	if m.before6 > 0 && (!is6 || versionAtLeast(v, 6, m.before6)) {
		return false
	}
	return m.before7 == 0 || v == "" || !versionAtLeast(v, 7, m.before7)
}

var (
	comment  = &prop{name: "comment", parse: pString}
	disabled = &prop{name: "disabled", parse: pBool, def: "no", isBool: true}
)

// menus lists every modelled menu in export order.
var menus = []*menu{
	bridgeMenu,
	ethernetMenu,
	{
		path: "interface", readOnly: true, nameProp: "name", table: "interface ethernet",
		props: []*prop{{name: "name"}, {name: "default-name"}, comment},
		readonly: func(t *tx, it *item) []Prop {
			mtu := effective(ethernetMenu, it.props, "mtu")
			ps := []Prop{{"type", t.ifaceType(it)}, {"mtu", mtu}, {"actual-mtu", mtu}, {"running", boolAPI(t.ifaceRunning(it))}, {"slave", boolAPI(t.isSlave(it.props["name"]))}, {"disabled", boolAPI(it.disabled())}}
			return append(ps, t.trafficProps(it)...)
		},
		columns: []string{"name", "type", "actual-mtu"},
	},
	vlanMenu,
	{
		path: "interface list", nameProp: "name",
		props: []*prop{
			{name: "name", parse: pIfName, required: true},
			{name: "include", parse: pIfLists},
			{name: "exclude", parse: pIfLists},
			comment,
		},
		check: checkIfList,
		readonly: func(t *tx, it *item) []Prop {
			return []Prop{{"builtin", boolAPI(it.builtin)}, {"dynamic", boolAPI(it.dynamic)}}
		},
		columns: []string{"name"},
	},
	bridgePortMenu, bridgeSettingsMenu, bridgeVLANMenu, bridgeFilterMenu, bridgeNATMenu,
	pppoeClientMenu, // before interface list member, which may name it
	{
		path: "interface list member",
		props: []*prop{
			{name: "list", parse: pMemberList, required: true},
			{name: "interface", parse: pInterface, required: true},
			comment, disabled,
		},
		check:   checkMember,
		columns: []string{"list", "interface"},
		readonly: func(t *tx, it *item) []Prop {
			return []Prop{{"dynamic", "false"}}
		},
	},
	{
		path: "ip address",
		props: []*prop{
			{name: "address", parse: pIfAddress, required: true},
			{name: "network", parse: pIP},
			{name: "interface", parse: pInterface, required: true},
			comment, disabled,
		},
		check: checkAddress,
		// RouterOS exports a /32 without its prefix length, "add
		// address=10.248.0.53 interface=loop0 network=10.248.0.53" (every
		// /32 of 140 real 6.x and 7.x exports; realcheck31 D7), while
		// print shows 10.248.0.53/32.
		exportValue: func(name, v string) string {
			if name == "address" {
				return strings.TrimSuffix(v, "/32")
			}
			return v
		},
		readonly: func(t *tx, it *item) []Prop {
			return []Prop{{"actual-interface", it.props["interface"]}, {"invalid", boolAPI(t.addressInvalid(it))}, {"dynamic", boolAPI(it.dynamic)}, {"netmask", addressNetmask(it.props["address"])}}
		},
		columns: []string{"address", "network", "interface"},
	},
	cloudMenu, dhcpClientMenu, dnsMenu, dnsStaticMenu,
	{
		path: "ip firewall address-list",
		props: []*prop{
			{name: "list", parse: pListName, required: true},
			// address may be left out: the manual's DDoS Protection
			// page (https://help.mikrotik.com/docs/display/ROS/DDoS+Protection)
			// declares its lists with "add list=ddos-attackers" and "add
			// list=ddos-targets", and 7.x exports carry those lines
			// (the Address-lists page: address, Default: empty). Such an
			// entry names the list and matches no packet.
			{name: "address", parse: pListAddress},
			{name: "timeout", parse: pTimeout},
			// A 7.19 verbose export writes dynamic=no on every entry;
			// dynamic=yes (scripts: eworm's netwatch-notify resolves a
			// name through a dynamic entry with a timeout) adds an entry
			// kept in RAM and not exported, as one with a timeout. The
			// Address-lists page lists dynamic (yes, no) as a property.
			// RouterOS 6's verbose exports write it too (a 6.34.6
			// export: "add address=... disabled=no dynamic=no
			// list=MGMT-ALLOW"). [verify] dynamic=yes on 6.
			{name: "dynamic", parse: pBool, def: "no", isBool: true},
			comment, disabled,
		},
		check: checkAddressList,
		readonly: func(t *tx, it *item) []Prop {
			return []Prop{{"dynamic", boolAPI(it.dynamic)}, {"creation-time", t.creationTime(it)}}
		},
		// A 6.48.6 print terse: "list=azeazeaze address=192.168.3.0/24
		// creation-time=jun/14/2022 07:53:49 timeout=4m52s".
		detailReadonly: []string{"creation-time"},
		columns:        []string{"list", "address", "creation-time", "timeout"},
	},
	firewallMenu("ip firewall filter", filterActions...),
	firewallMenu("ip firewall nat", natActions...),
	mangleMenu, rawMenu,
	connMenu, connTrackingMenu,
	{
		path: "ip route",
		// RouterOS 6 writes distance= on every static route, the default
		// 1 too: all 142 "/ip route add" lines of the real 6.x exports of
		// realcheck27-33 have it; 7 leaves it out (realcheck33 D8).
		exportV6: map[string]string{"distance": "1"},
		props: []*prop{
			{name: "dst-address", parse: pRouteDst, def: "0.0.0.0/0", show: true},
			{name: "gateway", parse: pGateway, required: true},
			{name: "distance", parse: pInt(1, 255), def: "1", show: true},
			{name: "scope", parse: pInt(0, 255), def: "30", show: true},
			{name: "target-scope", parse: pInt(0, 255), def: "10", show: true},
			{name: "routing-table", parse: pEnum("main"), def: "main", show: true},
			// RouterOS 7's (its L3 hardware offload); 6's route has no
			// such property (v6 wiki Manual:IP/Route) and its print
			// showed it (ver46 N2).
			{name: "suppress-hw-offload", parse: pBool, def: "no", isBool: true, show: true, major: 7},
			comment, disabled,
		},
		readonly: func(t *tx, it *item) []Prop {
			return append([]Prop{{"dynamic", boolAPI(it.dynamic)}, {"active", boolAPI(t.routeActive(it))}, {"static", boolAPI(!it.dynamic)}, {"connect", boolAPI(it.dynamic && !isDHCPItem(it) && dynRouteFlag(it) == "")}, {"dhcp", boolAPI(isDHCPItem(it))}, {"ospf", boolAPI(dynRouteFlag(it) == "o")}, {"bgp", boolAPI(dynRouteFlag(it) == "b")}}, t.gatewayStatus(it)...)
		},
		columns: []string{"dst-address", "gateway", "distance"},
	},
	{
		path: "system identity", single: true,
		props: []*prop{{name: "name", parse: pNonEmpty, def: "MikroTik", show: true}},
	},
	schedulerMenu, scriptMenu,
	logMenu,
}

// ruleMatchers are the properties every firewall table has, IPv4 and IPv6
// alike; addr parses the address matchers of the family.
func ruleMatchers(actions []string, addr parser) []*prop {
	return []*prop{
		{name: "chain", parse: pChain, required: true, always: true},
		{name: "action", parse: pEnum(actions...), def: "accept", show: true, always: true},
		{name: "src-address", parse: addr},
		{name: "dst-address", parse: addr},
		// An empty list name is no matcher: RouterOS exports
		// src-address-list="" where a list was chosen and cleared in
		// WinBox (port forwards, DNS drops and mangle rules of many real
		// exports carry it), and those rules do their work for every
		// address. [verify] against a CHR that "" matches as if unset.
		{name: "src-address-list", parse: pEmptyOr(pNeg(pMatchListName))},
		{name: "dst-address-list", parse: pEmptyOr(pNeg(pMatchListName))},
		// A list of types matches any of them ("dst-address-type=
		// broadcast,multicast" of a 7.1.1 export).
		{name: "src-address-type", parse: pEmptyOr(pNeg(pSet("unicast", "local", "broadcast", "multicast", "blackhole", "prohibit", "unreachable")))},
		{name: "dst-address-type", parse: pEmptyOr(pNeg(pSet("unicast", "local", "broadcast", "multicast", "blackhole", "prohibit", "unreachable")))},
		{name: "protocol", parse: pNeg(pProtocol)},
		{name: "src-port", parse: pEmptyOr(pNeg(pPorts))},
		{name: "dst-port", parse: pEmptyOr(pNeg(pPorts))},
		{name: "port", parse: pEmptyOr(pNeg(pPorts))},
		{name: "in-interface", parse: pNeg(pFirewallIface)},
		{name: "out-interface", parse: pNeg(pFirewallIface)},
		{name: "in-interface-list", parse: pNeg(pIfList)},
		{name: "out-interface-list", parse: pNeg(pIfList)},
		{name: "connection-state", parse: pEmptyOr(pNeg(pSet("established", "related", "new", "invalid", "untracked")))},
	}
}

func firewallMenu(path string, actions ...string) *menu {
	return &menu{
		path:    path,
		addOnly: []string{"place-before"},
		// Verbose exports (7.19) write every unset matcher of a rule as
		// "!name" ("add action=accept chain=input !connection-bytes
		// !connection-limit ... !ttl").
		addUnsetAll: true,
		props: slices.Concat(ruleMatchers(actions, pNeg(pAddrMatch)), []*prop{
			// A 7.21.5 export writes connection-nat-state="" on input rules
			// whose state was cleared, as it writes connection-state="".
			{name: "connection-nat-state", parse: pEmptyOr(pNeg(pSet("srcnat", "dstnat")))},
			{name: "ipsec-policy", parse: pIpsecPolicy},
			{name: "to-addresses", parse: pToAddresses},
			{name: "to-ports", parse: pPortRange},
			// action=same leaves the destination out of its choice of
			// address (NAT page; iptables' SAME --nodst): forum47 D3,
			// it was "bad parameter".
			{name: "same-not-by-dst", parse: pBool, isBool: true},
			{name: "jump-target", parse: pChain},
			// RouterOS's values (Filter page, reject-with; its HotSpot
			// dynamic rules write icmp-net-prohibited, forum27 D1).
			// icmp-network-prohibited is in no RouterOS text found: kept
			// for configurations written against older rosemu [verify].
			{name: "reject-with", parse: pEnum("icmp-network-unreachable", "icmp-host-unreachable", "icmp-port-unreachable", "icmp-protocol-unreachable", "icmp-net-prohibited", "icmp-network-prohibited", "icmp-host-prohibited", "icmp-admin-prohibited", "tcp-reset")},
			{name: "log", parse: pBool, def: "no", show: true, isBool: true},
			{name: "log-prefix", parse: pString, def: "", show: true},
		}, extraMatcherProps(), []*prop{comment, disabled}),
		check: checkFirewall,
		readonly: func(t *tx, it *item) []Prop {
			c := t.ruleCounter(it)
			return []Prop{{"bytes", strconv.FormatUint(c.Bytes, 10)}, {"packets", strconv.FormatUint(c.Packets, 10)}, {"invalid", "false"}, {"dynamic", boolAPI(it.dynamic)}}
		},
	}
}

func boolAPI(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// menuFor is the menu of path that RouterOS version v has (/mpls ldp of 6
// or of 7), else the first of that path.
func menuFor(path, v string) *menu {
	for _, m := range menus {
		if m.path == path && m.forVersion(v) {
			return m
		}
	}
	return menuByPath(path)
}

func menuByPath(path string) *menu {
	for _, m := range menus {
		if m.path == path {
			return m
		}
	}
	return nil
}

// verbs of list menus and what the parser accepts with them.
func syntaxFor(m *menu) map[string]*script.Syntax { return syntaxForVersion(m, "") }

// syntaxForVersion is syntaxFor with the parameters version v has (all
// for ""): the parser then refuses a name the version lacks at its place
// in the line, as it refuses an unknown one, so a refusal names the first
// offending parameter from the left (forum41 D4: "type=tcp-conn ...
// foo=1" on 6.49 was refused at foo, though type, a 7.4 name, came
// first). RouterOS checks a command's words in order [verify].
func syntaxForVersion(m *menu, v string) map[string]*script.Syntax {
	params := func(extra ...string) map[string]bool {
		ps := map[string]bool{}
		for _, p := range m.props {
			if v == "" || p.forVersion(v) {
				ps[p.name] = true
			}
		}
		for _, e := range extra {
			ps[e] = true
		}
		return ps
	}
	printS := printFor(printSyntax(), v)
	exportS := &script.Syntax{
		Params: map[string]bool{"file": true},
		Flags:  map[string]bool{"compact": true, "verbose": true, "terse": true, "hide-sensitive": true, "show-sensitive": true},
	}
	if m.single {
		cmds := map[string]*script.Syntax{
			"set":    {Params: params()},
			"unset":  {Params: map[string]bool{"value-name": true}, Unnamed: 1},
			"print":  printS,
			"get":    {Unnamed: 1},
			"export": exportS,
		}
		// A read-only settings menu is changed by its own command only
		// (/system device-mode update), or not at all (/system resource).
		if m.readOnly {
			delete(cmds, "set")
			delete(cmds, "unset")
		}
		return cmds
	}
	cmds := map[string]*script.Syntax{
		"print":  printS,
		"find":   {Expr: true},
		"get":    {Unnamed: 2, Params: map[string]bool{"number": true, "value-name": true}},
		"export": exportS,
	}
	if m.readOnly {
		return cmds
	}
	setParams := params("numbers")
	delete(setParams, "default-name")
	if m.noAdd && !m.renamable {
		delete(setParams, "name")
	}
	cmds["set"] = &script.Syntax{Params: setParams, Unnamed: 1}
	cmds["unset"] = &script.Syntax{Params: map[string]bool{"numbers": true, "value-name": true}, Unnamed: 2}
	// enable and disable exist wherever items have disabled, also in
	// menus without add (/interface ethernet disable ether3, as eworm's
	// bridge-port-to writes it).
	if m.hasProp("disabled") {
		cmds["enable"] = &script.Syntax{Params: map[string]bool{"numbers": true}, Unnamed: 1}
		cmds["disable"] = &script.Syntax{Params: map[string]bool{"numbers": true}, Unnamed: 1}
	}
	if m.noAdd {
		return cmds
	}
	cmds["add"] = &script.Syntax{Params: params(append([]string{"copy-from"}, m.addOnly...)...), Unset: addUnsettable(m)}
	cmds["remove"] = &script.Syntax{Params: map[string]bool{"numbers": true}, Unnamed: 1}
	cmds["move"] = &script.Syntax{Params: map[string]bool{"numbers": true, "destination": true}, Unnamed: 2}
	return cmds
}

// printFor is print's syntax s as version v has it (all for ""): the
// show-sensitive flag came in 7.21 (changelog: "console - added
// show-sensitive option for print command"), so an older version refuses
// the word where it stands, as it refuses any word print does not take.
func printFor(s *script.Syntax, v string) *script.Syntax {
	if v == "" || versionAtLeast(v, 7, 21) || !s.Flags["show-sensitive"] {
		return s
	}
	c := *s
	c.Flags = maps.Clone(s.Flags)
	delete(c.Flags, "show-sensitive")
	return &c
}

// addUnsettable are the properties add takes as "!name": those whose
// unset state differs from their default (a tunnel's keepalive=10s,10);
// yes/no properties and empty defaults have nothing to unset.
func addUnsettable(m *menu) map[string]bool {
	out := map[string]bool{}
	for _, p := range m.props {
		if p.parse != nil && (p.def != "" || m.addUnsetAll || p.unsetMark) && (!p.isBool || m.addUnsetAll) && !p.required && p.name != m.nameProp {
			out[p.name] = true
		}
	}
	return out
}

// buildTree returns the parser's view of the menus.
func buildTree(version string) *script.Tree {
	t := script.NewTree()
	for _, m := range menus {
		t.AddKnown(m.path)
		if !m.forVersion(version) {
			continue
		}
		t.Add(m.path, syntaxForVersion(m, version))
		for verb, c := range m.commands {
			// A command without syntax replaces only what a generic verb
			// does and keeps its syntax (/ip firewall connection print).
			if c.syntax != nil {
				syn := c.syntax
				if verb == "print" {
					syn = printFor(syn, version)
				}
				t.Add(m.path, map[string]*script.Syntax{verb: syn})
			}
		}
	}
	// /import runs an uploaded file (import.go).
	t.Add("", map[string]*script.Syntax{"import": importSyntax})
	// /quit ends the console session, and the script that runs it.
	t.Add("", map[string]*script.Syntax{"quit": {}})
	// /ping gives scripts the number of replies (ping.go).
	t.Add("", map[string]*script.Syntax{"ping": pingSyntax})
	t.Add("tool", map[string]*script.Syntax{"flood-ping": floodPingSyntax})
	// /tool bandwidth-test, the btest client (btest.go).
	t.Add("tool", map[string]*script.Syntax{"bandwidth-test": btestClientSyntax})
	// Export works on every menu level (/ip firewall export, /export).
	seen := map[string]bool{}
	for _, m := range menus {
		if !m.forVersion(version) {
			continue
		}
		words := strings.Fields(m.path)
		for i := 0; i < len(words); i++ {
			k := strings.Join(words[:i], " ")
			if !seen[k] && menuByPath(k) == nil {
				seen[k] = true
				t.Add(k, map[string]*script.Syntax{"export": {Params: map[string]bool{"file": true}, Flags: map[string]bool{"compact": true, "verbose": true, "terse": true, "hide-sensitive": true, "show-sensitive": true}}})
			}
		}
	}
	return t
}

// sortedProps returns names in export order (alphabetical).
func sortedProps(props map[string]string) []string {
	ks := make([]string, 0, len(props))
	for k := range props {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// keptGiven marks p as keepGiven.
func keptGiven(p *prop) *prop {
	p.keepGiven = true
	return p
}

// keepsGiven7 reports a list of RouterOS 7's routing configuration, which
// keeps every value it was given, defaults too, and whose exports write
// them: a 7.17 RB4011's "/ip route add disabled=no dst-address=0.0.0.0/0
// gateway=... routing-table=main suppress-hw-offload=no", a 7.19.4 router's
// "/routing ospf instance add disabled=no name=ospf", a 7.18.1 one's
// "/routing rule add action=drop disabled=no ...", a 7.20.8 one's "/ipv6
// route add dst-address=::/0 ...", while routes added without them export
// without them (realcheck37). WinBox sends every field of its form, which
// is why exports of routers set up with it carry the defaults.
func (m *menu) keepsGiven7() bool {
	return !m.single && !m.noAdd && (m.path == "ip route" || m.path == "ipv6 route" || strings.HasPrefix(m.path, "routing "))
}
