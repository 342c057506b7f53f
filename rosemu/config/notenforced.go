package config

import (
	"strconv"
	"strings"
)

// NotEnforcedItem is one part of the configuration that the emulator
// accepted and stores but does not enforce: a whole menu (Property "") or
// one property of a modelled menu.
type NotEnforcedItem struct {
	// Path is the menu as the console writes it: "/system ntp client".
	Path string
	// Property is the property of a modelled menu that is stored only
	// ("l2mtu" of /interface ethernet); "" when the whole menu is.
	Property string
	// Reason says why the emulator does not enforce it.
	Reason string
	// Count is how many entries the configuration has there: items of a
	// list menu (built-in items that were changed included), properties
	// set away from their defaults in a settings menu, or items with the
	// property set away from its default.
	Count int
}

// IdleOnRouterOS reports whether n is configuration that RouterOS would
// not apply either in the state it was read from: a /routing filter rule
// of a chain no BGP session or OSPF instance names filters nothing on
// RouterOS too. A run's report judges such an item at the run's end, not
// at its largest: a later configure step that puts the chain into use
// (rosemu then applies it) leaves the probes before it running as
// RouterOS's would, so nothing went unenforced.
func IdleOnRouterOS(n NotEnforcedItem) bool { return n.Reason == unusedChainReason }

// NotEnforced returns, for the committed configuration, every menu and
// property that holds configuration the emulator stores without
// enforcing, in export order. Menus and properties at their defaults are
// not listed: only what a configuration asked for counts. A run's report
// lists these as "accepted, not enforced by the emulator", and chrlab
// validate prints them.
func (r *Router) NotEnforced() []NotEnforcedItem {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []NotEnforcedItem
	for _, m := range menus {
		if m.readOnly {
			continue
		}
		// An alias of another menu's table (RouterOS 6.43's /ip ipsec
		// peer profile for /ip ipsec profile) holds the same items: they
		// are counted once, under the menu that owns the table.
		if m.tableName() != m.path && menuByPath(m.tableName()) != nil {
			continue
		}
		items := r.m.tables[m.tableName()]
		if m.notEnforced != "" {
			if m.idle != nil && m.idle(r.m) {
				continue
			}
			if n := configuredCount(m, items); n > 0 {
				out = append(out, NotEnforcedItem{Path: "/" + m.path, Reason: m.notEnforced, Count: n})
			}
			continue
		}
		if m.idle != nil && m.idle(r.m) {
			continue
		}
		for _, p := range m.props {
			if p.notEnforced == "" || !p.forVersion(r.opts.Version) {
				continue
			}
			n := 0
			for _, it := range items {
				if !it.dynamic && r.propNotEnforced(m, it, p) {
					n++
				}
			}
			if n > 0 {
				out = append(out, NotEnforcedItem{Path: "/" + m.path, Property: p.name, Reason: p.notEnforced, Count: n})
			}
		}
	}
	out = append(out, actionUse(r.m)...)
	out = append(out, hookNeverUse(r.m)...)
	out = append(out, bfdUse(r.m)...)
	out = append(out, prefSrcUse(&tx{r: r, m: r.m})...)
	out = append(out, netwatchUse(r.m)...)
	out = append(out, eventScriptUse(r)...)
	out = append(out, vlanMTUUse(r.m)...)
	out = append(out, queueTargetUse(r.m)...)
	out = append(out, treeUse(r.m)...)
	out = append(out, simpleTreeOverlapUse(r.m)...)
	out = append(out, queueTypeUse(r.m, "queue simple")...)
	out = append(out, queueTypeUse(r.m, "queue tree")...)
	out = append(out, ipv6Use(r.m)...)
	out = append(out, ospfUse(&tx{r: r, m: r.m})...)
	out = append(out, bgpUse(&tx{r: r, m: r.m})...)
	out = append(out, ospfFilterUse(&tx{r: r, m: r.m})...)
	out = append(out, v6FilterUse(&tx{r: r, m: r.m})...)
	out = append(out, storedUse(r.m, "interface vxlan", "vni", vxlanSharedWhy(r.m))...)
	out = append(out, storedUse(r.m, "ip arp", "", arpStored)...)
	out = append(out, storedUse(r.m, "ip route", "", noGatewayStored)...)
	for _, tbl := range []string{"ip firewall filter", "ip firewall nat"} {
		out = append(out, storedUse(r.m, tbl, "chain", hotspotChainStored(r.m, tbl))...)
	}
	out = append(out, storedUse(r.m, "interface bridge filter", "", bridgeRuleStoredWhy("filter"))...)
	out = append(out, storedUse(r.m, "interface bridge nat", "", bridgeRuleStoredWhy("nat"))...)
	out = append(out, storedUse(r.m, vrrpTable, "", vrrpStoredWhy(r.m))...)
	out = append(out, storedUse(r.m, vrrpTable, "group-authority", vrrpGroupWhy(r.m))...)
	out = append(out, storedUse(r.m, "system logging action", "", func(it *item) string { return logActionWhy(it) })...)
	out = append(out, storedUse(r.m, "system logging", "", logRuleWhy(r.m))...)
	out = append(out, servicePortUse(r.m)...)
	out = append(out, fetchUse(r.m)...)
	if r.delaysCut > 0 {
		out = append(out, NotEnforcedItem{Path: ":delay", Reason: topDelayReason(), Count: r.delaysCut})
	}
	return append(out, storedInterfaceUse(r.m)...)
}

// storedUse counts, for NotEnforced, the configured items of table tbl
// that why says are stored, one entry per reason in the order they first
// appear.
func storedUse(m *model, tbl, prop string, why func(*item) string) []NotEnforcedItem {
	reasons := map[string]int{}
	var order []string
	for _, it := range m.tables[tbl] {
		if it.dynamic || it.builtin {
			continue
		}
		if r := why(it); r != "" {
			if reasons[r] == 0 {
				order = append(order, r)
			}
			reasons[r]++
		}
	}
	var out []NotEnforcedItem
	for _, r := range order {
		out = append(out, NotEnforcedItem{Path: "/" + tbl, Property: prop, Reason: r, Count: reasons[r]})
	}
	return out
}

// madeStored says why the first item of table tbl that a command made
// (ids from, to) is stored, "" when none is.
func madeStored(m *model, tbl string, from, to uint64, why func(*item) string) string {
	for _, it := range m.tables[tbl] {
		if it.id >= from && it.id < to {
			if r := why(it); r != "" {
				return r
			}
		}
	}
	return ""
}

// configuredCount is how much configuration a not-enforced menu holds.
func configuredCount(m *menu, items []*item) int {
	n := 0
	for _, it := range items {
		switch {
		case it.dynamic:
		case m.single:
			for k, v := range it.props {
				if p := m.prop(k); p != nil && v != p.def {
					n++
				}
			}
		case it.builtin:
			if len(changedDefaults(m, it)) > 0 {
				n++
			}
		default:
			n++
		}
	}
	return n
}

// String writes the item as a report line: "/snmp: 2 (rosemu runs no
// SNMP agent)", "/interface ethernet l2mtu: 1 (...)".
func (n NotEnforcedItem) String() string {
	var b strings.Builder
	b.WriteString(n.Path)
	if n.Property != "" {
		b.WriteString(" " + n.Property)
	}
	b.WriteString(": ")
	b.WriteString(strconv.Itoa(n.Count))
	b.WriteString(" (" + n.Reason + ")")
	return b.String()
}

// NotEnforcedReason says why the emulator stores configuration of the
// menu at path without enforcing it ("" when the menu is modelled or
// unknown). With a property, it is the property's reason within a
// modelled menu, or the menu's own reason. path may be written as the
// console ("/system ntp client", "system ntp client") or the API does
// ("/system/ntp/client"). chrlab validate uses it to classify each
// command; version is the emulated RouterOS version ("" for any), since a
// property may exist in one major version only.
func NotEnforcedReason(path, property, version string) string {
	p := strings.Join(strings.FieldsFunc(path, func(r rune) bool { return r == '/' || r == ' ' }), " ")
	m := menuByPath(p)
	if m == nil {
		return ""
	}
	if m.notEnforced != "" || property == "" {
		return m.notEnforced
	}
	for _, pr := range m.props {
		if pr.name == property && (version == "" || pr.forVersion(version)) && pr.notEnforced != "" {
			return pr.notEnforced
		}
	}
	return ""
}

// builtinDefault is the value a built-in item of m has for prop when the
// user has not set it: its entry in m.defaults, else def.
func builtinDefault(m *menu, it *item, prop, def string) string {
	for _, d := range m.defaults {
		if d[".id"] == it.ID() || (m.nameProp != "" && d[m.nameProp] != "" && d[m.nameProp] == it.props[m.nameProp]) {
			if v, ok := d[prop]; ok {
				return v
			}
			return def
		}
	}
	return def
}

// propNotEnforced says whether item it of menu m holds property p (one
// rosemu does not enforce) at a value rosemu does not give it: NotEnforced
// counts such items, ItemNotEnforced names them for one item.
func (r *Router) propNotEnforced(m *menu, it *item, p *prop) bool {
	def := p.def
	if it.builtin {
		// A built-in item's own default (the profile
		// default-encryption's use-encryption=yes) is no setting of the
		// user's.
		def = builtinDefault(m, it, p.name, def)
	}
	// p's own default, not effective's: a menu may have a property twice,
	// once per major version, each with its default
	// (max-neighbor-entries: 8192 on 6, 16384 on 7).
	v, ok := it.props[p.name]
	if !ok {
		v = p.def
	}
	if p.enforced != "" {
		def = p.enforced
	}
	return v != def && (p.inert == nil || !p.inert(it.props)) && (p.inertIn == nil || !p.inertIn(&tx{r: r, m: r.m}, it.props))
}
