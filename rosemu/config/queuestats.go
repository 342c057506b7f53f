package config

import (
	"strconv"

	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/script"
)

// The queues' statistics: print stats and the read-only counters of
// /queue simple and /queue tree, read from the kernel's HTB classes
// (rosemu/kernel/queuestats.go). A simple queue's values are
// upload/download pairs and its total-* values the sum of both, a tree
// entry's single values, as a router returns them (the /queue/simple
// properties listed from a router in terraform-routeros's
// resource_queue_simple.go; the Queues page of the manual).

// QueueCounters reads and resets the queues' counters in the kernel;
// package kernel's Dataplane implements it.
type QueueCounters interface {
	QueueStats() (kernel.QueueStats, error)
	ResetQueueCounters(simple, tree []string) error
}

// print stats columns: RouterOS's console shows the queue's name and its
// counters [verify the exact columns of 7.x].
var (
	simpleStatsColumns = []string{"name", "target", "rate", "packet-rate", "queued-bytes", "queued-packets", "bytes", "packets", "dropped"}
	treeStatsColumns   = []string{"name", "parent", "packet-mark", "rate", "packet-rate", "queued-bytes", "queued-packets", "bytes", "packets", "dropped"}
)

// queueCounters returns the kernel's queue counters, read once per
// transaction; zero without a kernel (unit tests) or when it cannot be
// read, as a queue that passed nothing shows. The reading does not wait
// (the kernel's sampler keeps the readings the rate is taken from), as
// the transaction holds the whole router.
func (t *tx) queueCounters() kernel.QueueStats {
	if t.queueStats != nil {
		return *t.queueStats
	}
	s := kernel.QueueStats{}
	if qc, ok := t.r.opts.Counters.(QueueCounters); ok {
		if got, err := qc.QueueStats(); err == nil {
			s = got
		}
	}
	t.queueStats = &s
	return s
}

func u(v uint64) string { return strconv.FormatUint(v, 10) }

// statProps are the counters of one queue: pair writes a simple queue's
// upload/download values.
func statProps(ds ...kernel.QueueStat) []Prop {
	f := func(get func(kernel.QueueStat) uint64) string {
		out := ""
		for i, d := range ds {
			if i > 0 {
				out += "/"
			}
			out += u(get(d))
		}
		return out
	}
	return []Prop{
		{"rate", f(func(s kernel.QueueStat) uint64 { return s.Rate })},
		{"packet-rate", f(func(s kernel.QueueStat) uint64 { return s.PacketRate })},
		{"queued-bytes", f(func(s kernel.QueueStat) uint64 { return s.QueuedBytes })},
		{"queued-packets", f(func(s kernel.QueueStat) uint64 { return s.QueuedPackets })},
		{"bytes", f(func(s kernel.QueueStat) uint64 { return s.Bytes })},
		{"packets", f(func(s kernel.QueueStat) uint64 { return s.Packets })},
		{"dropped", f(func(s kernel.QueueStat) uint64 { return s.Dropped })},
	}
}

// simpleQueueStats are a simple queue's read-only counters: upload/download
// pairs, and the total-* sums of both directions [verify that RouterOS's
// total queue counts both].
func simpleQueueStats(t *tx, it *item) []Prop {
	var d [2]kernel.QueueStat
	if n := it.props["name"]; n != "" { // an empty item: the names alone
		d = t.queueCounters().Simple[n]
	}
	out := statProps(d[0], d[1])
	for _, p := range statProps(d[0].Add(d[1])) {
		out = append(out, Prop{"total-" + p.Name, p.Value})
	}
	return append(out, Prop{"invalid", "false"}, Prop{"dynamic", boolAPI(it.dynamic)})
}

// treeQueueStats are a tree entry's read-only counters.
func treeQueueStats(t *tx, it *item) []Prop {
	var d kernel.QueueStat
	if n := it.props["name"]; n != "" {
		d = t.queueCounters().Tree[n]
	}
	return append(statProps(d), Prop{"invalid", "false"})
}

// queueCommands are the queue menus' print (with stats: the counters'
// columns) and reset-counters / reset-counters-all.
func queueCommands(statsCols []string) map[string]menuCommand {
	return map[string]menuCommand{
		"print": {syntax: statsPrintSyntax(), run: statsPrint(statsCols...)},
		"reset-counters": {syntax: &script.Syntax{Params: map[string]bool{"numbers": true}, Unnamed: 1}, run: func(t *tx, req *request) (result, error) {
			items, err := t.items(req.menu, req)
			if err != nil {
				return result{}, err
			}
			return result{}, t.resetQueueCounters(req.menu, items)
		}},
		"reset-counters-all": {syntax: &script.Syntax{}, run: func(t *tx, req *request) (result, error) {
			return result{}, t.resetQueueCounters(req.menu, t.m.tables[req.menu.tableName()])
		}},
	}
}

func (t *tx) resetQueueCounters(m *menu, items []*item) error {
	qc, ok := t.r.opts.Counters.(QueueCounters)
	if !ok {
		return nil
	}
	var names []string
	for _, it := range items {
		names = append(names, it.props["name"])
	}
	var err error
	if m.path == "queue tree" {
		err = qc.ResetQueueCounters(nil, names)
	} else {
		err = qc.ResetQueueCounters(names, nil)
	}
	if err != nil {
		return &Error{Msg: "failure: " + err.Error(), Category: 4}
	}
	t.queueStats = nil
	return nil
}
