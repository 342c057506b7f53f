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
	extra := time.Duration(0)
	if its := r.m.tables["ip dns"]; len(its) > 0 {
		if d, ok := script.ParseTime(its[0].props["address-list-extra-time"]); ok {
			extra = d
		}
	}
	now := time.Now()
	expires := now.Add(ttl + extra)
	var add []netip.Addr
	for _, a := range addrs {
		if !a.Is4() {
			continue // IPv6 lists are /ipv6 firewall address-list [verify]
		}
		var have *item
		for _, it := range r.m.tables[addressListTable] {
			if it.props["list"] == list && it.props["address"] == a.String() && !it.disabled() {
				have = it
				break
			}
		}
		switch {
		case have == nil:
			add = append(add, a)
		case have.dynamic && !have.expires.IsZero() && have.expires.Before(expires):
			// A later expiry changes no packet path: it is set on the
			// committed model without a transaction or a kernel apply,
			// as a lease's status is (every lookup of a busy name would
			// reload the firewall otherwise).
			have.expires = expires
		}
	}
	if len(add) == 0 {
		return nil
	}
	t := r.begin(false)
	for _, a := range add {
		t.m.tables[addressListTable] = append(t.m.tables[addressListTable], &item{id: r.newID(), dynamic: true, expires: expires,
			props: map[string]string{"list": list, "address": a.String(), "timeout": script.FormatTimeCompact(ttl + extra)}})
	}
	t.changed = true
	return r.commit(t)
}
