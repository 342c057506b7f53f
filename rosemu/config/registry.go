package config

import (
	"slices"
	"sort"
	"strconv"
	"strings"
)

// insertMenus puts ms into the menu list right after the menu at anchor
// (at the end when there is none), keeping RouterOS's export order: a
// menu that others refer to is exported before them.
func insertMenus(anchor string, ms ...*menu) {
	at := len(menus)
	for i, m := range menus {
		if m.path == anchor {
			at = i + 1
		}
	}
	out := append([]*menu(nil), menus[:at]...)
	out = append(out, ms...)
	menus = append(out, menus[at:]...)
}

// defaultBase is where the ids of default items without a fixed id start:
// default item i of a menu is defaultBase+i, so an item keeps its link to
// its default entry when it is renamed (/snmp community set [ find
// default=yes ] name=...). Ids are looked up within one menu, so menus may
// share the range.
const defaultBase = 0x7F000000

// defaultEntryName is the name the default entry of the menu at path
// that was created as def has now, "" when path is empty or the menu has
// no such entry: "hsprof1" for the default hotspot profile after "/ip
// hotspot profile set [ find default=yes ] name=hsprof1".
func (t *tx) defaultEntryName(path, def string) string {
	return t.m.defaultEntryName(path, def)
}

func (m *model) defaultEntryName(path, def string) string {
	mn := menuByPath(path)
	if mn == nil {
		return ""
	}
	for i, d := range mn.defaults {
		if d["name"] != def {
			continue
		}
		id := defaultID(d, i)
		for _, it := range m.tables[mn.tableName()] {
			if it.id == id {
				return it.props["name"]
			}
		}
	}
	return ""
}

// refName is the name of the item of the menu at path that a reference
// holding v names: v itself, or where v is empty the default entry
// created as def, by the name it has now (a hotspot server without
// profile= takes the default profile, renamed or not).
func (m *model) refName(v, path, def string) string {
	if v != "" {
		return v
	}
	if n := m.defaultEntryName(path, def); n != "" {
		return n
	}
	return def
}

// defaultOf is the value property p takes when it is not set: its
// default, or, where that names a default entry since renamed, the
// entry's present name.
func (t *tx) defaultOf(p *prop) string {
	if n := t.defaultEntryName(p.defaultEntryOf, p.def); n != "" {
		return n
	}
	return p.def
}

// defaultID is the id of default entry i of a menu.
func defaultID(d map[string]string, i int) uint64 {
	if v, ok := d[".id"]; ok {
		id, _ := parseID(v)
		return id
	}
	return defaultBase + uint64(i)
}

// addDefaults creates the default items of every menu that has them. An
// entry's ".id" key, when present, is the item's fixed id (/ppp profile
// default-encryption is *FFFFFFFE on every router).
func (r *Router) addDefaults() {
	for _, m := range menus {
		if m.defaultsV6Only && !r.v6() {
			continue
		}
		if m.defaultsV7Only && r.v6() {
			continue
		}
		if m.noExport && m.table != "" && m.table != m.path {
			continue // another name of a menu that makes the defaults
		}
		for i, d := range m.defaults {
			it := &item{id: defaultID(d, i), builtin: true, props: map[string]string{}}
			for k, v := range d {
				if k != ".id" {
					it.props[k] = v
				}
			}
			r.m.tables[m.tableName()] = append(r.m.tables[m.tableName()], it)
		}
		if m.path == ovpnServerPath && !versionAtLeast(r.opts.Version, 7, 17) {
			r.m.tables[m.tableName()] = append(r.m.tables[m.tableName()], &item{id: defaultBase, builtin: true, props: map[string]string{}})
		}
		if per := portItems[m.path]; per != nil {
			for i, p := range r.opts.Ports {
				it := &item{id: defaultBase + uint64(i), builtin: true, props: per(p)}
				r.m.tables[m.tableName()] = append(r.m.tables[m.tableName()], it)
			}
		}
	}
}

// portItems are the menus with one built-in item per ethernet port
// (/queue interface), and each item's default properties.
var portItems = map[string]func(port string) map[string]string{
	"queue interface": func(port string) map[string]string { return map[string]string{"interface": port} },
}

// defaultPos returns the index of the default entry a built-in item was
// created from, -1 for none.
func defaultPos(m *menu, it *item) int {
	if !it.builtin {
		return -1
	}
	for i, d := range m.defaults {
		if defaultID(d, i) == it.id {
			return i
		}
	}
	return -1
}

// defaultOf returns the default entry a built-in item was created from.
func defaultOf(m *menu, it *item) map[string]string {
	if i := defaultPos(m, it); i >= 0 {
		return m.defaults[i]
	}
	if per := portItems[m.path]; per != nil && it.builtin {
		return per(it.props[m.nameProp])
	}
	if it.builtin && m.onDemand != nil {
		if d := m.onDemand(nil, it.props[m.nameProp]); d != nil {
			return d
		}
	}
	if it.builtin && m.defaults != nil {
		return map[string]string{} // an item at all its properties' defaults
	}
	return nil
}

// effective is the value of a property of an item: what is stored, else
// the property's default.
func effective(m *menu, props map[string]string, k string) string {
	return effectiveIn(m, props, k, "")
}

// effectiveIn is effective in RouterOS version v, whose default may
// differ from another version's (an IPsec profile's dpd-interval: 2m up
// to 7.15, 8s from 7.16); "" takes the first property of the name.
func effectiveIn(m *menu, props map[string]string, k, v string) string {
	if val, ok := props[k]; ok {
		return val
	}
	p := m.propFor(k, v)
	if p == nil {
		p = m.prop(k)
	}
	if p != nil {
		return p.def
	}
	return ""
}

// changedDefaults lists the properties of a built-in item that differ
// from the item's default, in export order.
func changedDefaults(m *menu, it *item) []string {
	return changedDefaultsIn(m, it, "")
}

// changedDefaultsIn is changedDefaults against the defaults of RouterOS
// version v.
func changedDefaultsIn(m *menu, it *item, v string) []string {
	d := defaultOf(m, it)
	if d == nil {
		return nil
	}
	keys := map[string]bool{}
	for k := range it.props {
		keys[k] = true
	}
	for k := range d {
		if k != ".id" {
			keys[k] = true
		}
	}
	var out []string
	for k := range keys {
		if effectiveIn(m, it.props, k, v) != effectiveIn(m, d, k, v) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// exportDefault writes the set line of a built-in item that was changed:
// "/system logging action set 3 remote=192.0.2.1".
func (t *tx) exportDefault(m *menu, it *item) (exportLine, bool) {
	if (m.defaults == nil && m.onDemand == nil) || !it.builtin {
		return exportLine{}, false
	}
	keys := changedDefaultsIn(m, it, t.r.opts.Version)
	// A value given at the default is written where RouterOS keeps what
	// was given (keepGiven, and RouterOS 7's routing lists): a wAP R's
	// "/ip hotspot profile set [ find default=yes ] html-directory=hotspot",
	// a 7.16.2 export's "/routing bgp template set default disabled=no
	// output.network=bgp-networks" (realcheck38).
	if d := defaultOf(m, it); d != nil {
		for k := range it.props {
			p := m.prop(k)
			if _, inDefault := d[k]; inDefault || p == nil || slices.Contains(keys, k) ||
				!(p.keepGiven || m.keepsGiven7() && !t.v6()) {
				continue
			}
			keys = append(keys, k)
		}
		sort.Strings(keys)
	}
	var toks []string
	for _, k := range keys {
		toks = append(toks, k+"="+quote(effectiveIn(m, it.props, k, t.r.opts.Version)))
	}
	if len(toks) == 0 {
		return exportLine{}, false
	}
	ref := "[ find default=yes ]"
	if m.exportRef != nil {
		ref = m.exportRef(it)
	}
	return exportLine{strings.TrimSpace("set " + ref), toks}, true
}

// defaultIndex exports a built-in item by its console number, as RouterOS
// does for /system logging action ("set 3 remote=...").
func defaultIndex(m *menu) func(it *item) string {
	return func(it *item) string {
		if i := defaultPos(m, it); i >= 0 {
			return strconv.Itoa(i)
		}
		return it.ID()
	}
}

// unsetFlags applies set's "!name" arguments: each property is unset as
// unset does it.
func (t *tx) unsetFlags(m *menu, it *item, flags map[string]bool) error {
	for f := range flags {
		name, ok := strings.CutPrefix(f, "!")
		if !ok {
			continue
		}
		p := m.propFor(name, t.r.opts.Version)
		if p == nil || p.parse == nil || name == "default-name" {
			return &Error{Msg: t.unknownParam(name), Category: 1, arg: name}
		}
		unsetProp(m, it, p)
	}
	return nil
}

// addUnset applies add's "!name" flags: the new item has the property
// without a value, which RouterOS exports as "!name" and rosemu as
// name="" (accepted again the same). A property whose default is already
// empty stays as it is (unsetMark), unless its unset state is kept
// (unsetKept: the scheduler's days).
func (t *tx) addUnset(m *menu, it *item, flags map[string]bool) error {
	for f := range flags {
		name, ok := strings.CutPrefix(f, "!")
		if !ok {
			continue
		}
		p := m.propFor(name, t.r.opts.Version)
		if p == nil || p.parse == nil || p.required || name == m.nameProp {
			return &Error{Msg: t.unknownParam(name), Category: 1, arg: name}
		}
		if _, set := it.props[name]; !set && (p.def != "" || p.unsetKept) {
			it.props[name] = ""
		}
	}
	return nil
}

// unsetProp is set's "!name" and unset: the property returns to its
// default, or, when its unset state is "off" (unsetOff), is stored unset
// as add's "!name" leaves it, so that "set gre1 !keepalive" turns the
// tunnel's keepalive off as "add !keepalive" does, and exports so.
func unsetProp(m *menu, it *item, p *prop) {
	if p.unsetOff {
		it.props[p.name] = ""
		return
	}
	resetProp(m, it, p.name)
}

// resetProp returns one property of an item to its default: a built-in
// item's own default, a renamed port's default name, else the
// property's default (not stored).
func resetProp(m *menu, it *item, name string) {
	delete(it.props, name)
	if d := defaultOf(m, it); it.builtin && d != nil {
		if v, ok := d[name]; ok {
			it.props[name] = v
		}
	}
	if m.renamable && name == m.nameProp {
		it.props[name] = it.props["default-name"]
	}
	// An item with a default of its own (www-ssl's disabled=yes) returns
	// to it, not to the property's default.
	if m.itemDef != nil && !it.builtin {
		if d, ok := m.itemDef(it, name); ok {
			if p := m.prop(name); p == nil || d != p.def {
				it.props[name] = d
			}
		}
	}
}

// unset returns properties to their defaults: "unset 0 comment" on a list
// menu, "unset servers" on a settings menu. A required property cannot be
// unset; a built-in item's property returns to the item's default.
func (t *tx) unset(m *menu, req *request) (result, error) {
	if len(req.extra) == 0 {
		return result{}, &Error{Msg: "missing value for argument value-name", Category: 1, arg: "value-name"}
	}
	name := req.extra[0]
	p := m.propFor(name, t.r.opts.Version)
	if p == nil || p.parse == nil || name == "default-name" {
		return result{}, &Error{Msg: "input does not match any value of value-name", Category: 1, arg: "value-name"}
	}
	var targets []*item
	if m.single {
		targets = t.m.tables[m.tableName()]
	} else {
		var err error
		if targets, err = t.items(m, req); err != nil {
			return result{}, err
		}
	}
	for _, old := range targets {
		if old.dynamic || (old.builtin && m.defaults == nil) {
			return result{}, cannotChange(old)
		}
		it := old.clone()
		unsetProp(m, it, p)
		if err := t.finish(m, it, nil); err != nil {
			return result{}, err
		}
		t.replace(m, it)
	}
	return result{}, nil
}

// The menus of the stored-settings files, placed where RouterOS's export
// puts them: definitions others refer to (profiles, pools, queue types)
// before the menus that use them, the rest in the console's menu order.
func init() {
	loggingMenu.exportRef = defaultIndex(loggingMenu)
	loggingActionMenu.exportRef = defaultIndex(loggingActionMenu)
	ipsecPolicyMenu.exportRef = defaultIndex(ipsecPolicyMenu)
	insertMenus("interface ethernet", wireguardMenu, bondingMenu, eoipMenu, greMenu, ipipMenu,
		l2tpClientMenu, ovpnClientMenu, pptpClientMenu, sstpClientMenu)
	insertMenus("interface list",
		ipsecModeConfigMenu, ipsecPolicyGroupMenu, ipsecProfileMenu, ipsecPeerMenu, ipsecProposalMenu,
		pppProfileMenu, queueTypeMenu, queueSimpleMenu, queueTreeMenu, snmpCommunityMenu,
		loggingActionMenu, neighborMenu, ipSettingsMenu, ipv6SettingsMenu, ipv6PoolMenu)
	insertMenus("interface list member",
		l2tpServerMenu, ovpnServerMenu, pptpServerMenu, sstpServerMenu, wireguardPeersMenu)
	insertMenus("ip firewall nat",
		servicePortMenu, ipsecIdentityMenu, ipsecPolicyMenu, ipsecUserMenu, proxyMenu)
	insertMenus("ip route",
		smbMenu, smbSharesMenu, smbUsersMenu, socksMenu, sshMenu, trafficFlowMenu, trafficFlowTargetMenu, upnpMenu, upnpInterfacesMenu,
		ipv6AddressMenu, ipv6DHCPClientMenu, ipv6DHCPServerMenu, ipv6AddressListMenu,
		ipv6FirewallMenu("ipv6 firewall filter", "accept", "drop", "reject", "jump", "return", "passthrough", "log", "fasttrack-connection", "add-src-to-address-list", "add-dst-to-address-list"),
		ipv6FirewallMenu("ipv6 firewall mangle", "accept", "drop", "jump", "return", "passthrough", "log", "mark-connection", "mark-packet", "mark-routing", "change-mss", "change-hop-limit", "change-dscp", "sniff-tzsp",
			"sniff-pc", "set-priority", "add-src-to-address-list", "add-dst-to-address-list"),
		ipv6NATMenu(),
		withoutConntrack(ipv6FirewallMenu("ipv6 firewall raw", "accept", "drop", "notrack", "jump", "return", "passthrough", "log", "add-src-to-address-list", "add-dst-to-address-list")),
		ipv6NDMenu, ipv6NDPrefixMenu, ipv6NDPrefixDefaultMenu, ipv6RouteMenu,
		pppAAAMenu, pppSecretMenu, queueInterfaceMenu, snmpMenu, clockMenu)
	insertMenus("system identity",
		loggingMenu, noteMenu, ntpClientMenu, ntpServerMenu, ntpClientServersMenu, packageUpdateMenu)
	insertMenus("system script",
		watchdogMenu, btestMenu, emailMenu, graphingMenu, graphingInterfaceMenu, graphingQueueMenu, graphingResourceMenu,
		macServerMenu, macWinboxMenu, macPingMenu, romonMenu, certSettingsMenu)
	insertMenus("ip proxy", proxyAccessMenu)
	insertMenus("ip socks", socksAccessMenu)
}

// propFor returns the property name as RouterOS version v has it: a menu
// may list a name twice with different checks for 6 and 7 (/system ntp
// client mode). nil when v has no such property.
func (m *menu) propFor(name, v string) *prop {
	for _, p := range m.props {
		if p.name == name && p.forVersion(v) {
			return p
		}
	}
	return nil
}
