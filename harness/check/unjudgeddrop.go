package check

import "github.com/chrlab/chrlab/harness/export"

// inputDropsEveryWay says whether the input chain drops (or rejects) a new
// connection from the internet whichever way the rules it cannot weigh
// decide. A drop or reject whose match is unknown (a list that rules fill
// at run time, a psd= scan detector) ends in a drop when it matches, so
// only the branch where it does not match is followed; an accept whose
// match is unknown may let the connection in, and so may the end of the
// chain. A rule that adds to an address list is no verdict: the walk goes
// past it. A jump or return the connection may take is not followed (its
// chain is not weighed here): the answer is then no, which keeps the
// warning. Without this, the forum's psd rule ("add-src-to-address-list
// address-list=\"port scanners\" psd=...") followed by a drop of that list
// and defconf's "drop all not coming from LAN" had WebFig, FTP, API and
// the bandwidth server "may be open to the internet", though both
// branches drop (forum48 D2).
func inputDropsEveryWay(m *matcher, f *export.File, keep func(*export.Command) bool, in packet) bool {
	for _, c := range m.chainRules(f, keep, "ip firewall filter", "input") {
		act := c.Value("action")
		if act == "" {
			act = "accept"
		}
		switch act {
		case "accept", "drop", "reject", "jump", "return":
		default:
			continue // passthrough (lists, logs, marks): no verdict
		}
		how := m.match(c, in)
		switch {
		case how == no:
			continue
		case act == "drop" || act == "reject":
			if how == yes {
				return true
			}
			// Unknown: matched, it drops; not matched, read on.
		default:
			// An accept, jump or return that holds or may hold.
			return false
		}
	}
	return false // the chain ends without a decision: accepted
}
