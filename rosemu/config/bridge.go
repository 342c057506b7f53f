package config

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/script"
)

// Bridging menus: /interface bridge, bridge port, bridge vlan, bridge
// settings, and the stored-only bridge filter and nat. The bridge is an
// interface of its own (an L3 interface as on RouterOS); /interface vlan is
// in vlan.go. Sources: https://help.mikrotik.com/docs/spaces/ROS/pages/328068/Bridging+and+Switching
// and https://help.mikrotik.com/docs/spaces/ROS/pages/88014957/VLAN.

// The reasons of the bridge settings rosemu stores without enforcing
// (docs/bridge.md, "Stored, changing nothing in the lab"): the lab's
// bridges are Linux bridges with their defaults.
const (
	bridgeSTPReason      = "rosemu's bridges run no spanning tree: the STP setting is stored"
	bridgeMcastReason    = "rosemu's bridges do not model IGMP/MLD snooping: the setting is stored"
	bridgeOption82Reason = "rosemu's DHCP snooping adds and strips no DHCP option 82: the setting is stored"
	bridgeMVRPReason     = "rosemu's bridges send and take no MVRP: the setting is stored"
	bridgeFwdReason      = "rosemu's bridges keep the Linux defaults for it (ageing, host table, 802.1Q, reserved addresses): the setting is stored"
	bridgeIngressReason  = "Linux's vlan-filtering bridge always drops tagged frames of a VLAN the port is not a member of: ingress-filtering=no is stored"
)

// ingressFilteringProps are the ingress-filtering of a bridge or bridge
// port for each major version: RouterOS 6 (6.41 and later, the bridge VLAN
// filtering) defaults to no, RouterOS 7 to yes [verify] both defaults and
// the 7.x that changed it (forum31 D3: the triage's reading of the v6
// wiki's property table; no page was retrieved). Linux filters a
// vlan-filtering bridge's ingress always, so "no", set or by default, is
// reported as stored wherever the bridge filters VLANs (inertIn); without
// vlan-filtering neither RouterOS nor Linux filters.
func ingressFilteringProps(show bool, inertIn func(t *tx, props map[string]string) bool) []*prop {
	return []*prop{
		onlyV6(&prop{name: "ingress-filtering", parse: pBool, def: "no", isBool: true, show: show, notEnforced: bridgeIngressReason, enforced: "yes", inertIn: inertIn, defaultNotedOnce: true, sinceMinor6: bridgeVLAN6}),
		onlyV7(&prop{name: "ingress-filtering", parse: pBool, def: "yes", isBool: true, show: show, notEnforced: bridgeIngressReason, enforced: "yes", inertIn: inertIn, defaultNotedOnce: true}),
	}
}

// bridgeIngressDefaultReason is the note of a RouterOS 6 line that turns
// a bridge's vlan-filtering on: the default ingress-filtering=no of the
// bridge and of its ports that leave it out starts to matter there, and
// Linux filters anyway. It is said once, on that line, not on each port's
// add that does not write ingress-filtering (realcheck21 D7 b).
const bridgeIngressDefaultReason = "ingress-filtering: RouterOS 6's default ingress-filtering=no, of %s, is stored: Linux's vlan-filtering bridge always drops tagged frames of a VLAN the port is not a member of"

// ingressDefaultNote is bridgeIngressDefaultReason for a command of
// /interface bridge that sets vlan-filtering=yes where the version's
// default ingress-filtering is one rosemu does not enforce (RouterOS 6),
// "" for any other command.
func (r *Router) ingressDefaultNote(m *menu, verb string, args []script.Arg) string {
	if m.path != "interface bridge" || (verb != "add" && verb != "set") {
		return ""
	}
	lits := literalArgs(args)
	if lits["vlan-filtering"] != "yes" {
		return ""
	}
	p := m.propFor("ingress-filtering", r.opts.Version)
	if p == nil || p.enforced == "" || p.def == p.enforced {
		return ""
	}
	whose := "this bridge and of each of its ports that does not set it"
	if lits["ingress-filtering"] == p.enforced {
		whose = "each of its ports that does not set it"
	}
	return fmt.Sprintf(bridgeIngressDefaultReason, whose)
}

// bridgeFilters reports whether the bridge named br has vlan-filtering=yes
// (known: false when there is no such bridge).
func bridgeFilters(t *tx, br string) (filters, known bool) {
	it := t.findByName("interface bridge", br)
	if it == nil {
		return false, false
	}
	return it.props["vlan-filtering"] == "yes", true
}

// ingressInertBridge: a bridge's own ingress-filtering matters only with
// vlan-filtering=yes (the command's value, else the bridge's).
func ingressInertBridge(t *tx, props map[string]string) bool {
	if v, ok := props["vlan-filtering"]; ok {
		return v != "yes"
	}
	f, known := bridgeFilters(t, props["name"])
	return known && !f
}

// ingressInertPort: a port's ingress-filtering matters only when its
// bridge has vlan-filtering=yes; a command that does not name the bridge
// (set [find ...]) is taken as mattering.
func ingressInertPort(t *tx, props map[string]string) bool {
	f, known := bridgeFilters(t, props["bridge"])
	return known && !f
}

// bridgeGroupMACReason is why a multicast admin-mac is stored only: no
// Linux interface takes an address with the group bit set (the kernel
// answers EADDRNOTAVAIL), so the bridge keeps the MAC it has. What
// RouterOS does with one is [verify] (realcheck18 D3: a hand-redacted
// export's admin-mac=87:13:1B:1D:D5:0D failed the whole lab).
const bridgeGroupMACReason = "a multicast MAC address (its first byte has the group bit set) cannot be an interface's own: rosemu's bridge keeps the MAC it has, and the setting is stored"

// groupMAC reports whether v is a MAC address with the group (multicast)
// bit set: the low bit of its first byte.
func groupMAC(v string) bool {
	if len(v) < 2 {
		return false
	}
	b, err := strconv.ParseUint(v[:2], 16, 8)
	return err == nil && b&1 == 1
}

// frameTypes are the values of frame-types on a bridge and its ports.
var frameTypes = pEnum("admit-all", "admit-only-vlan-tagged", "admit-only-untagged-and-priority-tagged")

var bridgeMenu = &menu{
	path: "interface bridge", nameProp: "name",
	props: []*prop{
		{name: "name", parse: pIfName},
		{name: "mtu", parse: pMTU, def: "auto", show: true},
		{name: "arp", parse: pEnum("disabled", "enabled", "local-proxy-arp", "proxy-arp", "reply-only"), def: "enabled", show: true},
		{name: "arp-timeout", parse: pAutoOrTime, def: "auto", show: true},
		{name: "admin-mac", parse: pMAC, notEnforced: bridgeGroupMACReason, inert: func(p map[string]string) bool { return !groupMAC(p["admin-mac"]) }},
		{name: "auto-mac", parse: pBool, def: "yes", isBool: true, show: true},
		{name: "ageing-time", parse: pTimeout, def: "5m", show: true, notEnforced: bridgeFwdReason},
		{name: "protocol-mode", parse: pEnum("none", "rstp", "stp", "mstp"), def: "rstp", show: true},
		{name: "priority", parse: pHex16, def: "0x8000", show: true, notEnforced: bridgeSTPReason},
		{name: "forward-delay", parse: pTimeout, def: "15s", notEnforced: bridgeSTPReason},
		{name: "max-message-age", parse: pTimeout, def: "20s", notEnforced: bridgeSTPReason},
		{name: "transmit-hold-count", parse: pInt(1, 10), def: "6", notEnforced: bridgeSTPReason},
		{name: "max-hops", parse: pInt(6, 40), def: "20", notEnforced: bridgeSTPReason},
		{name: "region-name", parse: pString, notEnforced: bridgeSTPReason},
		{name: "region-revision", parse: pInt(0, 65535), def: "0", notEnforced: bridgeSTPReason},
		{name: "port-cost-mode", parse: pEnum("long", "short"), def: "long", notEnforced: bridgeSTPReason},
		{name: "vlan-filtering", parse: pBool, def: "no", isBool: true, show: true, sinceMinor6: bridgeVLAN6},
		{name: "ether-type", parse: pEnum("0x8100", "0x88a8", "0x9100"), def: "0x8100", notEnforced: bridgeFwdReason},
		{name: "frame-types", parse: frameTypes, def: "admit-all", sinceMinor6: bridgeVLAN6},
		ingressFilteringProps(false, ingressInertBridge)[0],
		ingressFilteringProps(false, ingressInertBridge)[1],
		{name: "pvid", parse: pInt(1, 4094), def: "1", sinceMinor6: bridgeVLAN6},
		{name: "igmp-snooping", parse: pBool, def: "no", isBool: true, show: true, notEnforced: bridgeMcastReason},
		{name: "igmp-version", parse: pEnum("2", "3"), def: "2", notEnforced: bridgeMcastReason},
		{name: "mld-version", parse: pEnum("1", "2"), def: "1", notEnforced: bridgeMcastReason},
		{name: "multicast-router", parse: pEnum("disabled", "permanent", "temporary-query"), def: "temporary-query", notEnforced: bridgeMcastReason},
		{name: "multicast-querier", parse: pBool, def: "no", isBool: true, notEnforced: bridgeMcastReason},
		{name: "mvrp", parse: pBool, def: "no", isBool: true, notEnforced: bridgeMVRPReason},
		// The IGMP/MLD snooping timers and counts of a 7.19 verbose export
		// (Bridging and Switching page of the manual).
		onlyV7(&prop{name: "last-member-interval", parse: pTime, def: "1s", notEnforced: bridgeMcastReason}),
		onlyV7(&prop{name: "last-member-query-count", parse: pInt(0, 1<<31-1), def: "2", notEnforced: bridgeMcastReason}),
		onlyV7(&prop{name: "membership-interval", parse: pTime, def: "4m20s", notEnforced: bridgeMcastReason}),
		onlyV7(&prop{name: "querier-interval", parse: pTime, def: "4m15s", notEnforced: bridgeMcastReason}),
		onlyV7(&prop{name: "query-interval", parse: pTime, def: "2m5s", notEnforced: bridgeMcastReason}),
		onlyV7(&prop{name: "query-response-interval", parse: pTime, def: "10s", notEnforced: bridgeMcastReason}),
		onlyV7(&prop{name: "startup-query-count", parse: pInt(0, 1<<31-1), def: "2", notEnforced: bridgeMcastReason}),
		onlyV7(&prop{name: "startup-query-interval", parse: pTime, def: "31s250ms", notEnforced: bridgeMcastReason}),
		// The bridge host table's size (RouterOS 7 verbose exports:
		// max-learned-entries=auto).
		{name: "max-learned-entries", parse: pAutoOrInt, def: "auto", major: 7, notEnforced: bridgeFwdReason},
		// Enforced (kernel.RenderBridge): DHCP server messages from ports
		// that are not trusted are dropped, client messages go out of
		// trusted ports only.
		{name: "dhcp-snooping", parse: pBool, def: "no", isBool: true, show: true},
		{name: "add-dhcp-option82", parse: pBool, def: "no", isBool: true, notEnforced: bridgeOption82Reason},
		{name: "fast-forward", parse: pBool, def: "yes", isBool: true, show: true},
		// Exports of RouterOS 6.1 to 6.19 write a bridge's L2 MTU ("add
		// l2mtu=1598 name=bridge-local"); the bridge rework of 6.41 made
		// it read-only, as RouterOS 7 has it. Stored, not applied, as
		// the VLAN's of those exports. [verify] the last 6.x that takes it.
		{name: "l2mtu", parse: pInt(0, 65535), major: 6, beforeMinor6: 41, notEnforced: "rosemu keeps the lab's L2 MTU"},
		// Whether the bridge passes on frames to the IEEE reserved
		// 01:80:C2:00:00:0x addresses: a 7.2x verbose export writes
		// forward-reserved-addresses=no. [verify] the 7.x that added it.
		onlyV7(&prop{name: "forward-reserved-addresses", parse: pBool, def: "no", isBool: true, notEnforced: bridgeFwdReason}),
		comment, disabled,
	},
	check: checkBridge,
	readonly: func(t *tx, it *item) []Prop {
		return []Prop{{"actual-mtu", "1500"}, {"l2mtu", "65535"}, {"running", boolAPI(!it.disabled())}}
	},
	columns: []string{"name", "mtu", "protocol-mode", "vlan-filtering"},
}

var bridgePortMenu = &menu{
	path: "interface bridge port",
	props: []*prop{
		{name: "interface", parse: pPortIface, required: true},
		{name: "bridge", parse: pBridge, required: true},
		{name: "pvid", parse: pInt(1, 4094), def: "1", show: true, sinceMinor6: bridgeVLAN6},
		{name: "frame-types", parse: frameTypes, def: "admit-all", show: true, sinceMinor6: bridgeVLAN6},
		ingressFilteringProps(true, ingressInertPort)[0],
		ingressFilteringProps(true, ingressInertPort)[1],
		{name: "tag-stacking", parse: pBool, def: "no", isBool: true, notEnforced: bridgeFwdReason},
		// Enforced (kernel.RenderBridge): ports of one bridge with the
		// same horizon value do not forward to each other.
		{name: "horizon", parse: pHorizon, def: "none", show: true},
		{name: "hw", parse: pBool, def: "yes", isBool: true, show: true},
		{name: "edge", parse: pEnum("auto", "no", "no-discover", "yes", "yes-discover"), def: "auto", show: true, notEnforced: bridgeSTPReason},
		{name: "point-to-point", parse: pEnum("auto", "no", "yes"), def: "auto", notEnforced: bridgeSTPReason},
		{name: "external-fdb", parse: pEnum("auto", "no", "yes"), def: "auto", notEnforced: bridgeFwdReason}, // v6
		// A Linux bridge port learns: yes, as auto, is what happens.
		// Enforced with the flood switches below (kernel.setPortFlags):
		// the Linux bridge port's learning, flood, mcast_flood and
		// bcast_flood flags. auto learns, as yes does.
		{name: "learn", parse: pEnum("auto", "no", "yes"), def: "auto"},
		{name: "trusted", parse: pBool, def: "no", isBool: true, show: true},
		{name: "priority", parse: pHex8, def: "0x80", notEnforced: bridgeSTPReason},
		{name: "path-cost", parse: pInt(1, 200000000), def: "10", notEnforced: bridgeSTPReason, beforeMinor7: 13},
		{name: "internal-path-cost", parse: pInt(1, 200000000), def: "10", notEnforced: bridgeSTPReason, beforeMinor7: 13},
		// From 7.13 a port's costs follow the bridge's port-cost-mode and
		// the port's speed, so a cost given is kept, 10 too: 10 exports of
		// 7.13.3 to 7.24.5, each with a port-cost-mode=short bridge, write
		// 52 "internal-path-cost=10 path-cost=10" pairs on some ports and
		// not on others (realcheck35 D6). [verify] the computed default.
		sinceV7(13, &prop{name: "path-cost", parse: pInt(1, 200000000), def: "10", notEnforced: bridgeSTPReason, keepGiven: true}),
		sinceV7(13, &prop{name: "internal-path-cost", parse: pInt(1, 200000000), def: "10", notEnforced: bridgeSTPReason, keepGiven: true}),
		{name: "auto-isolate", parse: pBool, def: "no", isBool: true, notEnforced: bridgeSTPReason},
		{name: "restricted-role", parse: pBool, def: "no", isBool: true, notEnforced: bridgeSTPReason},
		{name: "restricted-tcn", parse: pBool, def: "no", isBool: true, notEnforced: bridgeSTPReason},
		{name: "bpdu-guard", parse: pBool, def: "no", isBool: true, notEnforced: bridgeSTPReason},
		{name: "broadcast-flood", parse: pBool, def: "yes", isBool: true},
		{name: "unknown-unicast-flood", parse: pBool, def: "yes", isBool: true},
		{name: "unknown-multicast-flood", parse: pBool, def: "yes", isBool: true},
		{name: "multicast-router", parse: pEnum("disabled", "permanent", "temporary-query"), def: "temporary-query", notEnforced: bridgeMcastReason},
		{name: "fast-leave", parse: pBool, def: "no", isBool: true, notEnforced: bridgeMcastReason},
		// MVRP's per-port states (RouterOS 7 verbose exports).
		{name: "mvrp-applicant-state", parse: pEnum("non-participant", "normal-participant"), def: "normal-participant", major: 7, notEnforced: bridgeMVRPReason},
		{name: "mvrp-registrar-state", parse: pEnum("fixed", "normal"), def: "normal", major: 7, notEnforced: bridgeMVRPReason},
		comment, disabled,
	},
	check: checkBridgePort,
	readonly: func(t *tx, it *item) []Prop {
		return []Prop{{"inactive", boolAPI(it.disabled())}, {"dynamic", "false"}}
	},
	columns: []string{"interface", "bridge", "hw", "pvid"},
}

// bridgeVLAN6 is the RouterOS 6 minor version of the bridge rework that
// brought bridge VLAN filtering: its VLAN table, vlan-filtering, pvid,
// frame-types and ingress-filtering (before, VLANs were set on the switch
// chip or with VLAN interfaces). 6.40 took them and filtered VLANs the
// router cannot (ver46 D7). Source: the manual's Bridge VLAN Table page
// ("Since RouterOS v6.41 it is possible to use a bridge to filter out
// VLANs", an earlier version of the page).
const bridgeVLAN6 = 41

var bridgeVLANMenu = &menu{
	path: "interface bridge vlan", since6: bridgeVLAN6,
	props: []*prop{
		{name: "bridge", parse: pBridge, required: true},
		// Real exports always carry vlan-ids, also when it is 1.
		{name: "vlan-ids", parse: pVLANIDs, def: "1", show: true, always: true},
		{name: "tagged", parse: pVLANMembers},
		{name: "untagged", parse: pVLANMembers},
		{name: "mvrp-forbidden", parse: pIfaceList, notEnforced: bridgeMVRPReason},
		comment, disabled,
	},
	check: checkBridgeVLAN,
	readonly: func(t *tx, it *item) []Prop {
		// An interface that is not (yet) a port of the bridge is kept in
		// tagged= and untagged= but carries nothing: RouterOS leaves it out
		// of current-tagged and current-untagged.
		return []Prop{{"current-tagged", t.currentMembers(it, "tagged")}, {"current-untagged", t.currentMembers(it, "untagged")}, {"dynamic", boolAPI(it.dynamic)}}
	},
	// RouterOS prints the members in effect, not the configured lists:
	// "#  BRIDGE  VLAN-IDS  CURRENT-TAGGED  CURRENT-UNTAGGED" (the Bridge
	// VLAN Table and Layer2 misconfiguration pages' prints), so a dynamic
	// entry, which has no tagged= or untagged=, shows its members (forum52
	// D1). [verify] RouterOS writes one member per line; rosemu joins them
	// with commas.
	columns:        []string{"bridge", "vlan-ids", "current-tagged", "current-untagged"},
	detailReadonly: []string{"current-tagged", "current-untagged"},
}

// bridgeSettingsMenu: use-ip-firewall and its -for-vlan and -for-pppoe
// variants decide whether bridged IPv4 passes the IP firewall, and the
// kernel enforces them (bridge-nf-call-iptables and its siblings);
// allow-fast-path only changes the speed of the same forwarding.
var bridgeSettingsMenu = &menu{
	path: "interface bridge settings", single: true,
	props: []*prop{
		{name: "use-ip-firewall", parse: pBool, def: "no", isBool: true, show: true},
		{name: "use-ip-firewall-for-vlan", parse: pBool, def: "no", isBool: true, show: true},
		{name: "use-ip-firewall-for-pppoe", parse: pBool, def: "no", isBool: true, show: true},
		{name: "allow-fast-path", parse: pBool, def: "yes", isBool: true, show: true},
	},
}

// bridgeFilterStoredReason says why a bridge filter rule's matcher or
// value rosemu does not render keeps the rule out of the kernel: without
// it the rule would match more than RouterOS's.
func bridgeFilterStoredReason(what string) string {
	return "rosemu does not model " + what + " in bridge filter and nat rules: the rule is stored and never matches"
}

// bridgeFilterUnmodelled are the bridge filter properties kernel.RenderBridge
// does not render, each with its reason (a rule that sets one is stored).
var bridgeFilterUnmodelled = map[string]string{
	"in-bridge-list": bridgeFilterStoredReason("bridge lists"), "out-bridge-list": bridgeFilterStoredReason("bridge lists"),
	"vlan-id": bridgeFilterStoredReason("VLAN matchers"), "vlan-priority": bridgeFilterStoredReason("VLAN matchers"),
	"vlan-encap":  bridgeFilterStoredReason("VLAN matchers"),
	"packet-mark": bridgeFilterStoredReason("packet marks"), "limit": bridgeFilterStoredReason("limit"),
	"log": "rosemu writes no log line for bridge filter and nat rules: the rule counts and acts",
}

// bridgeRuleMenu is /interface bridge filter or nat with RouterOS's
// properties, enforced on the bridge family of nftables
// (kernel.RenderBridge) except for the properties of
// bridgeFilterUnmodelled and the actions kernel.BridgeRuleUnmodelled
// names (mark-packet, set-priority, and nat's arp-reply and redirect).
func bridgeRuleMenu(path string, actions ...string) *menu {
	props := []*prop{
		{name: "chain", parse: pChain, required: true, always: true},
		{name: "action", parse: pEnum(actions...), def: "accept", show: true, always: true},
	}
	for _, n := range []string{"in-interface", "out-interface", "in-bridge", "out-bridge"} {
		props = append(props, &prop{name: n, parse: pNeg(pInterface)})
	}
	for _, n := range []string{"in-interface-list", "out-interface-list", "in-bridge-list", "out-bridge-list"} {
		props = append(props, &prop{name: n, parse: pNeg(pIfList)})
	}
	for _, n := range []string{"mac-protocol", "src-mac-address", "dst-mac-address", "src-address", "dst-address",
		"src-port", "dst-port", "ip-protocol", "vlan-id", "vlan-priority", "vlan-encap", "packet-type",
		"arp-opcode", "arp-src-address", "arp-dst-address", "arp-src-mac-address", "arp-dst-mac-address",
		"packet-mark", "jump-target", "new-packet-mark", "new-priority", "to-dst-mac-address",
		"to-src-mac-address", "to-arp-reply-mac-address", "limit", "log-prefix"} {
		props = append(props, &prop{name: n, parse: pString})
	}
	props = append(props,
		&prop{name: "passthrough", parse: pBool, def: "yes", isBool: true},
		&prop{name: "log", parse: pBool, def: "no", isBool: true, show: true},
		comment, disabled)
	for _, p := range props {
		p.notEnforced = bridgeFilterUnmodelled[p.name]
	}
	return &menu{
		path: path, addOnly: []string{"place-before"}, props: props,
		check: checkBridgeRule,
		readonly: func(t *tx, it *item) []Prop {
			c := t.ruleCounter(it)
			return []Prop{{"bytes", strconv.FormatUint(c.Bytes, 10)}, {"packets", strconv.FormatUint(c.Packets, 10)}, {"invalid", "false"}, {"dynamic", "false"}}
		},
	}
}

// The filter's counter commands (print stats, reset-counters) refer back
// to the menus: set here, as the IP firewall's.
func init() {
	bridgeFilterMenu.commands = counterCommands()
	bridgeNATMenu.commands = counterCommands()
}

// bridgeRuleStoredWhy returns, for bridge table tbl (filter or nat), why a
// rule is stored without being enforced when no property of
// bridgeFilterUnmodelled says it: an action rosemu does not take, or a
// value it cannot render. "" when the rule is enforced (or disabled).
func bridgeRuleStoredWhy(tbl string) func(*item) string {
	return func(it *item) string {
		if it.disabled() {
			return ""
		}
		bad := kernel.BridgeRuleUnmodelled(tbl, it.props)
		if bad == "" || bridgeFilterUnmodelled[bad] != "" {
			return ""
		}
		if bad == "action" {
			return "action=" + it.props["action"] + ": rosemu does not model this bridge " + tbl + " action: the rule is stored and never matches"
		}
		if strings.HasPrefix(bad, "arp-") && it.props["mac-protocol"] != "arp" {
			return bad + ": rosemu enforces the ARP matchers on a rule with mac-protocol=arp: the rule is stored and never matches"
		}
		return bad + "=" + it.props[bad] + ": rosemu cannot render this value in a bridge " + tbl + " rule: the rule is stored and never matches"
	}
}

var (
	bridgeFilterMenu = bridgeRuleMenu("interface bridge filter", "accept", "drop", "jump", "log", "mark-packet", "passthrough", "return", "set-priority")
	bridgeNATMenu    = bridgeRuleMenu("interface bridge nat", "accept", "arp-reply", "drop", "dst-nat", "jump", "log", "mark-packet", "redirect", "return", "set-priority", "src-nat")
)

func checkBridgeRule(t *tx, it *item) error {
	if it.props["action"] == "jump" && it.props["jump-target"] == "" {
		return errFailure("jump-target", "jump-target must be specified for action=jump")
	}
	return nil
}

// pMTU is an L3 MTU or auto (the bridge follows its ports).
func pMTU(t *tx, name, v string) (string, error) {
	if v == "auto" {
		return v, nil
	}
	return pInt(68, 65535)(t, name, v)
}

func pAutoOrTime(t *tx, name, v string) (string, error) {
	if v == "auto" {
		return v, nil
	}
	return pTimeout(t, name, v)
}

// pHex16 and pHex8 are bridge and port priorities, printed in hex.
func pHex16(_ *tx, name, v string) (string, error) { return pHex(name, v, 0xffff) }
func pHex8(_ *tx, name, v string) (string, error)  { return pHex(name, v, 0xf0) }

func pHex(name, v string, max uint64) (string, error) {
	var n uint64
	var err error
	if h, ok := strings.CutPrefix(strings.ToLower(v), "0x"); ok {
		n, err = strconv.ParseUint(h, 16, 32)
	} else {
		n, err = strconv.ParseUint(v, 10, 32)
	}
	if err != nil || n > max {
		return "", errInvalid(name)
	}
	return "0x" + strconv.FormatUint(n, 16), nil
}

func pHorizon(t *tx, name, v string) (string, error) {
	if v == "none" {
		return v, nil
	}
	return pInt(0, 429496729)(t, name, v)
}

// pBridge requires the name of an existing bridge.
func pBridge(t *tx, name, v string) (string, error) {
	if t.findByName("interface bridge", v) != nil {
		return v, nil
	}
	return "", errNoMatch(name)
}

// isPortList reports whether n names a user interface list that RouterOS 7
// takes where it takes a bridge's ports: a bridge port's interface= and a
// bridge VLAN's tagged= and untagged= (a 7.19 CRS326 export writes
// "add bridge=main-bridge tagged=main-bridge,LINK_USERS_NET vlan-ids=20").
func isPortList(t *tx, n string) bool {
	if t.v6() || t.ifaceExists(n) {
		return false
	}
	l := t.findByName("interface list", n)
	return l != nil && !l.builtin
}

// vlanMembers expands the interface lists of a bridge VLAN's tagged= or
// untagged= into their members.
func vlanMembers(t *tx, v string, ports []string) []string {
	var out []string
	for _, n := range splitList(v) {
		out = append(out, portMembers(t, n, ports)...)
	}
	return out
}

// pIfaceList is a comma list of existing interfaces (tagged=bridge,ether2),
// or in RouterOS 7 interface lists (isPortList).
func pIfaceList(t *tx, name, v string) (string, error) {
	if v == "" {
		return "", nil
	}
	var out []string
	seen := map[string]bool{}
	for _, n := range strings.Split(v, ",") {
		if !t.ifaceExists(n) && !isPortList(t, n) {
			return "", errNoMatch(name)
		}
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return strings.Join(out, ","), nil
}

// pVLANMembers is a bridge VLAN's tagged or untagged ports. RouterOS 7
// writes a VLAN without untagged ports as untagged=none (a 7.19.6 RB5009
// export: "add bridge=bridge tagged=bridge,ether2 untagged=none
// vlan-ids=80"): no member, kept as the empty list. [verify] the first
// 7.x that writes it; RouterOS 6 names no such word.
func pVLANMembers(t *tx, name, v string) (string, error) {
	if v == "none" && !t.v6() && !t.ifaceExists(v) {
		return "", nil
	}
	return pIfaceList(t, name, v)
}

// pVLANIDs is a comma list of VLAN IDs and ranges (10,20,30-39).
func pVLANIDs(_ *tx, name, v string) (string, error) {
	if _, ok := vlanIDs(v); !ok {
		return "", errInvalid(name)
	}
	return v, nil
}

// vlanIDs expands a vlan-ids value into its IDs in ascending order.
func vlanIDs(v string) ([]int, bool) {
	// One id, the usual entry, without the set and the sort:
	// checkBridgeVLAN reads every other entry's ids for each one added
	// (2,000 entries cost 4 times as much a line as 500).
	if a, err := strconv.Atoi(v); err == nil && a >= 1 && a <= 4094 {
		return []int{a}, true
	}
	set := map[int]bool{}
	for _, part := range strings.Split(v, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err1 := strconv.Atoi(lo)
		b := a
		var err2 error
		if isRange {
			b, err2 = strconv.Atoi(hi)
		}
		if err1 != nil || err2 != nil || a < 1 || b > 4094 || a > b {
			return nil, false
		}
		for i := a; i <= b; i++ {
			set[i] = true
		}
	}
	out := make([]int, 0, len(set))
	for i := range set {
		out = append(out, i)
	}
	sort.Ints(out)
	return out, true
}

// ifaceTables are the menus whose items are interfaces of the kernel,
// ports first.
var ifaceTables = []string{"interface ethernet", "interface bridge", "interface vlan", pppoeClientTable, wireguardTable, l2tpClientTable, sstpClientTable, ovpnClientTable}

// iface returns the interface item named name and its table.
func (t *tx) iface(name string) (*item, string) {
	for _, tbl := range ifaceTables {
		if it := t.findByName(tbl, name); it != nil {
			return it, tbl
		}
	}
	return nil, ""
}

// checkIfaceName gives an unnamed interface RouterOS's next free default
// name (bridge1, vlan1, ...) and refuses a name another interface has.
func checkIfaceName(t *tx, it *item, prefix string) error {
	if it.props["name"] == "" {
		for i := 1; ; i++ {
			if n := prefix + strconv.Itoa(i); !t.ifaceExists(n) {
				it.props["name"] = n
				break
			}
		}
	}
	if it.props["name"] == loopbackIface && !t.v6() {
		// RouterOS 7's built-in loopback has the name.
		return errFailure("name", "already have interface with such name")
	}
	for _, tbl := range ifaceTables {
		for _, x := range t.m.tables[tbl] {
			if x.id != it.id && x.props["name"] == it.props["name"] {
				// [verify] the wording of RouterOS's refusal.
				return errFailure("name", "already have interface with such name")
			}
		}
	}
	return nil
}

// checkBridge names the bridge. auto-mac=no without an admin-mac is
// taken, as RouterOS takes it: a setup script for an RB751U adds its
// bridge with auto-mac=no and sets admin-mac on the next line, and
// sanitised exports drop the MAC. The bridge then keeps the MAC the kernel
// gave it (rosemu does not freeze it). [verify] which MAC RouterOS keeps.
func checkBridge(t *tx, it *item) error {
	return checkIfaceName(t, it, "bridge")
}

// pPortIface is a bridge port's interface: an interface or, in RouterOS 7,
// an interface list, whose members then are the bridge's ports (a 7.15
// hAP ac² export: "add bridge=BRI-TEST interface=InterfaceListVlan38
// pvid=38"). Bridge Port page of the manual: "interface (name; Default:
// ) Name of the interface or interface list".
//
// The built-in list all is taken by both versions: point-to-point
// bridges of 6.47 (an LHG) and 6.48 exports write "add bridge=bridge
// interface=all", every interface then being a port of that bridge.
// RouterOS 7 takes the built-in list dynamic too: a 7.13.5 cAP ax under
// CAPsMAN writes "add bridge=bridge interface=dynamic", which bridges
// the radios CAPsMAN creates. rosemu's only dynamic interfaces are PPP
// sessions, which are no bridge ports, so the entry stands for no port
// (portMembers). [verify] whether 6.x takes it.
func pPortIface(t *tx, name, v string) (string, error) {
	if isPortList(t, v) || (v == "all" || v == "dynamic" && !t.v6()) && !t.ifaceExists(v) {
		return v, nil
	}
	return pInterface(t, name, v)
}

// portMembers are the interfaces a bridge port stands for: its interface,
// or the members of the interface list it names.
func portMembers(t *tx, ifc string, ports []string) []string {
	if !t.ifaceExists(ifc) {
		if l := t.findByName("interface list", ifc); l != nil && (!l.builtin || ifc == "all" || ifc == "dynamic") {
			// A PPP session is a layer-3 link with no Ethernet frames
			// (no BCP in rosemu): a list's sessions are no bridge ports.
			// Nor is a WireGuard interface, layer 3 with no MAC address:
			// a CCR2004 7.10.1 export has wg-sonoshq, which serves its
			// peers at 10.0.0.1/24, in the list it gives as a bridge
			// port, and the lab failed "add vlan 10 to wg-sonoshq in
			// bridge BRI-TEST: operation not supported" (realcheck27
			// D12). [verify] that RouterOS leaves such a member out of
			// the bridge rather than showing it as an inactive port.
			sessions := map[string]bool{}
			for _, ss := range pppSessionIfaces(t.m) {
				sessions[ss.ifc] = true
			}
			return slices.DeleteFunc(listMembers(t, ifc, ports, map[string]bool{}), func(m string) bool {
				return sessions[m] || t.findByName("interface wireguard", m) != nil
			})
		}
	}
	return []string{ifc}
}

func checkBridgePort(t *tx, it *item) error {
	ifc := it.props["interface"]
	if _, tbl := t.iface(ifc); tbl == "interface bridge" {
		// [verify] RouterOS's wording for a bridge in a bridge.
		return errFailure("interface", "bridge cannot be a port of a bridge")
	}
	for _, x := range t.m.tables["interface bridge port"] {
		// A disabled port entry does not hold its interface: a 6.48.6
		// CCR1036's export keeps "add bridge=bridge1-PPPoE disabled=yes
		// interface=X" and then "add bridge=bridge1-PPPoE interface=X".
		if x.id != it.id && x.props["interface"] == ifc && !x.disabled() && !it.disabled() {
			return errFailure("interface", "device already added as bridge port")
		}
	}
	return nil
}

func checkBridgeVLAN(t *tx, it *item) error {
	br := it.props["bridge"]
	ids, _ := vlanIDs(vOr(it.props["vlan-ids"], "1"))
	mine := map[int]bool{}
	for _, id := range ids {
		mine[id] = true
	}
	tagged := splitList(it.props["tagged"])
	untagged := splitList(it.props["untagged"])
	for _, n := range tagged {
		for _, u := range untagged {
			if n == u {
				return errFailure("untagged", n+" is both tagged and untagged")
			}
		}
	}
	// One interface may carry a VLAN of a bridge in one entry only.
	for _, x := range t.m.tables["interface bridge vlan"] {
		if x.id == it.id || x.props["bridge"] != br {
			continue
		}
		xids, _ := vlanIDs(vOr(x.props["vlan-ids"], "1"))
		for _, id := range xids {
			if !mine[id] {
				continue
			}
			for _, a := range append(splitList(x.props["tagged"]), splitList(x.props["untagged"])...) {
				for _, b := range append(append([]string(nil), tagged...), untagged...) {
					if a == b {
						// [verify] RouterOS's wording.
						return errFailure("vlan-ids", "vlan "+strconv.Itoa(id)+" already has "+a+" in another entry")
					}
				}
			}
		}
	}
	return nil
}

func vOr(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// portBridge returns the bridge an interface is an enabled port of, "" when
// it is in none.
func (t *tx) portBridge(ifc string) string {
	for _, p := range t.m.tables["interface bridge port"] {
		if p.props["interface"] == ifc && !p.disabled() {
			return p.props["bridge"]
		}
	}
	return ""
}

// isRunningTunnelName reports whether ifc names an item of a stateless
// tunnel menu (runningTunnelTables), enabled or not.
func (t *tx) isRunningTunnelName(ifc string) bool {
	for _, tbl := range runningTunnelTables {
		if t.findByName(tbl, ifc) != nil {
			return true
		}
	}
	return false
}

// isSlave reports whether an interface is an active bridge port: RouterOS
// then treats an address on it as invalid, since the bridge takes its
// frames (the address must go on the bridge).
func (t *tx) isSlave(ifc string) bool {
	br := t.portBridge(ifc)
	return br != "" && t.findByName("interface bridge", br) != nil
}

// addressInvalid reports whether RouterOS shows an /ip address as invalid:
// its interface is a bridge port, or was removed (RouterOS keeps the
// address, flagged invalid, rather than removing it with its interface).
// Dynamic addresses go with their client, so only static ones can lose it.
func (t *tx) addressInvalid(it *item) bool {
	ifc := it.props["interface"]
	if ifc != "" && !it.dynamic && (ifc != loopbackIface || t.v6()) {
		// A virtual router is a link of the kernel when rosemu runs it;
		// one it stores loses its addresses in dropStoredInterfaces.
		// A stateless tunnel (GRE, IPIP, EoIP, ...) is an interface
		// too: RouterOS shows an address on it valid, and rosemu runs
		// the built ones as links (iptunnel.go).
		if i, _ := t.iface(ifc); i == nil && t.findByName(vrrpTable, ifc) == nil && !t.isRunningTunnelName(ifc) {
			return true
		}
	}
	return t.isSlave(ifc)
}

// renameIface updates the references to an interface that was renamed, as
// RouterOS does (it refers to interfaces by id and prints their names).
func (t *tx) renameIface(old, new string) {
	if old == "" || old == new {
		return
	}
	for tbl, items := range t.m.tables {
		for _, it := range items {
			for k, v := range it.props {
				switch k {
				case "interface", "bridge", "in-interface", "out-interface", "in-bridge", "out-bridge", "gateway":
					neg := strings.HasPrefix(v, "!")
					if strings.TrimPrefix(v, "!") == old {
						if neg {
							it.props[k] = "!" + new
						} else {
							it.props[k] = new
						}
					}
				case "target":
					// A simple queue's targets: addresses and
					// interfaces.
					if nv, ok := renameInList(v, old, new); ok && tbl == "queue simple" {
						it.props[k] = nv
					}
				case "tagged", "untagged", "mvrp-forbidden":
					parts := splitList(v)
					for i, p := range parts {
						if p == old {
							parts[i] = new
						}
					}
					it.props[k] = strings.Join(parts, ",")
				}
			}
		}
	}
}

// dropIfaceRefs removes what belongs to a removed interface: its bridge
// ports, and a removed bridge's ports and VLAN entries. [verify] RouterOS
// keeps other references (addresses, rules) pointing at the gone id; the
// emulator keeps them too, by name, and they match nothing.
func (t *tx) dropIfaceRefs(name string, bridge bool) {
	keep := func(tbl string, drop func(*item) bool) {
		items := t.m.tables[tbl]
		kept := items[:0]
		for _, it := range items {
			if !drop(it) {
				kept = append(kept, it)
			}
		}
		t.m.tables[tbl] = kept
	}
	keep("interface bridge port", func(it *item) bool {
		return it.props["interface"] == name || (bridge && it.props["bridge"] == name)
	})
	if bridge {
		keep("interface bridge vlan", func(it *item) bool { return it.props["bridge"] == name })
	}
}

func isIfaceTable(tbl string) bool {
	for _, x := range ifaceTables {
		if x == tbl {
			return true
		}
	}
	return false
}

// currentMembers lists the interfaces of a bridge VLAN entry's tagged or
// untagged that are the bridge itself or one of its enabled ports. On a
// vlan-filtering bridge the untagged ones also hold the members RouterOS
// adds for their pvid ("A dynamic entry is added in the bridge VLAN table
// for every PVID used, the port is automatically added as an untagged
// port", Bridge VLAN Table page): an access port with pvid=10 that no
// entry lists shows in the current-untagged of the entry for VLAN 10, as
// the Layer2 misconfiguration page's print of an entry with
// tagged=ether2 vlan-ids=10,20 shows its pvid 10 and 20 access ports. The
// kernel's table had them all along (wantedVLANs); print and get did not
// (forum52 D1).
func (t *tx) currentMembers(it *item, prop string) string {
	var out []string
	for _, n := range vlanMembers(t, it.props[prop], t.r.opts.Ports) {
		if n == it.props["bridge"] || t.portBridge(n) == it.props["bridge"] {
			out = append(out, n)
		}
	}
	if prop != "untagged" {
		return strings.Join(out, ",")
	}
	listed := map[string]bool{}
	for _, n := range slices.Concat(out, vlanMembers(t, it.props["tagged"], t.r.opts.Ports)) {
		listed[n] = true
	}
	ids, _ := vlanIDs(vOr(it.props["vlan-ids"], "1"))
	for _, m := range t.pvidMembers(it.props["bridge"]) {
		if !listed[m.name] && slices.Contains(ids, m.pvid) && t.pvidOwner(it.props["bridge"], m.pvid) == it.id {
			listed[m.name] = true
			out = append(out, m.name)
		}
	}
	return strings.Join(out, ",")
}

// pvidMember is a member of a vlan-filtering bridge that is untagged in
// its pvid: the bridge itself or one of its enabled ports.
type pvidMember struct {
	name string
	pvid int
}

// pvidMembers are the members of bridge br that RouterOS makes untagged
// members of their pvid: the bridge and its enabled ports, but not one that
// admits only tagged frames (wantedVLANs gives the kernel the same), in the
// order of the bridge and then its ports. None when br does not filter
// VLANs: [verify] whether RouterOS shows the dynamic entries of a bridge
// with vlan-filtering=no too.
func (t *tx) pvidMembers(br string) []pvidMember {
	b := t.findByName("interface bridge", br)
	if b == nil || b.props["vlan-filtering"] != "yes" {
		return nil
	}
	var out []pvidMember
	if b.props["frame-types"] != "admit-only-vlan-tagged" {
		out = append(out, pvidMember{br, atoiOr(b.props["pvid"], 1)})
	}
	for _, p := range t.m.tables["interface bridge port"] {
		if p.disabled() || p.props["bridge"] != br || p.props["frame-types"] == "admit-only-vlan-tagged" {
			continue
		}
		for _, ifc := range portMembers(t, p.props["interface"], t.r.opts.Ports) {
			out = append(out, pvidMember{ifc, atoiOr(p.props["pvid"], 1)})
		}
	}
	return out
}

// pvidOwner is the id of the entry of bridge br's VLAN table whose
// current-untagged shows the pvid members of VLAN vid: the first enabled
// static entry that holds vid, else the dynamic entry RouterOS adds for it
// (made anew on every read, so compared by id).
func (t *tx) pvidOwner(br string, vid int) uint64 {
	for _, v := range t.m.tables["interface bridge vlan"] {
		if v.disabled() || v.props["bridge"] != br {
			continue
		}
		if ids, _ := vlanIDs(vOr(v.props["vlan-ids"], "1")); slices.Contains(ids, vid) {
			return v.id
		}
	}
	for _, d := range t.dynamicBridgeVLANs() {
		if d.props["bridge"] == br && d.props["vlan-ids"] == strconv.Itoa(vid) {
			return d.id
		}
	}
	return 0
}

// bridgeVLANDynID numbers the dynamic bridge VLAN entries: this plus the
// bridge's id times 4096 plus the VLAN id, so an entry keeps its id while
// its bridge and pvid stay.
const bridgeVLANDynID = 0xA0000000

// dynamicBridgeVLANs are the entries RouterOS adds to /interface bridge
// vlan for a pvid that no static entry of the bridge holds (the bridge's
// and its ports' default pvid 1 on every vlan-filtering bridge, printed
// with the D flag). Their current-untagged are the members of that pvid.
func (t *tx) dynamicBridgeVLANs() []*item {
	var out []*item
	for _, b := range t.m.tables["interface bridge"] {
		br := b.props["name"]
		seen := map[int]bool{}
		for _, m := range t.pvidMembers(br) {
			if seen[m.pvid] {
				continue
			}
			seen[m.pvid] = true
			static := slices.ContainsFunc(t.m.tables["interface bridge vlan"], func(v *item) bool {
				ids, _ := vlanIDs(vOr(v.props["vlan-ids"], "1"))
				return !v.disabled() && v.props["bridge"] == br && slices.Contains(ids, m.pvid)
			})
			if !static {
				out = append(out, &item{id: bridgeVLANDynID + (b.id&0xffff)<<12 + uint64(m.pvid), dynamic: true,
					props: map[string]string{"bridge": br, "vlan-ids": strconv.Itoa(m.pvid)}})
			}
		}
	}
	return out
}

// pAutoOrInt is auto or a non-negative number.
func pAutoOrInt(t *tx, name, v string) (string, error) {
	if v == "auto" {
		return v, nil
	}
	return pInt(0, 1<<30)(t, name, v)
}
