package config

import (
	"net/netip"
	"time"

	"github.com/chrlab/chrlab/rosemu/script"
)

// A static DNS entry's address-list= (RouterOS 7.5 and later): when the
// router's resolver answers a name the entry matches, the IPv4 addresses
// of the answer go to that firewall address list as dynamic entries that
// time out with the answer's TTL plus /ip dns address-list-extra-time, so
// that rules can match the traffic that follows the lookup (selective
// routing by domain name). The DNS service reports each answer with
// AddDNSListEntries. Source: the DNS page of the manual
// (https://help.mikrotik.com/docs/display/ROS/DNS, static entries,
// address-list). [verify] on a CHR: the entries' timeout (TTL, with the
// extra time added) and that an answer to an existing entry renews it.

// AddDNSListEntries adds addrs to list as dynamic entries for ttl (plus
// the configured extra time): an address already in the list as a
// dynamic entry gets the later expiry, a static one is left as it is.
func (r *Router) AddDNSListEntries(list string, addrs []netip.Addr, ttl time.Duration) (err error) {
	defer guarded("DNS address list "+list, &err)
	r.mu.Lock()
	defer r.mu.Unlock()
	t := r.begin(false)
	extra := time.Duration(0)
	if its := t.m.tables["ip dns"]; len(its) > 0 {
		if d, ok := script.ParseTime(its[0].props["address-list-extra-time"]); ok {
			extra = d
		}
	}
	expires := t.now.Add(ttl + extra)
	for _, a := range addrs {
		if !a.Is4() {
			continue // IPv6 lists are /ipv6 firewall address-list [verify]
		}
		var have *item
		for _, it := range t.m.tables[addressListTable] {
			if it.props["list"] == list && it.props["address"] == a.String() && !it.disabled() {
				have = it
				break
			}
		}
		switch {
		case have == nil:
			it := &item{id: r.newID(), dynamic: true, expires: expires, props: map[string]string{
				"list": list, "address": a.String(), "timeout": script.FormatTimeCompact(ttl + extra)}}
			t.m.tables[addressListTable] = append(t.m.tables[addressListTable], it)
			t.changed = true
		case have.dynamic && !have.expires.IsZero() && have.expires.Before(expires):
			have.expires = expires
			t.changed = true
		}
	}
	return r.commit(t)
}
