package dns

import (
	"net/netip"
	"regexp"
	"strings"

	"github.com/miekg/dns"

	"github.com/chrlab/chrlab/rosemu/config"
)

// table is /ip dns static prepared for matching (docs/routeros.md): regexp
// entries are checked before name entries, each group in list order, and
// the first entry that matches the lower-cased name and answers the type
// decides. The notes call overlapping entries undefined on RouterOS;
// rosemu's rule is this one.
type table struct {
	regexps []entry
	names   []entry
}

type entry struct {
	config.DNSStatic
	re *regexp.Regexp
}

// newTable compiles the entries. The engine refused expressions that do not
// compile, so an entry that still fails is left out rather than matched.
func newTable(static []config.DNSStatic) *table {
	t := &table{}
	for _, s := range static {
		if s.Regexp == "" {
			t.names = append(t.names, entry{DNSStatic: s})
			continue
		}
		re, err := regexp.CompilePOSIX(s.Regexp)
		if err != nil {
			continue
		}
		t.regexps = append(t.regexps, entry{DNSStatic: s, re: re})
	}
	return t
}

// matches reports whether the entry covers name (lower case, no trailing
// dot). Regexps search the name unanchored, as regexec does.
func (e *entry) matches(name string) bool {
	if e.re != nil {
		return e.re.MatchString(name)
	}
	return name == e.Name || (e.MatchSubdomain && strings.HasSuffix(name, "."+e.Name))
}

// answers reports whether the entry answers queries of type qtype: address
// entries their own type, the others every type.
func (e *entry) answers(qtype uint16) bool {
	switch e.Type {
	case "A":
		return qtype == dns.TypeA || qtype == dns.TypeANY
	case "AAAA":
		return qtype == dns.TypeAAAA || qtype == dns.TypeANY
	}
	return true
}

// match returns the entry that answers name and qtype, and whether any
// entry matched the name at all (then the router answers the name itself,
// the "authority" rule in docs/routeros.md).
func (t *table) match(name string, qtype uint16) (*entry, bool) {
	matched := false
	for _, group := range [][]entry{t.regexps, t.names} {
		for i := range group {
			e := &group[i]
			if !e.matches(name) {
				continue
			}
			matched = true
			if e.answers(qtype) {
				return e, true
			}
		}
	}
	return nil, matched
}

// reverse returns the first name entry whose address the PTR name stands
// for; regexp entries give no PTR answers (docs/routeros.md).
func (t *table) reverse(name string) (*entry, bool) {
	a, ok := reverseAddr(name)
	if !ok {
		return nil, false
	}
	for i := range t.names {
		e := &t.names[i]
		if (e.Type == "A" || e.Type == "AAAA") && e.Address == a {
			return e, true
		}
	}
	return nil, false
}

// reverseAddr parses 4.3.2.1.in-addr.arpa and the nibble form of ip6.arpa.
func reverseAddr(name string) (netip.Addr, bool) {
	if rest, ok := strings.CutSuffix(name, ".in-addr.arpa"); ok {
		parts := strings.Split(rest, ".")
		if len(parts) != 4 {
			return netip.Addr{}, false
		}
		for i, j := 0, 3; i < j; i, j = i+1, j-1 {
			parts[i], parts[j] = parts[j], parts[i]
		}
		a, err := netip.ParseAddr(strings.Join(parts, "."))
		return a, err == nil && a.Is4()
	}
	if rest, ok := strings.CutSuffix(name, ".ip6.arpa"); ok {
		nib := strings.Split(rest, ".")
		if len(nib) != 32 {
			return netip.Addr{}, false
		}
		var b [16]byte
		for i, n := range nib {
			if len(n) != 1 {
				return netip.Addr{}, false
			}
			v := strings.IndexByte("0123456789abcdef", n[0])
			if v < 0 {
				return netip.Addr{}, false
			}
			pos := 31 - i
			if pos%2 == 0 {
				b[pos/2] |= byte(v) << 4
			} else {
				b[pos/2] |= byte(v)
			}
		}
		return netip.AddrFrom16(b), true
	}
	return netip.Addr{}, false
}
