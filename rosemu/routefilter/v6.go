package routefilter

import (
	"fmt"
	"net/netip"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// RouterOS 6's /routing filter entries are rules of one line each: the
// matchers (prefix, prefix-length), the setters (set-bgp-local-pref, ...)
// and an action (accept, discard, reject, passthrough, jump, return),
// wiki Manual:Routing/Routing_filters
// (https://wiki.mikrotik.com/wiki/Manual:Routing/Routing_filters).
// V6Rule writes one such entry in RouterOS 7's rule language, so that the
// renderer above turns v6 chains into BIRD functions as it does v7's.

// v6Keys are the properties of an entry that are not matchers or setters.
var v6Keys = map[string]bool{"chain": true, "action": true, "jump-target": true, "comment": true, "disabled": true, "invert-match": true,
	"prefix": true, "prefix-length": true, "set-bgp-local-pref": true, "set-bgp-prepend": true, "set-bgp-med": true, "set-distance": true}

// chainName is a chain name the rule language can carry after "jump".
var chainName = regexp.MustCompile(`^[A-Za-z0-9_.:-]+$`)

// V6Rule writes a RouterOS 6 filter entry (its properties as set) as a
// RouterOS 7 rule; "" for an entry that does nothing (passthrough with
// no setter). What does not map (the other matchers, the other setters, action=log, an IPv6 prefix) is an error naming it.
//
// prefix alone matches that prefix exactly; with prefix-length it
// matches the prefixes within it whose length is in the range (the
// manual's "prefix=0.0.0.0/0 prefix-length=0-32" matches every route,
// and "prefix=0.0.0.0/0 action=discard" the default route only).
// [verify] on a 6.49 CHR.
func V6Rule(props map[string]string) (string, error) {
	var other []string
	for k, v := range props {
		if !v6Keys[k] && v != "" {
			other = append(other, k+"="+v)
		}
	}
	if len(other) > 0 {
		sort.Strings(other)
		return "", fmt.Errorf("%s is not modelled", other[0])
	}
	var conds []string
	pfx, plen := props["prefix"], props["prefix-length"]
	if pfx != "" || plen != "" {
		p, err := netip.ParsePrefix(orZero(pfx))
		if err != nil || !p.Addr().Is4() {
			return "", fmt.Errorf("prefix=%s: want an IPv4 prefix", pfx)
		}
		switch {
		case plen == "":
			conds = append(conds, "dst=="+p.Masked().String())
		default:
			lo, hi, rng := strings.Cut(plen, "-")
			a, err1 := strconv.Atoi(lo)
			b, err2 := strconv.Atoi(hi)
			if !rng {
				b, err2 = a, err1
			}
			if err1 != nil || err2 != nil || a < 0 || b > 32 || a > b {
				return "", fmt.Errorf("prefix-length=%s: want N or N-M within 0-32", plen)
			}
			conds = append(conds, "dst in "+p.Masked().String(), fmt.Sprintf("dst-len in %d-%d", a, b))
		}
	}
	var acts []string
	if v := props["set-bgp-local-pref"]; v != "" {
		acts = append(acts, "set bgp-local-pref "+v)
	}
	if v := props["set-bgp-med"]; v != "" {
		acts = append(acts, "set bgp-med "+v)
	}
	if v := props["set-distance"]; v != "" {
		// "set-distance (integer): assign value to the distance", wiki
		// Manual:Routing/Routing_filters; 7's "set distance N".
		if n, err := strconv.Atoi(v); err != nil || n < 0 || n > 255 {
			return "", fmt.Errorf("set-distance=%s: want 0 to 255", v)
		}
		acts = append(acts, "set distance "+v)
	}
	if v := props["set-bgp-prepend"]; v != "" {
		acts = append(acts, "set bgp-path-prepend "+v)
	}
	switch a := props["action"]; a {
	case "accept", "return":
		acts = append(acts, a)
	case "discard", "reject":
		// "reject ... For outgoing filters it's the same as 'discard'";
		// an incoming rejected route is kept, inactive, which leaves it
		// out of the table as discard does.
		acts = append(acts, "reject")
	case "jump":
		t := props["jump-target"]
		if !chainName.MatchString(t) {
			return "", fmt.Errorf("action=jump jump-target=%q: want a chain name", t)
		}
		acts = append(acts, "jump "+t)
	case "", "passthrough":
	default:
		return "", fmt.Errorf("action=%s is not modelled", a)
	}
	if len(acts) == 0 {
		return "", nil
	}
	body := strings.Join(acts, "; ")
	if len(conds) == 0 {
		if props["invert-match"] == "yes" {
			return "", nil // no matcher, inverted: matches nothing
		}
		return body, nil
	}
	cond := strings.Join(conds, " && ")
	if props["invert-match"] == "yes" {
		cond = "!(" + cond + ")"
	}
	return "if (" + cond + ") { " + body + " }", nil
}

func orZero(p string) string {
	if p == "" {
		return "0.0.0.0/0"
	}
	return p
}

// V6Entry is the name of the chain V6Chains adds to run a RouterOS 6
// filter: no RouterOS chain has a space in its name.
const V6Entry = "v6 filter"

// V6Chains makes the chains entries name applicable, in order: RouterOS
// 6 accepts a route that reaches the end of the filter without a decision
// (an empty chain filters nothing), while the renderer rejects it as
// RouterOS 7 does; the chain V6Entry jumps to each entry ("" is none) and
// then accepts, so an earlier entry's accept or reject is final and an
// undecided route goes on to the next. [verify] the v6 default on a CHR.
func V6Chains(chains Chains, entries ...string) (Chains, string, error) {
	var body []string
	for _, entry := range entries {
		if entry == "" {
			continue
		}
		if !chainName.MatchString(entry) {
			return nil, "", fmt.Errorf("chain %q: want a chain name", entry)
		}
		body = append(body, "jump "+entry)
	}
	out := Chains{}
	for k, v := range chains {
		out[k] = v
	}
	out[V6Entry] = append(body, "accept")
	return out, V6Entry, nil
}
