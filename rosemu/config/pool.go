package config

import (
	"net/netip"
	"strings"
)

// The /ip pool menu (https://help.mikrotik.com/docs/spaces/ROS/pages/24805498/IP+Pools):
// named address ranges the DHCP server leases from; next-pool continues
// with another pool when one is exhausted.

const poolTable = "ip pool"

var poolMenu = &menu{
	path: "ip pool", nameProp: "name",
	props: []*prop{
		{name: "name", parse: pItemName, required: true},
		{name: "ranges", parse: pRanges, required: true},
		{name: "next-pool", parse: pNextPool, def: "none", show: true},
		comment,
	},
	check:   checkPool,
	columns: []string{"name", "ranges"},
}

// AddrRange is an inclusive IPv4 address range.
type AddrRange struct{ From, To netip.Addr }

// Contains reports whether a lies in the range.
func (r AddrRange) Contains(a netip.Addr) bool {
	return r.From.Compare(a) <= 0 && a.Compare(r.To) <= 0
}

// parseRange reads "a-b", "a/len" or "a".
func parseRange(s string) (AddrRange, bool) {
	s = strings.TrimSpace(s)
	if f, t, ok := strings.Cut(s, "-"); ok {
		from, ok1 := parseIP4(f)
		to, ok2 := parseIP4(t)
		if !ok1 || !ok2 || to.Less(from) {
			return AddrRange{}, false
		}
		return AddrRange{from, to}, true
	}
	if p, err := netip.ParsePrefix(s); err == nil && p.Addr().Is4() {
		return AddrRange{p.Masked().Addr(), lastAddr(p)}, true
	}
	if a, ok := parseIP4(s); ok {
		return AddrRange{a, a}, true
	}
	return AddrRange{}, false
}

// pRanges takes a comma list of ranges; a range whose end lies before its
// start is refused. [verify] RouterOS's wording.
func pRanges(_ *tx, name, v string) (string, error) {
	var out []string
	for _, f := range strings.Split(v, ",") {
		if _, ok := parseRange(f); !ok {
			return "", errInvalid(name)
		}
		out = append(out, strings.TrimSpace(f))
	}
	return strings.Join(out, ","), nil
}

func pNextPool(t *tx, name, v string) (string, error) {
	if v == "none" || t.findByName(poolTable, v) != nil {
		return v, nil
	}
	return "", errNoMatch(name)
}

// checkPool keeps pool names unique. [verify] RouterOS's wording.
func checkPool(t *tx, it *item) error {
	for _, x := range t.m.tables[poolTable] {
		if x.id != it.id && x.props["name"] == it.props["name"] {
			return errFailure("name", "pool with such name exists")
		}
	}
	return nil
}

func poolRanges(v string) []AddrRange {
	var out []AddrRange
	for _, f := range strings.Split(v, ",") {
		if r, ok := parseRange(f); ok {
			out = append(out, r)
		}
	}
	return out
}

// poolChain returns the ranges of a pool followed by those of its
// next-pool chain, each pool once.
func poolChain(m *model, name string) []AddrRange {
	var out []AddrRange
	seen := map[string]bool{}
	for name != "" && name != "none" && !seen[name] {
		seen[name] = true
		var p *item
		for _, x := range m.tables[poolTable] {
			if x.props["name"] == name {
				p = x
			}
		}
		if p == nil {
			break
		}
		out = append(out, poolRanges(p.props["ranges"])...)
		name = p.props["next-pool"]
	}
	return out
}
