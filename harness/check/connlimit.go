package check

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// connection-limit=N,M counts the connections of each source address
// block of M bits (Filter page of the manual, "connection-limit
// (integer,netmask)", https://help.mikrotik.com/docs/display/ROS/Filter):
// "2,32" is two per address, "2,0" two for the whole internet. Forum
// rules meant per player written with a netmask of 0 let only N clients
// in, in all. The check cannot hold concurrent connections open to prove
// it, so it says so in a note.
func (p *Plan) connLimitNotes(f *export.File, keep func(*export.Command) bool) {
	for _, c := range f.Commands {
		if !keep(c) || !enabled(c) || c.Verb != "add" || !strings.HasPrefix(c.MenuPath(), "ip firewall ") {
			continue
		}
		v := c.Value("connection-limit")
		n, mask, ok := strings.Cut(v, ",")
		if !ok {
			continue
		}
		bits, err := strconv.Atoi(strings.TrimSpace(mask))
		if err != nil || bits >= 24 {
			continue
		}
		who := fmt.Sprintf("every source in one /%d block", bits)
		if bits == 0 {
			who = "the whole internet as one source"
		}
		if count, neg := strings.CutPrefix(strings.TrimSpace(n), "!"); neg {
			// "!N" inverts the match: the rule takes the connections
			// while the block holds N or fewer (f59 N3: the note read
			// "at most !10 connections").
			p.Notes = append(p.Notes, fmt.Sprintf("line %d: connection-limit=%s counts %s: the rule matches while all of them together hold %s connections or fewer, not %s per client (per address is !%s,32); not probed", c.Line, v, who, count, count, count))
			continue
		}
		p.Notes = append(p.Notes, fmt.Sprintf("line %d: connection-limit=%s counts %s: at most %s connections for all of them together, not %s per client (per address is %s,32); not probed", c.Line, v, who, n, n, n))
	}
}
