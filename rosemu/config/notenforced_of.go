package config

import (
	"strconv"
	"strings"
)

// ItemNotEnforced returns the properties of one item (path as the console
// writes it, "/ip firewall filter"; id as the API prints it, "*3") that
// the emulator stores without enforcing and that the item sets away from
// their defaults: a filter rule's content= matcher. Only properties count
// here, not whole menus or actions, so that a run's report can say with
// certainty that a step reading this item's counters depends on what the
// emulator does not do (harness/runner's stepTies).
func (r *Router) ItemNotEnforced(path, id string) []NotEnforcedItem {
	r.mu.Lock()
	defer r.mu.Unlock()
	m := menuFor(strings.TrimPrefix(path, "/"), r.opts.Version)
	if m == nil {
		return nil
	}
	var out []NotEnforcedItem
	for _, it := range r.m.tables[m.tableName()] {
		if it.ID() != id || it.dynamic {
			continue
		}
		for _, p := range m.props {
			if p.notEnforced == "" || !p.forVersion(r.opts.Version) {
				continue
			}
			if r.propNotEnforced(m, it, p) {
				out = append(out, NotEnforcedItem{Path: "/" + m.path, Property: p.name, Reason: p.notEnforced, Count: 1})
			}
		}
	}
	return out
}

// StoredListener is a port on which RouterOS would run a server that the
// configuration enables and the emulator only stores: nothing listens
// there on rosemu, so a probe of that port sees a closed port where
// RouterOS would answer (or, for SNMP, ignore a datagram that is not
// SNMP).
type StoredListener struct {
	Path   string // "/snmp"
	Proto  string // "tcp" or "udp"
	Port   int
	Last   int // the range's last port; Port itself for one port
	Reason string
}

// StoredListeners returns the servers of the stored-only menus that the
// configuration enables, with their ports: the SNMP agent on UDP 161
// (SNMP page: "SNMP ... UDP port 161" [verify]), the web proxy on its
// port= (default 8080) and the SOCKS server on its port= (default 1080),
// as the Web Proxy and SOCKS pages give them.
func (r *Router) StoredListeners() []StoredListener {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []StoredListener
	on := func(tbl string) map[string]string {
		items := r.m.tables[tbl]
		if len(items) == 0 || items[0].props["enabled"] != "yes" {
			return nil
		}
		return items[0].props
	}
	if on("snmp") != nil {
		out = append(out, StoredListener{Path: "/snmp", Proto: "udp", Port: 161, Last: 161, Reason: snmpReason})
	}
	for _, s := range []struct {
		tbl, def, why string
	}{{"ip proxy", "8080", proxyReason}, {"ip socks", "1080", socksReason}} {
		props := on(s.tbl)
		if props == nil {
			continue
		}
		ports := props["port"]
		if ports == "" {
			ports = s.def
		}
		for _, f := range strings.Split(ports, ",") {
			a, b, ok := strings.Cut(strings.TrimSpace(f), "-")
			if !ok {
				b = a
			}
			x, err1 := strconv.Atoi(a)
			y, err2 := strconv.Atoi(b)
			if err1 == nil && err2 == nil {
				out = append(out, StoredListener{Path: "/" + s.tbl, Proto: "tcp", Port: x, Last: y, Reason: s.why})
			}
		}
	}
	return out
}
