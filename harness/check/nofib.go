package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// TableNoFIB is a v7 routing table that mangle marks packets for but that
// was added without fib: RouterOS installs none of its routes in the FIB
// ("fib: whether routes in this table will be installed in the FIB",
// help.mikrotik.com/docs/spaces/ROS/pages/331612230/routing+table), so
// the marked answers are routed by main, out through the main WAN.
const TableNoFIB Cause = "the routing table that the mangle rule marks the answers for was added without fib: its routes are never installed, so the marked answers are routed by the main table, out through the other WAN, whose ISP drops a source address it did not give"

// TableNoFIBOut is the same table met without a forward whose answers it
// was to route: policy routing of the LAN's own connections (a host sent
// to the second ISP) that does nothing. The check found it on a forward's
// answer path only, so an export with outbound policy routing alone read
// "no problem found" (forum46 N1).
const TableNoFIBOut Cause = "the routing table that a mangle rule marks connections for was added without fib: its routes are never installed, so the marked connections are routed by the main table, not by the table's own route (the policy routing does nothing)"

// noFIBOutFindings gives the router a finding for a table without fib
// that mangle marks for, unless a forward's finding names it already.
func (p *Plan) noFIBOutFindings(have []Finding) []Finding {
	if p.export == nil || slices.ContainsFunc(have, func(f Finding) bool { return f.Cause == TableNoFIB }) {
		return nil
	}
	table, mark := p.noFIBTable(p.keeper(p.export))
	if table == nil {
		return nil
	}
	return []Finding{{Forward: -1, Path: "policy routing", Cause: TableNoFIBOut, Line: table.Line, Rule: table.Raw,
		Detail: fmt.Sprintf("/routing table %s has no fib; line %d marks for it: %s", table.Value("name"), mark.Line, ruleQuote(mark.Raw))}}
}

// noFIBTable returns the /routing table entry without fib that an enabled
// mangle mark-routing rule names, and that rule.
func (p *Plan) noFIBTable(keep func(*export.Command) bool) (table, mark *export.Command) {
	tables := map[string]*export.Command{}
	for _, c := range p.export.Commands {
		if !keep(c) || !enabled(c) || c.Verb != "add" || c.MenuPath() != "routing table" {
			continue
		}
		// The export writes the flag bare ("add fib name=x"), which the
		// reader keeps as the command's target; fib=yes is the same.
		if c.Value("fib") != "yes" && !slices.Contains(strings.Fields(c.Target), "fib") {
			tables[c.Value("name")] = c
		}
	}
	if len(tables) == 0 {
		return nil, nil
	}
	for _, c := range p.export.Commands {
		if !keep(c) || !enabled(c) || c.Verb != "add" || c.MenuPath() != "ip firewall mangle" || c.Value("action") != "mark-routing" {
			continue
		}
		if t := tables[c.Value("new-routing-mark")]; t != nil {
			return t, c
		}
	}
	return nil, nil
}

// noFIBFinding is the finding for the internet path of a forward on a
// WAN that is not the main table's: its answers were to be routed by the
// table without fib.
func noFIBFinding(i int, path string, table, mark *export.Command) Finding {
	return Finding{Forward: i, Path: path, Cause: TableNoFIB, Line: table.Line, Rule: table.Raw,
		Detail: fmt.Sprintf("/routing table %s has no fib; line %d marks for it: %s", table.Value("name"), mark.Line, ruleQuote(mark.Raw))}
}
