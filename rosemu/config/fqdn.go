package config

import (
	"errors"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// Address-list entries with a DNS name (docs/routeros.md). The static entry keeps
// the name and is exported; the FQDN service (rosemu/service/fqdn) resolves
// it with the router's own resolver and reports the A records through
// SetFQDNAddresses. The engine shows one dynamic child entry per address,
// in the same list with the name as comment, and puts the children in
// kernel.State so that the firewall matches them. Children are derived
// from the parent on every read, as the DHCP client's addresses are: an
// entry that is disabled, removed, renamed or moved to another list loses
// its children in the same transaction.

// FQDNEntry is one enabled address-list entry whose address is a DNS name.
type FQDNEntry struct {
	ID   string
	List string
	Name string
}

// FQDNService is told the enabled FQDN entries after every committed
// change: package rosemu/service/fqdn implements it. The engine calls
// Update with the router's lock held, so Update must return quickly and
// must not call back into the Router.
type FQDNService interface {
	Update([]FQDNEntry)
}

// fqdnTable holds, per FQDN entry (same id), the name and list it was
// resolved for and the children as "address@id" pairs. No menu shows it.
const fqdnTable = "ip firewall address-list fqdn"

const addressListTable = "ip firewall address-list"

// isFQDN reports whether a stored address-list address is a DNS name.
func isFQDN(addr string) bool {
	_, ok := addrEntry(addr)
	return addr != "" && !ok
}

// fqdnEntries lists the enabled FQDN entries for the service.
func fqdnEntries(m *model) []FQDNEntry {
	var out []FQDNEntry
	for _, it := range m.tables[addressListTable] {
		if !it.disabled() && isFQDN(it.props["address"]) {
			out = append(out, FQDNEntry{ID: it.ID(), List: it.props["list"], Name: it.props["address"]})
		}
	}
	return out
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
	for _, it := range m.tables[addressListTable] {
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

// fqdnChildren are the dynamic entries of the current records, in the
// order of their parents and addresses.
func (t *tx) fqdnChildren() []*item {
	var out []*item
	for _, rec := range t.m.tables[fqdnTable] {
		if !fqdnCurrent(t.m, rec) {
			continue
		}
		for _, c := range parseChildren(rec.props["children"]) {
			out = append(out, &item{id: c.id, dynamic: true, props: map[string]string{
				"list": rec.props["list"], "address": c.addr.String(), "comment": rec.props["name"],
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

// SetFQDNAddresses records the A records the name of entry id resolved to
// (none: the name does not resolve), as one transaction: the children
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
	for _, it := range r.m.tables[addressListTable] {
		if it.id == n {
			parent = it
		}
	}
	if parent == nil || parent.disabled() || parent.props["address"] != name {
		return errors.New("set addresses of " + name + " for address-list entry " + id + ": " + errStaleFQDN.Error())
	}
	var old []fqdnChild
	for _, rec := range r.m.tables[fqdnTable] {
		if rec.id == n && fqdnCurrent(r.m, rec) {
			old = parseChildren(rec.props["children"])
		}
	}
	want := slices.Clone(addrs)
	slices.SortFunc(want, netip.Addr.Compare)
	want = slices.Compact(want)
	var next []fqdnChild
	for _, a := range want {
		if !a.Is4() {
			continue // IPv6 lists (/ipv6 firewall address-list) use AAAA; not modelled
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
	rec := &item{id: n, props: map[string]string{"name": name, "list": parent.props["list"], "children": formatChildren(next)}}
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
