package config

import (
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/chrlab/chrlab/rosemu/script"
)

// Router advertisements (/ipv6 nd): what the router announces on each
// interface where it has an address to advertise. The service
// (rosemu/service/ra) sends them and answers router solicitations.

// RAInterface is what the router advertises on one interface.
type RAInterface struct {
	// Interface is the kernel's link name.
	Interface string
	// Prefixes are the prefixes of the interface's addresses with
	// advertise=yes, then its /ipv6 nd prefix entries.
	Prefixes []RAPrefix
	// MinInterval and MaxInterval bound the unsolicited advertisements
	// (ra-interval, 3m20s-10m).
	MinInterval, MaxInterval time.Duration
	// Lifetime is the router lifetime (ra-lifetime; 0 for none: not a
	// default router).
	Lifetime time.Duration
	// HopLimit, MTU, ReachableTime and RetransmitTimer are 0 when
	// unspecified.
	HopLimit, MTU                  int
	ReachableTime, RetransmitTimer time.Duration
	Managed, Other                 bool
	// AdvertiseMAC puts the source link-layer address option in.
	AdvertiseMAC bool
	// DNS are the recursive DNS servers announced (RDNSS).
	DNS []netip.Addr
	// Preference is the router preference: low, medium or high.
	Preference string
}

// RAPrefix is one prefix information option.
type RAPrefix struct {
	Prefix             netip.Prefix
	OnLink, Autonomous bool
	Valid, Preferred   time.Duration
}

// RAService sends the router advertisements; rosemu/service/ra's Manager
// implements it.
type RAService interface {
	Update([]RAInterface)
}

// raInterfaces lists what the router advertises, interface by interface,
// in the order of their first advertised address; none while IPv6 is off
// (no address or route, or disable-ipv6).
func raInterfaces(t *tx) []RAInterface {
	if ipv6State(t) == nil {
		return nil
	}
	if its := t.m.tables["ipv6 settings"]; len(its) > 0 && its[0].props["forward"] == "no" {
		// A host, not a router: RouterOS advertises only while it
		// forwards [verify].
		return nil
	}
	def := map[string]string{}
	if its := t.m.tables["ipv6 nd prefix default"]; len(its) > 0 {
		def = its[0].props
	}
	valid := raTime(orDefault(def["valid-lifetime"], "4w2d"), 30*24*time.Hour)
	preferred := raTime(orDefault(def["preferred-lifetime"], "1w"), 7*24*time.Hour)
	autonomous := def["autonomous"] != "no"
	isStored := storedIndex(t.m)
	var out []RAInterface
	index := map[string]int{}
	pooled := t.fromPool()
	for _, a := range t.m.tables["ipv6 address"] {
		ifc := a.props["interface"]
		if a.disabled() || a.props["advertise"] == "no" || ipv6AddressStored(a) != "" || t.addressInvalid(a) || isStored(ifc) {
			continue
		}
		p, ok := ipv6AddrPrefix(a, pooled)
		if !ok {
			continue
		}
		i, ok := index[ifc]
		if !ok {
			nd := ndEntry(t, ifc)
			if nd == nil {
				index[ifc] = -1
				continue
			}
			out = append(out, raSettings(t, nd, kernelName(t.m, ifc)))
			i = len(out) - 1
			index[ifc] = i
		}
		if i < 0 {
			continue
		}
		out[i].Prefixes = append(out[i].Prefixes, RAPrefix{Prefix: p.Masked(), OnLink: true, Autonomous: autonomous, Valid: valid, Preferred: preferred})
	}
	for _, np := range t.m.tables["ipv6 nd prefix"] {
		i, ok := index[np.props["interface"]]
		if np.disabled() || !ok || i < 0 {
			continue
		}
		p, err := netip.ParsePrefix(np.props["prefix"])
		if err != nil {
			continue
		}
		out[i].Prefixes = append(out[i].Prefixes, RAPrefix{Prefix: p.Masked(),
			OnLink: np.props["on-link"] != "no", Autonomous: np.props["autonomous"] != "no",
			Valid:     raTime(orDefault(np.props["valid-lifetime"], "4w2d"), 30*24*time.Hour),
			Preferred: raTime(orDefault(np.props["preferred-lifetime"], "1w"), 7*24*time.Hour)})
	}
	return out
}

// ndEntry is the /ipv6 nd entry that governs ifc: its own, else the
// built-in interface=all; nil when that entry is disabled.
func ndEntry(t *tx, ifc string) *item {
	var all *item
	for _, it := range t.m.tables["ipv6 nd"] {
		switch it.props["interface"] {
		case ifc:
			if it.disabled() {
				return nil
			}
			return it
		case "all":
			if all == nil {
				all = it
			}
		}
	}
	if all == nil || all.disabled() {
		return nil
	}
	return all
}

// raSettings reads an /ipv6 nd entry.
func raSettings(t *tx, nd *item, link string) RAInterface {
	p := nd.props
	ra := RAInterface{Interface: link, Preference: orDefault(p["ra-preference"], "medium"),
		Managed: p["managed-address-configuration"] == "yes", Other: p["other-configuration"] == "yes",
		AdvertiseMAC: p["advertise-mac-address"] != "no"}
	ra.MinInterval, ra.MaxInterval = 200*time.Second, 600*time.Second
	if lo, hi, ok := strings.Cut(orDefault(p["ra-interval"], "3m20s-10m"), "-"); ok {
		ra.MinInterval, ra.MaxInterval = raTime(lo, ra.MinInterval), raTime(hi, ra.MaxInterval)
	}
	if v := orDefault(p["ra-lifetime"], "30m"); v != "none" {
		ra.Lifetime = raTime(v, 30*time.Minute)
	}
	ra.HopLimit, _ = strconv.Atoi(p["hop-limit"])
	ra.MTU, _ = strconv.Atoi(p["mtu"])
	if v := p["reachable-time"]; v != "" && v != "unspecified" {
		ra.ReachableTime = raTime(v, 0)
	}
	if v := p["retransmit-interval"]; v != "" && v != "unspecified" {
		ra.RetransmitTimer = raTime(v, 0)
	}
	if p["advertise-dns"] != "no" {
		ra.DNS = raDNS(t, p["dns"])
	}
	return ra
}

// raDNS is what RDNSS announces: the entry's own dns list, else the IPv6
// servers of /ip dns [verify] which servers RouterOS takes.
func raDNS(t *tx, own string) []netip.Addr {
	list := own
	if list == "" {
		if its := t.m.tables["ip dns"]; len(its) > 0 {
			list = its[0].props["servers"]
		}
	}
	var out []netip.Addr
	for _, s := range strings.Split(list, ",") {
		if a, err := netip.ParseAddr(strings.TrimSpace(s)); err == nil && a.Is6() && !a.Is4In6() {
			out = append(out, a)
		}
	}
	return out
}

// raInfinity is a lifetime of "infinity" (all ones, RFC 4861).
const raInfinity = time.Duration(0xffffffff) * time.Second

// raTime reads a RouterOS time, def when it does not read.
func raTime(v string, def time.Duration) time.Duration {
	if v == "infinity" {
		return raInfinity
	}
	if d, ok := script.ParseTime(v); ok {
		return d
	}
	return def
}
