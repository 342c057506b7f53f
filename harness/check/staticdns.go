package check

import (
	"net/netip"
	"regexp"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// staticNames reads what the router's own static DNS answers for the
// names of its address lists. RouterOS resolves an address-list entry
// that is a DNS name with its own resolver and keeps the answers as
// dynamic entries of the list (Address-lists page of the manual); that
// resolver answers a name a static entry matches itself, before any
// upstream server (DNS page; docs/routeros.md, "DNS"). So a list entry
// "influxdb.home" beside a static influxdb.home → 172.16.0.17 holds
// 172.16.0.17, whatever the name means on the internet (realcheck19 D2:
// the check took such a list for the public address and offered to
// enable an all-ports dst-nat on it as the hairpin's fix).
//
// It returns, per lower-cased name the static DNS decides, the IPv4
// addresses it answers (none for an NXDOMAIN entry). A name no enabled
// entry matches, or one an entry forwards upstream (FWD) or to a name
// the static DNS does not decide, is left out: the lists stay unknown
// there, as before.
func staticNames(f *export.File, keep func(*export.Command) bool) map[string][]netip.Addr {
	var entries []*export.Command
	for _, c := range f.Commands {
		if c.Verb == "add" && c.MenuPath() == "ip dns static" && keep(c) && enabled(c) {
			entries = append(entries, c)
		}
	}
	out := map[string][]netip.Addr{}
	if len(entries) == 0 {
		return out
	}
	for _, c := range f.Commands {
		if c.Verb != "add" || c.MenuPath() != "ip firewall address-list" || !keep(c) {
			continue
		}
		name := dnsKey(c.Value("address"))
		if _, ok := parseAddrMatch(c.Value("address")); ok || name == "" {
			continue
		}
		if _, done := out[name]; done {
			continue
		}
		if addrs, ok := staticAnswer(entries, name, 0); ok {
			out[name] = addrs
		}
	}
	return out
}

// dnsKey is a name as static entries match it: lower case, no final dot.
func dnsKey(s string) string { return strings.ToLower(strings.TrimSuffix(s, ".")) }

// staticAnswer is what entries answer for name's A records, and whether
// they decide it at all. As rosemu's resolver does (docs/routeros.md,
// "DNS"): regexp entries first, then names (match-subdomain taking the
// name's subdomains too), the first that matches in list order decides;
// every entry of that name with the same type answers (two A entries of
// dns.google give both addresses). A CNAME is followed within the static
// entries a few times. [verify] precedence when entries overlap.
func staticAnswer(entries []*export.Command, name string, depth int) ([]netip.Addr, bool) {
	if depth > 4 {
		return nil, false
	}
	var first *export.Command
	for _, c := range entries {
		if entryType(c) == "AAAA" {
			// An AAAA entry does not answer an A query: the first entry
			// that does decides (rosemu's table.match), so an AAAA line
			// written before the name's A line no longer leaves the A
			// answer undecided (chk57 D8).
			continue
		}
		if re := c.Value("regexp"); re != "" {
			if r, err := regexp.Compile(re); err == nil && r.MatchString(name) {
				first = c
				break
			}
		}
	}
	if first == nil {
		for _, c := range entries {
			if entryType(c) == "AAAA" {
				continue
			}
			n := dnsKey(c.Value("name"))
			if n != "" && (n == name || c.Value("match-subdomain") == "yes" && strings.HasSuffix(name, "."+n)) {
				first = c
				break
			}
		}
	}
	if first == nil {
		return nil, false
	}
	switch entryType(first) {
	case "", "A":
		var addrs []netip.Addr
		for _, c := range entries {
			if t := strings.ToUpper(c.Value("type")); t != "" && t != "A" || !sameEntryName(c, first) {
				continue
			}
			if a, err := netip.ParseAddr(c.Value("address")); err == nil && a.Is4() {
				addrs = append(addrs, a)
			}
		}
		return addrs, true
	case "NXDOMAIN":
		return nil, true
	case "CNAME":
		if t := dnsKey(first.Value("cname")); t != "" {
			return staticAnswer(entries, t, depth+1)
		}
	}
	// FWD is asked upstream; for a name a static entry of another type
	// owns, docs/routeros.md has the A record "asked upstream or
	// answered with no data" [verify]: not decided either way.
	return nil, false
}

// sameEntryName reports whether static entries a and b match by the same
// name or expression.
func sameEntryName(a, b *export.Command) bool {
	if b.Value("regexp") != "" {
		return a.Value("regexp") == b.Value("regexp")
	}
	return a.Value("regexp") == "" && dnsKey(a.Value("name")) == dnsKey(b.Value("name"))
}

// entryType is a static entry's type as RouterOS takes it: type=, or for
// an entry without one, AAAA when its address is IPv6 and A otherwise
// (docs/routeros.md, "DNS").
func entryType(c *export.Command) string {
	if t := strings.ToUpper(c.Value("type")); t != "" {
		return t
	}
	if a, err := netip.ParseAddr(c.Value("address")); err == nil && !a.Is4() {
		return "AAAA"
	}
	return "A"
}
