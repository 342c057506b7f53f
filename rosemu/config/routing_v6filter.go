package config

import (
	"fmt"

	"github.com/chrlab/chrlab/rosemu/routefilter"
)

// RouterOS 6's routing filters (/routing filter, forum39 D4): the chain
// a BGP peer's in-filter or out-filter or an OSPF instance's in-filter or
// out-filter names runs as a BIRD filter when each entry it reaches maps
// to the rule language of 7 (routefilter.V6Rule: prefix, prefix-length,
// invert-match, accept, discard, reject, passthrough, jump, return,
// set-bgp-local-pref, set-bgp-med, set-bgp-prepend). A chain with
// anything else is not applied, and the line naming it says so.

const (
	// v6UnusedChainReason: a /routing filter entry of a chain no run BGP
	// peer or OSPF instance applies.
	v6UnusedChainReason = "no BGP peer or OSPF instance rosemu runs applies the entry's chain (rosemu applies the chains a peer's in-filter or out-filter and an OSPF instance's in-filter or out-filter name, when their entries translate): the entry is stored"
)

// v6BuiltinChainReasons: RouterOS 6's chains that no peer or instance
// names, applied by the router itself to routes of other sources
// (Manual:Routing/Routing filters, https://wiki.mikrotik.com/wiki/Manual:Routing/Routing_filters
// [verify] the list): a 6.x dual-WAN snippet marks its DHCP default
// routes with "chain=dynamic-in ... set-routing-mark=isp1", which was
// reported with the BGP/OSPF reason, as if a peer were missing.
var v6BuiltinChainReasons = map[string]string{
	"dynamic-in":   "RouterOS 6 passes the routes DHCP clients, PPP links and other dynamic sources add through the dynamic-in chain; rosemu cannot evaluate this one: the entry is stored, and those routes keep their own distance, routing mark and check-gateway",
	"connected-in": "RouterOS 6 passes connected routes through the connected-in chain; rosemu does not: the entry is stored, and connected routes are installed unfiltered",
}

// v6UnusedChainWhy says why an entry of an unapplied chain is stored.
func (t *tx) v6UnusedChainWhy(chain string) string {
	if _, err := t.v6DynamicIn(); err != nil && chain == dynamicInChain {
		return v6BuiltinChainReasons[chain] + " (" + err.Error() + ")"
	}
	if why, ok := v6BuiltinChainReasons[chain]; ok {
		return why
	}
	return v6UnusedChainReason
}

// v6FilterChains are the enabled /routing filter entries by chain, as
// rules of 7's language, and the first entry of each chain that does not
// map.
func v6FilterChains(m *model) (routefilter.Chains, map[string]error) {
	chains, bad := routefilter.Chains{}, map[string]error{}
	for _, it := range m.tables["routing filter"] {
		if it.disabled() {
			continue
		}
		c := it.props["chain"]
		text, err := routefilter.V6Rule(it.props)
		if err != nil {
			if bad[c] == nil {
				bad[c] = fmt.Errorf("chain %s, entry %s: %w", c, it.ID(), err)
			}
			continue
		}
		if _, ok := chains[c]; !ok {
			chains[c] = nil
		}
		if text != "" {
			chains[c] = append(chains[c], text)
		}
	}
	return chains, bad
}

// routeFilterV6 is the RouterOS 6 chains entries name (in order; "" is
// none) as one filter rosemu applies, nil when they name none or only
// chains without entries (RouterOS 6 then filters nothing), nil with the
// reason when an entry they reach does not map (the routes then go
// unfiltered). A peer's announcements pass its instance's out-filter,
// then its own (routefilter.V6Chains).
func (t *tx) routeFilterV6(localAS uint32, entries ...string) (*RouteFilter, error) {
	chains, bad := v6FilterChains(t.m)
	var named []string
	for _, entry := range entries {
		if _, ok := chains[entry]; entry == "" || !ok && bad[entry] == nil {
			continue
		}
		for _, c := range routefilter.Reach(chains, entry) {
			if err := bad[c]; err != nil {
				return nil, err
			}
		}
		named = append(named, entry)
	}
	if len(named) == 0 {
		return nil, nil
	}
	all, fn, err := routefilter.V6Chains(chains, named...)
	if err != nil {
		return nil, err
	}
	if _, _, err := routefilter.BIRD(all, routefilter.Lists{}, fn, "f", localAS); err != nil {
		return nil, err
	}
	return &RouteFilter{Chains: all, Lists: routefilter.Lists{}, Entry: fn}, nil
}

// v6FilterWhy says why the RouterOS 6 chain a peer's or instance's key
// names is not applied, "" when it is or names none.
func (t *tx) v6FilterWhy(entry, whose string) string {
	if _, err := t.routeFilterV6(0, entry); err != nil {
		return "rosemu cannot apply the chain (" + err.Error() + "): " + whose + " routes go unfiltered that way"
	}
	return ""
}

// v6FilterUse counts, for NotEnforced, the RouterOS 6 peers and OSPF
// instances whose chain rosemu cannot apply (the BGP instance's
// out-filter too), and the filter entries no run peer or instance applies.
func v6FilterUse(t *tx) []NotEnforcedItem {
	if !t.v6() {
		return nil
	}
	var out []NotEnforcedItem
	for _, key := range []string{"in-filter", "out-filter"} {
		out = append(out, storedUse(t.m, "routing bgp peer", key, func(it *item) string {
			if it.disabled() || bgpStored(t, "routing bgp peer", it) != "" {
				return ""
			}
			return t.v6FilterWhy(it.props[key], "the session's")
		})...)
	}
	out = append(out, v6InstanceFilterUse(t)...)
	used := t.usedChains()
	out = append(out, storedUse(t.m, "routing filter", "", func(it *item) string {
		if used[it.props["chain"]] {
			return ""
		}
		return t.v6UnusedChainWhy(it.props["chain"])
	})...)
	return out
}

// v6InstanceFilterUse: the built-in instances are left out of storedUse,
// so their filters are counted here.
func v6InstanceFilterUse(t *tx) []NotEnforcedItem {
	var out []NotEnforcedItem
	for _, it := range t.m.tables["routing ospf instance"] {
		if it.disabled() {
			continue
		}
		for _, key := range []string{"in-filter", "out-filter"} {
			if why := t.v6FilterWhy(ospfV6Filter(it, key), "the instance's"); why != "" {
				out = append(out, NotEnforcedItem{Path: "/routing ospf instance", Property: key, Reason: why, Count: 1})
			}
		}
	}
	for _, it := range t.m.tables["routing bgp instance"] {
		if why := bgpInstanceOutFilterWhy(t, it.props["out-filter"]); why != "" && !it.disabled() {
			out = append(out, NotEnforcedItem{Path: "/routing bgp instance", Property: "out-filter", Reason: why, Count: 1})
		}
	}
	return out
}

// bgpInstanceOutFilterWhy: a v6 BGP instance's out-filter runs before
// each peer's own; a chain that does not translate is left out, and the
// peers' announcements pass their own out-filter only (bgpPeerV6).
func bgpInstanceOutFilterWhy(t *tx, chain string) string {
	if _, err := t.routeFilterV6(0, chain); err != nil {
		return "rosemu cannot apply the chain (" + err.Error() + "): it is not enforced, the peers' routes pass their own out-filter only"
	}
	return ""
}

// ospfV6Filter is the chain a RouterOS 6 OSPF instance's in-filter or
// out-filter names (ospf-in and ospf-out unless set).
func ospfV6Filter(it *item, key string) string {
	if v, ok := it.props[key]; ok {
		return v
	}
	return map[string]string{"in-filter": "ospf-in", "out-filter": "ospf-out"}[key]
}
