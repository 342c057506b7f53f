package check

import (
	"fmt"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// An accept with limit= (or dst-limit=) takes the packets within the
// limit; the others do not match it and go on down the chain (Filter
// manual, limit: "matches packets up to a limited rate",
// https://help.mikrotik.com/docs/spaces/ROS/pages/48660574/Filter). The
// limit only bites when a rule below drops what it leaves over: a forum
// "ICMP flood protection" written as a limited accept above defconf's
// "accept ICMP" limits nothing. The lab saw it: 20 pings within a second
// all answered, and 2 of 20 once a drop of ICMP followed the accept.

// limitIgnored are the parameters that say nothing of which packets a rule
// takes, beside the limit itself.
var limitIgnored = map[string]bool{"action": true, "chain": true, "comment": true, "disabled": true,
	"log": true, "log-prefix": true, "limit": true, "dst-limit": true, "place-before": true,
	// action parameters
	"jump-target": true, "reject-with": true, "address-list": true, "address-list-timeout": true}

// limitAcceptNotes notes each enabled filter accept with a limit whose
// leftover no later rule of its chain drops: the first later rule that
// takes all the accept matches (its matchers a subset of the accept's)
// decides; an accept there (itself unlimited), or the end of the chain,
// lets the leftover through. A jump, return or another limited accept
// there leaves it unjudged.
func (p *Plan) limitAcceptNotes(f *export.File, keep func(*export.Command) bool) {
	var rules []*export.Command
	for _, c := range routerOrder(f) {
		if keep(c) && enabled(c) && c.Verb == "add" && c.MenuPath() == "ip firewall filter" {
			rules = append(rules, c)
		}
	}
	for i, c := range rules {
		lim := c.Value("limit")
		if lim == "" {
			lim = c.Value("dst-limit")
		}
		if c.Value("action") != "accept" || lim == "" {
			continue
		}
		chain := c.Value("chain")
		var by *export.Command
		for _, r := range rules[i+1:] {
			if r.Value("chain") == chain && !nonDeciding[r.Value("action")] && takesAll(r, c) {
				by = r
				break
			}
		}
		switch {
		case by == nil:
			p.Notes = append(p.Notes, fmt.Sprintf("line %d: the accept with a limit (%s) lets what it leaves over go on down the %s chain, and no later rule drops all it matches: the limit limits nothing unless a drop of the same traffic follows it; not probed", c.Line, lim, chain))
		case by.Value("action") == "accept" && by.Value("limit") == "" && by.Value("dst-limit") == "":
			p.Notes = append(p.Notes, fmt.Sprintf("line %d: the accept with a limit (%s) lets what it leaves over go on down the %s chain, where line %d accepts it anyway: the limit limits nothing; not probed", c.Line, lim, chain, by.Line))
		}
	}
}

// nonDeciding are the actions after which a packet goes on down the chain.
var nonDeciding = map[string]bool{"log": true, "passthrough": true, "add-src-to-address-list": true, "add-dst-to-address-list": true}

// takesAll reports whether rule r matches every packet rule c matches:
// each matcher r has, c has with the same value.
func takesAll(r, c *export.Command) bool {
	for _, a := range r.Args {
		if limitIgnored[a.Name] || a.Value == "" && emptyUnset[a.Name] {
			continue
		}
		if strings.TrimSpace(c.Value(a.Name)) != strings.TrimSpace(a.Value) {
			return false
		}
	}
	return true
}
