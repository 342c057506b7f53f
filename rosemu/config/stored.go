package config

import (
	"strconv"
	"strings"
)

// Helpers for the many menus rosemu stores with RouterOS's property names
// and value checks but does not enforce (menu.notEnforced says why). They
// keep the menu tables of those files short: one line per property.

// bProp is a yes/no property with its default, shown by print.
func bProp(name, def string) *prop {
	return &prop{name: name, parse: pBool, def: def, show: true, isBool: true}
}

// sProp is a free text property, shown by print with its default.
func sProp(name, def string) *prop {
	return &prop{name: name, parse: pString, def: def, show: true}
}

// keepaliveProp is a tunnel's keepalive: 10s,10 on a new tunnel, off
// once unset ("!keepalive" on add or set, or unset), as RouterOS 7
// exports write a tunnel without keepalive ("add !keepalive ...").
func keepaliveProp() *prop {
	p := sProp("keepalive", "10s,10")
	p.unsetOff = true
	return p
}

// eProp is one of the listed words.
func eProp(name, def string, vals ...string) *prop {
	return &prop{name: name, parse: pEnum(vals...), def: def, show: true}
}

// iProp is a whole number in [min, max].
func iProp(name, def string, min, max int) *prop {
	return &prop{name: name, parse: pInt(min, max), def: def, show: true}
}

// withParse is a property with its own parser.
func withParse(name, def string, p parser) *prop {
	return &prop{name: name, parse: p, def: def, show: true}
}

// writtenAlways marks a property exports write at its default too.
func writtenAlways(p *prop) *prop { p.writeDefault = true; return p }

// copyProp is a copy of a property shared by many menus (disabled), for a
// menu that marks its own.
func copyProp(p *prop) *prop { c := *p; return &c }

// writesDefaultIn reports whether version v's exports write the
// property at its default (writeDefaultSince).
func (p *prop) writesDefaultIn(v string) bool {
	if p.writeDefaultSince == "" || v == "" {
		return true
	}
	major, minor, _ := strings.Cut(p.writeDefaultSince, ".")
	n, _ := strconv.Atoi(minor)
	if major == "6" && !strings.HasPrefix(v, "6.") {
		return true // every 7.x
	}
	if major == "7" && strings.HasPrefix(v, "6.") {
		return false
	}
	m, _ := strconv.Atoi(major)
	return versionAtLeast(v, m, n)
}

// namedDefault is a property that names an item of menu table and takes
// by default the default entry that was created as def (a server's
// default-profile, a hotspot user's profile).
func namedDefault(name, def, table string) *prop {
	p := withParse(name, def, pNamed(table))
	p.defaultEntryOf = table
	return p
}

// onlyV6 and onlyV7 mark a property that exists only in that major
// version: RouterOS 7 has /system ntp client servers where 6 has
// primary-ntp and secondary-ntp.
func onlyV6(p *prop) *prop { p.major = 6; return p }
func onlyV7(p *prop) *prop { p.major = 7; return p }

// forVersion reports whether the property exists in RouterOS version v.
func (p *prop) forVersion(v string) bool {
	if p.sinceMinor7 > 0 && v != "" && !versionAtLeast(v, 7, p.sinceMinor7) {
		return false
	}
	if p.beforeMinor7 > 0 && v != "" && !strings.HasPrefix(v, "6.") && versionAtLeast(v, 7, p.beforeMinor7) {
		return false
	}
	if p.sinceMinor6 > 0 && strings.HasPrefix(v, "6.") && !versionAtLeast(v, 6, p.sinceMinor6) {
		return false
	}
	if p.beforeMinor6 > 0 && v != "" && (!strings.HasPrefix(v, "6.") || versionAtLeast(v, 6, p.beforeMinor6)) {
		return false
	}
	if p.major == 0 {
		return true
	}
	if strings.HasPrefix(v, "6.") || v == "6" {
		return p.major == 6
	}
	return p.major == 7
}

// pHost is an IPv4 or IPv6 address, or a DNS name where names are
// allowed (NTP servers, syslog targets).
func pHost(_ *tx, name, v string) (string, error) {
	if v == "" {
		return "", errInvalid(name)
	}
	if c, ok := normAddr(v); ok && !strings.Contains(c, "/") && !strings.Contains(c, "-") {
		return c, nil
	}
	if a, ok := parseAddr6(v); ok {
		return a, nil
	}
	if _, err := pDNSName(nil, name, v); err != nil || strings.ContainsAny(v, "/ ,") {
		return "", errInvalid(name)
	}
	return v, nil
}

// pAddrList4 is a comma list of IPv4 hosts and networks (/snmp community
// addresses, /ip ssh's allowed nets); RouterOS stores networks masked.
func pAddrList4(_ *tx, name, v string) (string, error) {
	if v == "" {
		return "", nil
	}
	var out []string
	for _, s := range strings.Split(v, ",") {
		c, ok := normAddr(s)
		if !ok || strings.Contains(c, "-") {
			if p, ok6 := parsePrefix6(s); ok6 {
				out = append(out, p)
				continue
			}
			return "", errInvalid(name)
		}
		out = append(out, c)
	}
	return strings.Join(out, ","), nil
}

// pPrefixList4 is pAddrList4 keeping a host written as /32 so: an SNMP
// community's addresses (a 6.47.6 CHR's "add
// addresses=192.168.99.180/32,192.168.99.170/32 name=globus", 6.49.18 to
// 7.23.7 the same; realcheck35 D8).
func pPrefixList4(t *tx, name, v string) (string, error) {
	out, err := pAddrList4(t, name, v)
	if err != nil || v == "" {
		return out, err
	}
	given, got := strings.Split(v, ","), strings.Split(out, ",")
	for i := range got {
		if i < len(given) && strings.HasSuffix(strings.TrimSpace(given[i]), "/32") && !strings.Contains(got[i], "/") {
			got[i] += "/32"
		}
	}
	return strings.Join(got, ","), nil
}

// pIfListNeg is an interface list name, negated with a leading "!"
// where the menu allows it (discover-interface-list=!dynamic).
func pIfListNeg(t *tx, name, v string) (string, error) {
	return pNeg(pIfList)(t, name, v)
}

// pIfOrAll is an interface name or "all" (/ipv6 nd interface=all,
// /tool graphing interface).
func pIfOrAll(t *tx, name, v string) (string, error) {
	if v == "all" || t.ifaceExists(v) {
		return v, nil
	}
	return "", errNoMatch(name)
}

// pTime is any RouterOS time, stored compact.
func pTime(t *tx, name, v string) (string, error) {
	return pDuration(0, 1<<62)(t, name, v)
}

// pTimeOr is a time or one of the words (ra-lifetime=none,
// dpd-interval=disable-dpd).
func pTimeOr(words ...string) parser {
	return func(t *tx, name, v string) (string, error) {
		for _, w := range words {
			if v == w {
				return v, nil
			}
		}
		return pTime(t, name, v)
	}
}

// pPortNum is one TCP or UDP port number (1-65535).
var pPortNum = pInt(1, 65535)
