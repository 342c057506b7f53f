package kernel

import (
	"fmt"
	"slices"
	"strings"
)

// RouterOS's fasttrack hands an established connection to a fast path
// whose packets skip the firewall after the rule that fasttracked it: the
// filter rules (above the fasttrack rule too, so a drop added later does
// not stop a fasttracked download until its connection is removed), mangle,
// the simple queues, and the routing marks mangle would set. The
// fast path routes by the main table, which is why policy routing (PCC, a
// second WAN's forwards answered by mark-routing) loses its connections
// once they are fasttracked unless the fasttrack rule leaves marked
// connections alone (connection-mark=no-mark). A packet the main table
// has no route for goes the slow way, through mangle. Sources: the
// Firewall page's FastTrack section of the manual; forum threads of users
// whose policy routing failed with fasttrack on and worked with it off,
// or with no default route in the main table.
//
// rosemu labels a connection the fasttrack rule accepted (ct label
// fasttrackLabel), the filter's forward chain accepts a labelled
// connection's packets before its first rule, and the mangle chains
// prerouting, forward and postrouting return at once for labelled
// connections. In prerouting and forward the skip needs a route for
// the destination without a routing mark (nft's fib, which follows
// /routing rule too); postrouting cannot ask the fib, so there a labelled
// connection always skips, from the packet after the one the fasttrack
// rule labelled (renderSeen). [verify] what RouterOS's fast path does for a
// destination only a /routing rule routes.

// fasttrackPlan is what the configuration's fasttrack rules ask of the
// rendering, worked out once per Render: label says the fasttrack rule
// labels its connection (an enabled fasttrack rule exists: the filter
// skips labelled connections), and skipMangle that the mangle chains
// start with the skip.
type fasttrackPlan struct {
	label, skipMangle bool
	// mainOnly: the router has no routing table but main and no
	// /routing rule, so the kernel routed every forwarded packet by main
	// (rosemu's only ip rules are those wantRules makes of them). In
	// the forward chains the fib lookup that stands for "the fast path
	// has a route" then always holds, and leaving it out saves a route
	// lookup per forwarded packet of a fasttracked connection (issue 12:
	// perf put it at a fifth of rosemu's own share of the hairpin path).
	mainOnly bool
}

func planFasttrack(st *State) fasttrackPlan {
	mangle := slices.ContainsFunc(st.Mangle, enabledRule)
	fasttracks := slices.ContainsFunc(st.Filter, func(r Rule) bool {
		return enabledRule(r) && r.Props["action"] == "fasttrack-connection" && NeverMatches(r.Props) == ""
	})
	mainOnly := len(st.RoutingRules) == 0 && len(st.RoutingTables) == 0 && !slices.ContainsFunc(st.Addresses, func(a Address) bool { return a.VRF != "" })
	return fasttrackPlan{label: fasttracks, skipMangle: fasttracks && mangle, mainOnly: mainOnly}
}

// lead returns the lines a built-in chain starts with so that fasttracked
// connections skip it: the filter's forward chain, and the mangle chains a
// forwarded packet crosses. The filter's skip counts the packets under
// FasttrackCounterID, as RouterOS's dummy rule at the top of the filter
// shows the fast path's.
func (f fasttrackPlan) lead(table, chain string) []string {
	// In prerouting the packet is not routed yet: one the main table has
	// no route for still crosses mangle (and is dropped after it), so the
	// lookup stays there whatever the tables.
	routed := "fib daddr oif exists "
	if f.mainOnly && chain == "forward" {
		routed = ""
	}
	if table == "filter" && chain == "forward" && f.label {
		return []string{fmt.Sprintf("ct label %d %scounter accept comment \"%s fasttracked: skips the filter\"", fasttrackLabel, routed, FasttrackCounterID)}
	}
	if table != "mangle" || !f.skipMangle {
		return nil
	}
	switch chain {
	case "prerouting":
		return []string{fmt.Sprintf("ct label %d fib daddr oif exists return comment \"fasttracked: skips mangle\"", fasttrackLabel)}
	case "forward":
		return []string{fmt.Sprintf("ct label %d %sreturn comment \"fasttracked: skips mangle\"", fasttrackLabel, routed)}
	case "postrouting":
		// Not fasttrackLabel: the packet the fasttrack rule labelled
		// leaves through postrouting in the same pass, and it is not
		// one of the connection's later packets (forum23: a postrouting
		// counter stayed at 0 for a whole TCP connection). renderSeen
		// marks the connection once that packet is past mangle.
		return []string{fmt.Sprintf("ct label %d return comment \"fasttracked: skips mangle\"", fasttrackSeenLabel)}
	}
	return nil
}

// FasttrackCounterID is the rule id the filter's skip of fasttracked
// connections counts under (its comment starts with it, as a rule's
// does), so that RuleCounters returns the fast path's packets and bytes
// for RouterOS's "special dummy rule to show fasttrack counters", which
// config prints with this id (forum43 D12: the dummy rule showed 0 while
// the skip had counted 5762 packets). It is no id the model gives a rule.
const FasttrackCounterID = "*FFFFFFF0"

// fasttrackSeenLabel marks a fasttracked connection one of whose packets
// has left through postrouting since it was fasttracked.
const fasttrackSeenLabel = 125

// renderSeen writes the chain that gives a fasttracked connection
// fasttrackSeenLabel once a packet of it has passed postrouting mangle:
// its priority is after every other postrouting chain of rosemu's.
func (f fasttrackPlan) renderSeen(b *strings.Builder) {
	if !f.skipMangle {
		return
	}
	fmt.Fprintf(b, "\n\t# fasttrack: the connection's later packets skip postrouting mangle\n")
	fmt.Fprintf(b, "\tchain fasttrack_seen {\n\t\ttype filter hook postrouting priority 400; policy accept;\n")
	fmt.Fprintf(b, "\t\tct label %d ct label set %d\n\t}\n", fasttrackLabel, fasttrackSeenLabel)
}

func enabledRule(r Rule) bool { return r.Props["disabled"] != "yes" }
