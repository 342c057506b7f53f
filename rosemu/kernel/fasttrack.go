package kernel

import "fmt"

// RouterOS's fasttrack hands an established connection to a fast path
// whose packets skip the firewall after the rule that fasttracked it:
// mangle, the simple queues, and the routing marks mangle would set. The
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
// fasttrackLabel) when something would skip it, and the mangle chains
// prerouting, forward and postrouting return at once for labelled
// connections. In prerouting and forward the return needs a route for
// the destination without a routing mark (nft's fib, which follows
// /routing rule too); postrouting cannot ask the fib, so there a labelled
// connection always skips. [verify] what RouterOS's fast path does for a
// destination only a /routing rule routes.

// labelFasttrack says whether a fasttrack rule must label its connection:
// something skips labelled connections.
func labelFasttrack(st *State) bool {
	return len(st.Queues) > 0 || len(enabledRules(st.Mangle)) > 0
}

// fasttrackSkip returns the lines a built-in chain starts with so that
// fasttracked connections skip it: the mangle chains a forwarded packet
// crosses, when a fasttrack rule exists.
func fasttrackSkip(st *State, table, chain string) []string {
	if table != "mangle" || !fasttracks(st) || len(enabledRules(st.Mangle)) == 0 {
		return nil
	}
	switch chain {
	case "prerouting", "forward":
		return []string{fmt.Sprintf("ct label %d fib daddr oif exists return comment \"fasttracked: skips mangle\"", fasttrackLabel)}
	case "postrouting":
		return []string{fmt.Sprintf("ct label %d return comment \"fasttracked: skips mangle\"", fasttrackLabel)}
	}
	return nil
}

// fasttracks says whether an enabled filter rule fasttracks connections.
func fasttracks(st *State) bool {
	for _, r := range enabledRules(st.Filter) {
		if r.Props["action"] == "fasttrack-connection" && NeverMatches(r.Props) == "" {
			return true
		}
	}
	return false
}

// enabledRules leaves out the disabled rules.
func enabledRules(rules []Rule) []Rule {
	var out []Rule
	for _, r := range rules {
		if r.Props["disabled"] != "yes" {
			out = append(out, r)
		}
	}
	return out
}
