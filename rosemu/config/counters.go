package config

import (
	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/script"
)

// RuleCounters reads and resets the firewall rules' counters in the kernel;
// package kernel's Dataplane implements it.
type RuleCounters interface {
	// RuleCounters returns what each rule counted, by rule id.
	RuleCounters() (map[string]kernel.Counter, error)
	// ResetCounters zeroes the counters of the given rule ids.
	ResetCounters(ids []string) error
}

// ruleCounter returns what the kernel counted for a firewall rule. The
// counters are read once per transaction; without a kernel (unit tests) or
// when the kernel cannot be read every rule shows 0, which is also what a
// rule that never matched shows.
func (t *tx) ruleCounter(it *item) kernel.Counter {
	if t.r.opts.Counters == nil {
		return kernel.Counter{}
	}
	if t.counters == nil {
		c, err := t.r.opts.Counters.RuleCounters()
		if err != nil {
			c = map[string]kernel.Counter{}
		}
		t.counters = c
	}
	return t.counters[it.ID()]
}

// counterCommands are the firewall menus' print (with stats) and
// reset-counters / reset-counters-all.
func counterCommands() map[string]menuCommand {
	return map[string]menuCommand{
		"print": {syntax: statsPrintSyntax(), run: statsPrint("chain", "action", "bytes", "packets")},
		"reset-counters": {
			syntax: &script.Syntax{Params: map[string]bool{"numbers": true}, Unnamed: 1},
			run: func(t *tx, req *request) (result, error) {
				items, err := t.items(req.menu, req)
				if err != nil {
					return result{}, err
				}
				return result{}, t.resetCounters(items)
			},
		},
		"reset-counters-all": {
			syntax: &script.Syntax{},
			run: func(t *tx, req *request) (result, error) {
				return result{}, t.resetCounters(t.m.tables[req.menu.tableName()])
			},
		},
	}
}

func (t *tx) resetCounters(items []*item) error {
	if t.r.opts.Counters == nil {
		return nil
	}
	ids := []string{}
	for _, it := range items {
		ids = append(ids, it.ID())
	}
	if err := t.r.opts.Counters.ResetCounters(ids); err != nil {
		return &Error{Msg: "failure: " + err.Error(), Category: 4}
	}
	t.counters = nil
	return nil
}

// statsPrintSyntax is print's syntax with the stats flag.
func statsPrintSyntax() *script.Syntax {
	return printSyntax("stats", "all")
}

// printSyntax is print's syntax in a list or settings menu, with a
// menu's own further flags. from= (items, as [find] gives them),
// value-list and show-ids are print's too: public scripts and console
// transcripts use each (forum44 D3; Command Line Interface page,
// https://help.mikrotik.com/docs/display/ROS/Command+Line+Interface,
// documents where, detail, terse, count-only and as-value; [verify]
// the full list on a router).
func printSyntax(flags ...string) *script.Syntax {
	s := &script.Syntax{
		Params: map[string]bool{"proplist": true, "file": true, "from": true},
		Flags: map[string]bool{"detail": true, "count-only": true, "terse": true, "without-paging": true, "as-value": true, "brief": true,
			"value-list": true, "show-ids": true, "show-sensitive": true},
		Where: true,
	}
	for _, f := range flags {
		s.Flags[f] = true
	}
	return s
}

// statsPrint is print, and with the stats flag the console's counter
// table of those columns: a firewall's chain, action, bytes and packets
// of each rule, an interface's traffic counters.
func statsPrint(cols ...string) func(t *tx, req *request) (result, error) {
	return func(t *tx, req *request) (result, error) {
		m := req.menu
		if !req.flags["stats"] || t.api || req.flags["as-value"] || req.flags["count-only"] {
			return t.print(m, req)
		}
		stats := *m
		stats.columns = cols
		delete(req.flags, "detail")
		return t.print(&stats, req)
	}
}
