package config

import (
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"
)

// RouterOS 6 passes the routes its DHCP clients and PPP links add through
// /routing filter's dynamic-in chain (wiki Manual:Routing/Routing_filters,
// https://wiki.mikrotik.com/wiki/Manual:Routing/Routing_filters: "dynamic-in
// - routes from DHCP, PPP, ..." [verify] the exact list of sources). A
// dual-WAN export marks its DHCP default routes there: "add chain=dynamic-in
// distance=10 set-check-gateway=ping set-routing-mark=isp1". rosemu runs the
// chain in Go on the routes dhcpRoutes, pppoeRoutes and pppServerRoutes
// make, before anything installs, prints or watches them, when each entry
// the chain reaches uses only what dynInKeys lists; otherwise the chain is
// stored and the routes go unfiltered, and the entry's line says why.

const dynamicInChain = "dynamic-in"

// dynInKeys are the properties rosemu evaluates on a dynamic route.
var dynInKeys = map[string]bool{"chain": true, "action": true, "jump-target": true, "comment": true, "disabled": true, "invert-match": true,
	"prefix": true, "prefix-length": true, "distance": true, "routing-mark": true,
	"set-distance": true, "set-routing-mark": true, "set-check-gateway": true}

// v6DynamicIn is the dynamic-in chain and the chains it jumps to, nil
// when RouterOS 6's dynamic-in has no enabled entry or this is RouterOS 7;
// an error names the first entry rosemu cannot evaluate.
func (t *tx) v6DynamicIn() (map[string][]*item, error) {
	if !t.v6() {
		return nil, nil
	}
	chains := map[string][]*item{}
	for _, it := range t.m.tables["routing filter"] {
		if !it.disabled() {
			chains[it.props["chain"]] = append(chains[it.props["chain"]], it)
		}
	}
	if len(chains[dynamicInChain]) == 0 {
		return nil, nil
	}
	reached := map[string][]*item{}
	var walk func(c string) error
	walk = func(c string) error {
		if _, ok := reached[c]; ok {
			return nil
		}
		reached[c] = chains[c]
		for _, it := range chains[c] {
			if err := dynInCheck(it); err != nil {
				return fmt.Errorf("chain %s, entry %s: %w", c, it.ID(), err)
			}
			if it.props["action"] == "jump" {
				if err := walk(it.props["jump-target"]); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := walk(dynamicInChain); err != nil {
		return nil, err
	}
	return reached, nil
}

// dynInCheck refuses an entry with a matcher or setter rosemu does not
// evaluate on dynamic routes, or a value it cannot read.
func dynInCheck(it *item) error {
	var other []string
	for k, v := range it.props {
		if !dynInKeys[k] && v != "" {
			other = append(other, k+"="+v)
		}
	}
	if len(other) > 0 {
		sort.Strings(other)
		return fmt.Errorf("%s is not modelled on dynamic routes", other[0])
	}
	if a := it.props["action"]; a == "log" {
		return fmt.Errorf("action=log is not modelled on dynamic routes")
	}
	if v := it.props["prefix"]; v != "" {
		if p, err := netip.ParsePrefix(v); err != nil || !p.Addr().Is4() {
			return fmt.Errorf("prefix=%s: want an IPv4 prefix", v)
		}
	}
	for _, k := range []string{"prefix-length", "distance"} {
		if v := it.props[k]; v != "" {
			if _, _, ok := intRange(v); !ok {
				return fmt.Errorf("%s=%s: want N or N-M", k, v)
			}
		}
	}
	if v := it.props["set-distance"]; v != "" {
		if n, err := strconv.Atoi(v); err != nil || n < 0 || n > 255 {
			return fmt.Errorf("set-distance=%s: want 0-255", v)
		}
	}
	if v := it.props["set-check-gateway"]; v != "" && v != "ping" && v != "arp" && v != "none" {
		return fmt.Errorf("set-check-gateway=%s: want ping, arp or none", v)
	}
	return nil
}

// intRange reads "N" or "N-M".
func intRange(v string) (lo, hi int, ok bool) {
	a, b, rng := strings.Cut(v, "-")
	lo, err1 := strconv.Atoi(a)
	hi, err2 := lo, err1
	if rng {
		hi, err2 = strconv.Atoi(b)
	}
	return lo, hi, err1 == nil && err2 == nil && lo <= hi
}

// applyDynamicIn runs the dynamic-in chain on routes: a discarded or
// rejected route is left out (RouterOS 6 does not install it [verify]
// whether reject keeps it listed as filtered), an accepted one or one
// that reaches the chain's end carries the setters it met. A chain rosemu
// cannot evaluate leaves routes as they are; NotEnforced says so.
func (t *tx) applyDynamicIn(routes []*item) []*item {
	chains, err := t.v6DynamicIn()
	if err != nil || chains == nil {
		return routes
	}
	out := routes[:0:0]
	for _, r := range routes {
		if dynInRun(chains, dynamicInChain, r.props, 0) != "discard" {
			out = append(out, r)
		}
	}
	return out
}

// dynInRun walks chain for a route (its props, set in place) and returns
// "accept", "discard" or "" (the chain's end or return: back to the
// caller, which goes on; the top chain's end accepts).
func dynInRun(chains map[string][]*item, chain string, props map[string]string, depth int) string {
	if depth > 16 {
		return "" // a jump loop; RouterOS's limit is not documented [verify]
	}
	for _, it := range chains[chain] {
		if dynInMatch(it.props, props) == (it.props["invert-match"] == "yes") {
			continue
		}
		if v := it.props["set-distance"]; v != "" {
			props["distance"] = v
		}
		if v := it.props["set-routing-mark"]; v != "" {
			props["routing-mark"] = v
		}
		switch v := it.props["set-check-gateway"]; v {
		case "ping", "arp":
			props["check-gateway"] = v
		case "none":
			delete(props, "check-gateway")
		}
		switch it.props["action"] {
		case "accept":
			return "accept"
		case "discard", "reject":
			return "discard"
		case "return":
			return ""
		case "jump":
			if v := dynInRun(chains, it.props["jump-target"], props, depth+1); v != "" {
				return v
			}
		}
	}
	return ""
}

// dynInMatch reports whether every matcher of an entry holds for a route.
// prefix alone is the route's destination exactly; with prefix-length the
// destinations within it of those lengths (as routefilter.V6Rule reads
// them for BGP and OSPF).
func dynInMatch(e, r map[string]string) bool {
	dst, _ := netip.ParsePrefix(orDefault(r["dst-address"], "0.0.0.0/0"))
	if v := e["prefix"]; v != "" || e["prefix-length"] != "" {
		p, _ := netip.ParsePrefix(orDefault(v, "0.0.0.0/0"))
		p = p.Masked()
		if pl := e["prefix-length"]; pl == "" {
			if dst.Masked() != p {
				return false
			}
		} else {
			lo, hi, _ := intRange(pl)
			if !p.Contains(dst.Addr()) || dst.Bits() < p.Bits() || dst.Bits() < lo || dst.Bits() > hi {
				return false
			}
		}
	}
	if v := e["distance"]; v != "" {
		lo, hi, _ := intRange(v)
		d, _ := strconv.Atoi(orDefault(r["distance"], "1"))
		if d < lo || d > hi {
			return false
		}
	}
	if v := e["routing-mark"]; v != "" && v != r["routing-mark"] {
		return false
	}
	return true
}
