package config

import (
	"strings"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

// A filter, nat or mangle rule's hotspot= matcher (Firewall page, "hotspot
// (auth | from-client | http | local-dst | to-client)",
// https://help.mikrotik.com/docs/spaces/ROS/pages/48660587/Filter):
// from-client matches packets from a hotspot client, to-client packets
// sent to one, auth those of an authorised client, local-dst those to the
// router. With rosemu's hotspot running on one interface they are the
// matchers hotspotRules uses itself: in-interface or out-interface the
// server's, the authorised list as src- or dst-address-list, and
// dst-address-type=local. Several values must all hold [verify]: a
// hotspot default configuration's "hotspot=from-client,auth" reads so. A
// rule rosemu cannot render so (http; several servers; a value that
// clashes with a matcher the rule already has) keeps hotspot= and never
// matches, reported as before.

// hotspotMatcherProps is the rule with its hotspot= matcher rendered as
// kernel matchers, and false when it cannot be.
func hotspotMatcherProps(props map[string]string, ifaces []string) (map[string]string, bool) {
	v := props["hotspot"]
	if v == "" {
		return props, true
	}
	if len(ifaces) != 1 {
		return props, false
	}
	out := make(map[string]string, len(props)+2)
	for k, val := range props {
		if k != "hotspot" {
			out[k] = val
		}
	}
	// A whole-value negation (hotspot=!auth) negates its one value.
	vals := strings.Split(v, ",")
	toClient := false
	for _, x := range vals {
		toClient = toClient || x == "to-client"
	}
	set := func(k, val string) bool {
		if out[k] != "" {
			return false
		}
		out[k] = val
		return true
	}
	for _, x := range vals {
		neg := ""
		if strings.HasPrefix(x, "!") {
			neg, x = "!", x[1:]
		}
		ok := false
		switch x {
		case "from-client":
			ok = set("in-interface", neg+ifaces[0])
		case "to-client":
			ok = set("out-interface", neg+ifaces[0])
		case "auth":
			if toClient {
				ok = set("dst-address-list", neg+HotspotAuthList)
			} else {
				ok = set("src-address-list", neg+HotspotAuthList)
			}
		case "local-dst":
			ok = set("dst-address-type", neg+"local")
		}
		if !ok {
			return props, false
		}
	}
	return out, true
}

// hotspotIfaces are the interfaces of the enabled hotspot servers.
func hotspotIfaces(t *tx) []string { return serverIfaces(hotspotServers(t)) }

// serverIfaces are the interfaces of servers.
func serverIfaces(servers []hotspotServer) []string {
	var out []string
	for _, s := range servers {
		out = append(out, s.it.props["interface"])
	}
	return out
}

// hotspotMatcherRendered: the rule's hotspot= is enforced (prop inertIn).
func hotspotMatcherRendered(t *tx, props map[string]string) bool {
	_, ok := hotspotMatcherProps(props, hotspotIfaces(t))
	return ok
}

// renderHotspotMatchers rewrites the user's rules that have hotspot= and
// can be rendered (called by hotspotState with the user's rules).
func renderHotspotMatchers(ifaces []string, rules []kernel.Rule) {
	for i, r := range rules {
		if p, ok := hotspotMatcherProps(r.Props, ifaces); ok {
			rules[i].Props = p
		}
	}
}
