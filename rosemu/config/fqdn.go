package config

import (
	"errors"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// Address-list entries with a DNS name (docs/routeros.md), in /ip firewall
// address-list and /ipv6 firewall address-list. The static entry keeps
// the name and is exported; the FQDN service (rosemu/service/fqdn) resolves
// it with the router's own resolver and reports the A records (AAAA for an
// IPv6 list, forum30 D5) through SetFQDNAddresses. The engine shows one dynamic child entry per address,
// in the same list with the name as comment, and puts the children in
// kernel.State so that the firewall matches them. Children are derived
// from the parent on every read, as the DHCP client's addresses are: an
// entry that is disabled, removed, renamed or moved to another list loses
// its children in the same transaction.

// FQDNEntry is one enabled address-list entry whose address is a DNS name.
// IPv6 marks an entry of /ipv6 firewall address-list, whose name is
// resolved to AAAA records.
type FQDNEntry struct {
	ID   string
	List string
	Name string
	IPv6 bool
}

// FQDNService is told the enabled FQDN entries after every committed
// change: package rosemu/service/fqdn implements it. The engine calls
// Update with the router's lock held, so Update must return quickly and
// must not call back into the Router.
type FQDNService interface {
	Update([]FQDNEntry)
}

// fqdnTable holds, per FQDN entry (same id; ids are unique across
// tables), the table of the entry, the name and list it was resolved for
// and the children as "address@id" pairs. No menu shows it.
const fqdnTable = "ip firewall address-list fqdn"

const (
	addressListTable  = "ip firewall address-list"
	addressList6Table = "ipv6 firewall address-list"
)

// fqdnTables are the address-list tables whose entries may be names.
var fqdnTables = []string{addressListTable, addressList6Table}

// isFQDN reports whether a stored address-list address of table is a DNS
// name.
func isFQDN(table, addr string) bool {
	if addr == "" {
		return false
	}
	if table == addressList6Table {
		_, ok := addrEntry6(addr)
		return !ok
	}
	_, ok := addrEntry(addr)
	return !ok
}

// fqdnEntries lists the enabled FQDN entries for the service.
func fqdnEntries(m *model) []FQDNEntry {
	var out []FQDNEntry
	for _, tbl := range fqdnTables {
		for _, it := range m.tables[tbl] {
			if !it.disabled() && isFQDN(tbl, it.props["address"]) {
				out = append(out, FQDNEntry{ID: it.ID(), List: it.props["list"], Name: it.props["address"], IPv6: tbl == addressList6Table})
			}
		}
	}
	return out
}

// recTable is the address-list table a resolution record belongs to
// (records written before IPv6 lists resolved have none: IPv4).
func recTable(rec *item) string {
	if t := rec.props["table"]; t != "" {
		return t
	}
	return addressListTable
}

// FQDNEntries returns the committed enabled FQDN entries.
func (r *Router) FQDNEntries() []FQDNEntry {
	r.mu.Lock()
	defer r.mu.Unlock()
	return fqdnEntries(r.m)
}

// fqdnCurrent reports whether a resolution record still belongs to its
// entry: the entry exists, is enabled, and has the same name and list.
func fqdnCurrent(m *model, rec *item) bool {
	for _, it := range m.tables[recTable(rec)] {
		if it.id == rec.id {
			return !it.disabled() && it.props["address"] == rec.props["name"] && it.props["list"] == rec.props["list"]
		}
	}
	return false
}

// pruneFQDN drops the records of entries that were removed, disabled or
// changed, so that an entry enabled again shows no stale children before
// the service resolves it anew.
func pruneFQDN(m *model) {
	recs := m.tables[fqdnTable]
	if len(recs) == 0 {
		return
	}
	var kept []*item
	for _, rec := range recs {
		if fqdnCurrent(m, rec) {
			kept = append(kept, rec)
		}
	}
	m.tables[fqdnTable] = kept
}

type fqdnChild struct {
	addr netip.Addr
	id   uint64
}

func parseChildren(s string) []fqdnChild {
	var out []fqdnChild
	for _, f := range strings.Split(s, ",") {
		a, id, ok := strings.Cut(f, "@")
		if !ok {
			continue
		}
		addr, err := netip.ParseAddr(a)
		n, err2 := strconv.ParseUint(id, 10, 64)
		if err == nil && err2 == nil {
			out = append(out, fqdnChild{addr, n})
		}
	}
	return out
}

func formatChildren(cs []fqdnChild) string {
	var parts []string
	for _, c := range cs {
		parts = append(parts, c.addr.String()+"@"+strconv.FormatUint(c.id, 10))
	}
	return strings.Join(parts, ",")
}

// fqdnChildren are the dynamic entries of the current records of table,
// in the order of their parents and addresses. An IPv6 child shows its
// address as the /128 prefix, as a static IPv6 entry given as one address
// is stored (parsePrefix6).
func (t *tx) fqdnChildren(table string) []*item {
	var out []*item
	for _, rec := range t.m.tables[fqdnTable] {
		if recTable(rec) != table || !fqdnCurrent(t.m, rec) {
			continue
		}
		for _, c := range parseChildren(rec.props["children"]) {
			addr := c.addr.String()
			if table == addressList6Table {
				addr += "/128"
			}
			out = append(out, &item{id: c.id, dynamic: true, props: map[string]string{
				"list": rec.props["list"], "address": addr, "comment": rec.props["name"],
			}})
		}
	}
	return out
}

// isFQDNChild reports whether an address-list item is a derived child.
func (t *tx) isFQDNChild(it *item) bool {
	for _, rec := range t.m.tables[fqdnTable] {
		for _, c := range parseChildren(rec.props["children"]) {
			if c.id == it.id {
				return true
			}
		}
	}
	return false
}

// dropFQDNChild removes one child until the service resolves its name
// again, which is when RouterOS would add it back.
func (t *tx) dropFQDNChild(it *item) {
	for _, rec := range t.m.tables[fqdnTable] {
		cs := parseChildren(rec.props["children"])
		kept := slices.DeleteFunc(cs, func(c fqdnChild) bool { return c.id == it.id })
		rec.props["children"] = formatChildren(kept)
	}
	t.changed = true
}

// errStaleFQDN says that the entry a resolution was for has changed.
var errStaleFQDN = errors.New("the address-list entry was removed, disabled or changed")

// SetFQDNAddresses records the A records (AAAA for an entry of an IPv6
// list) the name of entry id resolved to (none: the name does not
// resolve), as one transaction: the children
// follow into the kernel, or on failure nothing changes. An unchanged set
// of addresses changes nothing. It fails when the entry no longer exists,
// is disabled, or has another name than the one that was resolved.
func (r *Router) SetFQDNAddresses(id, name string, addrs []netip.Addr) (err error) {
	defer guarded("FQDN addresses of "+name, &err)
	n, ok := parseID(id)
	if !ok {
		return errors.New("set fqdn addresses: " + id + " is not an item id")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	var parent *item
	table := addressListTable
	for _, tbl := range fqdnTables {
		for _, it := range r.m.tables[tbl] {
			if it.id == n {
				parent, table = it, tbl
			}
		}
	}
	if parent == nil || parent.disabled() || parent.props["address"] != name {
		return errors.New("set addresses of " + name + " for address-list entry " + id + ": " + errStaleFQDN.Error())
	}
	var old []fqdnChild
	for _, rec := range r.m.tables[fqdnTable] {
		if rec.id == n && recTable(rec) == table && fqdnCurrent(r.m, rec) {
			old = parseChildren(rec.props["children"])
		}
	}
	want := slices.Clone(addrs)
	slices.SortFunc(want, netip.Addr.Compare)
	want = slices.Compact(want)
	var next []fqdnChild
	for _, a := range want {
		// An IPv4 list takes the A records, an IPv6 list the AAAA ones
		// (an IPv4-mapped address is no IPv6 host).
		if a.Is4() != (table == addressListTable) || a.Is4In6() {
			continue
		}
		c := fqdnChild{addr: a}
		for _, o := range old {
			if o.addr == a {
				c.id = o.id
			}
		}
		if c.id == 0 {
			c.id = r.newID()
		}
		next = append(next, c)
	}
	if formatChildren(next) == formatChildren(old) {
		return nil
	}
	t := r.begin(false)
	rec := &item{id: n, props: map[string]string{"table": table, "name": name, "list": parent.props["list"], "children": formatChildren(next)}}
	recs := []*item{rec}
	for _, x := range t.m.tables[fqdnTable] {
		if x.id != n {
			recs = append(recs, x)
		}
	}
	t.m.tables[fqdnTable] = recs
	t.changed = true
	return r.commit(t)
}
